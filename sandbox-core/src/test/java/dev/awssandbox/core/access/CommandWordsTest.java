package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Red team, round 26: which words of a command string are code that runs although they have no
 * {@code /} (F1), and which directory changes make a relative one unknowable (F2). Each case here
 * named nothing before.
 */
class CommandWordsTest {
    private static final Path HOME = Path.of("/h");
    private static final Path WORK = Path.of("/h/proj");

    private static CommandWords.Reading read(String command) {
        return CommandWords.of(command, Map.of("HOME", "/h"), HOME, WORK);
    }

    @Test
    void aScriptAnInterpreterRunsIsNamedWithoutASlash() {
        assertThat(read("sh x.sh").scripts()).containsExactly("x.sh");
        assertThat(read("bash -o pipefail -e x.sh --profile default").scripts()).containsExactly("x.sh");
        assertThat(read("timeout 5 python3 -W ignore tools/c.py --role r").scripts()).containsExactly("tools/c.py");
        assertThat(read("bash --rcfile rc -i").scripts()).containsExactly("rc");
        assertThat(read("awk -f prog.awk data").scripts()).containsExactly("prog.awk");
        assertThat(read(". ./env.sh && aws-vault x").scripts()).containsExactly("./env.sh");
        assertThat(read("sh *.sh").scripts()).containsExactly("*.sh");
        assertThat(read("sh < x.sh").scripts()).containsExactly("x.sh");
        assertThat(read("cat x.sh | sh").scripts()).containsExactly("x.sh");
        assertThat(read("sh -c 'sh inner.sh'").scripts()).containsExactly("inner.sh");
        assertThat(read("node -r ./hook.js /opt/tool.js").scripts()).containsExactly("./hook.js");
    }

    /**
     * Outside tests RT58, FP1 and RT60, M2: a name pattern (fzf's 'rg --glob "!.git/*"') and what echo only prints (a
     * terminal title with $PWD) are no words that name files. Controls: a path given as a file, and what a pipe or a
     * substitution takes to a shell.
     */
    @Test
    void namePatternsAndPrintedWordsAreNoFiles() {
        assertThat(read("rg --files --hidden --glob '!.git/*'").words()).noneMatch(w -> w.contains(".git"));
        assertThat(read("fd --type f --exclude=.git/ -E node_modules/").words()).noneMatch(w -> w.contains("/"));
        assertThat(read("find . -path '*/x/*' -name 'a/b'").words()).noneMatch(w -> w.contains("x/") || w.contains("a/b"));
        assertThat(read("echo -ne \"\\033]0;me: /h/proj\\007\"").words()).noneMatch(w -> w.contains("/h/proj"));
        assertThat(read("rg --files lib/x").words()).contains("lib/x");
        assertThat(read("npm install -g ./pkg/a").words()).contains("./pkg/a");
        assertThat(read("echo ./x.sh | sh").words()).contains("./x.sh");
        assertThat(read("echo '. ./z.sh' > /tmp/f; . /tmp/f").words()).anyMatch(w -> w.contains("./z.sh"));
        assertThat(read("eval \"$(echo ./y.sh)\"").words()).anyMatch(w -> w.contains("./y.sh"));
    }

    @Test
    void optionValuesAndArgumentsAreNoScripts() {
        CommandWords.Reading vault = read("aws-vault export --format=json --profile default");
        assertThat(vault.scripts()).isEmpty();
        assertThat(vault.directories()).isEmpty();
        assertThat(vault.unknown()).isEmpty();
        assertThat(vault.arguments()).contains("export", "default");
        assertThat(read("sh -c 'aws-vault exec prof -- aws sts get-caller-identity'").scripts()).isEmpty();
        assertThat(read("awk '{print $1}' data").scripts()).isEmpty();
        assertThat(read("/opt/bin/python3 /opt/cred.py --profile default").scripts()).isEmpty();
        assertThat(read("ls . && echo source").scripts()).isEmpty(); // '.' and source only as a command
    }

    @Test
    void directoriesWhoseFilesRunAreNamed() {
        assertThat(read("find . -name x.sh -exec sh {} \\;").directories()).containsExactly(".");
        assertThat(read("find /opt/t sub -exec {} \\;").directories()).containsExactly("/opt/t", "sub");
        assertThat(read("python3 -m tool").directories()).containsExactly(".");
        assertThat(read("python3 -c 'import tool'").directories()).containsExactly(".");
        assertThat(read("node -e 'require(\"x\")'").directories()).containsExactly(".");
        assertThat(read("npx tool").directories()).containsExactly(".");
        assertThat(read("make -s creds").directories()).containsExactly(".");
        assertThat(read("python3 -I -m tool").directories()).isEmpty();
        assertThat(read("python3 -sP -c 'import tool'").directories()).isEmpty();
    }

    @Test
    void aRelativeScriptAfterADirectoryChangeIsUnknown() {
        for (String command : List.of("cd \"$GIT_PREFIX\" && sh x.sh", "cd ${GIT_PREFIX:-.} && sh x.sh",
                "cd s?b && sh x.sh", "cd /tmp && sh x.sh", "env -C sub sh ../x.sh", "env --chdir=sub sh x.sh",
                "cd sub && python3 -m tool", "for f in *.sh; do sh \"$f\"; done", "ls | xargs sh",
                "find . -print | xargs -I{} sh {}")) {
            assertThat(read(command).unknown()).as(command).isNotEmpty();
        }
        assertThat(read("cd /opt/t && sh /opt/t/x.sh").unknown()).isEmpty();
        assertThat(read("sh x.sh --profile \"$UNSET_IN_TEST\"").unknown()).isEmpty();
    }

