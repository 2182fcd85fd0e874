package dev.awssandbox.core.backend;

import dev.awssandbox.core.landlock.LandlockRuleset;
import dev.awssandbox.core.linux.Capabilities;
import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.linux.ThreadRestriction;
import dev.awssandbox.core.seccomp.SeccompFilter;

/**
 * Everything the Landlock backend applies to a spawning thread, in the order the kernel needs:
 * drop capabilities (while the thread may still shed its bounding set), set no_new_privs (which
 * Landlock and seccomp require of an unprivileged thread), enforce the Landlock ruleset, install
 * the seccomp filter. Reusable: one spawner thread applies it once per cached ruleset.
 */
final class LinuxRestriction implements ThreadRestriction, AutoCloseable {
    private final LandlockRuleset ruleset;
    private final SeccompFilter.Installed seccomp;
    private volatile String failedStep = "";

    LinuxRestriction(LandlockRuleset ruleset, SeccompFilter.Installed seccomp) {
        this.ruleset = ruleset;
        this.seccomp = seccomp;
    }

    @Override
    public int applyToCurrentThread() {
        int errno = Capabilities.dropAllOnCurrentThread();
        if (errno != 0) {
            failedStep = "capset";
            return errno;
        }
        errno = Libc.setNoNewPrivs();
        if (errno != 0) {
            failedStep = "prctl(PR_SET_NO_NEW_PRIVS)";
            return errno;
        }
        errno = ruleset.restrictCurrentThread();
        if (errno != 0) {
            failedStep = "landlock_restrict_self";
            return errno;
        }
        errno = seccomp.installOnCurrentThread();
        if (errno != 0) {
            failedStep = "seccomp filter";
        }
        return errno;
    }

    @Override
    public String describe() {
        return failedStep.isEmpty() ? "capabilities, no_new_privs, Landlock, seccomp" : failedStep;
    }

    @Override
    public boolean reusable() {
        return true;
    }

    @Override
    public void close() {
        ruleset.close();
    }
}
