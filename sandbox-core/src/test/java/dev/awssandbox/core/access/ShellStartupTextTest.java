package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ShellStartupText}: what a start-up file names as code (red team, round 46, F1 and F2). */
class ShellStartupTextTest {
    private static final Path HOME = Path.of("/h");

    private static ShellStartupText.Reading read(String text, Map<String, String> environment) {
        return ShellStartupText.of(text, new HashMap<>(environment), HOME);
    }

    @Test
    void whatIsSourcedWhereverItStands() {
        ShellStartupText.Reading reading = read("""
                { . ~/p2/s.sh; }
                builtin source ~/p3/s.sh
                command . ~/p4/s.sh
                myinit() { . ~/p5/s.sh; }; myinit
                for f in ~/p6/*.sh "$HOME/p7/x.sh"; do . "$f"; done
                DOTFILES="$HOME/dotfiles"
                [ -f "$DOTFILES/aliases.sh" ] && source "$DOTFILES/aliases.sh"
                alias up='. ~/p8/s.sh'
                . "$NVM_DIR/nvm.sh"
                . "$(brew --prefix)/etc/bash_completion"
                . -- ~/p9/s.sh
                [ -f ~/p10/s.sh ] && \\
                    . ~/p10/s.sh
                eval ". ~/p11/s.sh"
                """, Map.of("NVM_DIR", "/h/.nvm"));

        assertThat(reading.sourced()).contains("/h/p2/s.sh", "/h/p3/s.sh", "/h/p4/s.sh", "/h/p5/s.sh", "/h/p6/*.sh",
                "/h/p7/x.sh", "/h/dotfiles/aliases.sh", "/h/p8/s.sh", "/h/.nvm/nvm.sh", "/h/p9/s.sh", "/h/p10/s.sh",
                "/h/p11/s.sh");
        assertThat(reading.sourced()).as("computed: not knowable here").contains("$");
    }

    /** Red team, round 47, F1: the shell's own quoting and expansions of a sourced word. */
    @Test
    void theShellsQuotingAndExpansionsAreUndone() {
        ShellStartupText.Reading reading = read("""
                . ~/p\\roj/f1.sh
                . "$HOME"/$'proj'/f2.sh
                . ~/{proj,nonexist}/f3.sh
                . ~root/../h/proj/f4.sh
                . ${HOME:?}/proj/f5.sh
                . ${HOME%/}/proj/f6.sh
                """, Map.of());

        assertThat(reading.paths()).contains("/h/nonexist/f3.sh"); // bash sources the first, hands it the second
        assertThat(reading.sourced()).contains("/h/proj/f1.sh", "/h/proj/f2.sh", "/h/proj/f3.sh",
                "/h/proj/f5.sh", "/h/proj/f6.sh").anySatisfy(s -> assertThat(s).endsWith("/../h/proj/f4.sh")
                .doesNotStartWith("~"));
    }

    /** Red team, round 47, F14: a comment ends at its newline, even after a backslash; quotes span lines. */
    @Test
    void commentsEndAtTheirLineAndQuotesSpanLines() {
        ShellStartupText.Reading reading = read("""
                # a comment that ends with a backslash \\
                . ~/p1/s.sh
                x="first line
                # not a comment: inside the quotes" ; . ~/p2/s.sh
                """, Map.of());

        assertThat(reading.sourced()).contains("/h/p1/s.sh", "/h/p2/s.sh");
    }

    @Test
    void scriptsItRunsAndDirectoriesItPutsOnPathAreNamed() {
        ShellStartupText.Reading reading = read("""
                export PATH="$HOME/p1/bin:$PATH"
                PATH=$PATH:/opt/tool/bin
                path=(~/zbin $path)
                fpath+=(~/.zfunc)
                fish_add_path ~/fbin
                set -gx PATH ~/sbin $PATH
                export PATH=$HOME/p2/bin${PATH:+:$PATH}
                alias deploy='bash ~/p3/s.sh'
                eval "$(sh ~/p4/s.sh)"
                PROMPT_COMMAND="sh $HOME/p5/s.sh"
                trap 'sh ~/p7/s.sh' EXIT
                """, Map.of("PATH", "/usr/bin:/bin"));

        assertThat(reading.directories()).contains("/h/p1/bin", "/opt/tool/bin", "/h/zbin", "/h/.zfunc", "/h/fbin",
                "/h/sbin", "/h/p2/bin").noneMatch(d -> d.contains("/usr/bin"));
        assertThat(reading.paths()).contains("/h/p3/s.sh", "/h/p4/s.sh", "/h/p5/s.sh", "/h/p7/s.sh");
    }

    /** Controls: a comment, a word after {@code .} that is no path, Debian's own {@code .bashrc}. */
    @Test
    void commentsAndOrdinaryWordsNameNothing() {
        ShellStartupText.Reading reading = read("""
                # . ~/commented/s.sh
                find . -name '*.tmp' -delete # source ~/also/commented.sh
                echo "a # b" . ~/quoted.sh
                [ -x /usr/bin/lesspipe ] && eval "$(SHELL=/bin/sh lesspipe)"
                if [ -f ~/.bash_aliases ]; then
                    . ~/.bash_aliases
                fi
                """, Map.of());

        assertThat(reading.sourced()).contains("/h/quoted.sh", "/h/.bash_aliases")
                .noneMatch(s -> s.contains("commented"));
        assertThat(reading.paths()).noneMatch(s -> s.contains("commented"));
        assertThat(reading.directories()).isEmpty();
    }

    /**
     * A text read again (every plan reads the same start-up files) gives the same words and makes the same
     * assignments, though its reading is kept: the second file of a plan sees what the first assigned, in every plan.
     */
    @Test
    void aTextReadAgainGivesTheSameWordsAndTheSameAssignments() {
        String first = "DOTFILES=\"$HOME/dotfiles\"\n. \"$DOTFILES/a.sh\"\n";
        String second = ". \"$DOTFILES/b.sh\"\n";
        for (int plan = 0; plan < 3; plan++) {
            Map<String, String> variables = new HashMap<>(Map.of("PATH", "/usr/bin"));
            assertThat(ShellStartupText.of(first, variables, HOME).sourced()).containsExactly("/h/dotfiles/a.sh");
            assertThat(variables).containsEntry("DOTFILES", "/h/dotfiles");
            assertThat(ShellStartupText.of(second, variables, HOME).sourced()).as("plan " + plan)
                    .containsExactly("/h/dotfiles/b.sh");
        }
        // the same text with other variables before it is read for them
        Map<String, String> other = new HashMap<>(Map.of("DOTFILES", "/elsewhere"));
        assertThat(ShellStartupText.of(second, other, HOME).sourced()).containsExactly("/elsewhere/b.sh");
        assertThat(ShellStartupText.of(first, new HashMap<>(), Path.of("/g")).sourced()).containsExactly("/g/dotfiles/a.sh");
    }

    /** Red team, round 48, F3 and F6: csh's and zsh's parenthesised loops, csh's path, fish's completion path. */
    @Test
    void cshAndZshLoopsAndPaths() {
        ShellStartupText.Reading reading = read("""
                foreach f (~/c/*.csh)
                  source $f
                end
                for g (~/z/*.zsh) source $g
                set path = ($path ~/cbin)
                setenv PATH ${PATH}:${HOME}/tbin
                set -gx fish_complete_path ~/fc $fish_complete_path
                """, Map.of("PATH", "/usr/bin:/bin"));

        assertThat(reading.sourced()).contains("/h/c/*.csh", "/h/z/*.zsh");
        assertThat(reading.directories()).contains("/h/cbin", "/h/tbin", "/h/fc").doesNotContain("/usr/bin")
                .noneMatch(d -> d.contains(":"));
    }

    /** What cat hands the shell is sourced (round 49, F1); 'cat /dev/null > file', the truncation idiom, is not. */
    @Test
    void catsFilesAreSourcedButNotItsDevices() {
        ShellStartupText.Reading reading = read("""
                eval "$(cat ~/env.sh)"
                cat /dev/null > ~/.bash_history
                run-parts ~/rc.d
                """, Map.of());

        assertThat(reading.sourced()).contains("/h/env.sh").doesNotContain("/dev/null");
        assertThat(reading.directories()).contains("/h/rc.d");
    }

    /**
     * Red team, round 50, F17: an apostrophe in a here-document, or an escaped blank before a #, took a later line for a
     * comment; F1: a value after a quoted part.
     */
    @Test
    void aHereDocumentOrAnEscapedBlankHidesNoLaterLine() {
        Map<String, String> variables = new HashMap<>();
        ShellStartupText.of("""
                help() { cat <<EOF
                Don't do that
                EOF
                }
                echo 'x #y'; export PYTHONPATH=~/a
                echo a\\ #b; export PERL5LIB=~/b
                export NODE_PATH="$NODE_PATH":~/c
                """, variables, HOME);

        assertThat(variables).containsEntry("PYTHONPATH", "/h/a").containsEntry("PERL5LIB", "/h/b")
                .containsEntry("NODE_PATH", "$NODE_PATH:/h/c");
    }

    /** The scan that keeps a text with {@code ~user} from the memo finds it where the shell would expand one. */
    @Test
    void aUserHomeIsFoundWhereverItStands() {
        assertThat(ShellStartupText.namesAUserHome(". ~alice/env.sh")).isTrue();
        assertThat(ShellStartupText.namesAUserHome("x=a:~_svc/bin")).isTrue();
        assertThat(ShellStartupText.namesAUserHome("cd ~ && ls ~/p ~+ ~- ~0 ~1")).isFalse();
        assertThat(ShellStartupText.namesAUserHome("echo ~")).isFalse();
        assertThat(ShellStartupText.namesAUserHome("p=~/x; q=~Bob")).isTrue();
    }

