package dev.awssandbox.cli;

import picocli.CommandLine.Command;

/**
 * Mixin: what a command runs against — this invocation's streams and host (the real ones, or a
 * test's). The CLI's picocli factory makes every instance with the invocation's context, so any
 * command or mixin that declares it gets the same one. ({@code @Command} only marks it as a mixin:
 * it adds no options.)
 */
@Command
final class Invocation {
    private final CliContext context;

    Invocation(CliContext context) {
        this.context = context;
    }

    CliContext context() {
        return context;
    }
}
