package dev.awssandbox.core.testing;

import java.io.IOException;

/**
 * Processes that must survive what a test does: each a {@code sleep} leading a process group of its
 * own (numbered by its pid), as a command does, but in this JVM's session: a child of this JVM in a
 * session of its own ({@code setsid}) is what the orphan sweep of a subreaper JVM kills as an
 * escaped process, so such a victim died in CI for a reason that was not the test's.
 */
public final class Victims {
    private Victims() {}

    /** A {@code sleep SECONDS} that is its own process group's leader. */
    public static Process sleepInOwnGroup(int seconds) throws IOException {
        // the system's python itself: a pyenv shim on PATH is a bash script that forks, and its children
        // outlived the shim's kill as zombies of this (subreaper) JVM
        return new ProcessBuilder("/usr/bin/python3", "-c", "import os, sys; os.setpgid(0, 0); os.execvp('sleep', ['sleep', sys.argv[1]])",
                Integer.toString(seconds)).start();
    }
}