    /** Red team, round 27: each of these named nothing after round 26's fix. */
    @Test
    void round27FormsAreNamed() {
        // F1: code-loading variables set in the command string
        assertThat(read("env PYTHONPATH=lib python3 /opt/cred.py").directories()).contains("lib");
        assertThat(read("PYTHONPATH=src python3 /opt/c.py").directories()).contains("src");
        assertThat(read("export PERL5LIB=lib; perl /opt/c.pl").directories()).contains("lib");
        assertThat(read("env BASH_ENV=.bashenv bash /opt/c.sh").scripts()).contains(".bashenv");
        assertThat(read("env PYTHONPATH=:/opt/x python3 /opt/c.py").directories()).contains(".", "/opt/x");
        // F2: relative values glued to options
        assertThat(read("perl -Ilib /opt/cred3.pl").directories()).containsExactly("lib");
        assertThat(read("perl -Mlib=lib /opt/cred3.pl").directories()).containsExactly("lib");
        assertThat(read("awk -fprog.awk /dev/null").scripts()).containsExactly("prog.awk");
        assertThat(read("bash --rcfile=rc -i").scripts()).containsExactly("rc");
        assertThat(read("bash -euo pipefail x.sh").scripts()).containsExactly("x.sh");
        assertThat(read("python3 -Bc 'import tool'").directories()).containsExactly(".");
        assertThat(read("python3 -Esm tool").directories()).containsExactly(".");
        // F6: command strings inside options' and keys' values; a config ssh is given
        assertThat(read("ssh -o ProxyCommand=\"sh x.sh\" host true").scripts()).contains("x.sh");
        assertThat(read("ssh -oProxyCommand='sh x.sh' host true").scripts()).contains("x.sh");
        assertThat(read("env --split-string='sh x.sh'").scripts()).contains("x.sh");
        assertThat(read("env -S'sh x.sh'").scripts()).contains("x.sh");
        assertThat(read("git -c core.sshCommand='ssh -o ProxyCommand=\"sh p.sh\"' ls-remote x").scripts())
                .contains("p.sh");
        assertThat(read("socat - EXEC:'sh x.sh'").scripts()).contains("x.sh");
        assertThat(read("ssh -F jump.cfg -W %h:%p jump").scripts()).containsExactly("jump.cfg");
        assertThat(read("ssh -F jump.cfg -W %h:%p jump").configs()).containsExactly("jump.cfg");
        // red team, round 39, F15: the PKCS#11 library ssh loads, no config
        assertThat(read("ssh -I ./token.so host").scripts()).containsExactly("./token.so");
        assertThat(read("ssh -I ./token.so host").configs()).isEmpty();
        assertThat(read("ssh -I./token.so host").scripts()).containsExactly("./token.so");
        // F7: more interpreters and runners
        assertThat(read("java Cred.java").scripts()).containsExactly("Cred.java");
        assertThat(read("java Main").directories()).containsExactly(".");
        assertThat(read("java -cp /opt/x Main").directories()).containsExactly("/opt/x");
        assertThat(read("tsx cred.ts").scripts()).containsExactly("cred.ts");
        assertThat(read("pwsh -File cred.ps1").scripts()).containsExactly("cred.ps1");
        assertThat(read("go run .").directories()).containsExactly(".");
        assertThat(read("run-parts --report hooks.d").directories()).containsExactly("hooks.d");
        // F8: standard input named as a file
        assertThat(read("python3 /dev/stdin < x.py").scripts()).containsExactly("x.py");
        assertThat(read("cat x.sh | bash /dev/stdin").scripts()).containsExactly("x.sh");
        // round 28, not reached by its attacker: programs whose scripts run shell commands
        assertThat(read("sed -nf edit.sed data").scripts()).containsExactly("edit.sed");
        assertThat(read("sed 's/a/b/' data").scripts()).isEmpty();
        assertThat(read("m4 macros.m4").scripts()).containsExactly("macros.m4");
        assertThat(read("sqlite3 -init init.sql cache.db .quit").unknown()).isNotEmpty(); // round 33: sqlite3 fails closed
        assertThat(read("gdb -batch -x cmds.gdb /bin/true").scripts()).containsExactly("cmds.gdb");
        assertThat(read("vim -S session.vim notes.txt").scripts()).containsExactly("session.vim");
        // round 29: git's places and -c entries, less's lesskey source
        assertThat(read("GIT_DIR=meta GIT_WORK_TREE=. git status --short").directories()).contains("meta", ".");
        assertThat(read("git --git-dir=meta2 --work-tree=. status").directories()).contains("meta2", ".");
        assertThat(read("git --exec-path=ex foo").directories()).containsExactly("ex");
        assertThat(read("GIT_EXEC_PATH=ex git foo").directories()).containsExactly("ex");
        assertThat(read("git -c core.hooksPath=hk commit -m x").directories()).containsExactly("hk");
        assertThat(read("git -c alias.z='!sh z.sh' z").scripts()).containsExactly("z.sh");
        assertThat(read("git -C sub -c alias.z='!sh z.sh' z").unknown()).isNotEmpty();
        assertThat(read("git -c user.name=me commit -m x").directories()).isEmpty();
        assertThat(read("less --lesskey-src=lk /etc/hostname").scripts()).containsExactly("lk");
        // round 30: config entries the command gives git another way
        assertThat(read("HK=hk git --config-env=core.hooksPath=HK commit").unknown()).isNotEmpty();
        assertThat(CommandWords.of("git --config-env=core.hooksPath=HK commit", Map.of("HK", "hk"), HOME, WORK)
                .unknown()).isNotEmpty(); // the variable's name is in the string: read as one the command may set
        assertThat(read("GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0=hk git commit").unknown())
                .isNotEmpty();
        assertThat(read("GIT_CONFIG_PARAMETERS=\"'core.hooksPath'='hk'\" git commit").unknown()).isNotEmpty();
    }

