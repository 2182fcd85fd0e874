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

        assertThat(targets).extracting(GitConfig.Target::lexical).containsExactlyInAnyOrder(top.resolve("sub/cfg"),
                top.resolve("sub/more"), top.resolve(".githooks"), top.resolve("hook.sh"), top.resolve("bin/ssh"),
                host.home().resolve("cfg"));
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
}
