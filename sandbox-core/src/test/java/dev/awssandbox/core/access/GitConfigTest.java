package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The git config parser and what a repository's config names (red team, round 18, F1). */
@ExtendWith(TestHostExtension.class)
class GitConfigTest {
    private TestHost host;

    @BeforeEach
    void setUp(TestHost host) {
        this.host = host;
    }

    @Test
    void parsesGitsSyntax() throws Exception {
        String text = "\uFEFF# comment\n; another\n[core]\n\tfsmonitor = \"./a b.sh\" ; trailing\n"
                + "[Diff \"Sub \\\"x\\\"\"]\n\tTextConv = sh \\\n  tools/conv.sh # c\n"
                + "[alias.x] y = !echo \"a;b\"\n[remote \"o\"] bare\n";

        List<GitConfig.Entry> entries = GitConfig.parse(text, "f");

        assertThat(entries).extracting(GitConfig.Entry::name).containsExactly("core.fsmonitor",
                "diff.Sub \"x\".textconv", "alias.x.y", "remote.o.bare");
        assertThat(entries).extracting(GitConfig.Entry::value).containsExactly("./a b.sh", "sh   tools/conv.sh",
                "!echo a;b", null);
    }

    @Test
    void failsOnWhatItDoesNotUnderstand() {
        for (String bad : List.of("[core\n", "key = v\n", "[core]\n\tx = \"open\n", "[core]\n\tx = a\\q\n",
                "[core]\n\t1x = y\n", "[a b]\n", "[core]\n\tx y\n")) {
            assertThatThrownBy(() -> GitConfig.parse(bad, "f")).as(bad).isInstanceOf(GitConfig.Unparseable.class);
        }
    }

    @Test
    void namesIncludesHooksAndCommandWordsAndFollowsIncludes() throws Exception {
        Path top = host.work();
        Path git = Files.createDirectories(top.resolve(".git"));
        Files.createDirectories(top.resolve("sub"));
        Files.writeString(top.resolve("hook.sh"), "");
        Files.writeString(git.resolve("config"), "[include]\n\tpath = ../sub/cfg\n[core]\n\thooksPath = .githooks\n"
                + "[filter \"lfs\"]\n\tclean = git-lfs clean -- %f\n[alias]\n\tx = !sh hook.sh\n");
        Files.writeString(top.resolve("sub/cfg"), "[includeIf \"gitdir:/nowhere/\"]\n\tpath = more\n");
        Files.writeString(top.resolve("sub/more"), "[core]\n\tsshCommand = ./bin/ssh -F ~/cfg\n");

        List<GitConfig.Target> targets = GitConfig.targets(git, top, host.home());

        // .git too: the include's '..' walks back out of it (round 34, F1)
        assertThat(targets).extracting(GitConfig.Target::lexical).containsExactlyInAnyOrder(top.resolve("sub/cfg"),
                top.resolve("sub/more"), top.resolve(".githooks"), top.resolve("hook.sh"), top.resolve("bin/ssh"),
                host.home().resolve("cfg"), git);
        GitConfig.Target hooks = targets.stream().filter(t -> t.lexical().endsWith(".githooks")).findFirst().orElseThrow();
        assertThat(hooks.exists()).isFalse();
        assertThat(hooks.stable()).isFalse();
        assertThat(hooks.container()).isTrue();
    }

    @Test
    void anUnreadableOrTooDeepConfigNamesTheWholeWorkingTree() throws Exception {
        Path top = host.work();
        Path git = Files.createDirectories(top.resolve(".git"));
        Files.writeString(git.resolve("config"), "[include]\n\tpath = ../a0\n");
        for (int i = 0; i < 12; i++) {
            Files.writeString(top.resolve("a" + i), "[include]\n\tpath = a" + (i + 1) + "\n");
        }

        List<GitConfig.Target> targets = GitConfig.targets(git, top, host.home());

        assertThat(targets).anySatisfy(t -> {
            assertThat(t.lexical()).isEqualTo(top);
            assertThat(t.container()).isTrue();
            assertThat(t.stable()).isFalse();
            assertThat(t.why()).contains("levels deep");
        });
    }

    /** What the config of the repository {@code project} (a write path in it) and {@code global} name, git run there. */
    private List<GitConfig.Target> aroundProject(Path project, List<Path> global) {
        return GitConfig.around(List.of(project), List.of(), host.home(), global,
                GitConfig.runningIn(java.util.Map.of(), project));
    }

    private static List<Path> lexicals(List<GitConfig.Target> targets) {
        return targets.stream().map(GitConfig.Target::lexical).toList();
    }

    /** Regression (red team, round 19, F9): the targets of the links git follows in .git are named, dangling ones too. */
    @Test
    void linksInTheGitDirectoryNameTheirTargets() throws Exception {
        Path top = host.work();
        Path git = Files.createDirectories(top.resolve(".git"));
        Files.createDirectories(git.resolve("hooks"));
        Files.createDirectories(git.resolve("info"));
        Files.writeString(top.resolve("shared.gitconfig"), "[core]\n\tbare = false\n");
        Files.createSymbolicLink(git.resolve("config"), Path.of("../shared.gitconfig"));
        Files.createSymbolicLink(git.resolve("hooks/pre-commit"), Path.of("../../scripts/pre-commit"));
        Files.createSymbolicLink(git.resolve("info/attributes"), Path.of("../../attrs"));
        Files.createSymbolicLink(git.resolve("hooks/inside"), Path.of("../description")); // its own metadata

        List<GitConfig.Target> targets = GitConfig.targets(git, top, host.home());

        assertThat(lexicals(targets)).containsExactlyInAnyOrder(top.resolve("shared.gitconfig"),
                top.resolve("scripts/pre-commit"), top.resolve("attrs"));
        assertThat(targets).allSatisfy(t -> assertThat(t.container()).isTrue());
        GitConfig.Target hook = targets.stream().filter(t -> t.lexical().endsWith("pre-commit")).findFirst().orElseThrow();
        assertThat(hook.exists()).isFalse(); // dangling: git would run what a command creates there
        assertThat(hook.why()).contains("symbolic link").contains("pre-commit");
    }

    /** Too many entries to follow every link (a link past the first thousand): the working tree is held. */
    @Test
    void aHooksDirectoryTooLargeToListHoldsTheWorkingTree() throws Exception {
        Path top = host.work();
        Path hooks = Files.createDirectories(top.resolve(".git/hooks"));
        for (int i = 0; i < 1_000; i++) {
            Files.createFile(hooks.resolve("h" + i));
        }

        List<GitConfig.Target> targets = GitConfig.targets(top.resolve(".git"), top, host.home());

        assertThat(targets).singleElement().satisfies(t -> {
            assertThat(t.lexical()).isEqualTo(top);
            assertThat(t.stable()).isFalse();
            assertThat(t.why()).contains("too many to follow its links");
        });
    }

    /** A hooks directory that is a link: its target is named, and so are the links inside it. */
    @Test
    void aLinkedHooksDirectoryAndTheLinksInItAreNamed() throws Exception {
        Path top = host.work();
        Path git = Files.createDirectories(top.resolve(".git"));
        Files.createDirectories(top.resolve(".githooks"));
        Files.createSymbolicLink(git.resolve("hooks"), Path.of("../.githooks"));
        Files.createSymbolicLink(top.resolve(".githooks/pre-push"), Path.of("../tools/push.sh"));

        List<GitConfig.Target> targets = GitConfig.targets(git, top, host.home());

        assertThat(lexicals(targets)).containsExactlyInAnyOrder(top.resolve(".githooks"), top.resolve("tools/push.sh"));
    }