    /**
     * Red team, round 31: a program given inline to an interpreter other than the shell (F1), a project runner
     * after a wrapper or with options, {@code -C} glued (F2), variables set in the string (L2) fail closed.
     */
    @Test
    void round31FormsFailClosed() {
        // round 31, F1: a program given inline may compute the paths it runs
        for (String code : List.of("python3 -c \"import os,runpy; runpy.run_path(os.path.join(os.environ['HOME'],'p','c.py'))\"",
                "node -e \"require(require('os').homedir()+'/p/c.js')\"", "perl -e 'do \"x.pl\"'", "perl -Mstrict -e1",
                "ruby -e 'load \"x.rb\"'", "python3 -cimport\\ os", "perl -lne 'print'", "echo 'import x' | python3",
                "awk 'BEGIN { system(\"sh \" ENVIRON[\"HOME\"] \"/p/x.sh\") }'", "git log | awk '{ print | \"sh\" }'")) {
            assertThat(read(code).unknown()).as(code).isNotEmpty();
        }
        // the controls: shell code is read as shell, a module, a script file, awk that only prints, sed
        for (String known : List.of("sh -c 'sh x.sh'", "python3 -m tool", "python3 tools/c.py", "perl -MCred /opt/c.pl",
                "git log | awk '{ print $1 }'", "sed -e 's/a/b/' f")) {
            assertThat(read(known).unknown()).as(known).isEmpty();
        }
        // round 31, F2: a runner after a wrapper, a runner's options, -C glued
        for (String moved : List.of("make -s -Cproj creds", "make -sCproj", "make -f proj/Makefile", "npm --prefix=proj run x",
                "env -C build make -s", "env --chdir=build make", "env -Cproj sh cred.sh", "env -iCproj sh cred.sh",
                "terraform -chdir=proj plan", "pnpm --dir=proj test")) {
            assertThat(read(moved).unknown()).as(moved).isNotEmpty();
        }
        assertThat(read("nice make creds").directories()).containsExactly(".");
        assertThat(read("make creds").unknown()).isEmpty(); // the control: the working directory, named
        assertThat(read("pytest").directories()).containsExactly(".");
        // round 31, L2: variables set in the string that give options or a home; commands in variables
        for (String variable : List.of("PERL5OPT=-Ilib perl x.pl", "MAKEFLAGS=-Clib make", "HOME=lib git status",
                "env XDG_CONFIG_HOME=lib git status", "NODE_OPTIONS='--require ./h.js' node /opt/x.js")) {
            assertThat(read(variable).unknown()).as(variable).isNotEmpty();
        }
        assertThat(read("GIT_SSH_COMMAND='sh ssh.sh' git fetch").scripts()).contains("ssh.sh");
        // red team, round 32: runners anywhere, one-word shell code, ext::, vim +cmd, sqlite3 commands, awk/gawk
        // options, more languages, credential helpers given with '!'
        for (String form : List.of("sh -c 'make -s'", "CFLAGS=-O2 make -s", "strace -o /dev/null -f make -s",
                "setpriv --reuid=0 make -s", "vim -es -N '+so fmt.vim' '+qa!'", "sqlite3 :memory: '.read q.sql'",
                "awk -W exec report.awk", "gawk -e 'BEGIN{}'", "emacs --batch --eval '(load \"x.el\")'",
                "guile -c '(load \"x.scm\")'", "busybox sh -c 'sh x.sh' && make -C p")) {
            assertThat(read(form).unknown()).as(form).isNotEmpty();
        }
        assertThat(read("strace -f make").directories()).contains(".");
        assertThat(read("sh -c make").directories()).contains(".");
        assertThat(read("git -c protocol.ext.allow=always clone -q 'ext::sh ext2.sh' dst").scripts()).contains("ext2.sh");
        assertThat(read("git -c credential.helper='!sh cred.sh' credential fill").scripts()).contains("cred.sh");
        assertThat(read("gawk -i lib.awk '{print}'").scripts()).contains("lib.awk");
        assertThat(read("emacs --batch -l evil.el").scripts()).contains("evil.el");
        assertThat(read("jq -L . '.a'").directories()).contains(".");
        assertThat(read("GCONV_PATH=. iconv -f x").directories()).contains(".");
        // red team, round 33, F2: code on the standard input of sqlite3, ed, ex, vim -s; F4: submodule foreach
        for (String form : List.of("sqlite3 < x", "ed < y", "ex -s < cmds", "vim -s keys -n -i NONE -u NONE",
                "vim -es < x", "git submodule foreach sh x.sh")) {
            assertThat(read(form).unknown()).as(form).isNotEmpty();
        }
        // false positives found checking real configurations: ssh given no host reads no script; '.' is no file
        assertThat(read("ssh -i ~/.ssh/id_work -o IdentitiesOnly=yes").scripts()).isEmpty();
        assertThat(read("aws sts get-caller-identity | jq .").arguments()).doesNotContain(".");
        assertThat(read("cat x.sh | sh").scripts()).containsExactly("x.sh"); // a shell's stdin is a script: named, and
        assertThat(read("cat x.sh | sh").unknown()).isNotEmpty(); // unknown too: printf can build it (round 34, F2)
        // the controls: an editor or a pager given no file reads no program (core.editor = vim, core.pager = less -R)
        for (String editor : List.of("vim", "less -R", "emacs -nw", "nano", "code --wait", "view")) {
            assertThat(read(editor).unknown()).as(editor).isEmpty();
        }
        // git's subcommand options (found writing round 30's end-to-end tests)
        assertThat(read("git clone -q --template=tmpl src dst").directories()).containsExactly("tmpl");
        assertThat(read("git init --template tmpl dst").directories()).containsExactly("tmpl");
        assertThat(read("git clone --separate-git-dir=meta src dst").directories()).containsExactly("meta");
        assertThat(read("git clone -q -c core.hooksPath=hk src dst").directories()).containsExactly("hk");
        assertThat(read("git clone --config core.hooksPath=hk src dst").directories()).containsExactly("hk");
        assertThat(read("git clone --config=core.hooksPath=hk src dst").directories()).containsExactly("hk");
        assertThat(read("git clone -ccore.hooksPath=hk src dst").directories()).containsExactly("hk");
        assertThat(read("git clone -c alias.z='!sh z.sh' src dst").scripts()).contains("z.sh");
        assertThat(read("git clone --upload-pack=up.sh src dst").scripts()).isEmpty(); // a program on PATH
        assertThat(read("git clone -u 'sh up.sh' src dst").scripts()).containsExactly("up.sh");
        assertThat(read("git rebase -x 'sh t.sh' main").scripts()).containsExactly("t.sh");
        assertThat(read("git push --receive-pack='sh rp.sh' origin").scripts()).containsExactly("rp.sh");
        // the controls: the same letters elsewhere are no such options
        assertThat(read("git commit -c HEAD").directories()).isEmpty();
        assertThat(read("git clone src -- --template=tmpl").directories()).isEmpty();
        // round 34, F2, the general rule: a program the string gives its standard input (a pipe, '<', '<<<', a
        // compound command after a pipe or before a '<') is one known to read text, or what it runs is unknown
        for (String given : List.of("printf 'x' | tclsh8.7", "cat x | newlang", "newlang < x", "newlang <<< 'code'",
                "cat x | while read l; do newlang; done", "cat x | { read a; newlang; }", "cat x | (newlang)",
                "while read l; do newlang; done < x", "{ newlang; } < x", "cat x |\n newlang", "cat x |& newlang",
                "cat x | env LC_ALL=C newlang", "cat x | tar x", "cat x | patch -p1", "cat x | openssl",
                "git log | grep a | /opt/bin/newlang", "cat x 2>&1 | newlang", "cat x.tar | sudo tar x", "sed -f - f",
                "printf '1e sh x.sh' | sed -f /dev/stdin f", "awk -f- f", "gawk --file=/dev/stdin f", "cat x | xargs -0 env",
                "cat x | xargs git", "cat x | xargs -n 1 git -c a=b status", "cat x | xargs sort", "cat x | xargs -I{} find {}")) {
            assertThat(read(given).unknown()).as(given).isNotEmpty();
        }
        // the controls: the same program not given the string's input; programs known to read text given it
        for (String text : List.of("newlang x", "cat x | grep a && newlang y", "cat x | grep a; newlang y",
                "cat x | grep a || newlang y", "(cat x | grep a); newlang y", "newlang > out", "newlang 2>&1",
                "git branch --merged | grep -v main | xargs git branch -d", "git log --oneline | fzf | cut -d' ' -f1",
                "aws sts get-caller-identity | jq -r .Account", "cat x | env LC_ALL=C sort", "git diff | delta",
                "cat x | while read l; do echo \"$l\"; done", "sort < x | uniq -c | sort -rn | head", "diff <(a) b",
                "cat x | xargs", "cat x | xargs -n 1 grep -l TODO", "cat x | xargs -I {} git checkout {}", "case a in a) newlang;; esac")) {
            assertThat(read(text).unknown()).as(text).isEmpty();
        }
        // a case fed by a pipe or a '<': its patterns' ')' and its ';;' end neither the case nor the pipe, so a later
        // branch's program is given the input too (before, only the case's word was, itself read as a program)
        for (String form : List.of("cat x | case a in a) : ;; *) newlang ;; esac",
                "cat x | case a in (a|b) :;;\n *) newlang;; esac", "cat x | case a in a) : ;& b) newlang ;; esac",
                "case a in a) : ;; *) newlang;; esac < x", "cat x | case a in if) : ;; done) newlang ;; esac")) {
            assertThat(read(form).unknown()).as(form).anyMatch(u -> u.startsWith("newlang,"));
        }
        // the controls: after the case's end the pipe has ended too
        for (String form : List.of("cat x | case a in a) grep y;; esac; newlang z", "cat x | case a in esac; newlang z",
                "cat x | case a in (a) grep y;; esac\nnewlang z")) {
            assertThat(read(form).unknown()).as(form).noneMatch(u -> u.startsWith("newlang,"));
        }
        // red team, round 35: a file-naming variable set relative in the string (F1), a script through another
        // descriptor (F3), a shell alias or hashed name (F4)
        for (String form : List.of("AWS_CONFIG_FILE=awscfg aws sts get-caller-identity", "env KUBECONFIG=kc kubectl get x",
                "OPENSSL_CONF=o.cnf openssl version", "LUA_INIT=@f lua x.lua", "GNUPGHOME=g gpg -d x",
                "PATH=bin:$PATH tool", "exec 3<x.sh; . /dev/fd/3", "bash /proc/self/fd/3", "python3 /dev/fd/4",
                "alias r=sh; eval 'r x.sh'", "hash -p ./x.sh git; git status", "enable -f ./l.so ls",
                "git log | awk '{ print > $1 }'", "awk '{ printf \"%s\", $2 >> $1 }' f")) {
            assertThat(read(form).unknown()).as(form).isNotEmpty();
        }
        // the controls: absolute values, variables that name no file, no alias
        for (String form : List.of("AWS_CONFIG_FILE=/etc/aws.cfg aws sts get-caller-identity", "LC_ALL=C sort f",
                "AWS_PROFILE=dev aws s3 ls", "PATH=/usr/local/bin:/usr/bin tool", "sh /opt/x.sh",
                "git log | awk '{ if ($3 < 100) print $1 }'",
                // outside attack RT8, FP1: ssh's ControlPath (a keyword, not a variable) names one path, whose ':' is no
                // separator; its '%p' had been a relative entry, and every working directory was kept read-only
                "ssh -o ControlMaster=auto -o ControlPath=~/.ssh/master-%r@%h:%p h", "ssh -oControlPath=/tmp/%r@%h:%p h",
                "ssh -o ControlPath=$HOME/.ssh/s-%h:%p h")) {
            assertThat(read(form).unknown()).as(form).isEmpty();
        }
        // and a relative ControlPath is still where ssh runs; a lower-case variable is still a list (npm's)
        for (String form : List.of("ssh -o ControlPath=cm-%r@%h:%p h", "npm_config_globalconfig=/etc/x:rc npm i")) {
            assertThat(read(form).unknown()).as(form).isNotEmpty();
        }
        // red team, round 36: sed 'e' after text ending in an escaped backslash (F1), a computed variable as an argument
        // (F2), xargs git with a subcommand whose options run commands (F3), git applying a patch from its input (F6)
        for (String form : List.of("echo x | sed -e '1i ==\\\\\ne sh hdr.sh'", "host=$(cat .host); ssh \"$host\" true",
                "for h in $(cat .host); do ssh $h true; done", "read h < .host; ssh \"$h\" true", "v=$(cat opts); git $v",
                "v=$(cat c.txt); timeout 5 $v", "xargs git grep --no-index < pats.txt", "git apply < fix.diff",
                "cat fix.diff | git am", "cat x | xargs git fetch", "cat list | xargs cp", "d=$(cat f); cp x.sh \"$d\"",
                "cat list | xargs -n 2 ln -sf", "read m; chmod \"$m\" x",
                // red team, round 37: a computed export (F1), awk's ';' in a string (F3), git's option hiding apply (F5)
                "for kv in $(cat .gitenv); do export $kv; done; git status --short", "v=$(cat f); export $v",
                "read -r v < .e; export \"$v\"", "awk -F, '{print $2 \";\" $3 > $1}' rows.csv",
                "awk '{print $2 \"}\" > $1}' f", "git --namespace log apply < fix.diff",
                // round 38, F1: bash evaluates a read value in arithmetic, an index, an offset, ${!x}, ${x@P}
                "bash -c 'read n < f; (( n > 0 ))'", "read n < f; let n++", "read n < f; echo ${a[$n]}",
                "read n < f; echo ${s:$n}", "read w < f; echo ${!w}", "read n < f; echo \"${n@P}\"",
                "for n in $(cat f); do echo ${!n}; done",
                // round 39: a variable the shell sets itself (F1), a computed word that can be test's or printf's -v
                // (F2), a command substitution not right after '=' (F3), the -v and -eq forms of evaluation
                "bash -c 'read < .h; ssh $REPLY'", "mapfile < .h; ssh $MAPFILE", "getopts o: x $(cat f); ssh $OPTARG",
                "read -r vpn < .vpn; [ $vpn = on ]", "read x < f; test $x", "read x < f; printf $x",
                "n=${TUNNELS-$(cat .tunnels)}; (( n > 0 ))", "n=\"$(cat .n)\"; (( n > 0 ))", "n=''$(cat .t); (( n ))",
                "n=0$(cat .t); let n++", "n=\"`cat .t`\"; echo $(( n ))", "read x < f; printf -v \"$x\" y",
                "read x < f; [[ -v \"$x\" ]]", "read x < f; [[ \"$x\" -eq 1 ]]", "read x < f; a[x]=1",
                "read x < f; declare -n r=\"$x\"; echo \"$r\"", "read x < f; echo $[x]",
                "declare -n vpn; read -r vpn < .vpn; [ -n $vpn ]", "read -r n < .n; declare -i m; m=n",
                "read -r t < .t; [[ t -gt 0 ]] && echo y", "read -r n < .n; [[ n ]] && echo y",
                // F6: a computed word a redirection opens, whatever the program
                "read out < .out; cat notes.txt > \"$out\"", "read out < .out; cat notes.txt >> $out",
                "out=$(cat .out); echo x >\"$out\"", "for f in $(cat .files); do cat tmpl > $f; done",
                "read f < .f; grep x y 2>$f", "read m < .m; git branch -a > \"$m\"",
                // F4: sed's program hidden by an option not read before, or after GNU's v; F5: awk's '>' behind a division
                "sed -n --expression='s/^[$] //ep' NOTES.md", "sed --line-length=1 e cmds", "sed 'v;e' cmds",
                "sed -n 'v;s/^[$] //ep' TODO.md", "sed -es/x/y/e f", "sed --follow-symlinks e f", "sed 'w f\ne' x",
                "awk -F'\\t' '{ kb += $3/1024; print $2 > $1 } END { print kb/NR }' by-host.tsv",
                "awk '$0 !~ /\"/ { print $2 > $1; n = \"x\" }' f.tsv", "git log | awk '{ if ($3 > 100) print $1 }'",
                // F9: a process substitution as a script option's value; and what '>(…)' runs reads the outer output
                "awk -f <(grep -v '^#' vpn.awk) .vpn", "sed -f <(cat r.sed) x", "sed --file=<(cat r.sed) x",
                "ssh -F <(cat .x) h", "cat planted > >(newlang)", "paste <(cat x) >(newlang)",
                "cat x > >(read a; newlang)",
                // F13: a computed word read into a file the sandbox reads (git tag -F, cat of a planted list of files)
                "read v < VERSION; git tag v$v", "for f in $(cat .files); do cat $f; done > bundle.txt",
                "xargs grep -h TODO < .files > todo.txt", "cat tags.txt | xargs git tag",
                "read f < .f; head -n 5 \"$f\" | tee out.txt",
                // F16: less's options set in the string; N1: ssh given input runs it on the remote host
                "LESS=--lesskey-src=.lesskey less README.md", "LESSKEY=.lesskey less x", "RIPGREP_CONFIG_PATH=rc rg x",
                "ssh prod < deploy.sh", "cat deploy.sh | ssh prod",
                // round 40, F1: a pathname expansion gives names a command may create, such as an option that runs code
                "tar czf /tmp/b.tgz *", "scp * host:", "rsync -a *.txt /tmp/bk/", "zip -r /tmp/z.zip ?x",
                // F5: xargs's words from a file (-a), not the string's input
                "xargs -I{} -a hosts.txt sh -c 'echo checking {}'", "xargs -a files.txt tar czf /tmp/x.tgz",
                "mkdir -p backup; xargs -a files.txt cp -t backup", "xargs -a repos.txt git fetch",
                "xargs --arg-file=h.txt -I{} bash -c 'ssh {} uptime'",
                // F6: a file name spliced into a command string; F8: git's harmless subcommands where a file is written
                "find . -name '*.log' -exec sh -c 'gzip -k {}' \\;", "find . -exec bash -c 'echo {}' \\;",
                "read b < .branch; git checkout $b 2>&1 | tee co.log", "read f < .f; git add $f 2> add.log",
                // round 41: positional parameters that are file names (F2, F4); a CA set in the string (F5)
                "set -- *; tar czf b.tgz \"$@\"", "find . -name '*.log' -exec sh -c 'tar rf b.tar $1' _ {} \\;",
                "GIT_SSL_CAINFO=ca.pem git push", "AWS_CA_BUNDLE=ca.pem aws sts get-caller-identity",
                "git -c http.sslCAInfo=ca.pem push", "sh -c 'tar czf b.tgz \"$@\"' -- *", "f() { shift; tar czf b.tgz \"$@\"; }; f -- *",
                // round 42: config a command string sets for later (F5, F8)
                "git config http.sslCAInfo ca.pem; git fetch", "aws configure set ca_bundle ca.pem; aws s3 ls",
                // red team, round RT15: every trust store variable (F2), git's ssh signature trust files (F4)
                "PIP_CERT=ca.pem ls", "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH=ca.pem ls", "SSL_CERT_DIR=certs ls",
                // and the CA directories and npm's in any case (the review of the whole change: the list here had missed them)
                "VAULT_CAPATH=cas vault status", "Npm_Config_Cafile=ca.pem npm i",
                "git -c gpg.ssh.allowedSignersFile=signers log --show-signature")) {
            assertThat(read(form).unknown()).as(form).isNotEmpty();
        }
        // the controls: a computed variable given to programs that take any words harmlessly; git reading text
        for (String form : List.of("v=$(git rev-parse HEAD); echo \"$v\"", "git branch --merged | while read b; do git"
                + " branch -d \"$b\"; done", "b=$(git symbolic-ref --short HEAD); grep -n \"$b\" notes",
                "git rev-list HEAD | git name-rev --stdin", "echo x | sed -e '1i ==\\\\\np'",
                "echo ${HOME:-/h}", "git log -n 3 | while read l; do echo \"$l\"; done",
                "git branch --merged | grep -v main | while read b; do git branch -d \"$b\"; done", "git log $1",
                "f() { git log -n \"${1:-3}\"; }; f", "read x < f; echo \"$x\"", "ssh \"$@\"",
                "read x < f; echo \"$x\" > out.txt 2>&1", "b=$(git branch --show-current); echo \"$b\" >> log.txt",
                "git log > >(grep x)", "cat x > >(grep a); newlang", "for f in $(cat .files); do cat $f; done",
                "xargs grep -l TODO < .files", "read f < .f; cat \"$f\" 2>/dev/null >&2",
                "ls *.txt", "grep -l TODO *", "tar czf /tmp/b.tgz '*'", "git add *", "xargs -a files.txt ls -l",
                "xargs -a branches.txt git branch -d", "read b < .b; git checkout \"$b\" 2>/dev/null",
                "git log --format='%h {}'", "git -c http.sslCAInfo=/etc/ssl/ca.pem push", "f() { tar czf b.tgz \"$@\"; }; f")) {
            assertThat(read(form).unknown()).as(form).isEmpty();
        }
        // round 42, F5: 'git config core.hooksPath .githooks' sets the hooks the next git command runs
        assertThat(read("git config core.hooksPath .githooks; git commit -q -m wip").directories()).contains(".githooks");
        assertThat(read("git config set core.hooksPath .githooks").directories()).contains(".githooks");
        assertThat(read("git config --get core.hooksPath").directories()).isEmpty();
        assertThat(read("git config user.name x").unknown()).isEmpty();
        // round 43: git's own options hidden by a redirection or an option's value (F9), git config's -t, clusters
        // and '--' (F2, F6), aws configure quoted or with an option between (F4), a config file written (F7), sed's
        // -f after -e (F11)
        for (String form : List.of("git --frobnicate x -c core.hooksPath=h commit",
                "git config -zt path core.hooksPath .githooks", "git config --frobnicate core.hooksPath .githooks",
                "aws configure \"set\" ca_bundle ca.pem", "aws configure 's'et ca_bundle ca.pem",
                "aws configure --profile p set ca_bundle ca.pem", "aws 'con'figure set ca_bundle ca.pem",
                "aws configure\\\n set ca_bundle ca.pem", "aws configure import --csv file://c.csv",
                "aws configure add-model --service-model file://m.json",
                "echo '[core] hooksPath = .githooks' >> .git/config", "echo 'ca_bundle = c.pem' >> ~/.aws/config",
                "printf '[alias]\\n' | tee -a ~/.gitconfig", "cp cfg .git/config", "sed -i s/x/y/ .git/config",
                // round 44: plumbing pushes (F2), archives extracted (F5), glued target directories (F6), include
                // targets, ~/.config and shell start-up files written (F7-F9)
                "git send-pack bk.git master", "git-receive-pack bk.git", "git receive-pack --advertise-refs bk.git",
                "tar -xf vendor.tar", "tar xf v.tar -C ~", "unzip -qo vendor.zip",
                "cp --target-directory=.git/hooks post-checkout", "cp -vt.git/hooks x",
                "cat local.cfg > ~/.gitconfig.local", "cp -r git ~/.config/", "cat envrc >> ~/.bashrc",
                // a remote URL through a user /etc/passwd does not list
                "git -c remote.bk.url=~no-such-user-here/../w/bk.git push bk",
                // round 45, F6: what bash's default .bashrc sources, other start-up files, code on PATH
                "cp aliases.sh ~/.bash_aliases", "cp x ~/.local/bin/", "cat v >> ~/.vimrc", "cp e.pth ~/.local/lib/site.pth",
                "tee ~/.npmrc < n")) {
            assertThat(read(form).unknown()).as(form).isNotEmpty();
        }
        for (String form : List.of("git 2>/dev/null -c core.hooksPath=.githooks commit",
                "git --namespace x -c core.hooksPath=.githooks commit", "git --shallow-file x -c core.hooksPath=.githooks commit",
                "git config 2>/dev/null core.hooksPath .githooks", "git config -t path core.hooksPath .githooks",
                "git config --type=path core.hooksPath .githooks", "git config >/dev/null core.hooksPath .githooks",
                "git config 2>&1 core.hooksPath .githooks")) {
            assertThat(read(form).directories()).as(form).contains(".githooks");
        }
        assertThat(read("git config -- core.hooksPath -githooks").directories()).contains("-githooks");
        assertThat(read("git -C public commit -q -m x").directories()).contains("public"); // round 45, F7
        assertThat(read("git -C . status").directories()).isEmpty();
        assertThat(read("git 2>/dev/null --exec-path=gx sync").directories()).contains("gx");
        assertThat(read("git --namespace x --git-dir=gd status").directories()).contains("gd");
        assertThat(read("git log --oneline | sed -e 1d -f fmt.sed").scripts()).contains("fmt.sed");
        assertThat(read("sed --expression=p --file=fmt.sed x").scripts()).contains("fmt.sed");
        assertThat(read("sed -n -e p -nf fmt.sed x").scripts()).contains("fmt.sed");
        // F1, F8: a remote's URL a command string writes or gives git is a repository on this machine, named whole
        for (String form : List.of("git remote add bk backup.git 2>/dev/null; git push -q --all bk",
                "git remote set-url --push origin backup.git", "git config remote.origin.pushurl backup.git",
                "git -c remote.origin.url=backup.git push --all origin",
                "git config branch.master.pushRemote backup.git", "git config remote.pushDefault backup.git")) {
            assertThat(read(form).directories()).as(form).contains("backup.git");
        }
        assertThat(read("git config url.backup.git.pushInsteadOf https://example.invalid/x.git").directories())
                .contains("backup.git");
        assertThat(read("git -c remote.origin.url=file:///srv/b%20k.git fetch").directories()).contains("/srv/b k.git");
        // the controls: reads, remote URLs elsewhere, aws configure's reads, a config file only read
        for (String form : List.of("git remote add origin https://example.invalid/x.git",
                "git remote set-url origin git@example.invalid:x.git", "git -c remote.origin.url=ssh://h/x fetch",
                "git config --global -e", "git config get core.hooksPath", "aws configure get region",
                "aws configure list", "cat .git/config", "grep url .git/config", "./configure --prefix=/usr",
                "git 2>/dev/null log -n 3", "sed -e 1d x", "tar czf /tmp/b.tgz src", "tar -tvf b.tar")) {
            CommandWords.Reading reading = read(form);
            assertThat(reading.unknown()).as(form).isEmpty();
            assertThat(reading.directories()).as(form).isEmpty();
        }
        // F9: only the command's own -P/-I keeps the working directory off Python's path
        assertThat(CommandWords.of("python3 -E -m tool", Map.of("PYTHONSAFEPATH", "1"), HOME, WORK).directories())
                .containsExactly(".");
    }