    /**
     * A reading's work is bounded by the words it expands, not by the time it takes: a loop's words multiply each line
     * that uses its variable, and a file of such lines is past what is read (the caller fails closed, naming it), the
     * same on any machine. A 200 KB script had taken 50 s per plan (RT27-F5). The control: a quarter of it is read.
     */
    @Test
    void aReadingThatWouldExpandTooManyWordsIsTooComplex() {
        String loop = "for d in " + java.util.stream.IntStream.range(0, 64).mapToObj(i -> "/p/w" + i)
                .collect(java.util.stream.Collectors.joining(" ")) + "; do :; done\n";
        java.util.function.IntFunction<String> uses = lines -> loop + java.util.stream.IntStream.range(0, lines)
                .mapToObj(i -> "cat $d/f" + i).collect(java.util.stream.Collectors.joining("\n"));

        assertThat(read(uses.apply(1000), Map.of()).paths()).contains("/p/w63/f999");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(uses.apply(4000), Map.of()))
                .isInstanceOf(ShellStartupText.TooComplex.class)
                .hasMessageContaining("more than " + ShellStartupText.MOST_EXPANSIONS + " words to expand");
    }

    /**
     * Outside test RT29, F4 and the review of its fix: what dash reads otherwise than bash is a {@code $'…'} or
     * {@code $"…"} that may name a path, read as the shells read (outside quotes and comments, lines joined at a
     * backslash-newline); bash-completion's {@code IFS=$'\n'} is not one.
     */
    @Test
    void whatShReadsOtherwiseThanBash() {
        for (String named : new String[] {". /w/$'x'/e.sh", "P=$'x'", ". /w/$\\\n'x'/e.sh", "X=/w/$\"x\"",
                "P=$'\\x41'", ". \"/w/a\n#b\"$'x'", "PATH=\"${PATH:+$'/w/bin':}$PATH\"", "PATH=/w/{a,b}/bin:$PATH"}) {
            assertThat(ShellStartupText.readOtherwiseBySh(named)).as(named).isPresent();
        }
        for (String text : new String[] {"IFS=$'\\n'", "local IFS=$' \\t\\n'", "grep -v '^$' ~/.x", "echo \"$'x'/a\"",
                "# . /w/$'x'/e.sh", "echo hi # $'x'/a", "cur=${cur//$'\\n'/}", "f() { echo a,b; }", "echo \"{a,b}\"",
                "x=${y:-a,b}"}) {
            assertThat(ShellStartupText.readOtherwiseBySh(text)).as(text).isEmpty();
        }
    }

    /**
     * Outside test RT36, F1, F8, F14, F15 (RT37, F1, F2: zsh's on its {@code path} array): a location variable set as a
     * loop's variable, by a zsh builtin that stores
     * into a named variable, as bash's descriptor variable; a directory from the directory stack or zsh's dynamic named
     * directories: the file is past what the reader follows (each form set the variable in the real shell and had been read as setting nothing).
     * Controls: the same shapes on other variables, in quotes, or a parameter's braces, are read.
     */
    @Test
    void locationsSetByLoopsBraceExpansionsAndMoreBuiltinsAreTooComplex() {
        for (String form : java.util.List.of(
                "for PATH in /w/bin:$PATH; do :; done", "select PATH in /w/bin; do break; done",
                "for x PATH in a /w/bin; do :; done", "for PATH (/w/bin:$PATH) :", "foreach PATH (/w/bin)\nend",
                "for HOME in /w; do :; done", "print -z /w; getln ZDOTDIR", "zstat -A ZDOTDIR +link ~/l",
                "zselect -a PATH -r 0", "exec {HOME}>/dev/null", "exec {PATH} > /dev/null",
                "pushd -n /w/bin; PATH=~1:$PATH", "PATH=~+2/bin:$PATH", ". ~-1/x.sh", "ZDOTDIR=~-", "source ~-/x.sh",
                "PATH=${DIRSTACK[1]}:$PATH", "zsh_directory_name() { reply=(/w) }; PATH=~[x]/bin:$PATH",
                "zstyle -a ':a' b path", "zstyle -g path ':a' b", "for a path in x /w/bin; do :; done",
                "compgen -V PATH -W /w/bin", "pcre_match -a PATH x", "sysopen -u ZDOTDIR -r f", "zsystem flock -f HOME f",
                "zgetattr f a PATH")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(form + "\n", Map.of())).as(form)
                    .isInstanceOf(ShellStartupText.TooComplex.class);
        }
        for (String control : java.util.List.of(
                "for d in /w/bin; do PATH=$d:$PATH; done", "for x in PATH HOME; do :; done", "for PATHS in a; do :; done",
                "exec 3>/dev/null", "PATH{x}=1", "alias back='cd ~-'", "PATH=~/bin:$PATH", "X=a~1",
                "zstyle ':completion:*' tag-order local-directories path-directories",
                "zstyle ':completion:*' cache-path ~/.zcache", "for path in a b; do echo $path; done")) {
            read(control + "\n", Map.of());
        }
    }

    /**
     * Outside test RT36, F3, F20: a declaration whose words a brace expansion makes ({@code export PATH{,=/w/bin}}) or
     * whose word is computed whole ({@code export "$x"} with {@code x=BASH_ENV=/w/e.sh}) sets variables not named in its
     * text. Controls: braces and values in quotes, a parameter's braces, an assignment's computed value.
     */
    @Test
    void declarationsWhoseWordsAreMadeByExpansionsAreNotFollowed() {
        for (String form : java.util.List.of(
                "export PATH{,=/w/bin:$PATH}", "export {PATH=/w/bin,X=1}", "declare -gx PYTHONPATH{,=/w}",
                "export P{A,}TH=/w/bin", "export A={x,y}", "typeset X{1..2}=/w", "eval 'export HOME{,=/w}'",
                "f() { local ZDOTDIR{,=/w}; }", "x=BASH_ENV=/w/e.sh; export \"$x\"", "export $x", "export \"${a[@]}\"",
                "export $(cat ~/.env | xargs)", "typeset -gx `cat ~/.env`", "export X=1 $y")) {
            assertThat(ShellStartupText.declarationNotFollowed(form + "\n")).as(form).isPresent();
        }
        for (String control : java.util.List.of(
                "export PATH=\"${PATH}:/w/bin\"", "export X='{a,b}'", "export X=\"{a,b}\"", "export X=${Y:-a}",
                "echo {a,b}", "export X=\\{a,b}", "export X={a}", "export X=$y", "export PATH", "echo export $x",
                "export X=\"$(date)\"", "declare -f -- \"$1\" >/dev/null", "local DIR=$(dirname \"$POM\")",
                "local o=\"$(d $x help 2>&1 | sed -e 's/x/y/')\"", "typeset -p $x")) {
            assertThat(ShellStartupText.declarationNotFollowed(control + "\n")).as(control).isEmpty();
        }
    }

    /**
     * Outside tests RT38, F4, and RT39: a group glued inside a path's word is read as its alternatives or as {@code *},
     * braces at every level; a function defined without a blank ({@code ld(){ …; }}) is no such group, and what it
     * sources is read as before.
     */
    @Test
    void aGluedGroupIsAPatternButAFunctionsParenthesesAreNot() {
        assertThat(read("ld(){ . ~/p12/s.sh; }; ld\n", Map.of()).sourced()).contains("/h/p12/s.sh");
        // alternatives, nested groups and extglob's other operators as '*' (each alternative may be the one sourced),
        // one plain name as itself (RT39, F1-F3, F11)
        assertThat(read(". ~/pro(j|x)/s.sh\n", Map.of()).sourced()).contains("/h/pro*/s.sh");
        assertThat(read(". ~/pro(j)/s.sh\n", Map.of()).sourced()).contains("/h/proj/s.sh");
        assertThat(read(". ~/w((o))rk/s.sh\n", Map.of()).sourced()).contains("/h/w*rk/s.sh");
        assertThat(read(". ~/p-@(work)/s.sh\n", Map.of()).sourced()).contains("/h/p-work/s.sh");
        assertThat(read(". ~/p-+(k)/s.sh\n", Map.of()).sourced()).contains("/h/p-*/s.sh");
        // nested braces at every level (RT39, F9): bash sources the first word they make, the rest are its arguments
        assertThat(read(". ~/w{o{rk,x},y}/s.sh\n", Map.of()).sourced()).contains("/h/work/s.sh");
    }

    /**
     * Outside test RT41: a brace alternative with a parameter or a substitution is expanded like any other (F2), a group
     * without alternatives is what {@code *} matches (zsh's BRACE_CCL, F1), and a glob qualifier that runs code or adds
     * words is too complex (F3); qualifiers of sizes, times, sorting and types are not code.
     */
    @Test
    void braceAlternativesWithParametersCharacterClassesAndQualifiersThatRunCode() {
        assertThat(read(". ~/{proj,$OSTYPE}/a.sh\n", Map.of()).sourced()).contains("/h/proj/a.sh");
        assertThat(read("d=j\n. ~/pro{$d,x}/a.sh\n", Map.of()).sourced()).contains("/h/proj/a.sh");
        assertThat(read(". ~/pro{\"${d}\",x}/a.sh\n", Map.of("d", "j")).sourced()).contains("/h/proj/a.sh");
        assertThat(read(". ~/pro{j}/a.sh\n", Map.of()).sourced()).contains("/h/pro*/a.sh");
        assertThat(read(". ~/pro{$(echo j),x}/a.sh\n", Map.of()).sourced()).contains("/h/pro*/a.sh");
        assertThat(read(". ~/pro{`echo j`,x}/a.sh\n", Map.of()).sourced()).contains("/h/pro*/a.sh");
        assertThat(read(". ${HOME}/proj/a.sh\n", Map.of()).sourced()).contains("/h/proj/a.sh");
        // RT42, F2, F4: zsh's braces in a default word; a directory changed to and printed
        ShellStartupText.Reading defaulted = read("source ${x:-/w/pro{j,x}/a.sh}\n", Map.of());
        assertThat(defaulted.sourced()).as("bash's reading").contains("/w/pro{j,x/a.sh}");
        assertThat(defaulted.paths()).as("zsh's").contains("/w/proj/a.sh");
        // RT49: the one form RT42-RT48 read as its directory ('$(cd /w/proj && pwd)') fails closed too ('cd ""' stays
        // where the shell starts, a cd that fails prints nothing, a global alias rewrites the directory)
        for (String form : java.util.List.of("$(cd /w/proj && pwd)", "$(cd $HOME/proj && pwd)", "$(cd \"$X\" && pwd)",
                "$(cd /w && echo $PWD)", "$(cd \"$(dirname \"$0\")\" && pwd)")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> read("source \"" + form + "/a.sh\"\n", Map.of()))
                    .as(form).isInstanceOf(ShellStartupText.TooComplex.class);
        }
        // RT43, F4: zsh's always-assign
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> read("source \"$(cd /w && cd proj && echo $PWD)/a.sh\"\n",
                Map.of())).as("a chain: RT45").isInstanceOf(ShellStartupText.TooComplex.class);
        assertThat(read("d=x\n: ${d::=proj}\nsource /w/$d/a.sh\n", Map.of()).sourced()).contains("/w/proj/a.sh");
        // RT44: a directory change not followed fails closed; the common idiom and a chain of cd DIR do not
        // RT45: a change that may not take effect, a chain, a function, CDPATH, other ways of printing it
        for (String odd : java.util.List.of("$(cd /tmp && cd && cd ../w && pwd)", "$(cd /h && cd h w >/dev/null && pwd)",
                "$(pushd /w >/dev/null; pwd)", "$(cd - && pwd)", "$(cd /w && cd /nope 2>/dev/null; pwd)",
                "$(cd /nope || cd /w; pwd)", "$(cd /w && (cd /tmp); pwd)", "$(cd /w && : cd /tmp && pwd)",
                "$(cd /q && cd ../w && realpath .)", "$(cd /q && cd ../w && dirs)", "$(cd /w; print -P %/)",
                "$(cd w >/dev/null && pwd)", "$(f && pwd)", "$(cd /w && echo $OLDPWD)", "$(cd /w && cd proj && pwd -P)")) {
            assertThat(ShellStartupText.unfollowedDirectory("source \"" + odd + "/a.sh\"\n", false, false)).as(odd).isPresent();
        }
        assertThat(ShellStartupText.unfollowedDirectory("x=$(cd /w && pwd)\n", true, false)).as("cd redefined").isPresent();
        // RT46: pwd, echo, cd redefined in any of their spellings, or a hook on a change of directory: fails closed
        for (String redefinition : java.util.List.of("pwd() { echo /w; }", "alias pwd='echo /w'", "echo() { :; }",
                "alias ll='ls -l' cd='builtin cd /w'", "alias -- cd=x", "eval 'c''d() { builtin cd /w; }'",
                "aliases[cd]='cd /w'", "functions[pwd]='print /w'", "chpwd() { builtin cd -q /w }", "set -T\ntrap 'cd /w' DEBUG",
                "enable -n cd", "dirname() { echo /w; }")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(redefinition + "\nsource \"$(cd /o && pwd)/e.sh\"\n",
                    Map.of())).as(redefinition).isInstanceOf(ShellStartupText.TooComplex.class);
        }
        // a backquote in a message is no substitution (pyenv's own script: "\`realpath' builtin" had withheld every
        // working directory on a machine with pyenv); backquoted substitutions are read as text (RT27, F4)
        assertThat(ShellStartupText.unfollowedDirectory("abort \"failed to load \\`realpath' builtin\"\nx=$(realpath \"$1\")\n"
                + "echo \"use \\`cd x; pwd\\` here\"\n", false, false)).isEmpty();
        assertThat(read("alias ll='ls -l'\nsource \"$(pwd)/e.sh\"\n", Map.of()).sourced()).as("control")
                .contains("$PWD/e.sh");
        for (String fine : java.util.List.of("DIR=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"",
                "x=$(pwd)", "cd /w && pwd", "x=$(cd . && pwd)",
                "D=$(dirname $(readlink -f ~/.zshrc))", "x=$(realpath .)", "x=$(git rev-parse --show-toplevel; true)")) {
            assertThat(ShellStartupText.unfollowedDirectory(fine + "\n", false, false)).as(fine).isEmpty();
        }
        // a change into a directory every value of a variable names, then a pipeline: what it prints may be relative to
        // it ('find . | sed', 'ls'), and a later '. "$f"' would read it where the shell starts (outside test RT67, H3, H9:
        // nvm's completion script, which has such a line, is known by its digest instead: KnownStartupScripts)
        for (String odd : java.util.List.of("$(cd \"$D/a\" && find \"$PWD\" -type f | sed \"s:$PWD/::\")",
                "$(cd \"$D/a\" && cd .. && pwd)", "$(cd \"$D/a\" || true; pwd)", "$(cd \"$D/a\" && printenv OLD''PWD)")) {
            assertThat(ShellStartupText.unfollowedDirectory("x=\"" + odd + "\"\n", false, false, name -> name.equals("D")))
                    .as(odd).isPresent();
        }
        for (String form : java.util.List.of("source ~/.zshenv(+f)", "path=(~(+f) $path)", "source ~/.zshenv(.e:'REPLY=/w':)",
                "source ~/.z*(oe:'REPLY=x':)", "source ~/.zshenv(#q+f)", "source ~/.zshenv(P:/w/e.sh:)", "a=(~/x(N+f))",
                // RT42, F1: a run of qualifier groups, the code in any of them
                "setopt extendedglob\nsource ~/.zshenv(#q.)(#q+f)", "source ~/.zshenv(#qN)(#qe:REPLY=/w/e.sh:)",
                "source ~/.zshenv(#q+f)(#qN)", "path=(~/bin(#qN/)(#q+f) $path)", "source ~/.zshenv(#q.)(#qP:/w/e.sh:)",
                // RT43, F3: a qualifier's alternatives
                "source ~/.zshenv(/,+f)", "source ~/.zshenv(#q/,+f)")) {
            assertThat(ShellStartupText.codeRunningQualifier(form + "\n")).as(form).isPresent();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(form + "\n", Map.of())).as(form)
                    .isInstanceOf(ShellStartupText.TooComplex.class);
        }
        for (String form : java.util.List.of("for f in ~/.zsh/*.zsh(N); do . $f; done", "path=(~/bin(N-/) $path)", "x=(~/l/*(om[1]))",
                "x=(~/l/*(m+7))", "x=(~/l/*(Lk+100))", "x=(~/l/*(.l+1))", "autoload -Uz ~/.zfunc/*(:t)",
                "PROMPT='%(?.%F{green}.%F{red})'", "python3 -c 'print(len(x))'", "f() { echo; }", "x=$((a+1))",
                "x=(~/l/*(#i)ab)", "[[ $x == (#e)y ]]")) {
            assertThat(ShellStartupText.codeRunningQualifier(form + "\n")).as(form).isEmpty();
        }
    }

    /**
     * Outside test RT47: what redefines or hooks any command (a computed or copied name, a builtin turned off, the alias
     * and function arrays, zsh's hooks and trap functions) counts for both; the commoner lines that only look alike do not.
     */
    @Test
    void redefinitionsByANameNotSpeltCountForBothAndLookAlikesForNone() {
        for (String form : List.of("chpwd_functions+=(h)", "set -A chpwd_functions h", "TRAPDEBUG() { print x; }",
                "functions -c h pwd", "disable pwd", "if true; then disable -r x; fi",
                "for c in pwd; do eval \"$c() { h; }\"; done", "eval \"${p}wd() { h; }\"", "alias \"$c=h\"",
                "BASH_ALIASES+=([pwd]=h)", "aliases=(pwd h)", "functions[$n]=h")) {
            assertThat(ShellStartupText.redefinedIn(form + "\n")).as(form)
                    .containsExactlyInAnyOrder(ShellStartupText.CHANGES, ShellStartupText.PRINTS);
        }
        assertThat(ShellStartupText.redefinedIn("function x pwd { print /w; }\n")).containsExactly(ShellStartupText.PRINTS);
        assertThat(ShellStartupText.redefinedIn("function x cd { builtin cd /w; }\n")).containsExactly(ShellStartupText.CHANGES);
        for (String form : List.of("alias ll='ls -l $LS_FLAGS'", "echo \"--disable-x\"", "x --disable y",
                "eval \"$(pyenv init -)\"", "function greet { echo hi; }", "f() { echo $PWD; }", "# disable pwd",
                "HISTFILE=$HOME/.h", "trap 'rm -f $t' EXIT")) {
            assertThat(ShellStartupText.redefinedIn(form + "\n")).as(form).isEmpty();
        }
    }

    /** RT49, F2, F5: a name spelt with a backslash, zsh's functions autoloaded by a computed name or a hook's name. */
    @Test
    void escapedNamesAndAutoloadedHooksAreRedefinitions() {
        assertThat(ShellStartupText.redefinedIn("c\\d() { :; }\n")).contains(ShellStartupText.CHANGES);
        assertThat(ShellStartupText.redefinedIn("alias \\cd=:\n")).contains(ShellStartupText.CHANGES);
        assertThat(ShellStartupText.redefinedIn("p\\wd() { print /w; }\n")).contains(ShellStartupText.PRINTS);
        for (String form : List.of("for f in ~/.zfunc/*(N:t); do autoload -Uz $f; done", "autoload -Uz chpwd",
                "autoload -U ~/.zfunc/*(:t)")) {
            assertThat(ShellStartupText.redefinedIn(form + "\n")).as(form)
                    .containsExactlyInAnyOrder(ShellStartupText.CHANGES, ShellStartupText.PRINTS);
        }
        assertThat(ShellStartupText.redefinedIn("autoload -Uz compinit; compinit\nautoload -U colors\n")).isEmpty();
    }

    /** $0 as a path (bash's and sh's $0 is the shell's name), and the uses of it that are no path. */
    @Test
    void theShellsNameAsAPathIsFound() {
        for (String form : List.of(". \"$(dirname \"$0\")/x.sh\"", "D=$(cd $(dirname $0) && pwd)", ". \"${0%/*}/x.sh\"",
                ". \"$0\"/../x.sh", "realpath -m \"${0}\"")) {
            assertThat(ShellStartupText.shellNameAsPath(form + "\n")).as(form).isPresent();
        }
        for (String form : List.of("case $0 in -*) echo login;; esac", "echo \"$0: no\"", "n=${0##*/}",
                "[[ $0 == -bash ]] && x=1", "# dirname \"$0\"")) {
            assertThat(ShellStartupText.shellNameAsPath(form + "\n")).as(form).isEmpty();
        }
    }

    /** RT49: a relative path sourced by a literal word at a command's start; an echo's words and computed paths are not. */
    @Test
    void relativeSourcesAreFoundAtACommandsStartOnly() {
        assertThat(ShellStartupText.relativelySourced(". ./env.sh\n[ -f .env ] && source \".env\"\ncase x in x) . x.sh;; esac\n"
                + "if true; then builtin source lib/a.sh; fi\n")).containsExactly("./env.sh", ".env", "x.sh", "lib/a.sh");
        assertThat(ShellStartupText.relativelySourced("echo . not/sourced\n. ~/x.sh\n. /etc/x\n. \"$D/x\"\n# . ./c.sh\n"
                + "[[ -n $x ]] && . \"$x\"\n")).isEmpty();
    }

    /**
     * pyenv's own script prints its directory through a variable every value of which is absolute: read as that value
     * (RT49's first fix failed closed on it, and withheld every working directory on a machine with pyenv); a variable
     * that may be empty, relative, the shell's own OLDPWD, or not known, fails closed (RT49, F1).
     */
    @Test
    void aDirectoryPrintedThroughAVariableWhoseValuesAreAbsoluteIsRead() {
        read("if [ -z \"${PYENV_DIR}\" ]; then\n  PYENV_DIR=\"$PWD\"\nfi\nPYENV_DIR=$(cd \"$PYENV_DIR\" && echo \"$PWD\")\n"
                + "export PYENV_DIR\n", Map.of());
        assertThat(read("D=~/tools\nPATH=\"$(cd \"$D\" && pwd)/bin:$PATH\"\n", Map.of()).paths()).anyMatch(p -> p.startsWith("/h/tools"));
        for (String odd : List.of("X=\"\"\n. \"$(cd \"$X\" && pwd)/e.sh\"\n", "T=tools\n. \"$(cd \"$T\" && pwd)/e.sh\"\n",
                ". \"$(cd \"$OLDPWD\" && pwd)/e.sh\"\n", ". \"$(cd \"$NOPE\" && pwd)/e.sh\"\n",
                "X=/w\nalias -g /w=.\n. \"$(cd \"$X\" && pwd)/e.sh\"\n", "X=/W\ndeclare -l PWD\n. \"$(cd \"$X\" && echo $PWD)/e.sh\"\n")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(odd, Map.of())).as(odd)
                    .isInstanceOf(ShellStartupText.TooComplex.class);
        }
    }

    /** Outside test RT50: the spellings of a relative source, $0's, a variable evaluated, quoted names and qualifiers. */
    @Test
    void round50FormsAreFound() {
        assertThat(ShellStartupText.relativelySourced("source -- ./a.sh\n. ./\"b.sh\"\nsource ./c.sh arg\n. 2>/dev/null ./d.sh\n"
                + "'source' ./e.sh\n. $'./f.sh'\n. ./g\\.sh\n. ./h\"\".sh\ntime . ./i.sh\nnoglob source ./j.zsh\n. <(cat ./k.sh)\n"))
                .containsExactly("./a.sh", "./b.sh", "./c.sh", "./d.sh", "./e.sh", "./f.sh", "./g.sh", "./h.sh", "./i.sh",
                        "./j.zsh", "./k.sh");
        assertThat(ShellStartupText.relativelySourced(". ~/a\n. /b\n. \"$D/c\"\nsource <(pyenv init -)\n")).isEmpty();
        for (String form : List.of(". \"$(dirname \"$BASH_ARGV0\")/e.sh\"", ". \"$(dirname \"${@:0:1}\")/e.sh\"",
                ". \"${ZSH_ARGZERO:h}/e.zsh\"", "setopt no_function_argzero")) {
            assertThat(ShellStartupText.shellNameAsPath(form + "\n")).as(form).isPresent();
        }
        assertThat(ShellStartupText.evaluatedVariable("c='. ./env.sh'; eval \"$c\"\n")).isPresent();
        assertThat(ShellStartupText.evaluatedVariable("eval \"$NOT_SET_HERE\"\n")).isPresent();
        assertThat(ShellStartupText.evaluatedVariable("s=\"$('/opt/conda/bin/conda' 'shell.bash' 'hook')\"\neval \"$s\"\n"
                + "eval \"$(pyenv init -)\"\n")).isEmpty();
        for (String odd : List.of("read 'ZDOTDIR' <<< /w\n", "printf -v 'PATH' '%s' /w\n", "n=DOTDIR; typeset -g \"Z${n}\"=/w\n",
                ": /etc/hostname(N'e:ZDOTDIR=$PWD:')\n")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(odd, Map.of())).as(odd)
                    .isInstanceOf(ShellStartupText.TooComplex.class);
        }
    }

    /** Outside test RT51: relative sources as conditions, after assignments, in eval and -c strings, through an alias, run by a shell. */
    @Test
    void round51FormsAreFound() {
        assertThat(ShellStartupText.relativelySourced("if . ./a.sh; then :; fi\nwhile . ./b.sh; do break; done\nx=1 . ./c.sh\n"
                + "eval '. ./d.sh'\nbash -c \". ./e.sh\"\nalias inc=.\ninc ./f.sh\nbash ./g.sh\nsh -x h.sh\n"))
                .containsExactlyInAnyOrder("./a.sh", "./b.sh", "./c.sh", "./d.sh", "./e.sh", "./f.sh", "./g.sh", "h.sh");
        assertThat(ShellStartupText.relativelySourced("exec zsh -l\nbash ~/x.sh\nsh -c 'exit 0'\nssh host\n")).isEmpty();
        assertThat(ShellStartupText.shellNameAsPath("d=$0; . \"$(dirname \"$d\")/env.sh\"\n")).isPresent();
        assertThat(ShellStartupText.evaluatedVariable("c='. ./env.sh'\neval \"${c:-}\"\n")).isPresent();
        assertThat(ShellStartupText.evaluatedVariable("c='. ./env.sh'\neval \"x=1; $c\"\n")).isPresent();
        assertThat(ShellStartupText.codeRunningQualifier(": /etc/hostname(Ne^. ./env.sh^)\n")).isPresent();
    }

    /**
     * Outside test RT52: a relative path however it is run (as a command, from a variable, a loop, a trap's string, a
     * program's output evaluated), a shell behind a wrapper, a {@code -c} string's operands, {@code $OLDPWD}, and a
     * variable unset before {@code cd "$D"}. Each word spelt {@code ./} or {@code ../} is the working directory's.
     */
    @Test
    void round52FormsAreFound() {
        assertThat(ShellStartupText.relativelySourced("./a\nx=./b; . \"$x\"\nfor f in ./c; do . \"$f\"; done\n"
                + "eval \"$(cat ./d)\"\n. <(< ./e)\ntrap '. ./f' EXIT\nhash -p ./g t\necho . ./h\n"))
                .containsExactly("./a", "./b", "./c", "./d", "./e", "./f", "./g", "./h");
        assertThat(ShellStartupText.relativelySourced("env sh a\ntimeout 5 sh b\nnohup sh c\nexec -a n bash d\n"
                + "sotruss /bin/sh e\n/usr/bin/env bash f\n")).containsExactly("a", "b", "c", "d", "e", "f");
        assertThat(ShellStartupText.relativelySourced("tools/a\n[ -x b/c ] && b/c --quiet\nif d/e; then :; fi\n.\\/f\n"))
                .containsExactly("tools/a", "b/c", "d/e", "./f");
        assertThat(ShellStartupText.relativelySourced("echo ${PATH//:/ }\nn=$((a/b))\necho x | sed s/a/b/\nx=a/b\n"
                + "PATH=/usr/bin:$PATH\ncase $SHELL in */zsh) :;; esac\n")).isEmpty();
        // rustup's env
        assertThat(ShellStartupText.relativelySourced("case \":${PATH}:\" in\n    *:\"$HOME/.cargo/bin\":*)\n        ;;\n    *)\n"
                + "        export PATH=\"$HOME/.cargo/bin:$PATH\"\n        ;;\nesac\n    linux/x)\n")).isEmpty();
        assertThat(ShellStartupText.relativelySourced("bash -c '. \"$1\"' _ a\nsh -c 'sh \"$@\"' sh b c\n"))
                .containsExactlyInAnyOrder("a", "b", "c");
        // a pattern or a computed name: where it starts; only dots: a directory
        assertThat(ShellStartupText.relativelySourced("for f in ./*.sh; do . \"$f\"; done\n. ./lib/$x.sh\n"))
                .containsExactly(".", "./lib");
        assertThat(ShellStartupText.relativelySourced("alias ..='cd ..' ...='cd ../..'\ncd ./\nssh host\nsh -c 'exit 0' x\n"
                + ". ~/./a\n. \"$HOME\"/./b\nPATH=/usr/./bin:$PATH\nfish x\npush ./\n")).isEmpty();
        for (String odd : List.of("cd ~\n. \"$OLDPWD/x\"\n", "PATH=\"${OLDPWD}/bin:$PATH\"\n",
                "D=/h\nunset D\n. \"$(cd \"$D\" && pwd)/x\"\n", "D=/h\nread D\n. \"$(cd \"$D\" && pwd)/x\"\n",
                ": ${D:=}\nD=/h\n. \"$(cd \"$D\" && pwd)/x\"\n")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(odd, Map.of())).as(odd)
                    .isInstanceOf(ShellStartupText.TooComplex.class);
        }
        assertThat(ShellStartupText.unsetIn("unset -v A B\nlocal C\nread -r E\n: ${F:=x}\nG=1\n"))
                .containsExactlyInAnyOrder("A", "B", "C", "E", "F");
    }

    /**
     * Outside test RT53: a relative directory on a search path, an interpreter's script or its {@code -c}, a file a
     * shell reads on its input, {@code hash -p} and {@code run-parts}; an alias's interpreter runs when typed, later.
     */
    @Test
    void round53FormsAreFound() {
        assertThat(ShellStartupText.relativelySourced("PATH=.:$PATH\nPATH=$PATH:\nPATH=bin:$PATH\nfpath+=(.)\nfpath=(fn $fpath)\n"))
                .containsExactly(".", "bin", "fn");
        assertThat(ShellStartupText.relativelySourced("export PATH=\"${PATH:+$PATH:}/opt/bin\"\nPATH=\"$(brew --prefix)/bin:$PATH\"\n"
                + "path=(~/bin $path)\nMANPATH=man:$MANPATH\n")).isEmpty();
        assertThat(ShellStartupText.relativelySourced("python3 tools/a.py\nperl b\nawk -f c /dev/null\nmake -s -f d\n"))
                .containsExactly("tools/a.py", "b", "c", "d");
        assertThat(ShellStartupText.relativelySourced("python3 -c 'import m'\n")).containsExactly(".");
        assertThat(ShellStartupText.relativelySourced("alias serve='python3 -m http.server'\nalias py=python3\n"
                + "command -v python3 >/dev/null\n")).isEmpty();
        // (an awk program's file operand is read since RT57: the program may run its lines, 'system($0)')
        assertThat(ShellStartupText.relativelySourced("awk '{print $1}' f\n")).containsExactly("f");
        assertThat(ShellStartupText.relativelySourced("bash < a\ncat b | sh\nhash -p c t\nrun-parts d\n"))
                .containsExactly("a", "b", "c", "d");
        assertThat(ShellStartupText.relativelySourced("xargs -n1 sh < list\n")).containsExactly("list", ".");
        assertThat(ShellStartupText.relativelySourced("for f in a b; do . \"$f\"; done\nfor g in c; do echo \"$g\"; done\n"))
                .containsExactly("a", "b");
        assertThat(ShellStartupText.relativeToWhereItStarts("x/y")).contains("x/y");
        assertThat(ShellStartupText.relativeToWhereItStarts("*.sh")).contains(".");
        assertThat(ShellStartupText.relativeToWhereItStarts("lib/$x.sh")).contains("lib");
        for (String none : List.of(".", "/a", "~/b", "$1", "$(echo x)", "x", "]")) {
            assertThat(ShellStartupText.relativeToWhereItStarts(none)).as(none).isEmpty();
        }
    }

    /**
     * Outside test RT54: a relative path a word's expansion makes (a brace, a parameter's default or alternative word,
     * {@code $'…'} and {@code $"…"}), {@code /proc/$$/cwd}, an escaped {@code /} and a wrapper before a relative
     * command, a file's text as a command, zsh's compinit dump; an alias's value is typed, later, not read.
     */
    @Test
    void round54FormsAreFound() {
        assertThat(ShellStartupText.relativelySourced("{.,}/a\n$'\\x2e/b'\n${x:-.}/c\n$\".\"/d\n${HOME:+.}/e\n${:-.}/f\n"))
                .containsExactlyInAnyOrder("./a", "./b", "./c", "./d", "./e", "./f");
        assertThat(ShellStartupText.relativelySourced("/proc/$$/cwd/a\n")).containsExactly(".");
        assertThat(ShellStartupText.relativelySourced("lib\\/a\nnohup lib/b\nenv X=1 lib/c\ntimeout 5 lib/d\n"))
                .containsExactly("lib/a", "lib/b", "lib/c", "lib/d");
        assertThat(ShellStartupText.relativelySourced("$(<a)\n`cat b`\ncompinit -i -d cache/c\n"))
                .containsExactly("a", "b", "cache/c");
        assertThat(ShellStartupText.relativelySourced("alias venv=\"source .venv/bin/activate\"\nalias t='./gradlew test'\n"
                + ". \"${ZDOTDIR:-$HOME}/.zshrc.local\"\nexport PATH=\"${PATH:+$PATH:}/opt/bin\"\n")).isEmpty();
        assertThat(ShellStartupText.onlyInAliasValues("alias venv='. .venv/bin/activate'\n", ".venv/bin/activate")).isTrue();
        // an alias the file itself runs at start-up is read
        assertThat(ShellStartupText.relativelySourced("alias go='./a'\ngo\nalias t='./b'\n")).containsExactly("./a");
        assertThat(ShellStartupText.onlyInAliasValues("alias v='. x/a'\nv\n", "x/a")).isFalse();
        assertThat(ShellStartupText.onlyInAliasValues("alias v='. x/a'\n. x/a\n", "x/a")).isFalse();
        assertThat(ShellStartupText.spellings("a $'\\056/x' {p,q}")).contains("a './x' p", "a './x' q");
    }

    /**
     * Outside test RT55: a file's text through other printing programs, a descriptor opened on a file, a pipe continued
     * on the next line, more wrappers, {@code enable -f}, zsh's {@code module_path} and {@code =(<x)}, nested defaults,
     * an alias another file defines, an alias for a wrapper.
     */
    @Test
    void round55FormsAreFound() {
        assertThat(ShellStartupText.relativelySourced("eval \"$(head -n 99 a)\"\n. <(tail -n +1 b)\n. =(<c)\nsource <(<d)\n"))
                .containsExactly("a", "b", "c", "d");
        assertThat(ShellStartupText.relativelySourced("exec 4< a\nbash <&4\ncat b |\nsh\n")).contains("a", "b");
        assertThat(ShellStartupText.relativelySourced("env -u FOO lib/a\nsetarch x86_64 lib/b\nprlimit --nofile=100 lib/c\n"
                + "strace -o /dev/null lib/d\nstrace -f lib/e\n")).containsExactly("lib/a", "lib/b", "lib/c", "lib/d", "lib/e");
        assertThat(ShellStartupText.relativelySourced("enable -f lib/a.so foo\nmodule_path=(lib $module_path)\n"))
                .containsExactly("lib/a.so", "lib");
        assertThat(ShellStartupText.relativelySourced(". ${a:-${b:-.}}/x\n")).contains("./x");
        assertThat(ShellStartupText.relativelySourced("alias go='nohup'\ngo lib/a\n")).containsExactly("lib/a");
        assertThat(ShellStartupText.relativelySourced("go\n", java.util.Set.of("go=lib/a"))).containsExactly("lib/a");
        assertThat(ShellStartupText.aliasesDefined("alias go='lib/a' ll=\"ls -l\"\n")).containsExactly("go=lib/a");
        assertThat(ShellStartupText.relativelySourced("eval \"$(pyenv init -)\"\neval \"$(dircolors -b)\"\n"
                + "export GPG_TTY=$(tty)\nx=$(head -c 4 /dev/urandom)\n")).isEmpty();
    }

    /**
     * Outside test RT56: more programs that print a file into code, any input redirection from a relative file, a shell
     * a descriptor feeds later, the alias arrays, bash's history and zsh's $mapfile; Ubuntu's lesspipe line is no shell.
     */
    @Test
    void round56FormsAreFound() {
        assertThat(ShellStartupText.relativelySourced("eval \"$(cp a /dev/stdout)\"\neval \"$(jq -Rr . b)\"\neval \"$(tee < c)\"\n"
                + "eval \"$(tar -cf - d | tar -xOf -)\"\neval \"$(iconv -f utf-8 e)\"\neval \"$(dd if=f)\"\n"))
                .contains("a", "b", "c", "d", "e", "f").doesNotContain("if=f", "e)", "/dev/stdout");
        assertThat(ShellStartupText.relativelySourced("{\n  bash\n} < a\nwhile :; do :; done < b\n")).contains("a", "b");
        assertThat(ShellStartupText.relativelySourced("exec 7> >(bash)\ncat a >&7\n")).contains(".");
        assertThat(ShellStartupText.relativelySourced("coproc bash\n")).containsExactly(".");
        assertThat(ShellStartupText.relativelySourced("python3 - <<EOF\nprint(1)\nEOF\n")).contains(".");
        assertThat(ShellStartupText.relativelySourced("BASH_ALIASES[go]=lib/a\ngo\n")).contains("lib/a");
        assertThat(ShellStartupText.relativelySourced("BASH_ALIASES=([go]=lib/b)\ngo\n")).contains("lib/b");
        assertThat(ShellStartupText.relativelySourced("aliases[go]=lib/c\ngo\n")).contains("lib/c");
        assertThat(ShellStartupText.relativelySourced("history -r a\nfc -s x\n")).contains("a"); // and "." for fc: RT66
        assertThat(ShellStartupText.relativelySourced("zmodload zsh/mapfile\neval \"$mapfile[b]\"\n")).containsExactly("b");
        // Ubuntu's stock .bashrc, and patterns and programs that are no files
        assertThat(ShellStartupText.relativelySourced("[ -x /usr/bin/lesspipe ] && eval \"$(SHELL=/bin/sh lesspipe)\"\n"
                + "x=$(grep -c foo /etc/hosts)\ny=$(sed -n 's/a/b/p' /etc/hosts)\nz=$(echo a | tr a-z A-Z)\n"
                + "eval \"$(pyenv init -)\"\neval \"$(dircolors -b)\"\n")).isEmpty();
    }

    /**
     * Outside test RT57: programs that run what a file they are given says, Python reading its script from a
     * here-document, perl's relative {@code -I}; Homebrew's {@code python@3.11} paths and an editor's name are no
     * interpreters.
     */
    @Test
    void round57FormsAreFound() {
        assertThat(ShellStartupText.relativelySourced("sed -n e a\nawk '{system($0)}' b\ngdb -batch -x c\n"
                + "sqlite3 -init d :memory: .quit\nvim -Nes -u NONE -S e\ntar -xf f.tar --to-command=sh\njava G.java\n"))
                .contains("a", "b", "c", "d", "e", "f.tar", "G.java");
        assertThat(ShellStartupText.relativelySourced("python3 <<'EOF'\nimport m\nEOF\n")).contains(".");
        assertThat(ShellStartupText.relativelySourced("perl -Ilib -Mm -e1\n")).contains("lib");
        assertThat(ShellStartupText.relativelySourced("export PATH=\"/opt/homebrew/opt/python@3.11/libexec/bin:$PATH\"\n"
                + "export LDFLAGS=\"-L/opt/homebrew/opt/node@18/lib\"\nexport EDITOR=vim\ncommand -v vim >/dev/null\n"
                + "git config --global core.editor vim\n")).isEmpty();
    }

    /** Outside test RT58: printers and programs that run what a file says, not on the lists before. */
    @Test
    void round58FormsAreFound() {
        assertThat(ShellStartupText.relativelySourced("eval \"$(diff /dev/null a | sed -n 's/^> //p')\"\neval \"$(sdiff -l b b)\"\n"
                + "eval \"$(diff3 /dev/null /dev/null c)\"\ncmake -P d\ntmux -L s -f e start-server\nview -es -S f +qa!\n"
                + "vimdiff -es -S g +qa!\nwish h\n")).contains("a", "b", "c", "d", "e", "f", "g", "h");
        assertThat(ShellStartupText.relativelySourced("[ -z \"$TMUX\" ] && command -v tmux >/dev/null\nexport VISUAL=view\n"
                + "[ -z \"$TMUX\" ] && tmux new-session -A -s main\nscreen -S main -dRR\nemacs --daemon\n")).isEmpty();
    }

    /** Every program RT57's and RT58's lists name (docs/security.md), each with a relative script it is given. */
    @Test
    void everyListedCodeReaderIsRead() {
        List<String> lines = List.of("jshell j1", "dc j2", "m4 j3", "groovy j4", "julia j5", "octave j6", "screen -c j7",
                "expect j8", "emacs --script j9", "gnuplot k1", "R -f k2", "rview -S k3", "gvim -S k4", "ed k5", "gview -S k6",
                "vimx -S k7", "evim k8", "rvim -S k9", "sqlite3 -init l1", "gdb -x l2", "java l3.java", "tar --to-command=sh -xf l4",
                "enable -f l5 x", "module_path+=(l6)");
        List<String> found = ShellStartupText.relativelySourced(String.join("\n", lines) + "\n");
        for (String line : lines) {
            String file = line.replaceAll(".*?([jkl][0-9])(?:\\.java)?\\)?(?: x)?$", "$1");
            assertThat(found).as(line).anyMatch(f -> f.startsWith(file));
        }
        // an option's value is no script ('python3 -W ignore -c …' had named 'ignore'); python's flags before -c
        assertThat(ShellStartupText.relativelySourced("python3 -W ignore -c 'print(1)'\npython3 -Bc 'print(2)'\n"))
                .containsExactly(".");
        // control: a program not listed is not read so (the names, not the line's shape, find the files)
        assertThat(ShellStartupText.relativelySourced("unlisted j1\nnotes -S k3\n")).isEmpty();
        // and a shell a descriptor or a co-process feeds reads the working directory
        assertThat(ShellStartupText.relativelySourced("coproc bash\n")).contains(".");
        assertThat(ShellStartupText.relativelySourced("exec 7> >(bash)\n")).contains(".");
    }

    /**
     * Outside test RT60: printers behind more wrappers, a relative value in a variable that is sourced, '.' after '--',
     * '-p', a redirection or in a trap's string, zsh's short 'if', 'nocorrect', '-' and loops over several names, sed's
     * glued '-f', jq's '--from-file' and mawk's '-Wexec'.
     */
    @Test
    void round60FormsAreFound() {
        assertThat(ShellStartupText.relativelySourced("eval \"$(timeout 5 cat a1)\"\neval \"$(nice -n 5 cat a2)\"\n"
                + "eval \"$(setsid cat a3)\"\neval \"$(exec -a y cat a4)\"\neval \"$(ionice -c3 cat a5)\"\n"
                + "eval \"$(busybox cat a6)\"\n")).contains("a1", "a2", "a3", "a4", "a5", "a6");
        assertThat(ShellStartupText.relativelySourced("f=b1\n. \"$f\"\nENV_FILE=.env\n[ -f \"$ENV_FILE\" ] && . \"$ENV_FILE\"\n"))
                .contains("b1", ".env");
        assertThat(ShellStartupText.relativelySourced("command -- . c1\nbuiltin -- source c2\ntime -p . c3\n2>/dev/null . c4\n"
                + ">/dev/null source c5\neval -- \". c6\"\ntrap '. c7' DEBUG\ntrap '. c8' EXIT\n"))
                .contains("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8");
        assertThat(ShellStartupText.relativelySourced("if [[ -f d1 ]] source d1\nnocorrect source d2\n- source d3\n"
                + "for k v (a d4) source $v\nfor k v in a d5; do source $v; done\n"))
                .contains("d1", "d2", "d3", "d4", "d5");
        assertThat(ShellStartupText.relativelySourced("sed -nfe1 /etc/hostname\neval \"$(jq -nr --from-file e2)\"\n"
                + "mawk -Wexec e3 /dev/null\n")).contains("e1", "e2", "e3");
        // and the false positives RT60 found: git's prompt script's '"<"*)', tar's old options, vim's NONE, bash's -O
        assertThat(ShellStartupText.relativelySourced("case \"$commit\" in \"<\"*) x=1 ;; esac\n"
                + "extract() { case $1 in *.tar.gz) tar xzf $1 ;; esac; }\nvim -u NONE -es +q\nbash -O extglob -c true\n"
                + "nl -s '' /etc/hostname\ntar -L 1 -cf /tmp/a.tar /etc/hostname\n")).isEmpty();
    }

    /**
     * Outside test RT61: what echo writes into a file, quoted operators eval makes operators again, '$0' in a -c string,
     * gdb's 'NONE', tar's programs, the shell's own name, more wrappers, plain words in variables used in every way, and a
     * qualifier inside a command substitution in '[[ … ]]'.
     */
    @Test
    void round61FormsAreFound() {
        assertThat(ShellStartupText.relativelySourced("echo '. a1' > /tmp/g; . /tmp/g\neval bash \"<\" a2\n"
                + "eval cat a3 \"|\" sh\nbash -c '. \"$0\"' a4\ngdb -batch -x NONE\n"
                + "tar -cf /dev/null --checkpoint-action=exec=tools/a5 /etc/hostname\n"
                + "tar -cf /dev/null --use-compress-program=tools/a6 /etc/hostname\n"))
                .contains("a1", "a2", "a3", "a4", "NONE", "tools/a5", "tools/a6");
        assertThat(ShellStartupText.relativelySourced("\"$BASH\" b1\n$0 b2\nb=$BASH; $b b3\n\"$ZSH_ARGZERO\" b4\n"))
                .contains("b1", "b2", "b3", "b4");
        assertThat(ShellStartupText.relativelySourced("eval \"$(/usr/bin/env cat c1)\"\neval \"$(flock F cat c2)\"\n"
                + "eval \"$(setarch x86_64 -R cat c3)\"\neval \"$(linux64 cat c4)\"\neval \"$(choom -n 0 -- cat c5)\"\n"))
                .contains("c1", "c2", "c3", "c4", "c5");
        assertThat(ShellStartupText.relativelySourced("f=d1; eval \"$(cat \"$f\")\"\ng=d2; . <(cat \"$g\")\nh=d3; sh < \"$h\"\n"
                + "i=(d4); . \"${i[0]}\"\nj=d5; k=$j; . \"$k\"\n")).contains("d1", "d2", "d3", "d4", "d5");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> read("[[ $(print -l /etc(e:'source x':)) =~ a ]]\n", Map.of()))
                .isInstanceOf(ShellStartupText.TooComplex.class);
        // and no file where none is: a branch's name in a variable, vim's NONE, a case pattern's quoted '<'
        assertThat(ShellStartupText.relativelySourced("branch=main; git checkout $branch\nvim -u NONE -es +q\n"
                + "case \"$c\" in \"<\"*) a=1;; esac\n")).isEmpty();
    }

    /**
     * Outside test RT62: a plain word given by ':=', '+=', an element or an associative array, the shell named with a
     * variable's value after it and by its other names, what a line that writes a file quotes; and no script where a
     * test names the shell's path (M1).
     */
    @Test
    void round62FormsAreFound() {
        assertThat(ShellStartupText.relativelySourced(": ${f:=a1}; . \"$f\"\ng=; g+=a2; . \"$g\"\nh=(); h+=(a3); . \"${h[0]}\"\n"
                + "i[0]=a4; . \"$i\"\ndeclare -A m=([k]=a5); . \"${m[k]}\"\n")).contains("a1", "a2", "a3", "a4", "a5");
        assertThat(ShellStartupText.relativelySourced("f=b1; \"$BASH\" \"$f\"\n\"${0#-}\" b2\n/proc/$$/exe b3\n"
                + "$(command -v bash) b4\nexec -a foo \"$BASH\" b5\n=zsh b6\n$commands[zsh] b7\n"))
                .contains("b1", "b2", "b3", "b4", "b5", "b6", "b7");
        assertThat(ShellStartupText.relativelySourced("printf '%s\\n' '. c1' > ~/.g; . ~/.g\n{ echo '. c2'; } > ~/.g\n"
                + "echo '. c3' | tee ~/.g >/dev/null\ncat > ~/.g <<< '. c4'\n")).contains("c1", "c2", "c3", "c4");
        assertThat(ShellStartupText.relativelySourced("[ -x /bin/zsh ] && exec zsh\n[[ -x /usr/bin/python3 ]] && alias py=python3\n"
                + "if [ -f /usr/bin/node ]; then :; fi\ncommand -v foo >/dev/null && echo \"hi there\"\n")).isEmpty();
    }

    /**
     * Outside test RT63: what a printer writes where the line passes it on (a substitution, eval, a process substitution,
     * a pipe into any writer, an earlier {@code exec >f}), defaults nested past four levels, an array's words and an
     * associative array's keys, a loop over them, zsh's {@code ::=} and {@code set -A}, an escaped blank read again by
     * eval, an alias that runs another, a variable the shell sets from the file's own words. Controls: a printer to the
     * terminal, {@code mkcd}'s {@code cd "$_"}, a self-referencing alias.
     */
    @Test
    void round63FormsAreFound() {
        // F1, F2, F5: a printer's output as code
        assertThat(ShellStartupText.relativelySourced("eval \"$(echo '. a1')\"\n$(echo . a2)\n`echo . a3`\n"
                + "eval \"$(printf '%s %s' . a4)\"\nsource <(echo '. a5')\n\"$(echo .)\" a6\ntrap \"$(echo '. a7')\" EXIT\n"
                + "source =(print -r -- 'source a8')\nalias y=\"$(echo '. a9')\"\ny\n"))
                .contains("a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9");
        // F3, F4: a printer writing a file through an earlier exec, or a pipe into a writer other than tee
        assertThat(ShellStartupText.relativelySourced("exec 4>&1 >/tmp/g\necho '. b1'\nexec >&4\n")).contains("b1");
        assertThat(ShellStartupText.relativelySourced("echo '. b2' | dd of=/tmp/g\necho '. b3' | cp /dev/stdin /tmp/g\n"
                + "echo '. b4' | sed -n 'w /tmp/g'\n")).contains("b2", "b3", "b4");
        // F6, F7, F10: nested defaults, arrays, keys, loops, zsh's assignments
        assertThat(ShellStartupText.relativelySourced(". \"${a:-${b:-${c:-${d:-${e:-c1}}}}}\"\n"
                + ": ${f:=${b:-${c:-${d:-${e:-c2}}}}}; . \"$f\"\n")).contains("c1", "c2");
        assertThat(ShellStartupText.relativelySourced("declare -A m=([d1]=1); for k in \"${!m[@]}\"; do . \"$k\"; done\n"
                + "declare -A n; n[d2]=1; for k in \"${!n[@]}\"; do . \"$k\"; done\n"
                + "set -A a y d3; source $a[2]\n: ${(A)b::=d4}; source $b\n: ${c::=d5}; source $c\n"
                + "e=(p q r s t u d6); for f in \"${e[@]}\"; do . \"$f\"; done\n"))
                .contains("d1", "d2", "d3", "d4", "d5", "d6");
        // F8, F11: an escaped blank read again, alias chains
        assertThat(ShellStartupText.relativelySourced("eval .\\ e1\ntrap source\\ e2 EXIT\nbash -c .\\ e3\nalias y=.\\ e4\ny\n"
                + "alias b='. e5'\nalias a='b'\na\n")).contains("e1", "e2", "e3", "e4", "e5");
        // notes: the last argument, a match
        assertThat(ShellStartupText.relativelySourced(": f1; . \"$_\"\n")).contains(".");
        assertThat(ShellStartupText.relativelySourced("[[ f2 =~ .* ]] && . \"${BASH_REMATCH[0]}\"\n")).contains(".");
        // controls
        assertThat(ShellStartupText.relativelySourced("echo '. g1'\nprintf '%s\\n' \"$PATH\"\n"
                + "mkcd() { mkdir -p \"$1\" && cd \"$_\"; }\nalias ls='ls -G'\nls\n")).isEmpty();
    }

    /**
     * Outside test RT64: a printer's text that runs in a way the reader does not compute (escapes, conversions other than
     * {@code %s}, two printers, a substitution over lines, {@code yes}, {@code compgen}, a printer by path or in quotes)
     * keeps the working directory; a compound command's or a function's printed text sent into a file it sources is read;
     * a file named by a variable the shell sets, or one set by {@code read}, {@code mapfile}, {@code readarray}, keeps
     * the working directory; a value split by IFS or zsh's {@code (s:…:)}; long alias chains; {@code . /dev/stdin <<<}.
     * Controls: messages to stderr or the terminal, a program's cached output, arrays of completions, the positional
     * parameters of a helper.
     */
    /** {@code n} aliases, each running the next, the last sourcing {@code x}, and the first run. */
    private static String longAliasChain(int n) {
        StringBuilder chain = new StringBuilder();
        for (int i = 1; i < n; i++) {
            chain.append("alias c").append(i).append("=c").append(i + 1).append('\n');
        }
        return chain.append("alias c").append(n).append("='. x'\nc1").toString();
    }

    @Test
    void round64FormsAreFound() {
        for (String uncomputed : List.of("eval \"$(printf '\\x2e x')\"", "eval \"$(printf '\\056 x')\"",
                "eval \"$(printf '%b' '\\x2e x')\"", "eval \"$(echo -e '\\x2e x')\"", "eval \"$(echo $'\\x2e x')\"",
                "eval \"$(printf '%c x' .abc)\"", "eval \"$(printf '%.1s x' .zzz)\"", "eval \"$(echo -n '. '; echo x)\"",
                "eval \"$(\necho . x\n)\"", "eval \"$(yes '. x' | head -n1)\"", ". \"$(compgen -W x)\"",
                "eval \"$(print -f '%s %s' source x)\"", "eval \"$(print -rn -- 'source '; print x)\"",
                "eval \"$(printf '%2$s %1$s' x source)\"", "eval \"$('echo' . x)\"", "eval \"$(/bin/echo . x)\"",
                "eval \"$(printf '%-2s%s' . x)\"", "eval \"$(print -o x source)\"", "x() { . \"$FUNCNAME\"; }\nx",
                "readarray -t a <<< x\n. \"${a[0]}\"", "mapfile -t a < <(echo x)\n. \"${a[0]}\"",
                "alias p=x\n. \"${BASH_ALIASES[p]}\"", "x() { source $0 }\nx", "x() { source $funcstack[1] }\nx",
                ". \"$LINENO\"", "true\n. \"$?\"", "read -r f < list\n. \"$f\"", "printf -v f '%s' x\n. \"$f\"",
                "getopts ab f\n. \"$f\"", "select f in a b; do . \"$f\"; done", longAliasChain(40))) {
            assertThat(ShellStartupText.relativelySourced(uncomputed + "\n")).as(uncomputed).contains(".");
        }
        for (String computed : List.of("{\n  echo . x\n} > ~/.gen\n. ~/.gen", "for i in 1; do\n  echo . x\ndone > ~/.gen\n. ~/.gen",
                "f() { echo . x; }\nf > ~/.gen\n. ~/.gen", "if true; then\n  echo . x\nfi > ~/.gen\n. ~/.gen",
                "(\n  echo . x\n) > ~/.gen\n. ~/.gen", "v=y:x\nIFS=:\nfor f in $v; do . \"$f\"; done",
                "v=y,x\nfor f in ${(s:,:)v}; do source $f; done", ". /dev/stdin <<< '. x'",
                "alias a1=a2\nalias a2=a3\nalias a3=a4\nalias a4=a5\nalias a5=a6\nalias a6=a7\nalias a7=a8\nalias a8=a9\n"
                        + "alias a9=a10\nalias a10='. x'\na1")) {
            assertThat(ShellStartupText.relativelySourced(computed + "\n")).as(computed).contains("x");
        }
        for (String quiet : List.of("command -v node >/dev/null || echo \"node not installed; nvm will install it\" >&2",
                "echo \"bash completion not available\" >&2", "echo \"python3 setup needed\" > /dev/tty",
                "printf '%s' \"bash ready, type help\" >&2", "exec 2>>~/.bash_errors\necho \"bash error\" >&2",
                "starship init zsh > ~/.cache/s.zsh; source ~/.cache/s.zsh", "COMPREPLY=( $(compgen -W \"$(echo a b)\" -- x) )",
                "source_if_exists() { [ -f \"$1\" ] && . \"$1\"; }\nsource_if_exists ~/.bash_aliases",
                "export PATH=$(echo \"$PATH\" | awk -v RS=: '!a[$0]++' | paste -sd:)", "mkcd() { mkdir -p \"$1\" && cd \"$_\"; }",
                "eval 'COMPREPLY=($(echo \"$x\" | grep y))'", "x=$(awk '{print $NF}' /proc/filesystems)",
                // Ubuntu's aliases: ll runs ls, itself an alias (a chain read without its end had kept every directory)
                "alias ls='ls --color=auto'\nalias ll='ls -alF'\nalias l='ls -CF'\nll\nl")) {
            assertThat(ShellStartupText.relativelySourced(quiet + "\n")).as(quiet).isEmpty();
        }
    }

    /**
     * Outside test RT65: a here-string evaluated, filtered into eval or copied into a file; a file written by {@code &>},
     * {@code >&}, {@code 1>}; {@code trap --}; {@code bash -c --} and {@code -c -e}; a printer's name spelt in pieces
     * inside a substitution eval runs; the shell's own facts sourced. Controls: stderr and descriptor copies.
     */
    @Test
    void round65FormsAreFound() {
        for (String form : List.of("eval \"$(tr a-z a-z <<<'. x')\"", "{ eval \"$(cat)\"; } <<<'. x'",
                "echo '. x' &> ~/g; . ~/g", "echo '. x' >& ~/g; . ~/g", "echo '. x' 1> ~/g; . ~/g", "trap -- '. x' EXIT",
                "trap -- \". x\" EXIT", "bash -c -- '. x'", "bash -c -e '. x'", "cp /dev/stdin ~/g <<<'. x'; . ~/g")) {
            assertThat(ShellStartupText.relativelySourced(form + "\n")).as(form).contains("x");
        }
        for (String form : List.of("eval \"$('ec'ho . x)\"", "eval \"$(e\"\"cho . x)\"", "eval \"$(ec\\ho . x)\"", ". \"$EUID\"",
                ". \"$OPTIND\"")) {
            assertThat(ShellStartupText.relativelySourced(form + "\n")).as(form).contains(".");
        }
        for (String quiet : List.of("echo hi >&2", "echo hi 2>&1", "cmd 2>&1 | tee -a ~/log", "read -r a b <<< \"x y\"",
                "grep -q foo <<< \"$x\" && echo found")) {
            assertThat(ShellStartupText.relativelySourced(quiet + "\n")).as(quiet).isEmpty();
        }
    }

    /**
     * Outside test RT66: every high form names x (or the working directory); the false positives it reported, and common
     * lines near each fix, name nothing.
     */
    @Test
    void round66FormsAreFound() {
        for (String form : List.of("coproc . x", "coproc source x; wait", "[ -n \"$R\" ] || R=1 \"$SHELL\" x",
                "[[ -n $R ]] || R=1 $SHELL x", "[ -n \"$R\" ] || R=1 \"$BASH_ARGV0\" x", "\"$(type -P sh)\" x",
                "hash bash; \"$(hash -t bash)\" x", "\"$(readlink /proc/$$/exe)\" x", "\"$(ps -o comm= -p $$)\" x",
                "\"$(getent passwd root | cut -d: -f7)\" x", ". \"$(realpath x)\"", ". \"$(readlink -f x)\"",
                "source \"$(readlink -m x)\"", "source \"$(realpath -s x)\"", ". \"$(realpath -- x)\"", "p=$(realpath x); . \"$p\"",
                "cp x ~/.rc; . ~/.rc", "cat x > ~/.rc; . ~/.rc", "install -m 644 x /tmp/y; . /tmp/y",
                "head -n 100 x > /tmp/y; . /tmp/y", "dd if=x of=/tmp/y status=none; . /tmp/y", "sort x > /tmp/y; . /tmp/y",
                "paste x > /tmp/y; . /tmp/y", "ln -f x ~/.rc 2>/dev/null; . ~/.rc", ". \"$(basename x)\"")) {
            assertThat(ShellStartupText.relativelySourced(form + "\n")).as(form).contains("x");
        }
        assertThat(ShellStartupText.relativelySourced(". \"$(dirname x)/x\"\n")).contains("./x");
        for (String form : List.of("mapfile -C '. x' -c 1 a < /etc/hostname", "readarray -C \"source x\" -c 1 a < /etc/hostname",
                "mapfile -c1 -C'. x' a </etc/hostname", "history -s '. x'; fc -s", "history -s true; fc -e '. x;:'",
                "eval \"$(history -p '. x')\"", "history -s '. x'; eval \"$(fc -ln -1)\"", "HISTFILE=x; history -r; fc -s",
                "set -H; history -s '. x'; eval \"$(history -p '!!')\"", "autoload -Uz zargs; zargs -- x -- source")) {
            assertThat(ShellStartupText.relativelySourced(form + "\n")).as(form).contains(".");
        }
        for (String quiet : List.of("export GITHUB_TOKEN=$(cat ~/.config/gh/token 2>/dev/null)",
                "DEBIAN_VERSION=$(cat /etc/debian_version 2>/dev/null)", "mapfile -t hosts < <(grep -v '^#' /etc/hosts 2>/dev/null)",
                "x=$(head -1 /etc/hostname 2>/dev/null)", "export PATH=\"$(dirname /usr/bin/python3):$PATH\"",
                "export PATH=\"$(dirname \"$(command -v python3)\"):$PATH\"", "x=$(ls /usr/bin/python3)", "[ -x /usr/bin/node ] && x=1",
                "PROMPT_COMMAND=\"history -a; history -c; history -r; $PROMPT_COMMAND\"", "fc -R ~/.zsh_history", "fc -W",
                "r() { echo; }", "alias r='rails'", "cat ~/.motd", "cp ~/.a ~/.b", "export PATH=\"$(dirname ~/x/bin/y):$PATH\"",
                "JAVA_HOME=$(dirname $(dirname $(readlink -f $(which javac))))", "mapfile -t lines < ~/.hosts")) {
            assertThat(ShellStartupText.relativelySourced(quiet + "\n")).as(quiet).isEmpty();
        }
    }

    /**
     * Outside test RT67: the working directory from the environment or the directory stack, in a substitution, fails
     * closed; a library or module path's entry that is a variable alone, which may be empty, is the working directory; a
     * shell or an interpreter named by a substitution in a command's place, and a printer behind a redirection, are read.
     * Controls: CUDA's guarded form, a set path, and {@code . "$(which virtualenvwrapper.sh)"} name nothing.
     */
    @Test
    void round67FormsAreFound() {
        for (String form : List.of(". \"$(printenv PWD)/x\"", "d=$(printenv PWD); . \"$d/x\"", ". \"$(env | sed -n 's/^PWD=//p')/x\"",
                ". \"$(env pwd)/x\"", ". \"$(command printenv PWD)/x\"", ". \"$(exec printenv PWD)/x\"",
                "cd \"$HOME\"; . \"$(echo ~-)/x\"; cd - >/dev/null", ". \"$(echo ~-/x)\"", "cd ~; . \"$(printenv OLDPWD)/x\"",
                "pushd ~ >/dev/null; . \"$(dirs -l +1)/x\"; popd >/dev/null", ". \"$(cd \"$HOME/.d\" && printenv OLD''PWD)/x\"")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(form + "\n", Map.of())).as(form)
                    .isInstanceOf(ShellStartupText.TooComplex.class);
        }
        for (String form : List.of("export LD_LIBRARY_PATH=$LD_LIBRARY_PATH:/usr/local/lib", "LD_LIBRARY_PATH+=:/opt/lib",
                "export LD_LIBRARY_PATH=/opt/lib:$LD_LIBRARY_PATH", "export LD_LIBRARY_PATH=\"${LD_LIBRARY_PATH}:/usr/local/cuda/lib64\"",
                "export PYTHONPATH=$PYTHONPATH:$HOME/lib/python", "PYTHONPATH+=\":$HOME/py\"", "export CLASSPATH=.:/opt/lib")) {
            assertThat(ShellStartupText.relativelySourced(form + "\n")).as(form).contains(".");
        }
        for (String form : List.of("\"$(which python3)\" x", "\"$(command -v python3)\" x", "$(type -P python3) x", "\"$(which node)\" x",
                "$(basename \"$SHELL\") x", "\"$(whereis -b bash | cut -d' ' -f2)\" x", "\"$(ls /bin/bash)\" x",
                "eval \"$(2>/dev/null cat x)\"", "eval \"$(2>&1 cat x)\"", ". <(2>/dev/null cat x)", "source \"$(2>/dev/null realpath x)\"")) {
            assertThat(ShellStartupText.relativelySourced(form + "\n")).as(form).contains("x");
        }
        for (String quiet : List.of("HISTSIZE=1000\nexport LD_LIBRARY_PATH=/usr/local/cuda/lib64${LD_LIBRARY_PATH:+:${LD_LIBRARY_PATH}}",
                "export PATH=/usr/local/cuda/bin${PATH:+:${PATH}}", "export PYTHONPATH=/opt/lib", ". \"$(which virtualenvwrapper.sh)\"",
                "export EDITOR=\"$(which nvim)\"", "x=$(printf '%s' \"$HOME\")")) {
            assertThat(ShellStartupText.relativelySourced(quiet + "\n")).as(quiet).isEmpty();
        }
    }

    /**
     * Outside test RT68: a printer past a substitution's first command where its output becomes code, the working
     * directory from {@code /proc/self/environ}, an interpreter named through a lookup inside {@code realpath}, zsh's
     * lookups, a backquoted lookup, an interpreter's options variable that names a relative library or module.
     * Controls: the same variables naming absolute paths or no code, and a printer in an array's substitution.
     */
    @Test
    void round68FormsAreFound() {
        for (String form : List.of("eval \"$(true; cat x)\"", "eval \"$(true && cat x)\"", "eval \"$(false || cat x)\"",
                "eval \"$(true | cat x)\"", "eval \"$({ cat x; })\"", "eval \"$( (cat x) )\"", "eval \"$(! cat x)\"",
                "eval \"$(if true; then cat x; fi)\"", "eval \"$(for i in 1; do cat x; done)\"", "eval \"$(\ncat x)\"",
                "eval \"`true; cat x`\"", "source <(true; cat x)", "source <({ cat x; })", "\"$(realpath \"$(which python3)\")\" x",
                "\"$(dirname \"$(which python3)\")/python3\" x", "\"$(readlink -f \"$(which bash)\")\" x", "\"$(realpath $(type -P bash))\" x",
                "=python3 x", "=perl x", "${commands[python3]} x", "$commands[python3] x", "\"$(realpath =python3)\" x",
                "`which python3` x", "export PERL5OPT=-Ix", "export RUBYOPT=-Ix", "export JAVA_TOOL_OPTIONS=-javaagent:x",
                "export LUA_PATH=\"x/?.lua\"")) {
            assertThat(ShellStartupText.relativelySourced(form + "\n")).as(form).contains("x");
        }
        for (String form : List.of("export NODE_OPTIONS=\"--require x.js\"", "export LUA_PATH=\"/usr/share/lua/?.lua;;\"")) {
            assertThat(ShellStartupText.relativelySourced(form + "\n")).as(form).contains(".");
        }
        for (String form : List.of(". \"$(grep -z ^PWD= /proc/self/environ | tr -d \"\\0\" | cut -d= -f2)/x\"",
                ". \"$(strings /proc/self/environ | sed -n s/^PWD=//p)/x\"")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(form + "\n", Map.of())).as(form)
                    .isInstanceOf(ShellStartupText.TooComplex.class);
        }
        for (String quiet : List.of("export PERL5OPT=-Mstrict", "export NODE_OPTIONS=\"--max-old-space-size=4096\"",
                "export NODE_OPTIONS=\"--require /opt/x.js\"", "export JAVA_TOOL_OPTIONS=\"-Dfile.encoding=UTF-8\"",
                "export LUA_PATH=\"/usr/share/lua/5.4/?.lua\"", "COMPREPLY=( $(compgen -W \"$(cmake --help-command-list | cat)\" -- x) )")) {
            assertThat(ShellStartupText.relativelySourced(quiet + "\n")).as(quiet).isEmpty();
        }
    }

    /**
     * What {@code find} lists is its start directories' files (SDKMAN's {@code scripts=($(find "${SDKMAN_DIR}/src" -type f
     * -name 'sdkman-*.sh'))}, a loop over a {@code ~/.bashrc.d}): its words are no files where the shell starts. Controls:
     * a relative start directory, and an action that prints otherwise ({@code -printf}), are read as before, as words.
     */
    @Test
    void whatFindListsIsItsDirectoriesFiles() {
        String loop = "for f in $(find ~/.bashrc.d -name \"*.sh\"); do . \"$f\"; done\n";
        assertThat(ShellStartupText.relativelySourced(loop)).isEmpty();
        assertThat(read(loop, Map.of()).sourced()).containsExactly(HOME + "/.bashrc.d/*");
        assertThat(read("IFS=$'\\n'\nscripts=($(find \"${D}/src\" \"${D}/ext\" -type f -name 'x-*.sh'))\nfor f in \"${scripts[@]}\"; do\n"
                + "  source \"$f\"\ndone\n", Map.of("D", "/opt/d")).sourced()).containsExactly("/opt/d/src/*", "/opt/d/ext/*");
        assertThat(ShellStartupText.relativelySourced("for f in $(find . -name \"*.sh\"); do . \"$f\"; done\n")).contains(".");
        assertThat(read("a=($(find ~/d x -type f)); for f in \"${a[@]}\"; do . \"$f\"; done\n", Map.of()).sourced()).contains("x");
        assertThat(ShellStartupText.relativelySourced("for f in $(find ~/d -printf '%f\\n'); do . \"$f\"; done\n")).isNotEmpty();
    }

    /**
     * A stock oh-my-zsh home's files: a regular expression in '[[ … =~ … ]]' and a quoted '(' of a sed script are no glob
     * qualifiers; a plain word spliced into an eval's word is no code; the shell's name copied and run is no path.
     * Controls: the same qualifier unquoted, a copy used as a path, an eval'd variable at a command's start.
     */
    @Test
    void ohMyZshFormsAreRead() throws Exception {
        for (String quiet : List.of("if [[ \"$1\" =~ '^([a-zA-Z_\\-]+)(\\(.+\\))?!?: .+$' ]]; then :; fi\n",
                "sed -E $'s|#([0-9]+)|x|g' <<< \"$s\"\n",
                "local SEP=\"0mZmAgIcSeP\"\neval \"raw_fields=(\\\"\\${(@ps:$SEP:)raw_commit}\\\")\"\n",
                "local zsh=\"${ZSH_ARGZERO:-${functrace[-1]%:*}}\"\nexec \"$zsh\"\n")) {
            read(quiet, Map.of());
        }
        for (String odd : List.of(": /etc/hostname(+f)\n", "eval ': /etc/hostname(+f)'\n",
                "z=\"${ZSH_ARGZERO}\"\n. \"${z:h}/e.zsh\"\n", "c=x\neval \"$c\"\n")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                read(odd, Map.of());
                ShellStartupText.shellNameAsPath(odd).ifPresent(p -> {
                    throw new ShellStartupText.TooComplex(p);
                });
                ShellStartupText.evaluatedVariable(odd).ifPresent(p -> {
                    throw new ShellStartupText.TooComplex(p);
                });
            }).as(odd).isInstanceOf(ShellStartupText.TooComplex.class);
        }
        for (String quiet : List.of("local SEP=\"0mZmAgIcSeP\"\neval \"raw_fields=(\\\"\\${(@ps:$SEP:)raw_commit}\\\")\"\n",
                "local zsh=\"${ZSH_ARGZERO:-${functrace[-1]%:*}}\"\nexec \"$zsh\"\n")) {
            assertThat(ShellStartupText.shellNameAsPath(quiet)).as(quiet).isEmpty();
            assertThat(ShellStartupText.evaluatedVariable(quiet)).as(quiet).isEmpty();
        }
    }

    @Test
    void round59FormsAreFound() {
        // H1: a printer behind a path, 'command', an assignment
        assertThat(ShellStartupText.relativelySourced("eval \"$(/usr/bin/diff --line-format=%L /dev/null a1)\"\n"
                + "eval \"$(command diff --line-format=%L /dev/null a2)\"\neval \"$(LC_ALL=C diff /dev/null a3)\"\n"
                + "eval \"$(/bin/cat a4)\"\neval \"$(command cat a5)\"\neval \"$(/usr/bin/head a6)\"\n"
                + "eval \"$(env LC_ALL=C cat a7)\"\n")).contains("a1", "a2", "a3", "a4", "a5", "a6", "a7");
        // H2: glued and clustered script options, tmux's own commands
        assertThat(ShellStartupText.relativelySourced("tmux -L s -fb1 start-server\ntmux -L s -2f b2 start-server\n"
                + "cmake -Pb3\ntmux source-file b4\ntmux -f/dev/null source b5\ncmake -C b6 .\n"))
                .contains("b1", "b2", "b3", "b4", "b5", "b6");
        // H3: versions, Debian's alternatives, CMake's other tools
        assertThat(ShellStartupText.relativelySourced("vim.basic -Nu NONE -es -S c1 </dev/null\neditor -es -S c2\n"
                + "tclsh8.6 c3\nwish8.6 c4\nctest -S c5\ncpack --config c6\nperl5.36.0 c7\n"))
                .contains("c1", "c2", "c3", "c4", "c5", "c6", "c7");
        // H4: '--option=value' and glued options
        assertThat(ShellStartupText.relativelySourced("gdb -batch -nx --command=d1\nmake -s -fd2 all\nmake -s --file=d3\n"
                + "make --makefile=d4\nnawk -f d5 /dev/null\nninja -f d6\nmake -C d7\n"))
                .contains("d1", "d2", "d3", "d4", "d5", "d6", "d7");
        // H5: another shell, xargs' argument file, an empty pattern
        assertThat(ShellStartupText.relativelySourced("rbash e1\neval \"$(xargs -a e2 -0 printf %s)\"\n"
                + "eval \"$(xargs --arg-file=e3 printf %s)\"\neval \"$(look '' e4)\"\n"))
                .contains("e1", "e2", "e3", "e4");
        // H6: zsh's short loop and repeat
        assertThat(ShellStartupText.relativelySourced("for f (f1) source $f\nforeach g (f2) . $g\nrepeat 1 source f3\n"))
                .contains("f1", "f2", "f3");
        // and their look-alikes: no file
        assertThat(ShellStartupText.relativelySourced("make -j4 -s\nexport EDITOR=vim.basic\n"
                + "eval \"$(LC_ALL=C locale)\"\nxargs -0 -n1 echo\ntmux new-session -A -s main\nfor f in $list; do echo $f; done\n"
                + "n=$(grep -c processor /proc/cpuinfo)\n")).isEmpty();
    }
}