    /**
     * Regression (red team, round 19, F2 and F10): the global config is read too — what it includes, in
     * every repository and where there is none — and a global config that links into a dotfiles checkout
     * names the file it links to.
     */
    @Test
    void theGlobalConfigAndWhatItNamesAreNamed() throws Exception {
        Path dotfiles = Files.createDirectories(host.work().resolve("dotfiles"));
        Path shared = Files.createDirectories(host.work().resolve("shared"));
        Files.writeString(dotfiles.resolve("gitconfig"), "[includeIf \"gitdir:~/work/\"]\n\tpath = "
                + shared.resolve(".gitconfig-work") + "\n[core]\n\thooksPath = .githooks\n");
        Files.createSymbolicLink(host.home().resolve(".gitconfig"), dotfiles.resolve("gitconfig"));
        Path xdg = Files.createDirectories(host.outside().resolve("xdg/git"));
        Files.writeString(xdg.resolve("config"), "[core]\n\tfsmonitor = " + shared.resolve("fsmon.sh") + "\n");
        List<Path> global = GitConfig.globalFiles(java.util.Map.of("XDG_CONFIG_HOME", xdg.getParent().toString()),
                host.home(), host.work());
        assertThat(global).contains(xdg.resolve("config"), host.home().resolve(".gitconfig"), Path.of("/etc/gitconfig"));

        List<GitConfig.Target> nowhere = GitConfig.around(List.of(shared), List.of(), host.home(), global);

        assertThat(lexicals(nowhere)).contains(dotfiles.resolve("gitconfig"), shared.resolve(".gitconfig-work"),
                shared.resolve("fsmon.sh"), xdg.resolve("config"));

        Path repo = Files.createDirectories(host.work().resolve("repo"));
        Path git = Files.createDirectories(repo.resolve(".git"));
        List<GitConfig.Target> inRepo = GitConfig.targets(git, repo, host.home(), global);
        assertThat(lexicals(inRepo)).contains(repo.resolve(".githooks"), shared.resolve(".gitconfig-work"));
    }

    /** GIT_CONFIG_GLOBAL=/dev/null (common in CI) is an empty config, not one that fails closed. */
    @Test
    void devNullIsAnEmptyConfig() throws Exception {
        Path repo = Files.createDirectories(host.work().resolve("repo"));
        Path git = Files.createDirectories(repo.resolve(".git"));
        List<Path> global = GitConfig.globalFiles(java.util.Map.of("GIT_CONFIG_GLOBAL", "/dev/null"), host.home(),
                host.work());
        assertThat(global).contains(Path.of("/dev/null"));

        assertThat(GitConfig.targets(git, repo, host.home(), List.of(Path.of("/dev/null")))).isEmpty();
    }

    /** A global command's bare first word is a program on PATH: a repository's code/ is not named for it. */
    @Test
    void aGlobalCommandsProgramNameIsNoPathInTheRepository() throws Exception {
        Path repo = Files.createDirectories(host.work().resolve("repo"));
        Path git = Files.createDirectories(repo.resolve(".git"));
        Files.createDirectories(repo.resolve("code"));
        Files.writeString(repo.resolve("hook.sh"), "");
        Path global = Files.writeString(host.home().resolve(".gitconfig"),
                "[core]\n\teditor = code --wait\n[alias]\n\tx = !sh hook.sh\n");

        List<GitConfig.Target> targets = GitConfig.targets(git, repo, host.home(), List.of(global));

        assertThat(lexicals(targets)).containsExactly(repo.resolve("hook.sh"));
    }

    /** Regression (red team, round 19, F4): command-valued keys git 2.39 runs that the list missed. */
    @Test
    void namesTheWordsOfEveryCommandValuedKey() throws Exception {
        java.util.Map<String, String> keys = new java.util.LinkedHashMap<>();
        keys.put("[interactive]\n\tdiffFilter", "interactive.diffFilter");
        keys.put("[gpg \"ssh\"]\n\tdefaultKeyCommand", "gpg.ssh.defaultKeyCommand");
        keys.put("[gpg]\n\tprogram", "gpg.program");
        keys.put("[gpg \"x509\"]\n\tprogram", "gpg.x509.program");
        keys.put("[submodule \"x\"]\n\tupdate = !", "submodule.x.update");
        keys.put("[trailer \"sign\"]\n\tcommand", "trailer.sign.command");
        keys.put("[trailer \"sign\"]\n\tcmd", "trailer.sign.cmd");
        keys.put("[tar \"tgz\"]\n\tcommand", "tar.tgz.command");
        keys.put("[core]\n\talternateRefsCommand", "core.alternateRefsCommand");
        keys.put("[sequence]\n\teditor", "sequence.editor");
        keys.put("[core]\n\teditor", "core.editor");
        keys.put("[core]\n\tpager", "core.pager");
        keys.put("[pager]\n\tlog", "pager.log");
        keys.put("[diff \"x\"]\n\ttextconv", "diff.x.textconv");
        keys.put("[diff \"x\"]\n\tcommand", "diff.x.command");
        keys.put("[merge \"x\"]\n\tdriver", "merge.x.driver");
        keys.put("[filter \"x\"]\n\tclean", "filter.x.clean");
        keys.put("[filter \"x\"]\n\tsmudge", "filter.x.smudge");
        keys.put("[filter \"x\"]\n\tprocess", "filter.x.process");
        keys.put("[credential]\n\thelper", "credential.helper");
        keys.put("[core]\n\tsshCommand", "core.sshCommand");
        keys.put("[uploadpack]\n\tpackObjectsHook", "uploadpack.packObjectsHook");
        // red team, round 20, F6 (imap.tunnel), and more of git 2.39's families (review of git-config(1))
        keys.put("[imap]\n\ttunnel", "imap.tunnel");
        keys.put("[alias]\n\tx = !sh", "alias.x");
        keys.put("[core]\n\taskPass", "core.askPass");
        keys.put("[core]\n\tgitProxy", "core.gitProxy");
        keys.put("[core]\n\tfsmonitor", "core.fsmonitor");
        keys.put("[gpg \"ssh\"]\n\tprogram", "gpg.ssh.program");
        keys.put("[credential \"https://example.com\"]\n\thelper", "credential.<url>.helper");
        keys.put("[remote \"o\"]\n\tuploadpack", "remote.o.uploadpack");
        keys.put("[remote \"o\"]\n\treceivepack", "remote.o.receivepack");
        keys.put("[diff]\n\texternal", "diff.external");
        keys.put("[mergetool \"x\"]\n\tcmd", "mergetool.x.cmd");
        keys.put("[difftool \"x\"]\n\tpath", "difftool.x.path");
        keys.put("[sendemail]\n\tsendmailCmd", "sendemail.sendmailCmd");
        // red team, MCP round B, F4
        keys.put("[sendemail \"work\"]\n\theaderCmd", "sendemail.work.headerCmd");
        keys.put("[svn]\n\tauthorsProg", "svn.authorsProg");
        Path top = host.work();
        Path git = Files.createDirectories(top.resolve(".git"));
        for (var key : keys.entrySet()) {
            String assignment = key.getKey().endsWith("!") || key.getKey().endsWith("!sh") ? key.getKey() + " "
                    : key.getKey() + " = ";
            Files.writeString(git.resolve("config"), assignment + "./tools/run.sh --x\n");

            // (a remote section without a URL names its directory too: round 42, F4)
            List<GitConfig.Target> targets = GitConfig.targets(git, top, host.home()).stream()
                    .filter(t -> !t.why().contains("a remote without a URL")).toList();

            assertThat(lexicals(targets)).as(key.getValue()).containsExactly(top.resolve("tools/run.sh"));
        }
        // submodule.*.update names a command only with "!": "checkout" is a mode
        Files.writeString(git.resolve("config"), "[submodule \"x\"]\n\tupdate = checkout ./tools/run.sh\n");
        assertThat(GitConfig.targets(git, top, host.home())).isEmpty();
    }