    /**
     * False positives found checking real configurations (session of 2026-12-03): sed's and awk's program text was
     * split into words and read as paths ({@code s/^} in the working directory) and its {@code $2} as a variable that
     * cannot be known; a shell variable assigned a command's output ({@code ip=$(aws myip)}, upstream
     * awscli-aliases) and the list of a {@code for} loop were read as commands.
     */
    @Test
    void programTextAssignmentsAndForListsAreNoPaths() {
        for (String command : List.of("git log | sed -e 's/^/  /'", "git branch -r | awk -F/ '{print $2\"/\"$3}'",
                "git for-each-ref | awk -F/ '{print $(NF-1) \"/\" $NF}'", "git branch -vv | awk '/: gone]/{print $1}'",
                "git log --oneline | sed -n 's/^\\([0-9a-f]*\\) .*/\\1/p'", "sed -ne 's|/h/|~/|g;p' -e '$!N' f",
                "git log | LC_ALL=C sed 's/a\\/b/c/'", "f() { ip=$(aws myip); aws ec2 x --group-id ${1}; }; f",
                "for i in $(aws iam list-users --output text); do echo \"$i\"; done")) {
            CommandWords.Reading reading = read(command);
            assertThat(reading.unknown()).as(command).isEmpty();
            assertThat(reading.words()).as(command).noneMatch(w -> w.contains("/") && !w.startsWith("/") && !w.startsWith("-"));
        }
    }

