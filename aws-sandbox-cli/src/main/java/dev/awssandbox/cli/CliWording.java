package dev.awssandbox.cli;

/**
 * The core's facts and advice in the command line's words: its warnings name both the option and the library's
 * method, and "the bubblewrap backend" without the flag that selects it (outside test WF29, F10).
 */
final class CliWording {
    private CliWording() {}

    /**
     * What a person can do when the sandbox gives a command nothing of its working directory (the core states why: the
     * directory holds or leads to a credential, a key, aws-sandbox's own state, …).
     */
    static final String WORKING_DIRECTORY_ADVICE = "run from a project directory, or keep what the command needs in a"
            + " subdirectory and grant that (--ro DIR; --rw DIR for a download); a grant of the whole directory gives the"
            + " command what the warning names too";

    static String of(String text) {
        return text.replace(" (library: SandboxPolicy.Builder.allowGitWrites)", "")
                .replace("use the bubblewrap backend", "use --backend bubblewrap");
    }
}