    /**
     * Regression (red team, round 20, F1): {@code init.templateDir} — git copies its {@code hooks/}
     * into every repository {@code git init} or {@code git clone} makes — is named as a container,
     * from the global config where no repository is found and in a repository, and the links in
     * its {@code hooks/} (copied as links) name their targets in both, as does what the template's
     * {@code config} (copied as the new repository's config) names.
     */
    @Test
    void theTemplateDirectoryIsNamedWithTheLinksInItsHooks() throws Exception {
        Path templates = Files.createDirectories(host.work().resolve("dotfiles/git-templates/hooks")).getParent();
        Files.createSymbolicLink(templates.resolve("hooks/pre-commit"), Path.of("../../scripts/pre-commit"));
        Files.writeString(templates.resolve("config"), "[core]\n\tfsmonitor = " + host.work().resolve("bin/fsmon.sh")
                + "\n"); // git copies it into the new repository's .git/config
        Path global = Files.writeString(host.home().resolve(".gitconfig"), "[init]\n\ttemplateDir = "
                + "~/" + host.home().relativize(templates) + "\n");

        List<GitConfig.Target> nowhere = GitConfig.around(List.of(templates.getParent()), List.of(), host.home(),
                List.of(global));

        GitConfig.Target target = nowhere.stream().filter(t -> t.lexical().equals(templates)).findFirst().orElseThrow();
        assertThat(target.container()).isTrue();
        assertThat(target.stable()).isTrue();
        assertThat(target.why()).contains("init.templateDir");
        assertThat(lexicals(nowhere)).contains(host.work().resolve("dotfiles/scripts/pre-commit"),
                host.work().resolve("bin/fsmon.sh"));

        Path repo = Files.createDirectories(host.work().resolve("repo"));
        Path git = Files.createDirectories(repo.resolve(".git"));
        List<GitConfig.Target> inRepo = GitConfig.targets(git, repo, host.home(), List.of(global));
        assertThat(lexicals(inRepo)).contains(templates, host.work().resolve("dotfiles/scripts/pre-commit"));
    }

    /**
     * Regression (red team, round 20, F2): {@code ~user/} is expanded as git does (to that user's
     * home in /etc/passwd) in include targets, {@code core.hooksPath} and command words; an unknown
     * user fails closed in a path-valued key (git refuses it too) and stays a literal word in a
     * command (as the shell leaves it).
     */
    @Test
    void tildeUserIsThatUsersHome() throws Exception {
        String user = System.getProperty("user.name");
        java.util.Optional<String> real = GitConfig.homeOf(user);
        org.junit.jupiter.api.Assumptions.assumeTrue(real.isPresent() && host.work().startsWith(real.get()),
                "the test host lies in the user's passwd home");
        Path userHome = Path.of(real.get());
        String viaUser = "~" + user + "/" + userHome.relativize(host.work());
        assertThat(GitConfig.expandHome("~" + user, host.home())).contains(real.get());
        assertThat(GitConfig.expandHome("~/x", host.home())).contains(host.home() + "/x");
        assertThat(GitConfig.expandHome("~", host.home())).contains(host.home().toString());
        assertThat(GitConfig.expandHome("~no-such-user-rt20/x", host.home())).isEmpty();
        assertThat(GitConfig.expandHome("a/~b", host.home())).contains("a/~b");

        Path top = Files.createDirectories(host.work().resolve("repo"));
        Path git = Files.createDirectories(top.resolve(".git"));
        Files.writeString(git.resolve("config"), "[include]\n\tpath = " + viaUser + "/dots/gitconfig.local\n"
                + "[core]\n\thooksPath = " + viaUser + "/dots/hooks\n\tfsmonitor = " + viaUser + "/dots/fsmon.sh\n"
                + "\tpager = less ~no-such-user-rt20/x\n");

        List<GitConfig.Target> targets = GitConfig.targets(git, top, host.home());

        Path dots = host.work().resolve("dots");
        assertThat(lexicals(targets)).containsExactlyInAnyOrder(dots.resolve("gitconfig.local"), dots.resolve("hooks"),
                dots.resolve("fsmon.sh"), top.resolve("~no-such-user-rt20/x"));

        Files.writeString(git.resolve("config"), "[include]\n\tpath = ~no-such-user-rt20/gitconfig\n");
        List<GitConfig.Target> unknown = GitConfig.targets(git, top, host.home());
        assertThat(unknown).anySatisfy(t -> {
            assertThat(t.lexical()).isEqualTo(top);
            assertThat(t.stable()).isFalse();
            assertThat(t.why()).contains("/etc/passwd");
        });
    }

