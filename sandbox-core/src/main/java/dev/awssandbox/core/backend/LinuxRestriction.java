package dev.awssandbox.core.backend;

import dev.awssandbox.core.landlock.LandlockRuleset;
import dev.awssandbox.core.linux.Capabilities;
import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.linux.ThreadRestriction;
import dev.awssandbox.core.seccomp.SeccompFilter;
import java.util.List;
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
    /** Files a command creates are its user's alone (a chmod to a private mode is then a no-op: see SeccompFilter). */
    static final int COMMAND_UMASK = 077;
    /** The spawning thread's own umask (its file-system context unshared first). */
    static final Step UMASK = new Step("unshare(CLONE_FS)", () -> Libc.setThreadUmask(COMMAND_UMASK));
    static final Step NO_NEW_PRIVS = new Step("prctl(PR_SET_NO_NEW_PRIVS)", Libc::setNoNewPrivs);

    private final LandlockRuleset ruleset;
    private final List<Step> steps;
    private final boolean nested;

    /**
     * @param nested the ruleset scopes signals (ABI 6), so the spawning thread may be created in the
     *               commands' domain, where the command's domain nests and a killed JVM's killer
     *               reaches everything it starts (see {@code process.CommandDomain})
     */
    LinuxRestriction(LandlockRuleset ruleset, SeccompFilter.Installed seccomp, boolean nested) {
        this.ruleset = ruleset;
        this.steps = List.of(UMASK, new Step("capset", Capabilities::dropAllOnCurrentThread), NO_NEW_PRIVS,
                new Step("landlock_restrict_self", ruleset::restrictCurrentThread),
                new Step("seccomp filter", seccomp::installOnCurrentThread));
        this.nested = nested;
    }

    @Override
    public Optional<Failure> applyToCurrentThread() {
        return ThreadRestriction.applyInOrder(steps);
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
