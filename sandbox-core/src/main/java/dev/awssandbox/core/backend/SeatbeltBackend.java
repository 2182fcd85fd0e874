package dev.awssandbox.core.backend;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.EnforcementReport;
import dev.awssandbox.core.PathGrant;
import dev.awssandbox.core.SandboxMode;
import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.process.SpawnSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * macOS Seatbelt: {@code /usr/bin/sandbox-exec} with an SBPL profile generated from the plan.
 *
 * <p>No path is ever pasted into the profile: every path is a {@code -D Pn=VALUE} parameter that
 * the profile reads with {@code (param "Pn")}, so quotes, backslashes, parentheses, newlines or
 * non-ASCII in a path cannot change the profile. Each path is given in both spellings when they
 * differ ({@code /tmp} and {@code /private/tmp}, {@code $TMPDIR} under {@code /private/var}),
 * since Seatbelt matches the resolved path.
 */
public final class SeatbeltBackend implements SandboxBackend {
    static final Path SANDBOX_EXEC = Path.of("/usr/bin/sandbox-exec");

    /** What availability depends on, injectable so that it can be tested off macOS. */
    public interface PlatformProbe {
        String osName();

        String osVersion();

        boolean isExecutable(Path path);

        static PlatformProbe system() {
            return new PlatformProbe() {
                @Override
                public String osName() {
                    return System.getProperty("os.name", "");
                }

                @Override
                public String osVersion() {
                    return System.getProperty("os.version", "");
                }

                @Override
                public boolean isExecutable(Path path) {
                    return Files.isExecutable(path);
                }
            };
        }
    }

    private final PlatformProbe probe;

    public SeatbeltBackend() {
        this(PlatformProbe.system());
    }

    public SeatbeltBackend(PlatformProbe probe) {
        this.probe = probe;
    }

    @Override
    public BackendKind kind() {
        return BackendKind.SEATBELT;
    }

    @Override
    public Availability availability() {
        String os = probe.osName().toLowerCase(Locale.ROOT);
        if (!os.startsWith("mac")) {
            return Availability.no("Seatbelt is macOS's; this is " + probe.osName());
        }
        int major;
        try {
            major = Integer.parseInt(probe.osVersion().split("\\.")[0]);
        } catch (NumberFormatException e) {
            return Availability.no("cannot read the macOS version '" + probe.osVersion() + "'");
        }
        if (major < 12) {
            return Availability.no("macOS " + probe.osVersion() + " is older than 12");
        }
        if (!probe.isExecutable(SANDBOX_EXEC)) {
            return Availability.no(SANDBOX_EXEC + " is missing");
        }
        return Availability.yes("macOS " + probe.osVersion() + ", " + SANDBOX_EXEC);
    }

    @Override
    public EnforcementReport expectedReport(boolean allowNetwork) {
        return new EnforcementReport(BackendKind.SEATBELT, EnforcementReport.Level.FULL, OptionalInt.empty(),
                Set.of("sbpl: file-read*/file-write* on the granted paths, deny default"),
                allowNetwork ? EnforcementReport.Network.ALLOWED : EnforcementReport.Network.DENIED,
                Set.of("signal"), false, false, false, List.of(), List.of());
    }

    @Override
    public Launch prepare(AccessPlan plan, SandboxMode mode) {
        Profile profile = profile(plan);
        return new Launch(dev.awssandbox.core.linux.ThreadRestriction.NONE, expectedReport(plan.allowNetwork()), () -> { },
                spec -> new SpawnSpec(SANDBOX_EXEC, argv(profile, spec), spec.environment(), spec.workingDirectory(),
                        spec.restriction(), java.util.Optional.empty(), spec.limits()), false);
    }

    /** The profile text and the parameter values it reads, in order. */
    public record Profile(String text, Map<String, String> parameters) {}

    /** {@code sandbox-exec -p PROFILE -D P0=… … COMMAND ARGS}. */
    static List<String> argv(Profile profile, SpawnSpec spec) {
        List<String> argv = new ArrayList<>(List.of(SANDBOX_EXEC.toString(), "-p", profile.text()));
        profile.parameters().forEach((name, value) -> argv.addAll(List.of("-D", name + "=" + value)));
        argv.add(spec.executable().toString());
        argv.addAll(spec.argv().subList(1, spec.argv().size()));
        return argv;
    }