    /**
     * Regression (red team, round 19, F8): a FIFO as a nested repository's config blocked every later
     * plan; a huge sparse .git file ended one with an OutOfMemoryError. Neither is read: the config
     * fails closed, the .git file is kept as it is.
     */
    @Test
    void aFifoOrAHugeFileIsNeverRead() throws Exception {
        Path top = host.work();
        Path git = Files.createDirectories(top.resolve(".git"));
        Process mkfifo = new ProcessBuilder("mkfifo", git.resolve("config").toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();

        List<GitConfig.Target> targets = GitConfig.targets(git, top, host.home());

        assertThat(targets).singleElement().satisfies(t -> {
            assertThat(t.lexical()).isEqualTo(top);
            assertThat(t.stable()).isFalse();
            assertThat(t.why()).contains("not a regular file");
        });

        Path sub = Files.createDirectories(host.outside().resolve("sub"));
        try (var file = new java.io.RandomAccessFile(sub.resolve(".git").toFile(), "rw")) {
            file.setLength(1L << 30); // sparse
        }
        assertThat(GitMetadata.find(host.outside()).entries()).extracting(GitMetadata.Entry::path)
                .containsExactly(sub.resolve(".git"));
        assertThat(GitConfig.around(List.of(sub), List.of(), host.home())).isEmpty();
    }

    /**
     * Round 20: the config git takes from the user's environment — {@code GIT_TEMPLATE_DIR},
     * {@code GIT_CONFIG_COUNT}/{@code _KEY_n}/{@code _VALUE_n}, {@code GIT_CONFIG_PARAMETERS} (both
     * of its forms, git's quoting) — is read as the global config is; what git would refuse fails
     * closed (the working tree of a repository around the write path is held).
     */
    @Test
    void theEnvironmentsConfigIsReadAsTheGlobalConfigIs() throws Exception {
        Path shared = Files.createDirectories(host.work().resolve("shared"));
        java.util.Map<String, String> variables = java.util.Map.of(
                "GIT_TEMPLATE_DIR", shared.resolve("templates").toString(),
                "GIT_CONFIG_COUNT", "2",
                "GIT_CONFIG_KEY_0", "Core.HooksPath", "GIT_CONFIG_VALUE_0", shared.resolve("hooks").toString(),
                "GIT_CONFIG_KEY_1", "include.path", "GIT_CONFIG_VALUE_1", shared.resolve("inc").toString(),
                "GIT_CONFIG_PARAMETERS", "'core.fsmonitor'='" + ("sh '" + shared.resolve("fsmon.sh") + "'").replace("'", "'\\''")
                        + "' 'alias.x=!" + shared.resolve("old.sh") + "' 'core.bare'");

        List<GitConfig.Entry> entries = GitConfig.environment(variables);
        List<GitConfig.Target> nowhere = GitConfig.around(List.of(shared), List.of(), host.home(), List.of(), variables);

        assertThat(entries).extracting(GitConfig.Entry::name).containsExactly("init.templatedir", "core.fsmonitor",
                "alias.x", "core.bare", "core.hookspath", "include.path");
        assertThat(lexicals(nowhere)).contains(shared.resolve("templates"), shared.resolve("hooks"),
                shared.resolve("inc"), shared.resolve("fsmon.sh"), shared.resolve("old.sh"));
        assertThat(nowhere).anySatisfy(t -> assertThat(t.why()).contains("GIT_CONFIG_KEY_0").contains("environment"));
        // control: without the variables nothing there is named
        assertThat(GitConfig.around(List.of(shared), List.of(), host.home(), List.of(), java.util.Map.of())).isEmpty();

        Path repo = Files.createDirectories(host.work().resolve("repo"));
        Path git = Files.createDirectories(repo.resolve(".git"));
        for (java.util.Map<String, String> bad : List.of(java.util.Map.of("GIT_CONFIG_COUNT", "x"),
                java.util.Map.of("GIT_CONFIG_COUNT", "1", "GIT_CONFIG_KEY_0", "core.fsmonitor"),
                java.util.Map.of("GIT_CONFIG_PARAMETERS", "'core.fsmonitor"))) {
            assertThatThrownBy(() -> GitConfig.environment(bad)).as(bad.toString())
                    .isInstanceOf(GitConfig.Unparseable.class);
            assertThat(GitConfig.around(List.of(repo), List.of(), host.home(), List.of(), bad))
                    .anySatisfy(t -> assertThat(t.lexical()).isEqualTo(repo)).allSatisfy(t -> assertThat(t.stable())
                            .isFalse());
        }
    }

    /**
     * Round 20, F8: the symbolic links on the way to the git directory a {@code .git} file names,
     * and to the common directory a worktree's {@code commondir} names, are named themselves
     * (unstable: a link cannot be kept read-only); a {@code gitdir:} that leads nowhere is named
     * where it would be (a command could create it).
     */
    @Test
    void theLinksOnTheWayToAGitDirectoryAreNamed() throws Exception {
        Path r = host.work();
        Path store = Files.createDirectories(r.resolve("store/real.git"));
        Files.createDirectories(r.resolve("other"));
        Path first = Files.createSymbolicLink(r.resolve("l1"), Path.of("other/../l2"));
        Path second = Files.createSymbolicLink(r.resolve("l2"), Path.of("store"));
        Path work = Files.createDirectories(r.resolve("work"));
        Files.writeString(work.resolve(".git"), "gitdir: ../l1/real.git\n");
        Path common = Files.createDirectories(r.resolve("main.git"));
        Path commonLink = Files.createSymbolicLink(r.resolve("cl"), Path.of("main.git"));
        Files.writeString(store.resolve("commondir"), "../../cl\n");
        Path dangling = Files.createDirectories(r.resolve("dangling"));
        Files.writeString(dangling.resolve(".git"), "gitdir: ../nowhere/x.git\n");

        List<GitConfig.Target> targets = GitConfig.around(List.of(r), List.of(), host.home(), List.of());
        List<GitConfig.Target> viaFile = GitConfig.around(List.of(work), List.of(), host.home(), List.of());
        List<GitConfig.Target> viaDangling = GitConfig.around(List.of(dangling), List.of(), host.home(), List.of());

        assertThat(targets).isEmpty(); // no .git around r itself
        assertThat(viaFile).filteredOn(t -> t.why().startsWith("the symbolic link"))
                .extracting(GitConfig.Target::lexical).containsExactlyInAnyOrder(first, second, commonLink);
        assertThat(viaFile).filteredOn(t -> t.why().startsWith("the symbolic link")).allSatisfy(t -> {
            assertThat(t.stable()).isFalse();
            assertThat(t.container()).isFalse();
        });
        // l1's target walks back out of other: a command that writes r could swap other for a link, so r is named by
        // itself (not whole: a write path inside r, other or work, cannot replace other)
        assertThat(viaFile).filteredOn(t -> t.why().contains("walks back out of"))
                .singleElement().satisfies(t -> {
                    assertThat(t.lexical()).isEqualTo(r);
                    assertThat(t.container()).isFalse();
                    assertThat(t.why()).contains(r.resolve("other").toString());
                });
        assertThat(lexicals(viaFile)).contains(store.toRealPath(), common.toRealPath()); // the git directories too
        assertThat(viaDangling).anySatisfy(t -> {
            assertThat(t.lexical()).isEqualTo(r.resolve("nowhere/x.git"));
            assertThat(t.stable()).isFalse();
        });
        // a submodule's gitdir that is gone, inside the enclosing repository's .git: metadata already
        Path module = Files.createDirectories(r.resolve("sup/mod"));
        Files.createDirectories(r.resolve("sup/.git/modules"));
        Files.writeString(module.resolve(".git"), "gitdir: ../.git/modules/mod\n");
        assertThat(GitConfig.around(List.of(module), List.of(), host.home(), List.of()))
                .noneSatisfy(t -> assertThat(t.why()).contains("does not exist"));
        // control: a plain gitdir: names no link
        Files.writeString(work.resolve(".git"), "gitdir: ../store/real.git\n");
        Files.writeString(store.resolve("commondir"), "../../main.git\n");
        assertThat(GitConfig.around(List.of(work), List.of(), host.home(), List.of()))
                .noneSatisfy(t -> assertThat(t.why()).contains("on the way to"));
    }

    /**
     * Red team, round 30, F4: a relative {@code init.templateDir} in the global config is taken where
     * {@code git init}/{@code git clone} runs — outside a repository, the plan's working directory
     * (the planner passes it as {@code $PWD}); it was named against the home only, and a template's
     * planted {@code post-checkout} ran at the next clone.
     */
    @Test
    void aRelativeTemplateDirIsNamedWhereGitRuns() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("p30"));
        Files.writeString(host.home().resolve(".gitconfig"), "[init]\n\ttemplateDir = tmpl\n");
        List<GitConfig.Target> targets = GitConfig.around(List.of(project), List.of(), host.home(),
                List.of(host.home().resolve(".gitconfig")), java.util.Map.of("PWD", project.toString()));
        assertThat(lexicals(targets)).contains(project.resolve("tmpl"), host.home().resolve("tmpl"));
    }

    /**
     * A global config read outside a repository: git runs an alias where it is started, so a relative
     * script or a directory whose files run is named in the plan's working directory ({@code $PWD})
     * — not in the whole home (every project would be read-only).
     */
    @Test
    void aGlobalAliasOutsideARepositoryRunsWhereGitIsStarted() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("p31"));
        Files.writeString(host.home().resolve(".gitconfig"), "[alias]\n\ta = !sh x.sh\n\tb = !python3 -m tool\n");
        List<GitConfig.Target> targets = GitConfig.around(List.of(project), List.of(), host.home(),
                List.of(host.home().resolve(".gitconfig")), GitConfig.runningIn(java.util.Map.of(), project));
        assertThat(targets).anySatisfy(t -> assertThat(t.lexical()).isEqualTo(project.resolve("x.sh")))
                .anySatisfy(t -> assertThat(t.lexical()).isEqualTo(project))
                .noneSatisfy(t -> assertThat(t.lexical()).isEqualTo(host.home()));
    }

    /** Red team, round 33, F1: the directories a '..' walks back out of, which a command could swap for links. */
    @Test
    void aDotDotWalksBackOutOfDirectoriesThatAreNamed() {
        assertThat(GitConfig.walkedBack(Path.of("/c/venv/bin/../../tools/cred.sh")))
                .containsExactly(Path.of("/c/venv/bin"), Path.of("/c/venv"));
        assertThat(GitConfig.walkedBack(Path.of("/r/w/l/../../x.sh"))).containsExactly(Path.of("/r/w/l"), Path.of("/r/w"));
        assertThat(GitConfig.walkedBack(Path.of("/r/./w/x.sh"))).isEmpty(); // the control: no '..'
        assertThat(GitConfig.walkedBack(Path.of("/../x"))).isEmpty(); // a '..' at the root cancels nothing
    }

    /** False positives found checking real configurations: URIs and ARNs are no paths a program runs. */
    @Test
    void urisAndArnsAreNoPaths() {
        for (String word : List.of("https://github.com/org/repo", "file://~/.ssh/id.pub", "op://Private/aws/creds",
                "arn:aws:iam::123456789012:role/Dev")) {
            assertThat(GitConfig.URI_OR_ARN.matcher(word).lookingAt()).as(word).isTrue();
        }
        for (String word : List.of("./run.sh", "tools/cred.sh", "/opt/x", "~/bin/x")) {
            assertThat(GitConfig.URI_OR_ARN.matcher(word).lookingAt()).as(word).isFalse();
        }
    }

    /**
     * False positives found checking real configurations (session of 2026-12-03): a plain alias's revision range,
     * reflog entry or refspec was named as a path in the working directory, which made it read-only.
     */
    @Test
    void aPlainAliasesRevisionsAndRefspecsAreNoPaths() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("fp"));
        Path global = host.home().resolve(".gitconfig");
        Files.writeString(global, "[alias]\n\tlg = log --oneline origin/main..HEAD\n\tahead = log @{u}..origin/main\n"
                + "\tdf = diff origin/main...\n\tre = log -g origin/x@{1}\n\tfr = fetch origin +refs/heads/*:refs/remotes/origin/*\n"
                + "\tgp = push origin HEAD:refs/for/main\n\tind = !git log | sed -e 's/^/  /'\n"
                + "\tl2 = !git branch -r | awk -F/ '{print $2\"/\"$3}'\n");
        List<GitConfig.Target> targets = aroundProject(project, List.of(global));
        assertThat(targets).noneMatch(t -> t.lexical().startsWith(project) || t.lexical().equals(Path.of("/")) && t.container());

        // red team, round 36, F5: push's, fetch's and pull's first operand is the repository (a local path whose
        // hooks run), never a refspec
        assertThat(GitConfig.gitRevision("refs/heads/main:refs/heads/main",
                List.of("push", "refs/heads/main:refs/heads/main"), 1)).isFalse();
        assertThat(GitConfig.gitRevision("a/b..c", List.of("fetch", "-q", "a/b..c"), 2)).isFalse();
        assertThat(GitConfig.gitRevision("refs/heads/main:refs/heads/main",
                List.of("push", "origin", "refs/heads/main:refs/heads/main"), 2)).isTrue();
        // round 37, F4: an option first may take the repository's place ('-o ci.skip X': X is the repository)
        assertThat(GitConfig.gitRevision("refs/heads/main:refs/heads/main",
                List.of("push", "-o", "ci.skip", "refs/heads/main:refs/heads/main", "HEAD:refs/heads/main"), 3)).isFalse();

        // the controls: the value of an option that runs a command, an alias that runs an argument, a shell alias,
        // a path that walks back, a refspec-like word outside fetch and push
        Files.writeString(global, "[alias]\n\trb = rebase -x tools/a..b origin/main\n\tbs = bisect run tools/t..x\n"
                + "\tsh = !tools/s..h\n\tup = log ../x\n\tco = checkout tools/c:d\n");
        targets = aroundProject(project, List.of(global));
        assertThat(lexicals(targets)).contains(project.resolve("tools/a..b"), project.resolve("tools/t..x"),
                project.resolve("tools/s..h"), project, project.resolve("tools/c:d"));
    }

    /**
     * Red team, round 39, F8: {@code push mirror HEAD} where no remote {@code mirror} is configured pushes to the
     * directory {@code mirror}, a bare repository a command planted, whose hooks git runs on the host. Such a name is
     * named whole where git runs, in a repository; a configured remote's name is not, nor anything outside one.
     */
    @Test
    void aRepositoryThatIsNoConfiguredRemoteIsADirectoryOfCode() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("r39"));
        Files.createDirectories(project.resolve(".git"));
        Files.writeString(project.resolve(".git/config"), "[remote \"origin\"]\n\turl = https://example.invalid/r\n");
        Path global = host.home().resolve(".gitconfig");
        Files.writeString(global, "[alias]\n\tpm = push mirror HEAD\n\tpo = push -u origin HEAD\n"
                + "\tfm = !git fetch --depth 1 mirror2 main\n\tpr = push --repo mirror3\n\tpl = pull -o x origin main\n");
        List<GitConfig.Target> targets = aroundProject(project, List.of(global));
        assertThat(targets).filteredOn(t -> t.why().contains("no remote")).extracting(GitConfig.Target::lexical)
                .containsOnly(project.resolve("mirror"), project.resolve("mirror2"), project.resolve("mirror3"),
                        project.resolve("mirror.git"), project.resolve("mirror2.git"), project.resolve("mirror3.git"));
        assertThat(targets).filteredOn(t -> t.why().contains("no remote")).allMatch(GitConfig.Target::container);

        // the controls: a configured remote of that name; outside a repository (git pushes nowhere there)
        Files.writeString(project.resolve(".git/config"), "[remote \"origin\"]\n\turl = https://example.invalid/r\n"
                + "[remote \"mirror\"]\n\turl = https://example.invalid/m\n[remote \"mirror2\"]\n\turl = x\n"
                + "[remote \"mirror3\"]\n\turl = y\n");
        targets = aroundProject(project, List.of(global));
        assertThat(targets).noneMatch(t -> t.why().contains("no remote"));
        Path outside = Files.createDirectories(host.work().resolve("n39"));
        targets = GitConfig.around(List.of(outside), List.of(), host.home(), List.of(global),
                GitConfig.runningIn(java.util.Map.of(), outside));
        assertThat(targets).noneMatch(t -> t.why().contains("no remote"));
    }

    /**
     * Red team, round 46, F6: git-lfs, which git runs as its {@code filter.lfs} process, runs a custom transfer agent's
     * program ({@code lfs.customtransfer.NAME.path}) and an extension's {@code clean} and {@code smudge} commands; git
     * instaweb loads httpd modules from {@code instaweb.modulePath}. Control: an lfs key that names no program.
     */
    @Test
    void gitLfsProgramsAndInstawebModulesAreNamed() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("lfs"));
        Files.createDirectories(project.resolve(".git"));
        Path tools = host.work().resolve("tools");
        Path global = host.home().resolve(".gitconfig");
        Files.writeString(global, "[lfs \"customtransfer.lfs-folder\"]\n\tpath = " + tools.resolve("agent") + "\n"
                + "\targs = --verbose\n[lfs \"extension.foo\"]\n\tclean = " + tools.resolve("ext") + " clean %f\n"
                + "\tsmudge = " + tools.resolve("ext2") + " smudge %f\n[instaweb]\n\tmodulePath = " + tools.resolve("mods")
                + "\n[lfs]\n\turl = " + tools.resolve("not-a-program") + "\n");

        List<Path> named = lexicals(aroundProject(project, List.of(global)));

        assertThat(named).contains(tools.resolve("agent"), tools.resolve("ext"), tools.resolve("ext2"), tools.resolve("mods"))
                .doesNotContain(tools.resolve("not-a-program"));
    }

    /**
     * Review of 2026-12-04: a {@code .git} linked to a git directory elsewhere is that repository for git, whose
     * remotes decide what {@code push mirror} means. The walk that found the remotes passed the link over and found
     * no repository, so {@code ./mirror} was not named. Controls: the same repository with a {@code mirror} remote; a
     * dangling link, which git passes over too (no repository).
     */
    @Test
    void theRemotesOfARepositoryWhoseGitIsALinkAreItsGitDirectorysRemotes() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("linked-git"));
        Path gitDirectory = Files.createDirectories(host.work().resolve("linked-git.d"));
        Files.writeString(gitDirectory.resolve("HEAD"), "ref: refs/heads/main\n");
        Files.createDirectories(gitDirectory.resolve("objects"));
        Files.createDirectories(gitDirectory.resolve("refs"));
        Files.writeString(gitDirectory.resolve("config"), "[remote \"origin\"]\n\turl = https://example.invalid/r\n");
        Files.createSymbolicLink(project.resolve(".git"), gitDirectory);
        Path global = host.home().resolve(".gitconfig");
        Files.writeString(global, "[alias]\n\tpm = push mirror HEAD\n");

        assertThat(aroundProject(project, List.of(global))).filteredOn(t -> t.why().contains("no remote"))
                .extracting(GitConfig.Target::lexical).contains(project.resolve("mirror"));

        Files.writeString(gitDirectory.resolve("config"), "[remote \"mirror\"]\n\turl = https://example.invalid/m\n");
        assertThat(aroundProject(project, List.of(global))).noneMatch(t -> t.why().contains("no remote"));
        Files.delete(project.resolve(".git"));
        Files.createSymbolicLink(project.resolve(".git"), host.work().resolve("linked-git.missing"));
        assertThat(GitMetadata.repositoryAround(project)).isEmpty();
    }

    /**
     * Red team, round 39: a remote that is a directory here — a global {@code remote.*.url} or {@code pushurl} path or
     * {@code file://localhost} URL (F12), an {@code insteadOf} base, a {@code file://} word in an alias (F11) — is named
     * whole: a bare repository a command creates there runs its hooks on the host's push. And a plain alias is read as
     * the git command it is ({@code -c core.hooksPath=h commit}), {@code grep -O<pager>} as a command (F14).
     */
    @Test
    void localRemotesAndPlainAliasOptionsAreNamed() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("l39"));
        Path global = host.home().resolve(".gitconfig");
        Files.writeString(global, "[remote \"bk\"]\n\turl = " + project.resolve("bk.git") + "\n"
                + "[remote \"bk2\"]\n\tpushurl = file://localhost" + project.resolve("bk2.git") + "\n"
                + "[url \"" + project.resolve("base") + "/\"]\n\tinsteadOf = local:\n"
                + "[alias]\n\tpf = push file://" + project.resolve("bk3.git") + " HEAD\n\tci = -c core.hooksPath=h commit\n"
                + "\tz = grep -O./open.sh TODO\n\ttodo = !git grep -O./open2.sh TODO\n");
        List<GitConfig.Target> targets = aroundProject(project, List.of(global));
        assertThat(targets).filteredOn(t -> t.why().contains("a repository on this machine"))
                .extracting(GitConfig.Target::lexical).containsOnly(project.resolve("bk.git"), project.resolve("bk2.git"),
                        project.resolve("base"), project.resolve("base.git"), project.resolve("bk3.git"));
        assertThat(lexicals(targets)).contains(project.resolve("h"), project.resolve("open.sh"), project.resolve("open2.sh"));

        // the controls: remotes elsewhere (another scheme, scp-like, another host), and the same alias words without
        // the options
        Files.writeString(global, "[remote \"o\"]\n\turl = https://example.invalid/r\n[remote \"g\"]\n\turl ="
                + " git@example.invalid:o/r.git\n[remote \"s\"]\n\turl = ssh://example.invalid/x\n[remote \"f\"]\n\turl ="
                + " file://example.invalid/x\n[alias]\n\tci = commit -m h\n\tz = grep TODO\n");
        targets = aroundProject(project, List.of(global));
        assertThat(targets).noneMatch(t -> t.lexical().startsWith(project));
    }

    /**
     * Red team, round RT15, F4: git's trust stores for ssh signatures, {@code gpg.ssh.allowedSignersFile} and
     * {@code gpg.ssh.revocationFile}, in the global config and the repository's (a relative one where git runs), and in a
     * {@code git -c} of a command string (relative: unknown). Control: the same paths under keys that name no file git
     * trusts ({@code gpg.format}, {@code user.email}) are not named.
     */
    @Test
    void gitsSshSignatureTrustFilesAreNamed() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("sig"));
        Files.createDirectories(project.resolve(".git"));
        Path global = host.home().resolve(".gitconfig");
        Path signers = host.work().resolve("trust/allowed_signers");
        Files.writeString(global, "[gpg \"ssh\"]\n\tallowedSignersFile = " + signers + "\n\trevocationFile = revoked\n");
        Files.writeString(project.resolve(".git/config"), "[gpg \"ssh\"]\n\tallowedsignersfile = ../repo-signers\n");
        List<GitConfig.Target> targets = aroundProject(project, List.of(global));
        assertThat(lexicals(targets)).contains(signers, project.resolve("revoked"), host.work().resolve("repo-signers"));
        assertThat(targets).filteredOn(t -> t.lexical().equals(signers)).allSatisfy(t -> {
            assertThat(t.container()).isFalse();
            assertThat(t.why()).containsIgnoringCase("allowedSignersFile");
        });
        assertThat(GitConfig.isFileKey("gpg.ssh.allowedsignersfile")).isTrue();
        assertThat(GitConfig.isFileKey("gpg.ssh.revocationfile")).isTrue();
        // control: the same paths under keys that name nothing git trusts
        Files.writeString(global, "[gpg]\n\tformat = ssh\n[user]\n\temail = " + signers + "\n[gpg \"ssh\"]\n\tprogram = ssh-keygen\n");
        Files.writeString(project.resolve(".git/config"), "[core]\n\tbare = false\n");
        assertThat(lexicals(aroundProject(project, List.of(global)))).doesNotContain(signers, project.resolve("revoked"),
                host.work().resolve("repo-signers"));
        assertThat(GitConfig.isFileKey("gpg.ssh.defaultkeycommand")).isFalse();
    }

    /** Round 39, N2: a relative CA bundle or cookie file in the global config is opened where git runs. */
    @Test
    void aRelativeFileKeyOfTheGlobalConfigIsNamedWhereGitRuns() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("n2"));
        Path global = host.home().resolve(".gitconfig");
        Files.writeString(global, "[http]\n\tsslCAInfo = ca.pem\n\tcookieFile = jar\n");
        List<GitConfig.Target> targets = aroundProject(project, List.of(global));
        assertThat(lexicals(targets)).contains(project.resolve("ca.pem"), project.resolve("jar"),
                host.home().resolve("ca.pem"));
    }

    /**
     * Red team, round 40, F2: a branch's remote, push remote and the default push remote may be a repository's path
     * ({@code git push -u ../backup.git main} writes it): named whole where git runs; a remote's name and {@code .}
     * (a branch that tracks a local one) are not.
     */
    @Test
    void aBranchesRemoteThatIsAPathIsNamed() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("b40"));
        Files.createDirectories(project.resolve(".git"));
        Files.writeString(project.resolve(".git/config"), "[remote \"origin\"]\n\turl = https://example.invalid/r\n"
                + "[branch \"main\"]\n\tremote = ../backup.git\n\tpushRemote = ./b.git\n[branch \"dev\"]\n\tremote = origin\n"
                + "[branch \"topic\"]\n\tremote = .\n[remote]\n\tpushDefault = file:///srv/pd.git\n");
        Path global = host.home().resolve(".gitconfig");
        Files.writeString(global, "");
        List<GitConfig.Target> targets = aroundProject(project, List.of(global));
        assertThat(targets).filteredOn(t -> t.why().contains("a repository on this machine"))
                .extracting(GitConfig.Target::lexical).containsOnly(host.work().resolve("backup.git"),
                        project.resolve("b.git"), Path.of("/srv/pd.git"));
    }

    /**
     * Red team, round 40, F4: an include, the hooks directory or a command the global config names through a
     * dangling link ({@code ~/.githooks -> /w/hooks}, absent): where the link leads is named, since the command could
     * create it there; before, the link itself was.
     */
    @Test
    void whereADanglingLinkLeadsIsNamed() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("d40"));
        Path links = Files.createDirectories(host.work().resolve("links40"));
        Files.createSymbolicLink(links.resolve("inc"), project.resolve("inc.cfg"));
        Files.createSymbolicLink(host.home().resolve(".githooks"), project.resolve("hooks"));
        Files.createDirectories(host.home().resolve("bin"));
        Files.createSymbolicLink(host.home().resolve("bin/tool"), project.resolve("tool.sh"));
        Path global = host.home().resolve(".gitconfig");
        Files.writeString(global, "[include]\n\tpath = " + links.resolve("inc") + "\n[core]\n\thooksPath = ~/.githooks\n"
                + "[alias]\n\tx = !~/bin/tool\n");
        List<GitConfig.Target> targets = aroundProject(project, List.of(global));
        assertThat(targets).extracting(GitConfig.Target::real).contains(project.resolve("inc.cfg"),
                project.resolve("hooks"), project.resolve("tool.sh"));
    }

    /**
     * Red team, round 40: git decodes {@code %XX} in a {@code file://} URL (F9), and the global config itself may be
     * reached through a link that dangles ({@code ~/.config/git -> /w/gitdir}, F4): both are named where git opens
     * them.
     */
    @Test
    void percentEncodedRemotesAndDanglingConfigDirectoriesAreNamed() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("sp 40"));
        Files.createDirectories(host.home().resolve(".config"));
        Files.createSymbolicLink(host.home().resolve(".config/git"), project.resolve("gitdir"));
        Path global = host.home().resolve(".gitconfig");
        Files.writeString(global, "[remote \"bk\"]\n\turl = file://" + host.work() + "/sp%2040/b.git\n"
                + "[remote \"bk2\"]\n\turl = file://" + project + "%2fc.git\n");
        List<GitConfig.Target> targets = GitConfig.around(List.of(project), List.of(), host.home(),
                GitConfig.globalFiles(java.util.Map.of(), host.home(), project),
                GitConfig.runningIn(java.util.Map.of(), project));
        assertThat(targets).extracting(GitConfig.Target::real).contains(project.resolve("b.git"),
                project.resolve("c.git"), project.resolve("gitdir/config"));
        assertThat(GitConfig.percentDecoded("a%20b%2Fc%zz+d")).isEqualTo("a b/c%zz+d");
    }

    /**
     * Red team, round 41: a remote with a section but no URL ({@code [remote "origin"] prune = true}) has its name as
     * its URL, a directory where git runs (F1); a plain alias hands a shell alias a pattern it expands (F3); a plain
     * alias's {@code -c http.sslCAInfo=ca.pem} is a CA trusted where git runs (F5).
     */
    @Test
    void remotesWithoutAUrlAndPatternsHandedToShellAliasesAreNamed() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("r41"));
        Files.createDirectories(project.resolve(".git"));
        Files.writeString(project.resolve(".git/config"), "[core]\n\tbare = false\n");
        Path global = host.home().resolve(".gitconfig");
        Files.writeString(global, "[remote \"origin\"]\n\tprune = true\n[alias]\n\tpo = push origin main\n"
                + "\tt = \"!f() { tar czf b.tgz $@; }; f\"\n\tbk = t *\n\tca = -c http.sslCAInfo=ca.pem push\n");
        List<GitConfig.Target> targets = aroundProject(project, List.of(global));
        assertThat(lexicals(targets)).contains(project.resolve("origin"), project.resolve("origin.git"));
        assertThat(targets).anyMatch(t -> t.why().contains("alias.bk") && t.lexical().equals(Path.of("/")));
        assertThat(targets).anyMatch(t -> t.why().contains("alias.ca") && t.lexical().equals(Path.of("/")));
    }

    /**
     * Red team, round 42: a plain alias's pattern reaches a shell alias through another plain alias or from another
     * config file (F1-F3): any pattern in a plain alias that is no refspec fails closed; a remote without a URL is
     * named where git runs even when nothing in a config pushes to it (F4: the user's own 'git push origin').
     */
    @Test
    void patternsInPlainAliasesAndUrllessRemotesAreNamed() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("r42"));
        Files.createDirectories(project.resolve(".git"));
        Files.writeString(project.resolve(".git/config"), "[alias]\n\tt = \"!f() { tar czf b.tgz $@; }; f\"\n");
        Path global = host.home().resolve(".gitconfig");
        Files.writeString(global, "[remote \"origin\"]\n\tprune = true\n[alias]\n\tbk = u *\n\tu = t\n"
                + "\tfr = fetch origin +refs/heads/*:refs/remotes/origin/*\n");
        List<GitConfig.Target> targets = aroundProject(project, List.of(global));
        assertThat(targets).anyMatch(t -> t.why().contains("alias.bk") && t.lexical().equals(Path.of("/")));
        assertThat(targets).noneMatch(t -> t.why().contains("alias.fr") && t.lexical().equals(Path.of("/")));
        assertThat(lexicals(targets)).contains(project.resolve("origin"), project.resolve("origin.git"));
    }

    /**
     * Red team, round 44, F1: a remote URL with {@code ~user/}, which git expands as it does {@code ~/}: taken as a
     * relative path, {@code ~root/../<project>/bk.git} named a directory under the working tree's {@code ~root}, and
     * the repository git pushed to stayed writable.
     */
    @Test
    void aRemoteUrlWithAUsersHomeIsNamedWhereGitReachesIt() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("r44"));
        Files.createDirectories(project.resolve(".git"));
        Files.writeString(project.resolve(".git/config"), "[remote \"origin\"]\n\turl = ~root/.." + project
                + "/bk.git\n");
        List<GitConfig.Target> targets = aroundProject(project, List.of());
        assertThat(lexicals(targets)).as("root's home is /root in /etc/passwd").contains(project.resolve("bk.git"));

        // a user /etc/passwd does not list: git cannot reach it either, and nothing is known: fail closed
        Files.writeString(project.resolve(".git/config"), "[remote \"origin\"]\n\turl = ~no-such-user-r44/bk.git\n");
        assertThat(lexicals(aroundProject(project, List.of()))).contains(Path.of("/"));
    }

    /**
     * Red team, round 43: a revision range or refspec with a pattern is git's only where git's own subcommand takes it
     * (F3: 'bk = t *..*' with a shell alias t); a plain alias that adds a remote or gives one a URL names the
     * repository it reaches (F1, F8).
     */
    @Test
    void patternsHandedToShellAliasesAsRangesAndRemotesPlainAliasesSetAreNamed() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("r43"));
        Files.createDirectories(project.resolve(".git"));
        Files.writeString(project.resolve(".git/config"), "[core]\n\tbare = false\n");
        Path global = host.home().resolve(".gitconfig");
        Files.writeString(global, "[alias]\n\tt = \"!f() { tar cf snap.tar $@; }; f\"\n\tbk = t *..*\n"
                + "\tbp = t push origin *:*\n\tra = remote add bk backup.git\n"
                + "\tpl = -c remote.origin.pushurl=pushed.git push --all origin\n"
                + "\tlg = log origin/main..HEAD\n\tfr = fetch origin +refs/heads/*:refs/remotes/origin/*\n"
                + "\tps = push --signed signed.git --all\n"); // round 44, F3: --signed's value is only glued
        List<GitConfig.Target> targets = aroundProject(project, List.of(global));
        assertThat(targets).anyMatch(t -> t.why().contains("alias.bk") && t.lexical().equals(Path.of("/")));
        assertThat(targets).anyMatch(t -> t.why().contains("alias.bp") && t.lexical().equals(Path.of("/")));
        assertThat(targets).noneMatch(t -> (t.why().contains("alias.lg") || t.why().contains("alias.fr"))
                && t.lexical().equals(Path.of("/")));
        assertThat(lexicals(targets)).contains(project.resolve("backup.git"), project.resolve("pushed.git"),
                project.resolve("signed.git"));
    }

    /**
     * Red team, round 44, F11: a revision in a shell alias's git command ({@code !git fetch && git rebase origin/main})
     * was named as a path that runs where git runs, so every repository was kept read-only; a revision is named no
     * more, and the same word anywhere else (run, or another program's) still is.
     */
    @Test
    void revisionsInAShellAliasesGitCommandsAreNoPaths() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("r44f11"));
        Files.createDirectories(project.resolve(".git"));
        Files.writeString(project.resolve(".git/config"), "[core]\n\tbare = false\n");
        Path global = host.home().resolve(".gitconfig");
        Files.writeString(global, "[alias]\n\tup = !git fetch && git rebase origin/main\n"
                + "\tahead = !git log --oneline origin/main..HEAD | wc -l\n\tco = !git checkout -b x refs/heads/y\n"
                + "\trun = !git log origin/tool && origin/tool\n\tex = !git rebase -x bin/check main\n"
                + "\tsh = !git show HEAD && sh tools/t.sh\n\tsp = \"!git stash push wip; git push wip\"\n"
                + "\tev = !env git push -q bk2 HEAD\n");
        List<GitConfig.Target> targets = aroundProject(project, List.of(global));
        List<Path> named = lexicals(targets);
        assertThat(named).noneMatch(p -> p.startsWith(project.resolve("origin/main")) || p.startsWith(project.resolve("refs"))
                || p.startsWith(project.resolve("rebase"))); // nor a later command's word as fetch's repository
        // the controls: run as a command, the value of -x, a script, a word elsewhere
        assertThat(named).contains(project.resolve("origin/tool"), project.resolve("bin/check"), project.resolve("tools/t.sh"),
                project.resolve("wip"), project.resolve("bk2"));
        assertThat(named).doesNotContain(project.resolve("HEAD")); // push -q: a flag, so HEAD is a refspec
    }

    /**
     * Red team, round 45: a {@code file://} URL with any host is a path here, as git takes it (F1: {@code file://nas/…});
     * push's {@code --recurse-submodules check} hid the repository after it (L1); {@code git -C DIR} in an alias names
     * DIR's repository, also one missing at plan time (F7); {@code .gitmodules} itself is kept, so that no command can
     * empty it and make an uninitialised submodule its own (F15).
     */
    @Test
    void round45RepositoriesAndSubmodulesAreNamed() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("r45"));
        Files.createDirectories(project.resolve(".git"));
        Files.writeString(project.resolve(".git/config"), "[remote \"backup\"]\n\turl = file://nas" + project
                + "/backups/proj.git\n[alias]\n\tbk = push -q file://nas" + project + "/b2.git HEAD\n"
                + "\trs = push --recurse-submodules check rs.git HEAD\n\tdeploy = !git -C public commit -q -m x\n");
        Files.writeString(project.resolve(".gitmodules"), "[submodule \"lib\"]\n\tpath = lib\n\turl = ../lib.git\n");
        List<GitConfig.Target> targets = aroundProject(project, List.of());
        assertThat(lexicals(targets)).contains(project.resolve("backups/proj.git"), project.resolve("b2.git"),
                project.resolve("rs.git"), project.resolve("public"), project.resolve(".gitmodules"), project.resolve("lib"));
        assertThat(GitConfig.localRepository("file://nas/srv/bk.git", project, host.home())).contains(Path.of("/srv/bk.git"));
        assertThat(GitConfig.localRepository("file://localhost/srv/bk.git", project, host.home()))
                .contains(Path.of("/srv/bk.git"));
        assertThat(GitConfig.localRepository("https://nas/srv/bk.git", project, host.home())).isEmpty(); // the control

        // round 45k, F6: a path under git's installation prefix leads where this cannot know: the tree fails closed
        Files.writeString(project.resolve(".git/config"), "[include]\n\tpath = %(prefix)/../w/inc\n");
        assertThat(aroundProject(project, List.of())).anyMatch(t -> t.container() && t.lexical().equals(project)
                && t.why().contains("installation prefix"));
    }
}