    /** What the change above keeps failing closed (or naming) — sed and awk programs that run or name files, and so on. */
    @Test
    void programTextThatRunsOrNamesFilesAndComputedPathsStayFailClosed() {
        for (String command : List.of("awk '{ system(\"sh x.sh\") }'", "git log | awk '{ print | \"sh\" }'",
                "awk '@include \"x.awk\"'", "awk '{ getline l < \"/h/p/f\"; print l }'", "git log | sed 's/.*/&/e'",
                "sed '1e sh x.sh' f", "sed -n 'e' f", "p=$(cat f); sh \"$p\"", "p=$(cat f); $p", "p=$(cat f); . \"$p\"",
                "PATH=$(cat f):$PATH; tool", "x=$(cat f) tool", "export p; p=$(cat f)", "d=$(cat f); find \"$d\" -exec {} \\;",
                "ip=$(aws myip); aws ec2 x --cidr $ip/32", "for f in $(cat l); do $f; done", "su -c \"$(cat f)\"",
                "sed \"s/x/$UNSET_IN_TEST/y/\" f",
                // red team, round 36, F2 takes back this false positive's fix: a computed word given to aws or docker
                // may be options that run code
                "f() {\n  region=$(aws configure get region)\n  pw=$(aws ecr x --region $region | cut -d: -f2)\n  docker login -p $pw y\n}; f")) {
            assertThat(read(command).unknown()).as(command).isNotEmpty();
        }
        // a sed program that reads or writes a file, one not parsed here, one the shell expands, after eval: read as before
        assertThat(read("sed 'w out/x.sh' f").words()).contains("out/x.sh");
        assertThat(read("sed 's/a/b/w out/y.sh' f").words()).anyMatch(w -> w.contains("out/y.sh"));
        assertThat(read("sed '/x/r in/z.sh' f").words()).anyMatch(w -> w.contains("in/z.sh"));
        assertThat(read("sed 's/[/]/x/' f").words()).anyMatch(w -> w.contains("s/["));
        assertThat(read("eval sed 's/x/y/ | sh a/b.sh'").scripts()).contains("a/b.sh");
        assertThat(read(". sed 's/x/y/'").words()).contains("s/x/y/"); // sed is a script here, its word an argument
        assertThat(read("awk -f lib/p.awk data").scripts()).containsExactly("lib/p.awk");
        assertThat(read("sed -f edit/s.sed data").scripts()).containsExactly("edit/s.sed");
        assertThat(read("awk '{print}' sub/data").words()).contains("sub/data"); // an operand is a file, as before
    }