    /** The SBPL profile for a plan. Public for the golden-file tests. */
    public static Profile profile(AccessPlan plan) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        List<String> readRules = new ArrayList<>();
        List<String> writeRules = new ArrayList<>();
        Set<String> ancestors = new LinkedHashSet<>();
        for (PathGrant grant : plan.grants()) {
            for (Path spelling : spellings(grant)) {
                String name = "P" + params.size();
                params.put(name, spelling.toString());
                String filter = (grant.directory() ? "(subpath (param \"" : "(literal (param \"") + name + "\"))";
                (grant.access() == PathGrant.Access.READ_WRITE ? writeRules : readRules).add(filter);
                for (Path p = spelling.getParent(); p != null; p = p.getParent()) {
                    ancestors.add(p.toString());
                }
            }
        }
        List<String> metadataRules = new ArrayList<>();
        for (String ancestor : ancestors) {
            String name = "P" + params.size();
            params.put(name, ancestor);
            metadataRules.add("(literal (param \"" + name + "\"))");
        }
        StringBuilder sb = new StringBuilder();
        sb.append("(version 1)\n");
        sb.append("(deny default)\n");
        sb.append("; run programs and fork; no process-info or signals beyond the sandbox\n");
        sb.append("(allow process-exec process-fork)\n");
        sb.append("(allow process-info* (target self))\n");
        sb.append("(allow signal (target same-sandbox))\n");
        sb.append("; Python and libc read hw/kern sysctls (CPU count, page size, OS version)\n");
        sb.append("(allow sysctl-read)\n");
        sb.append("; user and host lookups (getpwuid, getaddrinfo) go through libinfo\n");
        sb.append("(allow mach-lookup (global-name \"com.apple.system.opendirectoryd.libinfo\"))\n");
        sb.append("; libc's notify(3): time zone and DNS configuration changes\n");
        sb.append("(allow mach-lookup (global-name \"com.apple.system.notification_center\"))\n");
        sb.append("(allow ipc-posix-shm-read-data (ipc-posix-name \"apple.shm.notification_center\"))\n");
        sb.append("; TLS certificate trust for HTTPS to AWS (Security framework)\n");
        sb.append("(allow mach-lookup (global-name \"com.apple.SecurityServer\") (global-name \"com.apple.trustd.agent\"))\n");
        sb.append("; path resolution: metadata of the granted paths' ancestors only\n");
        appendRule(sb, "(allow file-read-metadata", metadataRules);
        sb.append("; the policy's read-only paths (read and execute)\n");
        appendRule(sb, "(allow file-read*", readRules);
        sb.append("; the policy's writable paths\n");
        appendRule(sb, "(allow file-read* file-write*", writeRules);
        sb.append("; the null, zero and random devices (and dtrace's helper, which frameworks open at start)\n");
        sb.append("(allow file-read* file-write-data (literal \"/dev/null\") (literal \"/dev/zero\") (literal \"/dev/dtracehelper\"))\n");
        sb.append("(allow file-read* (literal \"/dev/urandom\") (literal \"/dev/random\"))\n");
        if (plan.allowNetwork()) {
            sb.append("; the network, and DNS through mDNSResponder\n");
            sb.append("(allow network-outbound network-inbound system-socket)\n");
            sb.append("(allow mach-lookup (global-name \"com.apple.mDNSResponder\"))\n");
        } else {
            sb.append("; network off: no network-* rule, nothing is allowed\n");
        }
        return new Profile(sb.toString(), params);
    }

    private static void appendRule(StringBuilder sb, String head, List<String> filters) {
        if (filters.isEmpty()) {
            sb.append("; (none)\n");
            return;
        }
        sb.append(head);
        for (String filter : filters) {
            sb.append("\n    ").append(filter);
        }
        sb.append(")\n");
    }

    /** The configured and the resolved spelling, when they differ (/tmp and /private/tmp). */
    private static List<Path> spellings(PathGrant grant) {
        return grant.path().equals(grant.resolved()) ? List.of(grant.resolved()) : List.of(grant.path(), grant.resolved());
    }
}
