package dev.awssandbox.core.backend;

import dev.awssandbox.core.landlock.LandlockRuleset;
import dev.awssandbox.core.linux.Capabilities;
import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.linux.ThreadRestriction;
import dev.awssandbox.core.seccomp.SeccompFilter;
import java.util.Optional;

/**
 * Everything the Landlock backend applies to a spawning thread, in the order the kernel needs:
 * a umask of its own (077), drop capabilities (while the thread may still shed its bounding set), set no_new_privs (which
 * Landlock and seccomp require of an unprivileged thread), enforce the Landlock ruleset, install
 * the seccomp filter. Applied by a fresh thread per command ({@link Lifetime#ONE_SPAWN}), so
 * that each command has a Landlock domain of its own: commands cannot signal or trace each other,
 * and none shares a domain with a thread of the JVM once its spawning thread has ended.
 */
final class LinuxRestriction implements ThreadRestriction, AutoCloseable {
    private final LandlockRuleset ruleset;
    private final SeccompFilter.Installed seccomp;
    private final boolean nested;

    /**
     * @param nested the ruleset scopes signals (ABI 6), so the spawning thread may be created in the
     *               commands' domain, where the command's domain nests and a killed JVM's killer
     *               reaches everything it starts (see {@code process.CommandDomain})
     */
    LinuxRestriction(LandlockRuleset ruleset, SeccompFilter.Installed seccomp, boolean nested) {
        this.ruleset = ruleset;
        this.seccomp = seccomp;
        this.nested = nested;
    }

    /** Files a command creates are its user's alone (a chmod to a private mode is then a no-op: see SeccompFilter). */
    static final int COMMAND_UMASK = 077;

    @Override
    public Optional<Failure> applyToCurrentThread() {
        int errno = Libc.setThreadUmask(COMMAND_UMASK);
        if (errno != 0) {
            return Optional.of(new Failure("unshare(CLONE_FS)", errno));
        }
        errno = Capabilities.dropAllOnCurrentThread();
        if (errno != 0) {
            return Optional.of(new Failure("capset", errno));
        }
        errno = Libc.setNoNewPrivs();
        if (errno != 0) {
            return Optional.of(new Failure("prctl(PR_SET_NO_NEW_PRIVS)", errno));
        }
        errno = ruleset.restrictCurrentThread();
        if (errno != 0) {
            return Optional.of(new Failure("landlock_restrict_self", errno));
        }
        errno = seccomp.installOnCurrentThread();
        return errno == 0 ? Optional.empty() : Optional.of(new Failure("seccomp filter", errno));
    }

    @Override
    public String describe() {
        return "capabilities, no_new_privs, Landlock, seccomp";
    }

    @Override
    public Lifetime lifetime() {
        return Lifetime.ONE_SPAWN;
    }

    @Override
    public boolean nestsInCommandDomain() {
        return nested;
    }

    @Override
    public void close() {
        ruleset.close();
    }
}