    /**
     * Red team, round 44, F11: the classic {@code lg} alias's format string ({@code %C(bold blue)<%an>}) was read as
     * a command, {@code bold} given its input by a {@code <}, so every repository whose global config had it was kept
     * read-only. git runs nothing a format says; the same words outside a git format still fail closed.
     */
    @Test
    void aGitFormatStringIsNoCommand() {
        String format = "--pretty=format:'%Cred%h%Creset -%C(yellow)%d%Creset %s %Cgreen(%cr) %C(bold blue)<%an>%Creset'";
        for (String command : List.of("log --graph " + format + " --abbrev-commit", "git log " + format,
                "git -c color.ui=auto log " + format, "for-each-ref --format='%(refname) <%(upstream)>'",
                "git branch --format='(x) <y>' | cat")) {
            assertThat(read(command).unknown()).as(command).isEmpty();
        }
        // the controls: the same text as any other program's word, or as a command's own, is read as a command
        for (String command : List.of("env --format='%C(bold blue)<%an>'", "sh -c '--pretty=x; (bold blue)<%an>'",
                "git log --pretty=x | (bold blue)<%an>", "log --graph '(bold blue)<%an>'")) {
            assertThat(read(command).unknown()).as(command).isNotEmpty();
        }
    }

    /** Red team, round 44, F12-F14: the secret files a command string hands a program, as written. */
    @Test
    void theKeysAStringHandsAProgramAreNamed() {
        assertThat(read("ssh -i ~/w/k1 -o IdentitiesOnly=yes host").keys()).containsExactly("~/w/k1");
        assertThat(read("ssh -Ai/w/k2 host").keys()).containsExactly("/w/k2");
        assertThat(read("scp -q -i k3 a b:").keys()).containsExactly("k3");
        assertThat(read("ssh -o 'IdentityFile /w/k4' host").keys()).containsExactly("/w/k4");
        assertThat(read("ssh -oCertificateFile=/w/c5 host").keys()).containsExactly("/w/c5");
        assertThat(read("rsync -e 'ssh -i /w/k6' src b:").keys()).contains("/w/k6");
        assertThat(read("store --file=/w/creds7").keys()).containsExactly("/w/creds7");
        assertThat(read("git credential-store --file /w/creds8 get").keys()).containsExactly("/w/creds8");
        assertThat(read("ssh-add -t 60 /w/k9").keys()).contains("/w/k9");
        // the controls: -i of programs that are no ssh, --file of another program
        for (String command : List.of("rsync -i -e ssh src b:", "grep -i x f", "less -i", "sed -i s/a/b/ f",
                "tar --file=x.tar -c y", "ssh host ls")) {
            assertThat(read(command).keys()).as(command).isEmpty();
        }
    }

