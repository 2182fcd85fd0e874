package dev.awssandbox.cli;

/**
 * The core's facts and advice in the command line's words: its warnings name both the option and the library's
 * method, and "the bubblewrap backend" without the flag that selects it (outside test WF29, F10).
 */
final class CliWording {
    private CliWording() {}

    static String of(String text) {
        return text.replace(" (library: SandboxPolicy.Builder.allowGitWrites)", "")
                .replace("use the bubblewrap backend", "use --backend bubblewrap");
    }
}
