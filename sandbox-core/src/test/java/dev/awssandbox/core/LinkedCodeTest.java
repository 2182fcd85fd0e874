package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Red team, round 19, F10: a dotfile of $HOME managed by a link ({@code ~/.bashrc ->
 * ~/dotfiles/bashrc}) and a program on PATH that links into a project
 * ({@code /usr/local/bin/tool -> ~/src/tool/tool.sh}) were rewritten by a command run in the
 * directory that holds the target; the next login shell or run of the tool ran its code
 * unsandboxed. The target is kept as aws-sandbox's installation is: read-only inside the writable
 * working directory under bubblewrap (the rest stays writable), the directory read-only under
 * Landlock. Controls: the same write works unsandboxed, and sandboxed when no link leads there.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class LinkedCodeTest {
    @Parameter
    BackendKind backend;

    private TestHost host;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        this.host = host;
    }

    private String append(Sandboxes sandboxes, boolean inside, Path file) {
        String script = "echo '# planted' >> '" + file + "' && echo WROTE; echo other > " + host.work().resolve("other.txt")
                + " && echo OTHER";
        return (inside ? sandboxes.inside("sh", "-c", script) : sandboxes.outside("sh", "-c", script)).stdout().text();
    }

    /**
     * Red team, round 68, F5, F6: a symbolic link among the entries of a directory only the shells' start-up files run
     * from ({@code run-parts}' directory, one they put on PATH, zsh's fpath) leads into the working directory: what it
     * leads to runs at the next login, and had stayed writable. Control: the same link before any start-up file names the
     * directory; and the same write outside the sandbox.
     */
    @Test
    void whatALinkInADirectoryTheStartUpFilesRunFromLeadsToIsNotWritable() throws Exception {
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Path hook = Files.writeString(host.work().resolve("hook"), ": ok\n");
        for (String[] form : new String[][] {{".bashrc", "run-parts ~/login.d\n", "login.d"},
                {".bashrc", "export PATH=\"$HOME/tools/bin:$PATH\"\n", "tools/bin"},
                {".zshrc", "fpath=(~/zfunc $fpath)\nautoload -Uz hook\n", "zfunc"}}) {
            Path link = Files.createSymbolicLink(Files.createDirectories(host.home().resolve(form[2])).resolve("hook"), hook);
            assertThat(append(sandboxes, true, hook)).as("control: no start-up file runs from " + form[2]).contains("WROTE");
            Path startup = Files.writeString(host.home().resolve(form[0]), form[1]);
            assertThat(append(sandboxes, true, hook)).as(form[2]).doesNotContain("WROTE");
            assertThat(append(sandboxes, false, hook)).as("control: outside the sandbox").contains("WROTE");
            Files.delete(startup);
            Files.delete(link);
        }
    }

    /**
     * Outside test RT32 (F1–F4, F8, F9): start-up forms that made a later shell run what the command wrote in the working
     * directory: a {@code #} line after a backslash-newline, which every shell joins to the line before (the reader had
     * taken it for a comment), and its form through an alias whose value ends in a backslash; {@code HOME} set in a
     * start-up file ({@code ~} after it, and zsh reading its other files from the new home); a computed part glued to a
     * component below a directory too broad to keep; files sh sources that were not read (Debian's {@code ~/.Xsession},
     * sensible-editor's {@code ~/.selected_editor}); the interpreter a program in a kept PATH directory starts (F7,
     * bubblewrap: the directory alone had been kept). For each: the same append succeeds before the start-up file names
     * the target, and is refused after; unsandboxed, the real shell runs the target (the form is real).
     */
    @Test
    void startUpFormsOfRoundRt32KeepWhatTheShellRunsFromTheWorkingDirectory() throws Exception {
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        String w = host.work().toString();
        Path marker = host.outside().resolve("rt32-ran");
        // name, start-up file, its text, the target in the working directory, the later shell's command
        List<List<String>> forms = List.of(
                List.of("F1", ".profile", "true foo\\\n#; PATH=" + w + "/bin:$PATH\n", "bin/rt32cmd", "dash", "-l", "-c", "rt32cmd"),
                List.of("F1b", ".profile", "alias x='true foo\\'\nx\n#; PATH=" + w + "/bin:$PATH\n", "bin/rt32cmd",
                        "dash", "-l", "-c", "rt32cmd"),
                List.of("F2", ".profile", "HOME=" + w + "\n. ~/e.sh\n", "e.sh", "dash", "-l", "-c", "true"),
                List.of("F3", ".profile", "X=" + w + "$HOSTTYPE; PATH=$X/bin:$PATH\n", "bin/rt32cmd", "dash", "-l", "-c", "rt32cmd"),
                List.of("F4", ".zshenv", "export HOME=" + w + "\n", ".zshrc", "zsh", "-i", "-c", "true"),
                List.of("F8", ".selected_editor", "SELECTED_EDITOR=" + w + "/bin/rt32cmd\n", "bin/rt32cmd",
                        "sh", "-c", ". ~/.selected_editor; $SELECTED_EDITOR"),
                List.of("F9", ".Xsession", ". " + w + "/session-env.sh\n", "session-env.sh", "sh", host.home() + "/.Xsession"),
                // F7 (bubblewrap): the interpreter a program in a kept PATH directory starts, beside that directory
                List.of("F7", ".profile", "PATH=\"" + w + "/bin:$PATH\"\n", "interp/run", "dash", "-l", "-c", "rt32tool"));
        Path tool = Files.createDirectories(host.work().resolve("bin")).resolve("rt32tool");
        Files.writeString(tool, "#!" + host.work().resolve("interp/run") + "\n");
        assertThat(tool.toFile().setExecutable(true)).isTrue();
        List<String> writable = new ArrayList<>();
        for (List<String> form : forms) {
            Path target = host.work().resolve(form.get(3));
            Files.createDirectories(target.getParent());
            Files.writeString(target, "#!/bin/sh\ntouch " + marker + "\n");
            assertThat(target.toFile().setExecutable(true)).isTrue();
            assertThat(append(sandboxes, true, target)).as(form.get(0) + ": control, no start-up file names it").contains("WROTE");
            Files.writeString(target, "#!/bin/sh\ntouch " + marker + "\n");
            Path startup = Files.writeString(host.home().resolve(form.get(1)), form.get(2));

            if (append(sandboxes, true, target).contains("WROTE")) {
                writable.add(form.get(0));
            }

            ProcessBuilder later = new ProcessBuilder(form.subList(4, form.size())).directory(host.outside().toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            later.environment().put("HOME", host.home().toString());
            later.environment().put("PATH", "/usr/bin:/bin");
            assertThat(later.start().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(marker).as(form.get(0) + ": control, the real shell runs the target").exists();
            Files.delete(marker);
            Files.delete(startup);
            Files.delete(target);
        }
        assertThat(writable).as("forms whose target the sandboxed command could write").isEmpty();
    }

    /**
     * Outside test RT32, F10–F13: a {@code ~} (or a variable) that the later program does not expand names a path where
     * it runs, not the home's: a quoted {@code PATH="~/bin:$PATH"} in a file sh reads is {@code ./~/bin} to dash,
     * {@code PYTHONSTARTUP="~/.pythonrc"} is {@code ./~/.pythonrc} to Python, botocore runs {@code credential_process =
     * ~/bin/cred} as {@code ./~/bin/cred}, and git starts {@code gpg.program = ~/bin/gpgw} without a shell. Each had been
     * read as the home's file, and the working directory left writable. For each: the append succeeds before the config
     * names it and is refused after; unsandboxed, the real program started in the working directory runs the target.
     * (ssh's {@code PKCS11Provider ~/…}, F12, needs a shared library to show; its plan is in {@code NamedFilesReadTest}.)
     */
    @Test
    void aTildeTheLaterProgramDoesNotExpandIsAPathWhereItRuns() throws Exception {
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Path marker = host.outside().resolve("rt32-tilde-ran");
        String shell = "#!/bin/sh\ntouch " + marker + "\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDX\", \"SecretAccessKey\": \"x\"}'\n";
        // name, config (in the home), its text, the target in the working directory, its text, the later program
        List<List<String>> forms = new ArrayList<>(List.of(
                List.of("F10 PATH", ".profile", "PATH=\"~/bin:$PATH\"\n", "~/bin/rt32cmd", shell, "dash", "-l", "-c", "rt32cmd"),
                List.of("F10 PYTHONSTARTUP", ".profile", "export PYTHONSTARTUP=\"~/.pythonrc\"\n", "~/.pythonrc",
                        "open('" + marker + "', 'w').close()\n", "dash", "-l", "-c", "python3 -i < /dev/null"),
                List.of("F11", ".aws/config", "[default]\ncredential_process = ~/bin/cred\nmax_attempts = 1\n", "~/bin/cred", shell,
                        Requirements.hostProgram("aws"), "sts", "get-caller-identity", "--region", "us-east-1",
                        "--endpoint-url", "http://127.0.0.1:9", "--cli-connect-timeout", "1")));
        if (backend == BackendKind.BUBBLEWRAP) {
            // under Landlock a repository's working directory is read-only whole (.git in it): no control there
            forms.add(List.of("F13", ".gitconfig", "[gpg]\n\tprogram = ~/bin/gpgw\n[commit]\n\tgpgSign = true\n[user]\n"
                    + "\tname = a\n\temail = a@b\n", "~/bin/gpgw", shell, "git", "commit", "-q", "--allow-empty", "-m", "x"));
            assertThat(new ProcessBuilder("git", "init", "-q", host.work().toString()).start().waitFor()).isZero();
        }
        assertThat(writableForms(sandboxes, marker, forms)).as("forms whose target the sandboxed command could write")
                .isEmpty();
    }

    /**
     * Outside test RT34 (a re-attack of RT32's fixes): {@code HOME} and {@code ZDOTDIR} set by a builtin ({@code printf
     * -v}, a nameref, zsh's {@code ${ZDOTDIR::=…}}) fail closed (F1, F2); a home the shell does not expand where an
     * assignment writes it, in any variable (F3: {@code PYTHONPATH="~/lib"}; F9: {@code PATH=\~/bin}, {@code T="~"},
     * {@code PATH='$HOME/bin'}, zsh's {@code path=('~/bin' $path)}); an alias built in two steps through
     * {@code BASH_ALIASES[x]+=} (F5); openbox's {@code environment} (F7); a hook's {@code #!} interpreter in the working
     * tree (F6, bubblewrap). Each: writable before the config names it, refused after; the real program runs it.
     */
    @Test
    void startUpFormsOfRoundRt34KeepWhatTheLaterProgramRuns() throws Exception {
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Path marker = host.outside().resolve("rt34-ran");
        String w = host.work().toString();
        String shell = "#!/bin/sh\ntouch " + marker + "\n";
        String sourced = "touch " + marker + "\n";
        List<List<String>> forms = new ArrayList<>(List.of(
                List.of("F1 printf -v", ".bashrc", "printf -v HOME %s " + w + "\n. ~/e.sh\n", "e.sh", sourced,
                        "bash", "-i", "-c", "true"),
                List.of("F1 nameref", ".bashrc", "declare -n h=HOME\nh=" + w + "\n. ~/e.sh\n", "e.sh", sourced,
                        "bash", "-i", "-c", "true"),
                List.of("F2 ${ZDOTDIR::=}", ".zshenv", ": ${ZDOTDIR::=" + w + "}\n", ".zshrc", sourced, "zsh", "-i", "-c", "true"),
                List.of("F3 PYTHONPATH", ".profile", "export PYTHONPATH=\"~/lib\"\n", "~/lib/rt34mod.py",
                        "open('" + marker + "', 'w').close()\n", "dash", "-l", "-c", "python3 -c 'import rt34mod'"),
                List.of("F9 \\~", ".profile", "PATH=\\~/bin:$PATH\n", "~/bin/rt34cmd", shell, "dash", "-l", "-c", "rt34cmd"),
                List.of("F9 T=\"~\"", ".profile", "T=\"~\"; PATH=$T/bin:$PATH\n", "~/bin/rt34cmd", shell,
                        "dash", "-l", "-c", "rt34cmd"),
                List.of("F9 '$HOME'", ".profile", "PATH='$HOME/bin':$PATH\n", "$HOME/bin/rt34cmd", shell,
                        "dash", "-l", "-c", "rt34cmd"),
                List.of("F9 zsh path", ".zshrc", "path=('~/bin' $path)\n", "~/bin/rt34cmd", shell, "zsh", "-i", "-c", "rt34cmd"),
                List.of("F5 BASH_ALIASES+=", ".bashrc", "BASH_ALIASES[zz]='. " + host.work().getParent() + "'\n"
                        + "BASH_ALIASES[zz]+='/" + host.work().getFileName() + "/e.sh'\nzz\n", "e.sh", sourced,
                        "bash", "-i", "-c", "true"),
                List.of("F7 openbox", ".config/openbox/environment", ". " + w + "/env.sh\n", "env.sh", sourced,
                        "sh", "-c", ". ~/.config/openbox/environment")));
        if (backend == BackendKind.BUBBLEWRAP) { // under Landlock a repository is read-only whole: no control there
            forms.add(hookInterpreterForm("F6 hook's #!", "#!" + host.work().resolve("tools/interp"), shell));
        }
        assertThat(writableForms(sandboxes, marker, forms)).as("forms whose target the sandboxed command could write")
                .isEmpty();
    }

    /**
     * Outside test RT35 (a re-attack of RT34's fixes): a location variable set by a nameref to a function's argument
     * (F3), through a computed name (F4), by {@code getopts} (F5), a zsh tied array (F1); a {@code ~} in a parameter
     * operator's word or a function's {@code local} (F6); a hook's {@code #!/usr/bin/env INTERPRETER} or relative
     * {@code #!tools/interp} (F7, bubblewrap).
     * Each: writable before the config names it, refused after; the real program runs it.
     */
    @Test
    void startUpFormsOfRoundRt35KeepWhatTheLaterProgramRuns() throws Exception {
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Path marker = host.outside().resolve("rt35-ran");
        String w = host.work().toString();
        String shell = "#!/bin/sh\n/usr/bin/touch " + marker + "\n"; // getopts leaves PATH without /usr/bin
        String sourced = "touch " + marker + "\n";
        List<List<String>> forms = new ArrayList<>(List.of(
                List.of("F3 local -n r=$1", ".bashrc", "f() { local -n r=$1; r=" + w + "; }; f HOME\n. ~/e.sh\n", "e.sh",
                        sourced, "bash", "-i", "-c", "true"),
                List.of("F4 declare \"$x=\"", ".bashrc", "x=HOME; declare \"$x=" + w + "\"\n. ~/e.sh\n", "e.sh", sourced,
                        "bash", "-i", "-c", "true"),
                List.of("F5 getopts", ".profile", "getopts p: PATH -p x\n", "p/rt35cmd", shell, "dash", "-l", "-c", "rt35cmd"),
                List.of("F1 typeset -T", ".zshenv", "typeset -T ZDOTDIR zd\nzd=(" + w + ")\n", ".zshrc", sourced,
                        "zsh", "-i", "-c", "true"),
                List.of("F6 ${X:-~}", ".profile", "PATH=\"${X:-~}/bin:$PATH\"\n", "~/bin/rt35cmd", shell,
                        "dash", "-l", "-c", "rt35cmd"),
                List.of("F6 local", ".profile", "f() { local P=\"~/bin\"; PATH=$P:$PATH; }; f\n", "~/bin/rt35cmd", shell,
                        "dash", "-l", "-c", "rt35cmd")));
        if (backend == BackendKind.BUBBLEWRAP) { // under Landlock a repository is read-only whole: no control there
            forms.add(hookInterpreterForm("F7 #!/usr/bin/env", "#!/usr/bin/env " + host.work().resolve("tools/interp"), shell));
            // a relative interpreter, which the kernel resolves where git runs the hook (the working tree's top): the
            // "config" is the repository's own hook, executable with no interpreter before the form gives it one
            Path hook = host.work().resolve(".git/hooks/pre-commit");
            Files.writeString(hook, "#!/bin/sh\nexit 0\n");
            assertThat(hook.toFile().setExecutable(true)).isTrue();
            forms.add(List.of("F7 relative #!", hook.toString(), "#!tools/interp\n", "tools/interp", shell, "git", "-c",
                    "user.name=a", "-c", "user.email=a@b", "commit", "-q", "--allow-empty", "-m", "x"));
        }
        assertThat(writableForms(sandboxes, marker, forms)).as("forms whose target the sandboxed command could write")
                .isEmpty();
    }

    /**
     * Outside test RT36 (a re-attack of RT35's fixes): a location variable set as a loop's variable (F1: {@code for PATH in};
     * zsh's short {@code for PATH (…)} was kept before, by another rule), by a declaration whose words a brace expansion makes (F3: {@code export
     * HOME{,=/w}}, {@code export ZDOTDIR{,=/w}}), by zsh's {@code getln} (F8), by zsh's {@code ::=} with flags on the
     * {@code path} array (F11), or read by a sourced file from the {@code set --} before it (F13), from the directory
     * stack (F14: {@code ~1}; F16: {@code ${DIRSTACK[0]}}, the working directory), by a declaration whose word is computed
     * whole (F20: {@code export "$x"}); a quoted {@code ~} after an operator without a colon (F18: {@code "${X-~}"});
     * Python's library directory moved by {@code PYTHONPLATLIBDIR} (F10); a repository's relative {@code core.hooksPath}
     * where its {@code core.worktree} moves the top (F21, bubblewrap). Each: writable before the config names it, refused after; the
     * real program runs the target.
     */
    @Test
    void startUpFormsOfRoundRt36KeepWhatTheLaterProgramRuns() throws Exception {
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Path marker = host.outside().resolve("rt36-ran");
        String w = host.work().toString();
        String shell = "#!/bin/sh\n/usr/bin/touch " + marker + "\n";
        String sourced = "touch " + marker + "\n";
        String python = pythonLibraryDirectory();
        List<List<String>> forms = List.of(
                List.of("F1 for PATH in", ".bashrc", "for PATH in " + w + "/p:$PATH; do :; done\n", "p/rt36cmd", shell,
                        "bash", "-i", "-c", "rt36cmd"),
                List.of("F3 export HOME{,=}", ".bashrc", "export HOME{,=" + w + "}\n. ~/e.sh\n", "e.sh", sourced,
                        "bash", "-i", "-c", "true"),
                List.of("F3 export ZDOTDIR{,=}", ".zshenv", "export ZDOTDIR{,=" + w + "}\n", ".zshrc", sourced,
                        "zsh", "-i", "-c", "true"),
                List.of("F8 getln", ".zshenv", "print -z " + w + "; getln ZDOTDIR\n", ".zshrc", sourced,
                        "zsh", "-i", "-c", "true"),
                List.of("F10 PYTHONPLATLIBDIR", ".bashrc", "export PYTHONPLATLIBDIR=" + w + "/pyc\n",
                        "pyc/" + python + "/encodings/__init__.py", "import posix\nposix.close(posix.open('" + marker
                                + "', posix.O_WRONLY | posix.O_CREAT, 0o644))\n", "bash", "-i", "-c", "python3 -c pass"),
                List.of("F11 ${(A)=path::=}", ".zshrc", ": ${(A)=path::=" + w + "/p $path}\n", "p/rt36cmd", shell,
                        "zsh", "-i", "-c", "rt36cmd"),
                List.of("F13 set -- then .", ".bashrc", "set -- " + w + "/p; . ~/lib.sh\n", "p/rt36cmd", shell,
                        "bash", "-i", "-c", "rt36cmd"),
                List.of("F14 ~1", ".bashrc", "pushd -n " + w + "/p >/dev/null; PATH=~1:$PATH\n", "p/rt36cmd", shell,
                        "bash", "-i", "-c", "rt36cmd"),
                List.of("F16 ${DIRSTACK[0]}", ".bashrc", "PATH=${DIRSTACK[0]}/p:$PATH\n", "p/rt36cmd", shell,
                        "bash", "-i", "-c", "rt36cmd"),
                List.of("F18 ${X-~}", ".profile", "PATH=\"${X-~}/bin:$PATH\"\n", "~/bin/rt36cmd", shell,
                        "dash", "-l", "-c", "rt36cmd"),
                List.of("F20 export \"$x\"", ".bashrc", "x=BASH_ENV=" + w + "/e.sh; export \"$x\"\n", "e.sh", sourced,
                        "bash", "-i", "-c", "bash -c true"));
        forms = new ArrayList<>(forms);
        if (backend == BackendKind.BUBBLEWRAP) { // under Landlock a repository is read-only whole: no control there
            // F21: a relative core.hooksPath where core.worktree moves the top (the "config" is the repository's own)
            Path repository = Files.createDirectories(host.work().resolve("repo"));
            assertThat(new ProcessBuilder("git", "init", "-q", repository.toString()).start().waitFor()).isZero();
            Files.createDirectories(repository.resolve("hooks")); // where hooksPath would be without the worktree
            forms.add(List.of("F21 core.worktree", repository.resolve(".git/config").toString(), "[core]\n"
                    + "\trepositoryformatversion = 0\n\tbare = false\n\tworktree = " + w + "/wt\n\thooksPath = hooks\n",
                    "wt/hooks/pre-commit", shell, "git", "-C", repository.toString(), "-c", "user.name=a", "-c",
                    "user.email=a@b", "commit", "-q", "--allow-empty", "-m", "x"));
        }
        // F13's sourced file, which reads $1
        assertNoFormWritable(sandboxes, marker, forms, Map.of("lib.sh", "PATH=$1:$PATH\n"));
    }

    /**
     * Outside test RT37 (a re-attack of RT36's fixes): zsh's {@code zstyle -a} into {@code path} (F1), zsh's loop over
     * several names where {@code path} is one (F2), zsh's {@code 1=…} before sourcing a file that reads {@code $1} (F3),
     * and under bubblewrap {@code core.worktree} set in {@code .git/config.worktree} (F4). Each: writable before the
     * config names it, refused after; the real program runs the target.
     */
    @Test
    void startUpFormsOfRoundRt37KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt37");
        String w = host.work().toString();
        List<List<String>> forms = new ArrayList<>(List.of(
                round.form("F1 zstyle -a … path", ".zshrc", "zstyle ':a' b " + w + "/p /usr/bin /bin; zstyle -a ':a' b path\n",
                        "p/rt37cmd", "zsh", "-i", "-c", "rt37cmd"),
                round.form("F2 for a path in", ".zshrc", "for a path in x " + w + "/p; do :; done; path+=(/usr/bin /bin)\n",
                        "p/rt37cmd", "zsh", "-i", "-c", "rt37cmd"),
                round.form("F3 1= then source", ".zshrc", "1=" + w + "/p; source ~/pm.zsh\n", "p/rt37cmd", "zsh", "-i", "-c", "rt37cmd")));
        if (backend == BackendKind.BUBBLEWRAP) { // under Landlock a repository is read-only whole: no control there
            Path repository = Files.createDirectories(host.work().resolve("repo"));
            Files.createDirectories(repository.resolve("hooks"));
            for (List<String> step : List.of(List.of("init", "-q"), List.of("config", "core.repositoryformatversion", "1"),
                    List.of("config", "extensions.worktreeConfig", "true"), List.of("config", "core.hooksPath", "hooks"))) {
                List<String> git = new ArrayList<>(List.of("git", "-C", repository.toString()));
                git.addAll(step);
                assertThat(new ProcessBuilder(git).start().waitFor()).as(step.toString()).isZero();
            }
            forms.add(round.form("F4 config.worktree", repository.resolve(".git/config.worktree").toString(), "[core]\n"
                    + "\tworktree = " + w + "/wt\n", "wt/hooks/pre-commit", "git", "-C", repository.toString(),
                    "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-q", "--allow-empty", "-m", "x"));
        }
        assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of("pm.zsh", "PATH=$1:$PATH\n")); // F3's, which reads $1
    }

    /**
     * Outside test RT38 (a re-attack of RT37's fixes): zsh's grouping or alternation inside a path word (F4:
     * {@code path=(/w/wor(k|x)/p(N) $path)}, {@code source /w/wor(k)/e.zsh}: the word had been cut at the '('), a brace
     * expansion in a {@code path} array's word and a sequence expression (F5: {@code wor{k,x}}, {@code wor{k..k}}). Each:
     * writable before the config names it, refused after; the real zsh runs the target.
     */
    @Test
    void startUpFormsOfRoundRt38KeepWhatTheLaterProgramRuns() throws Exception {
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Path marker = host.outside().resolve("rt38-ran");
        String w = host.work().toString();
        String stem = w.substring(0, w.length() - 1);
        char last = w.charAt(w.length() - 1);
        String shell = "#!/bin/sh\n/usr/bin/touch " + marker + "\n";
        String sourced = "touch " + marker + "\n";
        List<List<String>> forms = List.of(
                List.of("F4 (k|x)", ".zshrc", "path=(" + stem + "(" + last + "|x)/p(N) $path)\n", "p/rt38cmd", shell,
                        "zsh", "-i", "-c", "rt38cmd"),
                List.of("F4 (k) sourced", ".zshrc", "source " + stem + "(" + last + ")/e.zsh\n", "e.zsh", sourced,
                        "zsh", "-i", "-c", "true"),
                List.of("F5 {k,x}", ".zshrc", "path=(" + stem + "{" + last + ",x}/p $path)\n", "p/rt38cmd", shell,
                        "zsh", "-i", "-c", "rt38cmd"),
                List.of("F5 {k..k}", ".zshrc", "path=(" + stem + "{" + last + ".." + last + "}/p $path)\n", "p/rt38cmd",
                        shell, "zsh", "-i", "-c", "rt38cmd"));
        assertThat(writableForms(sandboxes, marker, forms)).as("forms whose target the sandboxed command could write")
                .isEmpty();
    }

    /**
     * Outside test RT39 (a re-attack of RT38's fixes): a zsh alternation that ends the word (F1), nested groups (F2, F5),
     * ksh's and bash's extglob {@code @(…)} and {@code +(…)} (F3, F6, F8, F10, F11), braces nested in a {@code path}
     * array's word and in a sourced word (F4, F7, F9). Each: writable before the config names it, refused after; the real
     * zsh or bash runs the target.
     */
    @Test
    void startUpFormsOfRoundRt39KeepWhatTheLaterProgramRuns() throws Exception {
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Path marker = host.outside().resolve("rt39-ran");
        String w = host.work().toString();
        String stem = w.substring(0, w.length() - 2); // ".../wo" of ".../work"
        String tail = w.substring(w.length() - 2);
        String shell = "#!/bin/sh\n/usr/bin/touch " + marker + "\n";
        String sourced = "touch " + marker + "\n";
        List<List<String>> forms = List.of(
                List.of("F1 trailing (k|x)", ".zshrc", "path=(" + stem + "(" + tail + "|xx) $path)\n", "rt39cmd", shell,
                        "zsh", "-i", "-c", "rt39cmd"),
                List.of("F2 ((…))", ".zshrc", "path=(" + stem + "((" + tail + "))/p(N) $path)\n", "p/rt39cmd", shell,
                        "zsh", "-i", "-c", "rt39cmd"),
                List.of("F3 kshglob @(…)", ".zshrc", "setopt kshglob; path=(" + stem + "@(" + tail + ")/p(N) $path)\n",
                        "p/rt39cmd", shell, "zsh", "-i", "-c", "rt39cmd"),
                List.of("F4 nested braces", ".zshrc", "path=(" + stem + "{" + tail.charAt(0) + "{" + tail.charAt(1)
                        + ",x},y}/p(N) $path)\n", "p/rt39cmd", shell, "zsh", "-i", "-c", "rt39cmd"),
                List.of("F5 sourced ((…))", ".zshrc", "source " + stem + "((" + tail + "))/e.zsh\n", "e.zsh", sourced,
                        "zsh", "-i", "-c", "true"),
                List.of("F8 bash extglob", ".bashrc", "shopt -s extglob\n. " + stem + "@(" + tail + ")/e.sh\n", "e.sh",
                        sourced, "bash", "-i", "-c", "true"),
                List.of("F9 bash nested braces", ".bashrc", ". " + stem + "{" + tail.charAt(0) + "{" + tail.charAt(1)
                        + ",x},y}/e.sh\n", "e.sh", sourced, "bash", "-i", "-c", "true"),
                List.of("F11 +(…)", ".zshrc", "setopt kshglob; path=(" + stem + "+(" + tail + ")/p(N) $path)\n",
                        "p/rt39cmd", shell, "zsh", "-i", "-c", "rt39cmd"));
        assertThat(writableForms(sandboxes, marker, forms)).as("forms whose target the sandboxed command could write")
                .isEmpty();
    }

    /**
     * Outside test RT40 (a re-attack of RT39's fixes): zsh's approximate-match flag, which makes the rest of the component
     * match what it does not spell (F1: {@code (#a1)wxrk} is {@code work}), and a group glued to a quoted piece of the
     * word (F4: {@code '/w/wo'(rk|x)'/p'}, bash's {@code "/w/wo"@(rk|x)}). Each: writable before the config names it,
     * refused after; the real zsh or bash runs the target.
     */
    @Test
    void startUpFormsOfRoundRt40KeepWhatTheLaterProgramRuns() throws Exception {
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Path marker = host.outside().resolve("rt40-ran");
        String w = host.work().toString();
        String parent = w.substring(0, w.lastIndexOf('/') + 1);
        String name = w.substring(w.lastIndexOf('/') + 1);
        String misspelt = name.charAt(0) + "x" + name.substring(2); // one error away
        String stem = w.substring(0, w.length() - 2);
        String tail = w.substring(w.length() - 2);
        String shell = "#!/bin/sh\n/usr/bin/touch " + marker + "\n";
        List<List<String>> forms = List.of(
                List.of("F1 (#a1)", ".zshrc", "setopt extendedglob; path=(" + parent + "(#a1)" + misspelt + "/p(N) $path)\n",
                        "p/rt40cmd", shell, "zsh", "-i", "-c", "rt40cmd"),
                List.of("F4 zsh quoted", ".zshrc", "path=('" + stem + "'(" + tail + "|x)'/p'(N) $path)\n", "p/rt40cmd",
                        shell, "zsh", "-i", "-c", "rt40cmd"),
                List.of("F4 bash quoted", ".bashrc", "shopt -s extglob\nfor d in \"" + stem + "\"@(" + tail + "|x)/p; do"
                        + " PATH=$d:$PATH; done\n", "p/rt40cmd", shell, "bash", "-i", "-c", "rt40cmd"));
        assertThat(writableForms(sandboxes, marker, forms)).as("forms whose target the sandboxed command could write")
                .isEmpty();
    }

    /**
     * Outside test RT41 (a re-attack of RT40's fixes): zsh's {@code BRACE_CCL} option, which makes a group without
     * alternatives each of its characters (F1: {@code wor{k}} is {@code work}); a parameter or a substitution in a brace
     * alternative, which had dropped the whole word (F2: {@code ~/{proj,$OSTYPE}/aliases.sh}, {@code wor{k,$d}}); zsh's
     * glob qualifiers that set {@code REPLY}, which replaces the file the glob matched (F3: {@code ~/.zshenv(+f)}). Each:
     * writable before the config names it, refused after; the real zsh or bash runs the target.
     */
    @Test
    void startUpFormsOfRoundRt41KeepWhatTheLaterProgramRuns() throws Exception {
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Path marker = host.outside().resolve("rt41-ran");
        String w = host.work().toString();
        String parent = w.substring(0, w.lastIndexOf('/') + 1);
        String name = w.substring(w.lastIndexOf('/') + 1);
        String stem = w.substring(0, w.length() - 1);
        String last = w.substring(w.length() - 1);
        String shell = "#!/bin/sh\n/usr/bin/touch " + marker + "\n";
        List<List<String>> forms = List.of(
                List.of("F1 braceccl source", ".zshrc", "setopt braceccl\nsource " + stem + "{" + last + "}/rt41/evil.sh\n",
                        "rt41/evil.sh", shell, "zsh", "-i", "-c", "true"),
                List.of("F1 BRACE_CCL path", ".zshrc", "set -o BRACE_CCL\npath=(" + stem + "{" + last + "}/p(N) $path)\n",
                        "p/rt41cmd", shell, "zsh", "-i", "-c", "rt41cmd"),
                List.of("F2 bash loop", ".bashrc", "for f in " + parent + "{" + name + ",$OSTYPE}/rt41/aliases.sh; do"
                        + " [ -r \"$f\" ] && . \"$f\"; done\n", "rt41/aliases.sh", shell, "bash", "-i", "-c", "true"),
                List.of("F2 bash substitution", ".bashrc", "source " + stem + "{$(echo " + last + "),x}/rt41/evil.sh\n",
                        "rt41/evil.sh", shell, "bash", "-i", "-c", "true"),
                List.of("F2 zsh parameter", ".zshrc", "d=x\nsource " + stem + "{" + last + ",$d}/rt41/evil.sh\n",
                        "rt41/evil.sh", shell, "zsh", "-i", "-c", "true"),
                List.of("F2 zsh path", ".zshrc", "d=" + last + "\npath=(" + stem + "{$d,x}/p(N) $path)\n", "p/rt41cmd", shell,
                        "zsh", "-i", "-c", "rt41cmd"),
                List.of("F3 (+f) source", ".zshrc", "f() { REPLY=" + w + "/rt41/evil.sh }\nsource ~/.zshenv(+f)\n",
                        "rt41/evil.sh", shell, "zsh", "-i", "-c", "true"),
                List.of("F3 (+f) path", ".zshrc", "f() { REPLY=" + w + "/p }\npath=(~(+f) $path)\n", "p/rt41cmd", shell,
                        "zsh", "-i", "-c", "rt41cmd"));
        assertNoFormWritable(sandboxes, marker, forms, Map.of(".zshenv", "# env\n"));
    }

    /**
     * Outside test RT42 (a re-attack of RT41's fixes): a run of zsh qualifier groups, whose second group had been read as
     * a comment (F1: {@code ~/.zshenv(#q.)(#q+f)}); braces in a parameter's default word, which zsh expands (F2:
     * {@code ${x:-/w/wor{k,x}/e.sh}}); an array element made by brace expansion (F3: {@code ds=({k,l})}, zsh's
     * {@code ds=({kl})} under BRACE_CCL); a directory changed to and printed (F4: {@code "$(cd /w && pwd)/x/init.sh"}).
     * Each: writable before the config names it, refused after; the real zsh or bash runs the target.
     */
    @Test
    void startUpFormsOfRoundRt42KeepWhatTheLaterProgramRuns() throws Exception {
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Path marker = host.outside().resolve("rt42-ran");
        String w = host.work().toString();
        String stem = w.substring(0, w.length() - 1);
        String last = w.substring(w.length() - 1);
        String shell = "#!/bin/sh\n/usr/bin/touch " + marker + "\n";
        List<List<String>> forms = List.of(
                List.of("F1 (#q.)(#q+f)", ".zshrc", "setopt extendedglob\nf() { REPLY=" + w + "/rt42/evil.sh }\n"
                        + "source ~/.zshenv(#q.)(#q+f)\n", "rt42/evil.sh", shell, "zsh", "-i", "-c", "true"),
                List.of("F1 (#qN)(#qe:…:)", ".zshrc", "setopt extendedglob\nsource ~/.zshenv(#qN)(#qe:REPLY=" + w
                        + "/rt42/evil.sh:)\n", "rt42/evil.sh", shell, "zsh", "-i", "-c", "true"),
                List.of("F2 ${x:-…{…}}", ".zshrc", "source ${x:-" + stem + "{" + last + ",x}/rt42/evil.sh}\n", "rt42/evil.sh",
                        shell, "zsh", "-i", "-c", "true"),
                List.of("F3 bash element", ".bashrc", "ds=({" + last + ",x})\nsource " + stem + "${ds[0]}/rt42/evil.sh\n",
                        "rt42/evil.sh", shell, "bash", "-i", "-c", "true"),
                List.of("F3 zsh braceccl element", ".zshrc", "setopt braceccl\nds=({" + last + "x})\nsource " + stem
                        + "${ds[1]}/rt42/evil.sh\n", "rt42/evil.sh", shell, "zsh", "-i", "-c", "true"),
                List.of("F3 bash PATH element", ".bashrc", "v=({" + last + ",x})\nexport PATH=\"" + stem + "${v[0]}/p:$PATH\"\n",
                        "p/rt42cmd", shell, "bash", "-i", "-c", "rt42cmd"),
                List.of("F4 $(cd … && pwd)", ".bashrc", "source \"$(cd " + w + " && pwd)/rt42/init.sh\"\n", "rt42/init.sh",
                        shell, "bash", "-i", "-c", "true"));
        assertNoFormWritable(sandboxes, marker, forms, Map.of(".zshenv", "# env\n"));
    }

    /**
     * Outside test RT43 (a re-attack of RT42's fixes): zsh's assignment to an array's element or slice (F1:
     * {@code ds[1]=(k)}); {@code $(cd DIR && pwd)} with a variable in DIR or a chain of {@code cd}s (F2); a zsh
     * qualifier's alternatives (F3: {@code (/,+f)}); zsh's always-assign operator on any variable (F4:
     * {@code : ${d::=k}}). Each: writable before the config names it, refused after; the real zsh or bash runs the target.
     */
    @Test
    void startUpFormsOfRoundRt43KeepWhatTheLaterProgramRuns() throws Exception {
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Path marker = host.outside().resolve("rt43-ran");
        String w = host.work().toString();
        String parent = w.substring(0, w.lastIndexOf('/'));
        String name = w.substring(w.lastIndexOf('/') + 1);
        String stem = w.substring(0, w.length() - 1);
        String last = w.substring(w.length() - 1);
        String shell = "#!/bin/sh\n/usr/bin/touch " + marker + "\n";
        assertThat(host.home().getParent().toString()).as("the forms reach the work directory from the home").isEqualTo(parent);
        List<List<String>> forms = List.of(
                List.of("F1 ds[1]=(…)", ".zshrc", "ds=(x)\nds[1]=(" + last + ")\nsource " + stem + "${ds[1]}/rt43/e.sh\n",
                        "rt43/e.sh", shell, "zsh", "-i", "-c", "true"),
                List.of("F2 $HOME in cd", ".zshrc", "source \"$(cd $HOME/../" + name + " && pwd)/rt43/e.sh\"\n", "rt43/e.sh",
                        shell, "zsh", "-i", "-c", "true"),
                List.of("F2 two cds", ".bashrc", "source \"$(cd " + parent + " && cd " + name + " && pwd)/rt43/e.sh\"\n",
                        "rt43/e.sh", shell, "bash", "-i", "-c", "true"),
                List.of("F3 (/,+f)", ".zshrc", "f() { REPLY=" + w + "/rt43/e.sh }\nsource ~/.zshenv(/,+f)\n", "rt43/e.sh",
                        shell, "zsh", "-i", "-c", "true"),
                List.of("F4 ::=", ".zshrc", "d=x\n: ${d::=" + last + "}\nsource " + stem + "$d/rt43/e.sh\n", "rt43/e.sh",
                        shell, "zsh", "-i", "-c", "true"));
        assertNoFormWritable(sandboxes, marker, forms, Map.of(".zshenv", "# env\n"));
    }

    /**
     * Outside test RT44 (a re-attack of RT43's fixes): a printed directory reached by a {@code cd} without an operand
     * (F1: {@code $(cd /tmp && cd && cd ../w && pwd)}) or zsh's {@code cd OLD NEW} (F2) fails closed; zsh's
     * {@code ${(A)ds::=k}} assigns the array (F3). Each: writable before the config names it, refused after; the real
     * zsh or bash runs the target.
     */
    @Test
    void startUpFormsOfRoundRt44KeepWhatTheLaterProgramRuns() throws Exception {
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Path marker = host.outside().resolve("rt44-ran");
        String w = host.work().toString();
        String name = w.substring(w.lastIndexOf('/') + 1);
        String stem = w.substring(0, w.length() - 1);
        String last = w.substring(w.length() - 1);
        String shell = "#!/bin/sh\n/usr/bin/touch " + marker + "\n";
        String homeName = host.home().getFileName().toString();
        assertThat(host.home().getParent()).isEqualTo(host.work().getParent());
        assertThat(host.home().toString().indexOf(homeName)).as("zsh's cd OLD NEW replaces the first " + homeName)
                .isEqualTo(host.home().toString().length() - homeName.length());
        List<List<String>> forms = List.of(
                List.of("F1 cd without operand", ".bashrc", "source \"$(cd /tmp && cd && cd ../" + name
                        + " && pwd)/rt44/e.sh\"\n", "rt44/e.sh", shell, "bash", "-i", "-c", "true"),
                List.of("F2 cd OLD NEW", ".zshrc", "source \"$(cd " + host.home() + " && cd " + homeName + " " + name
                        + " >/dev/null && pwd)/rt44/e.sh\"\n", "rt44/e.sh", shell, "zsh", "-i", "-c", "true"),
                List.of("F3 ${(A)ds::=…}", ".zshrc", "ds=(x)\n: ${(A)ds::=" + last + "}\nsource " + stem
                        + "${ds[1]}/rt44/e.sh\n", "rt44/e.sh", shell, "zsh", "-i", "-c", "true"));
        assertNoFormWritable(sandboxes, marker, forms, Map.of());
    }

    /**
     * Outside test RT45 (a re-attack of RT44's fixes): a printed directory that the reader had followed change by change
     * and named wrongly — a {@code cd} that does not take effect (F1: {@code cd /nope 2>/dev/null; pwd}), another way of
     * printing it (F2: {@code realpath .}), a relative {@code cd} through {@code CDPATH} (F3) — fails closed. Each:
     * writable before the config names it, refused after; the real bash runs the target.
     */
    @Test
    void startUpFormsOfRoundRt45KeepWhatTheLaterProgramRuns() throws Exception {
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Path marker = host.outside().resolve("rt45-ran");
        String w = host.work().toString();
        String parent = w.substring(0, w.lastIndexOf('/'));
        String name = w.substring(w.lastIndexOf('/') + 1);
        String shell = "#!/bin/sh\n/usr/bin/touch " + marker + "\n";
        List<List<String>> forms = List.of(
                List.of("F1 a cd that fails", ".bashrc", "source \"$(cd " + w + " && cd /nonexistent-rt45 2>/dev/null; pwd)"
                        + "/rt45/e.sh\"\n", "rt45/e.sh", shell, "bash", "-i", "-c", "true"),
                List.of("F2 realpath .", ".bashrc", "source \"$(cd " + parent + " && cd " + name + " && realpath .)/rt45/e.sh\"\n",
                        "rt45/e.sh", shell, "bash", "-i", "-c", "true"),
                List.of("F3 CDPATH", ".bashrc", "CDPATH=" + parent + "\nsource \"$(cd " + name + " >/dev/null && pwd)/rt45/e.sh\"\n",
                        "rt45/e.sh", shell, "bash", "-i", "-c", "true"));
        assertNoFormWritable(sandboxes, marker, forms, Map.of());
    }

    /**
     * Outside test RT46 (a re-attack of RT45's rule): the one form read, {@code $(cd DIR && pwd)}, with {@code pwd}
     * redefined (F1), {@code cd} redefined through an alias among others (F2), or a zsh {@code chpwd} hook (F3): the
     * printed directory is another; now it fails closed. Each: writable before the config names it, refused after; the
     * real bash or zsh runs the target.
     */
    @Test
    void startUpFormsOfRoundRt46KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt46");
        String w = host.work().toString();
        List<List<String>> forms = List.of(
                round.form("F1 pwd()", ".bashrc", "pwd() { echo " + w + "; }\nsource \"$(cd /tmp && pwd)/rt46/e.sh\"\n",
                        "rt46/e.sh", "bash", "-i", "-c", "true"),
                round.form("F2 alias … cd=", ".bashrc", "shopt -s expand_aliases\nalias ll='ls -l' cd='builtin cd " + w + "; true'\n"
                        + "source \"$(cd /tmp && pwd)/rt46/e.sh\"\n", "rt46/e.sh", "bash", "-i", "-c", "true"),
                round.form("F3 chpwd", ".zshrc", "chpwd() { builtin cd -q " + w + " }\nsource \"$(cd /tmp && pwd)/rt46/e.sh\"\n",
                        "rt46/e.sh", "zsh", "-i", "-c", "true"));
        assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
    }

    /**
     * Outside test RT47: what prints or changes a directory redefined or hooked by a name the reader did not spell (zsh's
     * hook array and trap functions, a function of two names, a copy, a builtin turned off, a name an {@code eval}
     * computes, bash's alias array appended to), in another start-up file, and a quoted {@code ~} a {@code cd} does not
     * expand: each {@code $(cd DIR && pwd)} is then not DIR, and fails closed.
     */
    @Test
    void startUpFormsOfRoundRt47KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt47");
        String w = host.work().toString();
        String sourced = "source \"$(cd /tmp && pwd)/rt47/e.sh\"\n";
        List<List<String>> forms = List.of(
                round.form("F1 chpwd_functions", ".zshrc", "h() { builtin cd -q " + w + " }\nchpwd_functions+=(h)\n" + sourced,
                        "rt47/e.sh", "zsh", "-i", "-c", "true"),
                // (what it prints before the substitution's 'pwd' is taken in: W//tmp/rt47/e.sh)
                round.form("F2 TRAPDEBUG", ".zshrc", "TRAPDEBUG() { print -n -- " + w + "/ }\n" + sourced,
                        "tmp/rt47/e.sh", "zsh", "-i", "-c", "true"),
                round.form("F3 function x pwd", ".zshrc", "function x pwd { print -r -- " + w + "; }\n" + sourced,
                        "rt47/e.sh", "zsh", "-i", "-c", "true"),
                round.form("F4 functions -c", ".zshrc", "h() { print -r -- " + w + "; }\nfunctions -c h pwd\n" + sourced,
                        "rt47/e.sh", "zsh", "-i", "-c", "true"),
                round.form("F5 disable pwd", ".zshrc", "path=(~ $path)\ndisable pwd\n" + sourced,
                        "rt47/e.sh", "zsh", "-i", "-c", "true"),
                round.form("F6 eval $c()", ".bashrc", "for c in pwd; do eval \"$c() { echo " + w + "; }\"; done\n" + sourced,
                        "rt47/e.sh", "bash", "-i", "-c", "true"),
                round.form("F7 BASH_ALIASES+=", ".bashrc", "shopt -s expand_aliases\nh() { echo " + w + "; }\n"
                        + "BASH_ALIASES+=([pwd]=h)\n" + sourced, "rt47/e.sh", "bash", "-i", "-c", "true"),
                round.form("another file's pwd()", ".bashrc", ". ~/.rt47_aliases\n" + sourced,
                        "rt47/e.sh", "bash", "-i", "-c", "true"),
                round.form("cd \"~/…\"", ".bashrc", "source \"$(cd \"~/rt47\" && pwd)/e.sh\"\n",
                        "~/rt47/e.sh", "bash", "-i", "-c", "true"));
        // the pwd F5's zsh finds on its path once the builtin is off; the functions another form's .bashrc sources
        assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of("pwd", "#!/bin/sh\necho " + w + "\n",
                ".rt47_aliases", "pwd() { echo " + w + "; }\n"));
    }

    /**
     * Outside test RT49, and what its fix found: {@code $(cd DIR && pwd)} is not read as DIR any more ({@code cd ""}
     * stays where the shell starts, a zsh global alias rewrites DIR, a {@code cd} that fails prints nothing, so that
     * {@code PATH} gets an empty entry); {@code $0} in a file bash reads is the shell's name, so {@code dirname "$0"} is
     * where the shell starts; and a relative path a start-up file sources is read where the shell starts (the working
     * directory), as {@code $PWD} is.
     */
    @Test
    void startUpFormsOfRoundRt49KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt49");
        List<List<String>> forms = List.of(
                round.form("F1 cd \"$X\", X empty", ".bashrc", "X=\"\"\n. \"$(cd \"$X\" && pwd)/rt49/e.sh\"\n",
                        "rt49/e.sh", "bash", "-i", "-c", "true"),
                round.form("F3 zsh global alias", ".zshrc", "alias -g /nowhere/rt49=.\nsource \"$(cd /nowhere/rt49 && pwd)/rt49/e.sh\"\n",
                        "rt49/e.sh", "zsh", "-i", "-c", "true"),
                round.form("F6 a cd that fails", ".bashrc", "export PATH=\"$(cd ~/nowhere-rt49 && pwd):$PATH\"\n",
                        "rt49tool", "bash", "-i", "-c", "rt49tool"),
                round.form("dirname \"$0\"", ".bashrc", ". \"$(dirname \"$0\")/rt49/e.sh\"\n",
                        "rt49/e.sh", "bash", "-i", "-c", "true"),
                round.form("a relative path", ".bashrc", "[ -f rt49/e.sh ] && . ./rt49/e.sh\n",
                        "rt49/e.sh", "bash", "-i", "-c", "true"));
        assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
    }

    /**
     * Outside test RT50: other spellings of a relative source ({@code --}, a redirection first, a process substitution of
     * {@code cat}), bash's {@code $BASH_ARGV0}, and a variable holding a source command that the file evaluates.
     */
    @Test
    void startUpFormsOfRoundRt50KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt50");
        List<List<String>> forms = List.of(
                round.form("F5 source --", ".bashrc", "[ -f rt50/e.sh ] && source -- ./rt50/e.sh\n", "rt50/e.sh",
                        "bash", "-i", "-c", "true"),
                round.form("F6 a redirection first", ".bashrc", "[ -f rt50/e.sh ] && . 2>/dev/null ./rt50/e.sh\n", "rt50/e.sh",
                        "bash", "-i", "-c", "true"),
                round.form("F7 BASH_ARGV0", ".bashrc", ". \"$(dirname \"$BASH_ARGV0\")/rt50/e.sh\"\n", "rt50/e.sh",
                        "bash", "-i", "-c", "true"),
                round.form("F11 <(cat …)", ".bashrc", ". <(cat ./rt50/e.sh 2>/dev/null)\n", "rt50/e.sh", "bash", "-i",
                        "-c", "true"),
                round.form("F12 eval \"$c\"", ".bashrc", "c='. ./rt50/e.sh'\n[ -f rt50/e.sh ] && eval \"$c\"\n", "rt50/e.sh",
                        "bash", "-i", "-c", "true"));
        assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
    }

    /**
     * Outside test RT51: a relative source as a condition, after an assignment, in an {@code eval}'s or a shell's
     * {@code -c} string, through an alias, a relative script a shell runs, {@code $0} copied first, an {@code eval} of a
     * variable with an operator.
     */
    @Test
    void startUpFormsOfRoundRt51KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt51");
        String guard = "[ -f rt51/e.sh ] && ";
        List<List<String>> forms = List.of(
                round.form("F1 if .", ".bashrc", "if . ./rt51/e.sh 2>/dev/null; then :; fi\n", "rt51/e.sh", "bash",
                        "-i", "-c", "true"),
                round.form("F2 x=1 .", ".bashrc", guard + "x=1 . ./rt51/e.sh\n", "rt51/e.sh", "bash", "-i", "-c", "true"),
                round.form("F3 eval '. …'", ".bashrc", guard + "eval '. ./rt51/e.sh'\n", "rt51/e.sh", "bash", "-i", "-c",
                        "true"),
                round.form("F4 alias inc=.", ".bashrc", "alias inc=.\n" + guard + "inc ./rt51/e.sh\n", "rt51/e.sh", "bash",
                        "-i", "-c", "true"),
                round.form("F5 bash -c", ".bashrc", guard + "bash -c \". ./rt51/e.sh\"\n", "rt51/e.sh", "bash", "-i", "-c",
                        "true"),
                round.form("F6 bash ./x", ".bashrc", guard + "bash ./rt51/e.sh\n", "rt51/e.sh", "bash", "-i", "-c", "true"),
                round.form("F7 d=$0", ".bashrc", "d=$0\n. \"$(dirname \"$d\")/rt51/e.sh\"\n", "rt51/e.sh", "bash", "-i",
                        "-c", "true"),
                round.form("F8 eval \"${c:-}\"", ".bashrc", "c='. ./rt51/e.sh'\n" + guard + "eval \"${c:-}\"\n", "rt51/e.sh",
                        "bash", "-i", "-c", "true"));
        assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
    }

    /**
     * Outside test RT52: a relative path the start-up file runs as a command, keeps in a variable, evaluates from a
     * program's output or in a trap's string, a shell behind a wrapper, a {@code -c} string's operand, {@code $OLDPWD}
     * after a {@code cd}, a variable unset before {@code cd "$D"}: each target is the working directory's.
     */
    @Test
    void startUpFormsOfRoundRt52KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt52");
        String guard = "[ -f rt52/e.sh ] && ";
        List<List<String>> forms = List.of(
                round.form("F1 ./x", ".bashrc", guard + "./rt52/e.sh\n", "rt52/e.sh", "bash", "-i", "-c", "true"),
                round.form("a relative command", ".bashrc", guard + "rt52/e.sh\n", "rt52/e.sh", "bash", "-i", "-c", "true"),
                round.form("F2 x=./x; . \"$x\"", ".bashrc", "x=./rt52/e.sh\n" + guard + ". \"$x\"\n", "rt52/e.sh", "bash", "-i",
                        "-c", "true"),
                round.form("F3 eval \"$(cat ./x)\"", ".bashrc", "eval \"$(cat ./rt52/e.sh 2>/dev/null)\"\n", "rt52/e.sh",
                        "bash", "-i", "-c", "true"),
                round.form("F4 $OLDPWD", ".bashrc", "cd ~\n[ -f \"$OLDPWD/rt52/e.sh\" ] && . \"$OLDPWD/rt52/e.sh\"\n",
                        "rt52/e.sh", "bash", "-i", "-c", "true"),
                round.form("F5 trap '. ./x'", ".bashrc", "trap '. ./rt52/e.sh 2>/dev/null' EXIT\n", "rt52/e.sh",
                        "bash", "-i", "-c", "true"),
                round.form("F6 timeout 5 sh x", ".bashrc", guard + "timeout 5 sh rt52/e.sh\n", "rt52/e.sh", "bash", "-i",
                        "-c", "true"),
                round.form("F7 bash -c '. \"$1\"' _ x", ".bashrc", guard + "bash -c '. \"$1\"' _ rt52/e.sh\n", "rt52/e.sh",
                        "bash", "-i", "-c", "true"),
                round.form("F8 unset D", ".bashrc", "D=/tmp\nunset D\n. \"$(cd \"$D\" && pwd)/rt52/e.sh\"\n", "rt52/e.sh",
                        "bash", "-i", "-c", "true"));
        assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
    }

    /**
     * Outside test RT53: a relative path the reader's own expansion finds sourced (a variable of dots, a loop's word, a
     * glob without {@code ./}), a shell reading a file on its input, {@code hash -p}, {@code run-parts}, an interpreter's
     * script and {@code python3 -c}'s imports, a relative directory on {@code PATH} or zsh's {@code fpath}. ({@code xargs}
     * feeding a shell: {@code ShellStartupTextTest}.)
     */
    @Test
    void startUpFormsOfRoundRt53KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt53");
        String guard = "[ -f rt53/e.sh ] && ";
        String python = "open('" + round.marker() + "', 'w').close()\n";
        List<List<String>> forms = List.of(
                round.form("F1 a=.; . \"$a/x\"", ".bashrc", "a=.\n" + guard + ". \"$a/rt53/e.sh\"\n", "rt53/e.sh", "bash", "-i",
                        "-c", "true"),
                round.form("F2 for f in *.x", ".bashrc", "for f in *.rt53; do . \"$f\"; done\n", "e.rt53", "bash", "-i", "-c",
                        "true"),
                round.form("F3 for f in x", ".bashrc", "for f in rt53/e.sh; do [ -f \"$f\" ] && . \"$f\"; done\n", "rt53/e.sh",
                        "bash", "-i", "-c", "true"),
                round.form("F4 bash < x", ".bashrc", guard + "bash < rt53/e.sh\n", "rt53/e.sh", "bash", "-i", "-c", "true"),
                round.form("F4 cat x | sh", ".bashrc", "cat rt53/e.sh 2>/dev/null | sh\n", "rt53/e.sh", "bash", "-i", "-c",
                        "true"),
                round.form("F5 hash -p", ".bashrc", guard + "hash -p rt53/e.sh rt53cmd && rt53cmd\n", "rt53/e.sh", "bash",
                        "-i", "-c", "true"),
                round.form("F6 run-parts", ".bashrc", "[ -d rt53hooks ] && run-parts rt53hooks\n", "rt53hooks/a", "bash", "-i",
                        "-c", "true"),
                List.of("F7 python3 x.py", ".bashrc", "[ -f rt53/e.py ] && python3 rt53/e.py\n", "rt53/e.py", python, "bash",
                        "-i", "-c", "true"),
                List.of("F7 python3 -c 'import m'", ".bashrc", "python3 -c 'import rt53mod' 2>/dev/null\n", "rt53mod.py", python,
                        "bash", "-i", "-c", "true"),
                round.form("F10 fpath+=(x)", ".zshrc", "fpath+=(rt53)\nautoload -Uz rt53f\nrt53f 2>/dev/null\n", "rt53/rt53f",
                        "zsh", "-i", "-c", "true"),
                round.form("PATH=x:$PATH", ".bashrc", "PATH=rt53:$PATH\n", "rt53/rt53cmd", "bash", "-i", "-c", "rt53cmd"));
        assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
    }

    /**
     * Outside test RT54: a relative command a word's expansion makes (a brace, {@code $'…'}, {@code $"…"}, a parameter's
     * default or alternative word, zsh's {@code ${:-.}}), the working directory through {@code /proc/$$/cwd}, an escaped
     * {@code /}, a wrapper before a relative command, a file's text taken as a command.
     */
    @Test
    void startUpFormsOfRoundRt54KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt54");
        String guard = "[ -f rt54/e.sh ] && ";
        List<List<String>> forms = List.of(
                round.form("F1 {.,}/x", ".bashrc", guard + "{.,}/rt54/e.sh\n", "rt54/e.sh", "bash", "-i", "-c", "true"),
                round.form("F2 $'\\x2e/x'", ".bashrc", guard + "$'\\x2e/rt54/e.sh'\n", "rt54/e.sh", "bash", "-i", "-c", "true"),
                round.form("F3 ${a:-.}/x", ".bashrc", guard + "${a:-.}/rt54/e.sh\n", "rt54/e.sh", "bash", "-i", "-c", "true"),
                round.form("F4 /proc/$$/cwd/x", ".bashrc", guard + "/proc/$$/cwd/rt54/e.sh\n", "rt54/e.sh", "bash", "-i", "-c",
                        "true"),
                round.form("F5 $\".\"/x", ".bashrc", guard + "$\".\"/rt54/e.sh\n", "rt54/e.sh", "bash", "-i", "-c", "true"),
                round.form("F6 ${HOME:+.}/x", ".bashrc", guard + "${HOME:+.}/rt54/e.sh\n", "rt54/e.sh", "bash", "-i", "-c",
                        "true"),
                round.form("F7 x\\/y", ".bashrc", guard + "rt54\\/e.sh\n", "rt54/e.sh", "bash", "-i", "-c", "true"),
                round.form("F8 nohup x/y", ".bashrc", guard + "nohup rt54/e.sh >/dev/null 2>&1\n", "rt54/e.sh", "bash", "-i",
                        "-c", "true"),
                round.form("F9 ${:-.}/x", ".zshrc", guard + "${:-.}/rt54/e.sh\n", "rt54/e.sh", "zsh", "-i", "-c", "true"),
                List.of("F11 $(<x)", ".bashrc", "[ -f rt54/cmd ] && $(<rt54/cmd)\n", "rt54/cmd",
                        "/usr/bin/touch " + round.marker() + "\n", "bash", "-i", "-c", "true"),
                // an alias's value is not read, but one the start-up file itself runs is
                round.form("an alias it runs", ".bashrc", "alias rt54go='./rt54/e.sh'\n" + guard + "rt54go\n", "rt54/e.sh",
                        "bash", "-i", "-c", "true"));
        assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
    }

    /**
     * Outside test RT55: a file's text through {@code head}, a descriptor a shell reads on the next line, a pipe continued
     * on the next line, a wrapper with options, zsh's {@code =(<x)}, nested defaults, an alias another start-up file
     * defines, an alias for a wrapper. (F5 and F6, {@code enable -f} and zsh's {@code module_path}, need a shared
     * library: {@code ShellStartupTextTest.round55FormsAreFound}.)
     */
    @Test
    void startUpFormsOfRoundRt55KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt55");
        String guard = "[ -f rt55/e.sh ] && ";
        List<List<String>> forms = List.of(
                List.of("F1 eval \"$(head x)\"", ".bashrc", "eval \"$(head -n 99 rt55/cmd 2>/dev/null)\"\n", "rt55/cmd",
                        "/usr/bin/touch " + round.marker() + "\n", "bash", "-i", "-c", "true"),
                round.form("F2 exec 4< x; bash <&4", ".bashrc", "if [ -f rt55e ]; then exec 4< rt55e\n  bash <&4\nfi\n",
                        "rt55e", "bash", "-i", "-c", "true"),
                round.form("F3 cat x | (next line) sh", ".bashrc", guard + "cat rt55/e.sh |\n  sh\n", "rt55/e.sh", "bash", "-i",
                        "-c", "true"),
                round.form("F4 env -u FOO x/y", ".bashrc", guard + "env -u FOO rt55/e.sh\n", "rt55/e.sh", "bash", "-i", "-c",
                        "true"),
                round.form("F7 . =(<x)", ".zshrc", guard + ". =(<rt55/e.sh)\n", "rt55/e.sh", "zsh", "-i", "-c", "true"),
                round.form("F8 ${a:-${b:-.}}", ".bashrc", guard + ". ${a:-${b:-.}}/rt55/e.sh\n", "rt55/e.sh", "bash", "-i", "-c",
                        "true"),
                round.form("F9 an alias another file defines", ".bashrc", ". ~/.rt55_aliases\n" + guard + "rt55go\n",
                        "rt55/e.sh", "bash", "-i", "-c", "true"),
                round.form("F10 an alias for a wrapper", ".bashrc", "alias rt55w='nohup'\n" + guard
                        + "rt55w rt55/e.sh >/dev/null 2>&1\n", "rt55/e.sh", "bash", "-i", "-c", "true"));
        assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of(".rt55_aliases", "alias rt55go='rt55/e.sh'\n"));
    }

    /**
     * Outside test RT56: a file a program not foreseen prints into code, a block's input redirection that a shell in it
     * reads, an alias set through bash's alias array, bash's history run by {@code fc}, zsh's {@code $mapfile}. (F3,
     * shells a descriptor feeds later: {@code ShellStartupTextTest.round56FormsAreFound}.)
     */
    @Test
    void startUpFormsOfRoundRt56KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt56");
        String command = "/usr/bin/touch " + round.marker() + "\n";
        List<List<String>> forms = List.of(
                List.of("F1 eval \"$(basenc x | …)\"", ".bashrc",
                        "eval \"$(basenc --base64 rt56/cmd 2>/dev/null | basenc -d --base64)\"\n",
                        "rt56/cmd", command, "bash", "-i", "-c", "true"),
                round.form("F2 { bash } < x", ".bashrc", "if [ -f rt56/e.sh ]; then {\n  bash\n} < rt56/e.sh; fi\n", "rt56/e.sh",
                        "bash", "-i", "-c", "true"),
                round.form("F4 BASH_ALIASES[go]=x/y", ".bashrc", "BASH_ALIASES[rt56go]=rt56/e.sh\n[ -f rt56/e.sh ] && rt56go\n",
                        "rt56/e.sh", "bash", "-i", "-c", "true"),
                List.of("F5 history -r x; fc -s", ".bashrc", "[ -f rt56/h ] && history -r rt56/h && fc -s touch >/dev/null 2>&1\n",
                        "rt56/h", "touch " + round.marker() + "\n", "bash", "-i", "-c", "true"),
                List.of("F6 $mapfile[x]", ".zshrc", "zmodload zsh/mapfile\n[ -f rt56/cmd ] && eval \"$mapfile[rt56/cmd]\"\n",
                        "rt56/cmd", command, "zsh", "-i", "-c", "true"));
        assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
    }

    /**
     * Outside test RT57: a program that runs what a file it is given says (GNU sed's {@code e}, awk's {@code system}),
     * Python reading its script from a here-document (it imports from where it starts), perl's relative {@code -I}.
     */
    @Test
    void startUpFormsOfRoundRt57KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt57");
        String command = "/usr/bin/touch " + round.marker() + "\n";
        String python = "open('" + round.marker() + "', 'w').close()\n";
        List<List<String>> forms = List.of(
                List.of("sed -n e x", ".bashrc", "[ -f rt57/cmds ] && sed -n e rt57/cmds\n", "rt57/cmds", command, "bash", "-i",
                        "-c", "true"),
                List.of("awk '{system($0)}' x", ".bashrc", "[ -f rt57/cmds ] && awk '{system($0)}' rt57/cmds\n", "rt57/cmds",
                        command, "bash", "-i", "-c", "true"),
                List.of("python3 <<EOF import m", ".bashrc", "/usr/bin/python3 <<'EOF' 2>/dev/null\nimport rt57mod\nEOF\n",
                        "rt57mod.py", python, "bash", "-i", "-c", "true"),
                List.of("perl -Ilib -Mm", ".bashrc", "perl -Irt57lib -Mrt57m -e1 2>/dev/null\n", "rt57lib/rt57m.pm",
                        "system('" + command.strip() + "'); 1;\n", "bash", "-i", "-c", "true"));
        assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
    }

    /** Outside test RT58: a file {@code diff} prints into code, and a script vim's other name runs. */
    @Test
    void startUpFormsOfRoundRt58KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt58");
        List<List<String>> forms = List.of(
                List.of("F1 eval \"$(diff /dev/null x | sed …)\"", ".bashrc",
                        "eval \"$(diff /dev/null rt58/cmd 2>/dev/null | sed -n 's/^> //p')\"\n", "rt58/cmd",
                        "/usr/bin/touch " + round.marker() + "\n", "bash", "-i", "-c", "true"),
                List.of("F4 view -S x", ".bashrc", "[ -f rt58/v.vim ] && view -Nes -u NONE -S rt58/v.vim +qa! </dev/null >/dev/null 2>&1\n",
                        "rt58/v.vim", "call system('/usr/bin/touch " + round.marker() + "')\n", "bash", "-i", "-c", "true"));
        assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
    }

    /**
     * Outside test RT59: a printer behind a path or an assignment, a script option glued to its file, a program under a
     * versioned or other name, an option's {@code =value}, a shell and an argument file not on the lists, zsh's short loop
     * and {@code repeat}.
     */
    @Test
    void startUpFormsOfRoundRt59KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt59");
        String touch = "/usr/bin/touch " + round.marker() + "\n";
        String cmake = "execute_process(COMMAND /usr/bin/touch " + round.marker() + ")\n";
        List<List<String>> forms = new ArrayList<>(List.of(
                round.form("H1 /usr/bin/diff", ".bashrc", "eval \"$(/usr/bin/diff --line-format=%L /dev/null rt59/a 2>/dev/null)\"\n",
                        "rt59/a", "bash", "-i", "-c", "true"),
                List.of("H1 LC_ALL=C cat", ".bashrc", "eval \"$(LC_ALL=C cat rt59/b 2>/dev/null)\"\n", "rt59/b", touch,
                        "bash", "-i", "-c", "true"),
                List.of("H4 make -s -fx", ".bashrc", "[ -f rt59/m ] && make -s -frt59/m >/dev/null 2>&1\n", "rt59/m",
                        "all:\n\t/usr/bin/touch " + round.marker() + "\n", "bash", "-i", "-c", "true"),
                // (a restricted shell runs no command named with a '/')
                List.of("H5 rbash x", ".bashrc", "[ -f rt59/r ] && rbash rt59/r\n", "rt59/r", "touch "
                        + round.marker() + "\n", "bash", "-i", "-c", "true"),
                List.of("H5 xargs -a x", ".bashrc", "eval \"$(xargs -a rt59/x -0 printf %s 2>/dev/null)\"\n", "rt59/x", touch,
                        "bash", "-i", "-c", "true"),
                round.form("H6 for f (x)", ".zshrc", "for f (rt59z) source $f 2>/dev/null\n", "rt59z", "zsh", "-i", "-c",
                        "true"),
                round.form("H6 repeat 1 source x", ".zshrc", "repeat 1 source rt59q 2>/dev/null\n", "rt59q", "zsh", "-i",
                        "-c", "true")));
        if (Files.isExecutable(Path.of("/usr/bin/cmake"))) {
            forms.add(List.of("H2 cmake -Px", ".bashrc", "[ -f rt59/c ] && cmake -Prt59/c >/dev/null 2>&1\n", "rt59/c", cmake,
                    "bash", "-i", "-c", "true"));
        } else {
            System.out.println("rt59: H2 not tried: no /usr/bin/cmake here");
        }
        assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
    }

    /**
     * Outside test RT60: a printer behind another wrapper, a bare relative name in a variable that is sourced, a source
     * command after {@code --} or a redirection or in a trap's string, zsh's short {@code if}, sed's glued {@code -f}.
     */
    @Test
    void startUpFormsOfRoundRt60KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt60");
        String touch = "/usr/bin/touch " + round.marker() + "\n";
        List<List<String>> forms = List.of(
                List.of("H1 timeout 5 cat", ".bashrc", "eval \"$(timeout 5 cat rt60a 2>/dev/null)\"\n", "rt60a", touch,
                        "bash", "-i", "-c", "true"),
                round.form("H2 ENV_FILE=.env", ".bashrc", "ENV_FILE=rt60.env\n[ -f \"$ENV_FILE\" ] && . \"$ENV_FILE\"\n",
                        "rt60.env", "bash", "-i", "-c", "true"),
                round.form("H3 command -- . x", ".bashrc", "command -- . rt60c 2>/dev/null\n", "rt60c", "bash", "-i", "-c",
                        "true"),
                round.form("H3 2>/dev/null . x", ".bashrc", "2>/dev/null . rt60d\n", "rt60d", "bash", "-i", "-c", "true"),
                round.form("H4 trap '. x' EXIT", ".bashrc", "trap '. rt60e 2>/dev/null' EXIT\n", "rt60e", "bash", "-i", "-c",
                        "true"),
                round.form("H5 if [[ -f x ]] source x", ".zshrc", "if [[ -f rt60f ]] source rt60f\n", "rt60f", "zsh", "-i",
                        "-c", "true"),
                List.of("H6 sed -nfx", ".bashrc", "sed -nfrt60g /etc/hostname >/dev/null 2>&1\n", "rt60g",
                        "1e /usr/bin/touch " + round.marker() + "\n", "bash", "-i", "-c", "true"));
        assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
    }

    /**
     * Outside test RT61: what echo writes into a file sourced later, a quoted operator eval makes an operator again,
     * {@code $0} in a {@code -c} string, the shell's own name, a printer behind {@code /usr/bin/env}, a plain word in a
     * variable fed to a shell, gdb's {@code -x NONE}.
     */
    @Test
    void startUpFormsOfRoundRt61KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt61");
        String touch = "/usr/bin/touch " + round.marker() + "\n";
        Path printed = host.outside().resolve("rt61-printed");
        List<List<String>> forms = new ArrayList<>(List.of(
                round.form("H1 echo '. x' > f; . f", ".bashrc", "echo '. rt61a 2>/dev/null' > " + printed + "; . " + printed + "\n",
                        "rt61a", "bash", "-i", "-c", "true"),
                round.form("H2 eval bash \"<\" x", ".bashrc", "eval bash \"<\" rt61b 2>/dev/null\n", "rt61b", "bash", "-i",
                        "-c", "true"),
                round.form("H4 bash -c '. \"$0\"' x", ".bashrc", "bash -c '. \"$0\"' rt61c 2>/dev/null\n", "rt61c", "bash",
                        "-i", "-c", "true"),
                round.form("H8 \"$BASH\" x", ".bashrc", "\"$BASH\" rt61d 2>/dev/null\n", "rt61d", "bash", "-i", "-c", "true"),
                List.of("H9 /usr/bin/env cat", ".bashrc", "eval \"$(/usr/bin/env cat rt61e 2>/dev/null)\"\n", "rt61e", touch,
                        "bash", "-i", "-c", "true"),
                round.form("H10 f=x; sh < \"$f\"", ".bashrc", "f=rt61f; [ -f \"$f\" ] && sh < \"$f\"\n", "rt61f", "bash",
                        "-i", "-c", "true")));
        if (Files.isExecutable(Path.of("/usr/bin/gdb"))) {
            forms.add(List.of("H5 gdb -x NONE", ".bashrc", "[ -f NONE ] && gdb -batch -nx -x NONE >/dev/null 2>&1\n", "NONE",
                    "shell /usr/bin/touch " + round.marker() + "\n", "bash", "-i", "-c", "true"));
        } else {
            System.out.println("rt61: H5 not tried: no /usr/bin/gdb here");
        }
        try {
            assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
        } finally {
            Files.deleteIfExists(printed);
        }
    }

    /**
     * Outside test RT62: a plain word given by {@code :=} or {@code +=} to a variable that is sourced, the shell named by
     * a variable with another's value after it and through {@code /proc}, and what printf writes into a file that is
     * sourced and removed.
     */
    @Test
    void startUpFormsOfRoundRt62KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt62");
        Path printed = host.outside().resolve("rt62-printed");
        List<List<String>> forms = List.of(
                round.form("H1 : ${f:=x}; . \"$f\"", ".bashrc", ": ${f:=rt62a}; [ -f \"$f\" ] && . \"$f\"\n", "rt62a", "bash",
                        "-i", "-c", "true"),
                round.form("H2 f+=x", ".bashrc", "f=; f+=rt62b; [ -f \"$f\" ] && . \"$f\"\n", "rt62b", "bash", "-i", "-c",
                        "true"),
                round.form("H5 f=x; \"$BASH\" \"$f\"", ".bashrc", "f=rt62c; [ -f \"$f\" ] && \"$BASH\" \"$f\"\n", "rt62c",
                        "bash", "-i", "-c", "true"),
                round.form("H6 /proc/$$/exe x", ".bashrc", "[ -f rt62d ] && /proc/$$/exe rt62d\n", "rt62d", "bash", "-i",
                        "-c", "true"),
                round.form("H7 printf > f; . f; rm f", ".bashrc", "printf '%s\\n' '. rt62e 2>/dev/null' > " + printed + "; . "
                        + printed + "; rm -f " + printed + "\n", "rt62e", "bash", "-i", "-c", "true"));
        try {
            assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
        } finally {
            Files.deleteIfExists(printed);
        }
    }

    /**
     * Outside test RT63: what echo writes, run by eval or as a command, or written by an earlier {@code exec} or through
     * {@code dd} into a file that is sourced and removed; zsh's {@code =(…)}; a default five levels deep; an associative
     * array's keys; an escaped blank eval reads again; zsh's {@code set -A}; an alias that runs another; {@code $_}.
     */
    @Test
    void startUpFormsOfRoundRt63KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt63");
        Path printed = host.outside().resolve("rt63-printed");
        List<List<String>> forms = List.of(
                round.form("F1 eval \"$(echo …)\"", ".bashrc", "eval \"$(echo '. rt63a')\"\n", "rt63a",
                        "bash", "-i", "-c", "true"),
                round.form("F2 $(echo . x)", ".bashrc", "$(echo . rt63b)\n", "rt63b", "bash", "-i", "-c", "true"),
                round.form("F3 exec >f; echo", ".bashrc", "exec 4>&1 >" + printed + "\necho '. rt63c'\nexec >&4\n. "
                        + printed + "; rm -f " + printed + "\n", "rt63c", "bash", "-i", "-c", "true"),
                round.form("F4 echo | dd of=f", ".bashrc", "echo '. rt63d' | dd of=" + printed + " 2>/dev/null; . "
                        + printed + "; rm -f " + printed + "\n", "rt63d", "bash", "-i", "-c", "true"),
                round.form("F5 source =(echo …)", ".zshrc", "source =(echo 'source rt63e')\n", "rt63e",
                        "zsh", "-i", "-c", "true"),
                round.form("F6 five defaults", ".bashrc", "[ -f rt63f ] && . \"${a:-${b:-${c:-${d:-${e:-rt63f}}}}}\"\n", "rt63f",
                        "bash", "-i", "-c", "true"),
                round.form("F7 ${!m[@]}", ".bashrc", "declare -A m=([rt63g]=1); for k in \"${!m[@]}\"; do [ -f \"$k\" ] && . "
                        + "\"$k\"; done\n", "rt63g", "bash", "-i", "-c", "true"),
                round.form("F8 eval .\\ x", ".bashrc", "[ -f rt63h ] && eval .\\ rt63h\n", "rt63h", "bash", "-i", "-c", "true"),
                round.form("F10 set -A", ".zshrc", "set -A a y rt63i; [[ -f $a[2] ]] && source $a[2]\n", "rt63i", "zsh",
                        "-i", "-c", "true"),
                round.form("F11 alias chain", ".bashrc", "alias b='. rt63j'\nalias a='b'\n[ -f rt63j ] && a\n", "rt63j",
                        "bash", "-i", "-c", "true"),
                round.form("$_", ".bashrc", ": rt63k; . \"$_\" 2>/dev/null\n", "rt63k", "bash", "-i", "-c", "true"));
        try {
            assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
        } finally {
            Files.deleteIfExists(printed);
        }
    }

    /**
     * Outside test RT64: a printer's text not computed here run by eval (an escape, {@code yes}, a printer by path, a
     * substitution over lines), a group's printed text sent into a file that is sourced, {@code $FUNCNAME},
     * {@code readarray}, an IFS split, a chain of ten aliases, zsh's {@code $0} in a function. ({@code . /dev/stdin <<<},
     * which the plan had kept here before, is in {@code ShellStartupTextTest.round64FormsAreFound}.)
     */
    @Test
    void startUpFormsOfRoundRt64KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt64");
        Path printed = host.outside().resolve("rt64-printed");
        StringBuilder chain = new StringBuilder();
        for (int i = 1; i < 10; i++) {
            chain.append("alias c").append(i).append("=c").append(i + 1).append('\n');
        }
        chain.append("alias c10='. rt64g'\nc1\n");
        List<List<String>> forms = List.of(
                round.form("H1 printf '\\x2e x'", ".bashrc", "eval \"$(printf '\\x2e rt64a')\"\n", "rt64a", "bash", "-i", "-c",
                        "true"),
                round.form("H11 { echo; } > f; . f", ".bashrc", "{\n  echo . rt64b\n} > " + printed + "\n. " + printed + "; rm -f "
                        + printed + "\n", "rt64b", "bash", "-i", "-c", "true"),
                round.form("H13 yes", ".bashrc", "eval \"$(yes '. rt64c' | head -n1)\"\n", "rt64c", "bash", "-i", "-c", "true"),
                round.form("H14 $FUNCNAME", ".bashrc", "rt64d() { . \"$FUNCNAME\"; }\nrt64d\n", "rt64d", "bash", "-i", "-c", "true"),
                round.form("H15 IFS split", ".bashrc", "v=y:rt64e\nIFS=:\nfor f in $v; do . \"$f\" 2>/dev/null; done\nunset IFS\n",
                        "rt64e", "bash", "-i", "-c", "true"),
                round.form("H16 readarray", ".bashrc", "readarray -t a <<< rt64f\n. \"${a[0]}\"\n", "rt64f", "bash", "-i", "-c",
                        "true"),
                round.form("H22 ten aliases", ".bashrc", chain.toString(), "rt64g", "bash", "-i", "-c", "true"),
                round.form("H10 a substitution over lines", ".bashrc", "eval \"$(\necho . rt64i\n)\"\n", "rt64i", "bash", "-i",
                        "-c", "true"),
                round.form("H27 zsh's $0 in a function", ".zshrc", "rt64j() { source $0 }\nrt64j\n", "rt64j", "zsh", "-i", "-c",
                        "true"));
        try {
            assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
        } finally {
            Files.deleteIfExists(printed);
        }
    }

    /**
     * Outside test RT65: a file written by {@code &>} and sourced, {@code trap --}, {@code bash -c --}, a here-string
     * copied into a file that is sourced, a printer's name in pieces in a substitution eval runs.
     */
    @Test
    void startUpFormsOfRoundRt65KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt65");
        Path printed = host.outside().resolve("rt65-printed");
        List<List<String>> forms = List.of(
                round.form("F5 &>", ".bashrc", "echo '. rt65a' &> " + printed + "; . " + printed + "; rm -f " + printed + "\n",
                        "rt65a", "bash", "-i", "-c", "true"),
                round.form("F7 trap --", ".bashrc", "trap -- '. rt65b' EXIT\n", "rt65b", "bash", "-i", "-c", "true"),
                round.form("F9 bash -c --", ".bashrc", "bash -c -- '. rt65c'\n", "rt65c", "bash", "-i", "-c", "true"),
                round.form("F12 cp /dev/stdin <<<", ".bashrc", "cp /dev/stdin " + printed + " <<<'. rt65d'; . " + printed
                        + "; rm -f " + printed + "\n", "rt65d", "bash", "-i", "-c", "true"),
                round.form("F13 'ec'ho", ".bashrc", "eval \"$('ec'ho . rt65e)\"\n", "rt65e", "bash", "-i", "-c", "true"));
        try {
            assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
        } finally {
            Files.deleteIfExists(printed);
        }
    }

    /**
     * Outside test RT66: a source command after {@code coproc}, a {@code mapfile} callback, code run from the history, the
     * shell named through {@code $BASH} after an assignment, {@code realpath} of a relative file, a relative file copied
     * and the copy sourced, zsh's {@code zargs}.
     */
    @Test
    void startUpFormsOfRoundRt66KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt66");
        Path copied = host.outside().resolve("rt66-copied");
        List<List<String>> forms = List.of(
                round.form("H1 coproc", ".bashrc", "coproc . rt66a; wait\n", "rt66a", "bash", "-i", "-c", "true"),
                round.form("H2 mapfile -C", ".bashrc", "mapfile -C '. rt66b' -c 1 a < /etc/hostname\n", "rt66b",
                        "bash", "-i", "-c", "true"),
                round.form("H3 fc -s", ".bashrc", "history -s '. rt66c'; fc -s\n", "rt66c", "bash", "-i", "-c", "true"),
                round.form("H4 X=1 $BASH", ".bashrc", "[ -n \"$RT66\" ] || RT66=1 \"$BASH\" rt66d\n", "rt66d",
                        "bash", "-i", "-c", "true"),
                round.form("H5 realpath", ".bashrc", ". \"$(realpath rt66e)\"\n", "rt66e", "bash", "-i", "-c", "true"),
                round.form("H6 cp", ".bashrc", "cp rt66f " + copied + "; . " + copied + "; rm -f " + copied + "\n", "rt66f",
                        "bash", "-i", "-c", "true"),
                round.form("H7 zargs", ".zshrc", "autoload -Uz zargs; zargs -- rt66g -- source\n", "rt66g",
                        "zsh", "-i", "-c", "true"));
        try {
            assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
        } finally {
            Files.deleteIfExists(copied);
        }
    }

    /**
     * Outside test RT67: the working directory read from the environment ({@code printenv PWD}), the directory before the
     * last change in a substitution ({@code ~-}), the shell named through a lookup in a command's place, a printer
     * behind a redirection.
     */
    @Test
    void startUpFormsOfRoundRt67KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt67");
        List<List<String>> forms = List.of(
                round.form("H1 printenv PWD", ".bashrc", ". \"$(printenv PWD)/rt67a\"\n", "rt67a", "bash", "-i", "-c", "true"),
                round.form("H2 ~-", ".bashrc", "cd ~; . \"$(printf %s ~-)/rt67b\"; cd - >/dev/null\n", "rt67b",
                        "bash", "-i", "-c", "true"),
                round.form("H7 $(ls /bin/bash)", ".bashrc", "\"$(ls /bin/bash)\" rt67c\n", "rt67c", "bash", "-i", "-c", "true"),
                round.form("H8 2>/dev/null cat", ".bashrc", "eval \"$(2>/dev/null cat rt67d)\"\n", "rt67d",
                        "bash", "-i", "-c", "true"));
        assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
    }

    /**
     * Outside test RT68: a printer past a substitution's first command whose output is evaluated, an interpreter named by
     * a lookup inside {@code realpath}, a backquoted lookup in a command's place.
     */
    @Test
    void startUpFormsOfRoundRt68KeepWhatTheLaterProgramRuns() throws Exception {
        Round round = round("rt68");
        List<List<String>> forms = List.of(
                round.form("H1 $(true; cat)", ".bashrc", "eval \"$(true; cat rt68a)\"\n", "rt68a", "bash", "-i", "-c", "true"),
                round.form("H3 realpath of which", ".bashrc", "\"$(realpath \"$(which bash)\")\" rt68b\n", "rt68b",
                        "bash", "-i", "-c", "true"),
                round.form("H5 `which bash`", ".bashrc", "`which bash` rt68c\n", "rt68c", "bash", "-i", "-c", "true"));
        assertNoFormWritable(round.sandboxes(), round.marker(), forms, Map.of());
    }

    /** A round's sandboxes, the file its targets create when they run, and their text. */
    private record Round(Sandboxes sandboxes, Path marker, String target) {
        /** A form for {@link #writableForms}: name, config, its text, the target, this round's target text, the later program. */
        List<String> form(String name, String config, String text, String target, String... later) {
            List<String> form = new ArrayList<>(List.of(name, config, text, target, target()));
            form.addAll(List.of(later));
            return List.copyOf(form);
        }
    }

    private Round round(String name) {
        Path marker = host.outside().resolve(name + "-ran");
        return new Round(Sandboxes.of(host, backend), marker, "#!/bin/sh\n/usr/bin/touch " + marker + "\n");
    }

    /** No form's target is writable ({@link #writableForms}), with {@code homeFiles} (name, text) in the home meanwhile. */
    private void assertNoFormWritable(Sandboxes sandboxes, Path marker, List<List<String>> forms, Map<String, String> homeFiles)
            throws Exception {
        List<Path> written = new ArrayList<>();
        try {
            for (Map.Entry<String, String> file : homeFiles.entrySet()) {
                Path home = Files.writeString(host.home().resolve(file.getKey()), file.getValue());
                written.add(home);
                if (file.getValue().startsWith("#!")) {
                    assertThat(home.toFile().setExecutable(true)).isTrue();
                }
            }
            assertThat(writableForms(sandboxes, marker, forms)).as("forms whose target the sandboxed command could write")
                    .isEmpty();
        } finally {
            for (Path file : written) {
                Files.delete(file);
            }
        }
    }

    /** The directory of the host's {@code /usr/bin/python3}'s standard library below its prefix: {@code python3.11}. */
    private static String pythonLibraryDirectory() throws Exception {
        Process python = new ProcessBuilder("/usr/bin/python3", "-c",
                "import sys; print('python%d.%d' % sys.version_info[:2])").redirectErrorStream(true).start();
        String name = new String(python.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertThat(python.waitFor()).as(name).isZero();
        return name;
    }

    /**
     * A form for {@link #writableForms}: the working directory a repository whose {@code core.hooksPath} (in
     * {@code ~/.gitconfig}, the form's config) is its {@code hooks}, with a {@code pre-commit} of the {@code shebang}
     * line; the target {@code tools/interp}, run by the next commit.
     */
    private List<String> hookInterpreterForm(String name, String shebang, String interpreter) throws Exception {
        assertThat(new ProcessBuilder("git", "init", "-q", host.work().toString()).start().waitFor()).isZero();
        Path hook = Files.createDirectories(host.work().resolve("hooks")).resolve("pre-commit");
        Files.writeString(hook, shebang + "\n");
        assertThat(hook.toFile().setExecutable(true)).isTrue();
        return List.of(name, ".gitconfig", "[core]\n\thooksPath = " + host.work().resolve("hooks") + "\n[user]\n\tname = a\n"
                + "\temail = a@b\n", "tools/interp", interpreter, "git", "commit", "-q", "--allow-empty", "-m", "x");
    }

    /**
     * Each form (name, a config in the home, its text, the target in the working directory, the target's text, the later
     * program and its arguments): the append to the target succeeds before the config names it; the names of the forms
     * whose target the sandbox still let the command write after; unsandboxed, the later program started in the working
     * directory must run the target (it creates {@code marker}).
     */
    private List<String> writableForms(Sandboxes sandboxes, Path marker, List<List<String>> forms) throws Exception {
        List<String> writable = new ArrayList<>();
        for (List<String> form : forms) {
            Path config = host.home().resolve(form.get(1));
            String before = Files.exists(config) ? Files.readString(config) : null;
            Path target = host.work().resolve(form.get(3));
            Files.createDirectories(target.getParent());
            Files.writeString(target, form.get(4));
            assertThat(target.toFile().setExecutable(true)).isTrue();
            assertThat(append(sandboxes, true, target)).as(form.get(0) + ": control, nothing names it").contains("WROTE");
            Files.writeString(target, form.get(4));
            Files.createDirectories(config.getParent());
            Files.writeString(config, form.get(2));
            try {
                if (append(sandboxes, true, target).contains("WROTE")) {
                    writable.add(form.get(0));
                }
                Files.writeString(target, form.get(4));
                ProcessBuilder later = new ProcessBuilder(form.subList(5, form.size())).directory(host.work().toFile())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                later.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("GIT_"));
                later.environment().put("HOME", host.home().toString());
                later.environment().put("PATH", "/usr/bin:/bin");
                assertThat(later.start().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(marker).as(form.get(0) + ": control, the real program runs the target").exists();
                Files.delete(marker);
            } finally {
                if (before == null) {
                    Files.delete(config);
                } else {
                    Files.writeString(config, before);
                }
            }
        }
        return writable;
    }

    /**
     * Outside test RT26, F6, F7: a dotfile link into the working directory whose target is not there yet ({@code ~/.bashrc
     * -> work/f}; and {@code ~/.bashrc -> lnk/o/../f} with {@code lnk/o -> work/sub}, which the kernel walks to work/f):
     * the command created the start-up file (F6 under Landlock, F7 under bubblewrap) and the host's next shell ran it.
     * Controls: outside, the file is created; inside, with no link, the working directory is writable.
     */
    @Test
    void aDanglingDotfileLinkIntoTheWorkingDirectoryCannotBeFilled() throws Exception {
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Path links = Files.createDirectories(host.outside().resolve("lnk"));
        Files.createSymbolicLink(links.resolve("o"), Files.createDirectories(host.work().resolve("sub")));
        Path f = host.work().resolve("f");
        String create = "echo 'echo PLANTED' > " + f + " && echo CREATED";
        assertThat(sandboxes.inside("sh", "-c", create).stdout().text()).as("control: no link leads there").contains("CREATED");
        Files.delete(f);
        for (Path target : List.of(f, links.resolve("o/../f"))) {
            Path link = Files.createSymbolicLink(host.home().resolve(".bashrc"), target);
            ExecResult inside = sandboxes.inside("sh", "-c", create);
            assertThat(inside.stdout().text()).as(target + ": " + inside.stderr().text()).doesNotContain("CREATED");
            assertThat(f).as(target.toString()).doesNotExist();
            assertThat(sandboxes.outside("sh", "-c", create).stdout().text()).as("control: outside").contains("CREATED");
            Files.delete(f);
            Files.delete(link);
        }
    }

    /**
     * Outside test RT26, F8: {@code GIT_CONFIG_GLOBAL=lnk/abs}, {@code lnk/abs -> lnk/o/../../proj/f} with {@code lnk/o} a
     * link: the one hop was normalized as text (to a file that is not there), and the real global config, in the working
     * directory, was writable; the next host git ran what the command put in it. Control: outside, it is written.
     */
    @Test
    void aGlobalGitConfigReachedThroughADotDotAfterALinkIsNotWritable() throws Exception {
        Path config = Files.writeString(host.work().resolve("gitconfig"), "[user]\n");
        Path deep = Files.createDirectories(host.outside().resolve("other/deep/er"));
        Path links = Files.createDirectories(host.outside().resolve("lnk"));
        Files.createSymbolicLink(links.resolve("o"), deep);
        // o's target lies deeper than o: the kernel's ../../../.. from other/deep/er is the test host's root, which holds
        // work/gitconfig; as text, from lnk/o it is the directory above that root
        Path relative = deep.relativize(host.work().resolve("gitconfig"));
        Path chained = links.resolve("o").resolve(relative);
        assertThat(chained.normalize()).as("as text, another file").isNotEqualTo(config);
        Files.createSymbolicLink(links.resolve("abs"), chained);
        assertThat(Files.readString(links.resolve("abs"))).as("the chain leads to the config").isEqualTo("[user]\n");
        HostEnvironment env = host.set("GIT_CONFIG_GLOBAL", links.resolve("abs").toString()).environment();
        Sandboxes sandboxes = Sandboxes.of(env, SandboxPolicy.defaults(env), backend);

        assertThat(append(sandboxes, true, config)).doesNotContain("WROTE");
        assertThat(Files.readString(config)).doesNotContain("planted");
        assertThat(append(sandboxes, false, config)).as("control: outside the sandbox").contains("WROTE");
    }

    /**
     * Outside test RT29, F2: git expands {@code %(prefix)/} in a path-valued key to its own installation's prefix, which
     * is not known here; where the working directory was no repository, {@code core.hooksPath} and {@code include.path}
     * spelt so in {@code ~/.gitconfig} were left writable, and a planted hook ran at the user's next commit. What such a
     * config names is unknown: nothing is made writable. Control: before the config names it, the hook is writable.
     */
    @Test
    void aGlobalGitConfigPathUnderGitsPrefixMakesNothingWritable() throws Exception {
        Path hook = Files.writeString(Files.createDirectories(host.work().resolve("hooks")).resolve("pre-commit"), ":\n");
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        assertThat(append(sandboxes, true, hook)).as("control: no config names it yet").contains("WROTE");

        // core.hooksPath names the hooks' directory; include.path the file itself, a config git reads
        for (String[] key : new String[][] {{"[core]\n\thooksPath", host.work().resolve("hooks").toString()},
                {"[include]\n\tpath", hook.toString()}}) {
            Files.writeString(host.home().resolve(".gitconfig"), key[0] + " = %(prefix)/.." + key[1] + "\n");
            assertThat(append(sandboxes, true, hook)).as(key[0]).doesNotContain("WROTE");
            // and git 2.52's optional form, the path after it (RT29's note)
            Files.writeString(host.home().resolve(".gitconfig"), key[0] + " = :(optional)" + key[1] + "\n");
            assertThat(append(sandboxes, true, hook)).as(":(optional) " + key[0]).doesNotContain("WROTE");
        }
        assertThat(append(sandboxes, false, hook)).as("control: outside the sandbox").contains("WROTE");
    }

    /**
     * Outside test RT30, F1: git before 2.52 reads {@code core.hooksPath = :(optional)/elsewhere/hooks} as a relative path,
     * a directory named {@code :(optional)} where git runs; taking the path after the prefix alone left that one writable,
     * and a hook planted there ran at the next commit. What such a value names is unknown. Control: before the config
     * names it, the hook is writable.
     */
    @Test
    void anOptionalGitPathIsAlsoTheRelativePathAnEarlierGitReads() throws Exception {
        Path elsewhere = host.outside().resolve("hooks");
        Path hook = host.work().resolve(":(optional)" + elsewhere).resolve("pre-commit");
        Files.createDirectories(hook.getParent());
        Files.writeString(hook, ":\n");
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        String script = "echo '# planted' >> '" + hook + "' && echo WROTE"; // quoted: the name holds parentheses
        assertThat(sandboxes.inside("sh", "-c", script).stdout().text()).as("control: no config names it").contains("WROTE");
        Files.writeString(host.home().resolve(".gitconfig"), "[core]\n\thooksPath = :(optional)" + elsewhere + "\n");
        assertThat(sandboxes.inside("sh", "-c", script).stdout().text()).doesNotContain("WROTE");
    }

    /**
     * Outside test RT29, F3: bash keeps a CR before a line's LF in the word, so {@code export PATH=$PATH:/w/bin<CR>} puts
     * {@code /w/bin\r} on the search path — a directory the command could create and fill with programs the next shell
     * ran. A shell start-up file with DOS line ends fails closed: no write path is made writable. Control: the same line
     * with LF only, for a directory outside the working directory, leaves the working directory writable. (A directory on
     * PATH inside the working directory keeps it read-only on both backends since RT32, F7.)
     */
    @Test
    void aShellStartUpFileWithDosLineEndsFailsClosed() throws Exception {
        Path bin = Files.createDirectories(host.outside().resolve("bin"));
        String script = "echo planted > '" + host.work().resolve("planted") + "' && echo WROTE";
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Files.writeString(host.home().resolve(".bashrc"), "export PATH=$PATH:" + bin + "\n");
        assertThat(sandboxes.inside("sh", "-c", script).stdout().text()).as("control: LF").contains("WROTE");
        Files.delete(host.work().resolve("planted"));
        Files.writeString(host.home().resolve(".bashrc"), "export PATH=$PATH:" + bin + "\r\n");
        assertThat(sandboxes.inside("sh", "-c", script).stdout().text()).doesNotContain("WROTE");
        assertThat(host.work().resolve("planted")).doesNotExist();
    }

    /**
     * Outside test RT29, F4: {@code ~/.profile} is read by dash too, which keeps {@code $'x'} as a {@code $} and a
     * quoted {@code x}, where bash (and the reader) decode it: {@code . /w/$'x'/e.sh} made dash source {@code /w/$x/e.sh},
     * which a command could create (bubblewrap; Landlock keeps the whole working directory read-only for {@code x/e.sh}).
     * Such a file read by sh fails closed. Control: before {@code ~/.profile} names it, the file can be made.
     */
    @Test
    void aProfileWithDollarQuotesThatShReadsAsWrittenFailsClosed() throws Exception {
        Files.writeString(Files.createDirectories(host.work().resolve("x")).resolve("e.sh"), "echo bash's reading\n");
        Path planted = host.work().resolve("$x").resolve("e.sh");
        String script = "mkdir -p '" + planted.getParent() + "' && echo planted > '" + planted + "' && echo WROTE";
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        assertThat(sandboxes.inside("sh", "-c", script).stdout().text()).as("control: nothing names it").contains("WROTE");
        Files.delete(planted);
        Files.delete(planted.getParent());
        // the review of the fix: a stock .profile sources .bashrc, which sources bash-completion's IFS=$'\n' (no path)
        Files.writeString(host.home().resolve(".profile"), "if [ -n \"$BASH_VERSION\" ]; then . \"$HOME/.bashrc\"; fi\n");
        Files.writeString(host.home().resolve(".bashrc"), "IFS=$'\\n'; cur=${cur//$'\\n'/}\n");
        assertThat(sandboxes.inside("sh", "-c", script).stdout().text()).as("control: IFS=$'\\n'").contains("WROTE");
        Files.delete(planted);
        Files.delete(planted.getParent());

        Files.writeString(host.home().resolve(".profile"), ". " + host.work() + "/$'x'/e.sh\n");
        assertThat(sandboxes.inside("sh", "-c", script).stdout().text()).doesNotContain("WROTE");
        assertThat(planted).doesNotExist();
    }

    /**
     * Outside test RT30, F2: a start-up file's variable whose value holds a part known only when the shell runs
     * ({@code $HOSTTYPE}, which bash sets) named nothing once used through the variable ({@code X=/w/sub/bin-$HOSTTYPE;
     * PATH="$X:$PATH"}), where the same entry written in place keeps its literal part: the command planted an {@code ls}
     * the next interactive shell ran. Control: before the start-up file names it, the program can be planted.
     */
    @Test
    void aPathEntryWithAComputedPartHeldInAVariableIsKept() throws Exception {
        Path planted = host.work().resolve("sub").resolve("bin-x86_64").resolve("ls");
        String script = "mkdir -p '" + planted.getParent() + "' && echo planted > '" + planted + "' && echo WROTE";
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        assertThat(sandboxes.inside("sh", "-c", script).stdout().text()).as("control: nothing names it").contains("WROTE");
        Files.delete(planted);
        Files.delete(planted.getParent());

        for (String line : new String[] {"LOCALBIN=" + host.work() + "/sub/bin-$HOSTTYPE; export PATH=\"$LOCALBIN:$PATH\"",
                "X=" + host.work() + "/sub/bin-$HOSTTYPE; export PYTHONPATH=\"$X\""}) {
            Files.writeString(host.home().resolve(".bashrc"), line + "\n");
            assertThat(sandboxes.inside("sh", "-c", script).stdout().text()).as(line).doesNotContain("WROTE");
            assertThat(planted).doesNotExist();
        }
    }

    /**
     * Outside test RT30, F3: each search-path pattern of a start-up file is matched against the disk, and 1,300 of them,
     * each walking thousands of entries, kept a plan going for minutes. The entries all patterns list in a plan are
     * bounded; past the bound the plan fails closed (the working directory is not given). Control: fewer patterns,
     * under the bound, leave it writable.
     */
    @Test
    void patternsThatListTooManyEntriesTogetherFailClosed() throws Exception {
        Path tree = host.outside().resolve("t");
        for (int i = 0; i < 100; i++) {
            for (int j = 0; j < 100; j++) {
                Files.createDirectories(tree.resolve("d" + i).resolve("e" + j));
            }
        }
        Path file = Files.writeString(host.work().resolve("f"), "x\n");
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        StringBuilder few = new StringBuilder();
        for (int n = 0; n < 2; n++) {
            few.append("PATH=\"").append(tree).append("/*/*/nm").append(n).append(":/usr/bin:/bin\"\n");
        }
        Files.writeString(host.home().resolve(".bashrc"), few);
        assertThat(append(sandboxes, true, file)).as("control: two patterns").contains("WROTE");
        StringBuilder many = new StringBuilder();
        for (int n = 0; n < 10; n++) {
            many.append("PATH=\"").append(tree).append("/*/*/nm").append(n).append(":/usr/bin:/bin\"\n");
        }
        Files.writeString(host.home().resolve(".bashrc"), many);
        assertThat(append(sandboxes, true, file)).doesNotContain("WROTE");
    }

    /**
     * Outside test RT31, F3–F5: a variable with a part only the shell knows, used inside a longer word
     * ({@code $X/bin}); bash's {@code $'…'} inside a double-quoted {@code ${…}} (its extquote); and a {@code BASH_ENV}
     * the shell computes: each named nothing, and a program planted in the working directory ran in the next shell.
     * Control: before the start-up file names it, the program can be planted.
     */
    @Test
    void pathsAShellComputesOrDecodesInsideAWordAreKept() throws Exception {
        Path planted = host.work().resolve("sub").resolve("p-x86_64").resolve("bin").resolve("ls");
        String script = "mkdir -p '" + planted.getParent() + "' && echo planted > '" + planted + "' && echo WROTE";
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        assertThat(sandboxes.inside("sh", "-c", script).stdout().text()).as("control: nothing names it").contains("WROTE");
        Files.delete(planted);
        String sub = host.work() + "/sub";
        for (String line : new String[] {"X=" + sub + "/p-$HOSTTYPE; export PATH=$X/bin:$PATH",
                "X=" + sub + "/p-$HOSTTYPE; export PATH=\"${X}/bin:$PATH\"",
                "export PATH=\"${PATH:+$'" + sub + "/p-x86_64/bin':}$PATH\"",
                "export BASH_ENV='" + sub + "/p-x86_6$(echo 4)/bin/ls'"}) {
            Files.writeString(host.home().resolve(".bashrc"), line + "\n");
            assertThat(sandboxes.inside("sh", "-c", script).stdout().text()).as(line).doesNotContain("WROTE");
            assertThat(planted).as(line).doesNotExist();
        }
    }

    @Test
    void aDotfileLinkedIntoTheWorkingDirectoryIsNotWritable() throws Exception {
        Path bashrc = Files.writeString(host.work().resolve("bashrc"), "# dotfiles\n");
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        assertThat(append(sandboxes, true, bashrc)).as("control: no link leads there yet").contains("WROTE");

        Files.createSymbolicLink(host.home().resolve(".bashrc"), bashrc);
        String inside = append(sandboxes, true, bashrc);
        assertThat(inside).doesNotContain("WROTE");
        // the directory that holds it is kept whole on both backends since round 24 (F12): its neighbours run with it
        assertThat(inside).as("the rest of the directory").doesNotContain("OTHER");
        assertThat(append(sandboxes, false, bashrc)).contains("WROTE");
    }

    /** The same for a known start-up file below a hidden directory: git's XDG config, linked by stow. */
    @Test
    void gitsXdgConfigLinkedIntoTheWorkingDirectoryIsNotWritable() throws Exception {
        Path gitconfig = Files.writeString(host.work().resolve("gitconfig"), "[user]\n\tname = u\n");
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        assertThat(append(sandboxes, true, gitconfig)).as("control: no link leads there yet").contains("WROTE");

        Files.createDirectories(host.home().resolve(".config/git"));
        Files.createSymbolicLink(host.home().resolve(".config/git/config"), gitconfig);
        String inside = append(sandboxes, true, gitconfig);
        assertThat(inside).doesNotContain("WROTE");
        // the directory that holds it is kept whole on both backends since round 24 (F12): its neighbours run with it
        assertThat(inside).as("the rest of the directory").doesNotContain("OTHER");
        assertThat(append(sandboxes, false, gitconfig)).contains("WROTE");
    }

    @Test
    void aProgramOnPathLinkedIntoTheWorkingDirectoryIsNotWritable() throws Exception {
        Path tool = Files.writeString(host.work().resolve("tool.sh"), "#!/bin/sh\necho legit\n");
        Path bin = Files.createDirectories(host.outside().resolve("pbin"));
        HostEnvironment env = host.environment();
        java.util.Map<String, String> variables = new java.util.HashMap<>(env.variables());
        variables.put("PATH", bin + ":" + env.get("PATH").orElse("/usr/bin"));
        HostEnvironment withBin = env.withVariables(variables);
        Sandboxes sandboxes = Sandboxes.of(withBin, SandboxPolicy.defaults(withBin), backend);
        assertThat(append(sandboxes, true, tool)).as("control: no link leads there yet").contains("WROTE");

        Files.createSymbolicLink(bin.resolve("tool"), tool);
        String inside = append(sandboxes, true, tool);
        assertThat(inside).doesNotContain("WROTE");
        // the directory that holds it is kept whole on both backends since round 24 (F12): its neighbours run with it
        assertThat(inside).as("the rest of the directory").doesNotContain("OTHER");
        assertThat(append(sandboxes, false, tool)).contains("WROTE");
    }

    /**
     * Red team, round 20, F4: {@code ~/.aws/credentials} and {@code ~/.ssh/id_*} linked into a
     * checkout were readable and writable from a command run there, even with the credentials
     * withheld (a planted {@code credential_process} then ran at the user's next {@code aws}
     * command). The target of a link at a credential location is a credential location: the working
     * directory that holds it is not given at all, on both backends. Controls: the same read and
     * write work sandboxed before the links exist, and unsandboxed after.
     */
    @Test
    void credentialsLinkedIntoTheWorkingDirectoryAreNeitherReadableNorWritable() throws Exception {
        Path credentials = Files.createDirectories(host.work().resolve("aws")).resolve("credentials");
        Files.writeString(credentials, "[default]\naws_secret_access_key = LINKED-SECRET\n");
        Path key = Files.writeString(Files.createDirectories(host.work().resolve("ssh")).resolve("id_linked"),
                "LINKED-KEY\n");
        HostEnvironment env = host.environment();
        Sandboxes sandboxes = Sandboxes.of(env, SandboxPolicy.builder(env).allowAwsConfig(false).build(), backend);
        String script = "cat " + credentials + " " + key + "; echo '# planted' >> " + credentials + " && echo WROTE";
        String before = sandboxes.inside("sh", "-c", script).stdout().text();
        assertThat(before).as("control: no link leads there yet").contains("LINKED-SECRET", "LINKED-KEY", "WROTE");

        Files.createDirectories(host.home().resolve(".aws"));
        Files.createDirectories(host.home().resolve(".ssh"));
        Files.createSymbolicLink(host.home().resolve(".aws/credentials"), credentials);
        Files.createSymbolicLink(host.home().resolve(".ssh/id_linked"), key);
        ExecResult result = sandboxes.inside("sh", "-c", script);
        assertThat(result.stdout().text()).doesNotContain("LINKED-SECRET").doesNotContain("LINKED-KEY").doesNotContain("WROTE");
        // the fact the user is told: why the directory is not given (the CLI and the MCP server add their advice)
        assertThat(result.enforcement().notes()).anySatisfy(n -> assertThat(n)
                .contains("the working directory " + host.work() + " is not given to the command")
                .containsAnyOf(".aws/credentials links to", ".ssh/id_linked links to"));
        assertThat(result.stages().getFirst().workingDirectoryWithheld()).hasValueSatisfying(why -> assertThat(why)
                .containsAnyOf(".aws/credentials links to", ".ssh/id_linked links to"));
        assertThat(sandboxes.outside("sh", "-c", script).stdout().text()).contains("LINKED-SECRET", "LINKED-KEY", "WROTE");
    }

    /**
     * A link at a credential location whose target is not there yet (a dotfiles checkout whose
     * per-machine file is ignored by git): a command run in the checkout created the target, the
     * AWS CLI's configuration or ssh's (red team, round 21, F2). Now no backend lets it, in any
     * credentials mode. Control: the same command creates it before the links exist.
     */
    @Test
    void aDanglingLinkAtACredentialLocationsTargetCannotBeCreated() throws Exception {
        Path sub = Files.createDirectories(host.work().resolve("private"));
        Map<String, Path> links = Map.of(".aws/config", sub.resolve("aws-config"), ".ssh/config", sub.resolve("ssh-config"));
        String script = "echo '[default]' > private/aws-config && echo '# planted' > private/ssh-config && echo WROTE";
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        assertThat(sandboxes.inside("sh", "-c", script).stdout().text()).as("control: no link leads there yet").contains("WROTE");
        Files.delete(sub.resolve("aws-config"));
        Files.delete(sub.resolve("ssh-config"));

        for (var link : links.entrySet()) {
            Files.createDirectories(host.home().resolve(link.getKey()).getParent());
            Files.createSymbolicLink(host.home().resolve(link.getKey()), link.getValue());
        }
        for (SandboxPolicy policy : List.of(SandboxPolicy.defaults(host.environment()),
                SandboxPolicy.builder(host.environment()).allowAwsConfig(false).build())) {
            ExecResult result = Sandboxes.of(host.environment(), policy, backend).inside("sh", "-c", script);
            assertThat(result.stdout().text()).doesNotContain("WROTE");
            assertThat(sub.resolve("aws-config")).doesNotExist();
            assertThat(sub.resolve("ssh-config")).doesNotExist();
        }
    }

    /**
     * The same with only the ssh key linked (the AWS credentials are not involved at all): the
     * working directory is still not given.
     */
    @Test
    void anSshKeyLinkedIntoTheWorkingDirectoryIsNotReadable() throws Exception {
        Path key = Files.writeString(Files.createDirectories(host.work().resolve("ssh")).resolve("id_linked"),
                "LINKED-KEY\n");
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        assertThat(sandboxes.inside("cat", key.toString()).stdout().text()).as("control: no link leads there yet")
                .contains("LINKED-KEY");

        Files.createDirectories(host.home().resolve(".ssh"));
        Files.createSymbolicLink(host.home().resolve(".ssh/id_linked"), key);
        assertThat(sandboxes.inside("cat", key.toString()).stdout().text()).doesNotContain("LINKED-KEY");
        assertThat(sandboxes.outside("cat", key.toString()).stdout().text()).contains("LINKED-KEY");
    }

    /**
     * In a credentials mode that reads the AWS config ({@code aws_config}, the default), the AWS CLI
     * still reads {@code ~/.aws/credentials} through its link, from another directory; the target
     * is never writable. Control: writable unsandboxed.
     */
    @Test
    void linkedAwsCredentialsAreReadOnlyWhenTheModeReadsThem() throws Exception {
        Path credentials = Files.createDirectories(host.work().resolve("aws")).resolve("credentials");
        Files.writeString(credentials, "[default]\naws_secret_access_key = LINKED-SECRET\n");
        Files.createDirectories(host.home().resolve(".aws"));
        Path link = host.home().resolve(".aws/credentials");
        Files.createSymbolicLink(link, credentials);
        HostEnvironment env = host.environment();
        Sandboxes sandboxes = Sandboxes.of(env, SandboxPolicy.builder(env).allowAwsConfig(true).build(), backend);
        String script = "cat " + link + "; echo '# planted' >> " + link + " && echo WROTE";
        String inside = sandboxes.inside("sh", "-c", script).stdout().text();
        assertThat(inside).contains("LINKED-SECRET").doesNotContain("WROTE");
        assertThat(sandboxes.outside("sh", "-c", script).stdout().text()).contains("LINKED-SECRET", "WROTE");
    }

    /**
     * Control for the rule above: a link in {@code ~/.ssh} to {@code /} or to the home itself does
     * not make everything a credential location; the working directory stays writable.
     */
    @Test
    void aKeyDirectoryLinkToTheRootOrTheHomeLeavesTheWorkingDirectoryAlone() throws Exception {
        Files.createDirectories(host.home().resolve(".ssh"));
        Files.createSymbolicLink(host.home().resolve(".ssh/root"), Path.of("/"));
        Files.createSymbolicLink(host.home().resolve(".ssh/home"), host.home());
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        assertThat(sandboxes.inside("sh", "-c", "echo x > " + host.work().resolve("ok.txt") + " && echo WROTE")
                .stdout().text()).contains("WROTE");
    }
}