    /** Red team, round 44, F11: the words that stand only where git takes a revision. */
    @Test
    void gitsRevisionsAreKnownAsSuch() {
        assertThat(read("git fetch && git rebase origin/main").revisions()).containsExactly("origin/main");
        assertThat(read("git -C sub log --oneline origin/main..HEAD~2").revisions()).containsExactly("origin/main..HEAD~2");
        // the controls: the same word run, another program's, fetch's repository, -x's command, a computed one
        for (String command : List.of("git log o/m && o/m", "git log o/m; cat o/m", "git push o/m", "git rebase -x o/m main",
                "git log $X/m", "sh -c 'git log o/m; o/m'")) {
            assertThat(read(command).revisions()).as(command).doesNotContain("o/m", "$X/m");
        }
    }

    /**
     * Red team, round 45, FP1: a quoted word of a program that runs none of its words was read as a command, so a
     * {@code |} in grep's pattern ({@code grep -v '\\*\\|main\\|master'}, the widely copied {@code cleanup} alias) or in
     * echo's text kept every working directory read-only.
     */
    @Test
    void aWordOfAProgramThatRunsNoneIsNoCommand() {
        for (String command : List.of("echo 'a|main'", "git branch --merged | grep -v '\\*\\|main\\|master'"
                + " | xargs -n 1 git branch -d", "grep -E 'x|y' notes.txt")) {
            assertThat(read(command).unknown()).as(command).isEmpty();
        }
        // the controls: the same text run by a shell, or printed into one
        for (String command : List.of("sh -c 'a|main'", "echo 'a|main' | sh", "eval 'a|main'", "env 'a|main'")) {
            assertThat(read(command).unknown()).as(command).isNotEmpty();
        }
    }

    /**
     * A reading is kept for the same inputs (every plan reads the same config commands): the same command read with
     * other variables is read for them.
     */
    @Test
    void aKeptReadingIsOnlyForTheSameInputs() {
        String command = "sh $TOOLS/run.sh ./x.sh";
        CommandWords.Reading first = CommandWords.of(command, Map.of("TOOLS", "/t1"), HOME, WORK);
        assertThat(CommandWords.of(command, Map.of("TOOLS", "/t1"), HOME, WORK)).isEqualTo(first);
        assertThat(first.words()).contains("/t1/run.sh");
        assertThat(CommandWords.of(command, Map.of("TOOLS", "/t2"), HOME, WORK).words()).contains("/t2/run.sh")
                .doesNotContain("/t1/run.sh");
    }
}
