package dev.awssandbox.core.backend;

import dev.awssandbox.core.access.PathGrant;
import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.access.NetworkMode;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SBPL profile for one command: {@code (deny default)}, then only what the plan grants and
 * what every command needs to start. Each allowance, and the anchor profile it comes from, is
 * listed in {@code docs/seatbelt-allowances.md}; the golden files under
 * {@code src/test/resources/seatbelt/} pin the text.
 *
 * <p>No path is ever pasted into the text: every path of the plan is a {@code -D Pn=VALUE}
 * parameter that the profile reads with {@code (param "Pn")}, so quotes, backslashes,
 * parentheses, {@code #|}, newlines or non-ASCII in a path cannot change the profile. Each path is
 * given in every spelling Seatbelt may compare it with: as configured and resolved
 * ({@code /tmp} and {@code /private/tmp}), and in Unicode NFC and NFD (Java hands out NFC, while
 * names created through HFS+ or by many macOS programs are stored decomposed).
 */
public final class SeatbeltProfile {
    /** Where MacPorts and Nix install; readable whole when the command's executable chain lives there. */
    static final List<Path> PACKAGE_ROOTS = List.of(Path.of("/opt/local"), Path.of("/nix/store"));

    /** The shells /bin/sh can be (it follows /private/var/select/sh): the resource-limit wrapper runs it. */
    static final List<String> SHELLS = List.of("/bin/sh", "/private/var/select/sh", "/bin/bash", "/bin/dash", "/bin/zsh");

    /** Read by libc, Python, OpenSSL and the frameworks at start-up: hardware and OS names only. */
    static final List<String> SYSCTL_NAMES = List.of(
            "hw.activecpu", "hw.busfrequency_compat", "hw.byteorder", "hw.cacheconfig", "hw.cachelinesize_compat",
            "hw.cpufamily", "hw.cpufrequency", "hw.cpufrequency_compat", "hw.cputype", "hw.l1dcachesize_compat",
            "hw.l1icachesize_compat", "hw.l2cachesize_compat", "hw.l3cachesize_compat", "hw.logicalcpu",
            "hw.logicalcpu_max", "hw.machine", "hw.memsize", "hw.model", "hw.ncpu", "hw.nperflevels", "hw.packages",
            "hw.pagesize", "hw.pagesize_compat", "hw.physicalcpu", "hw.physicalcpu_max", "hw.tbfrequency_compat",
            "hw.vectorunit", "kern.argmax", "kern.hostname", "kern.maxfilesperproc", "kern.maxproc", "kern.ngroups",
            "kern.osproductversion", "kern.osrelease", "kern.ostype", "kern.osvariant_status", "kern.osversion",
            "kern.secure_kernel", "kern.usrstack64", "kern.version", "machdep.cpu.brand_string",
            "machdep.ptrauth_enabled", "security.mac.lockdown_mode_state", "sysctl.proc_cputype", "vm.loadavg");

    static final List<String> SYSCTL_PREFIXES = List.of("hw.optional.arm.", "hw.optional.armv8_", "hw.perflevel",
            "machdep.cpu.");

    private SeatbeltProfile() {}

    /** The profile text and the parameter values it reads, in order. */
    public record Profile(String text, Map<String, String> parameters) {
        public Profile {
            parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
            for (String value : parameters.values()) {
                if (value.indexOf('\0') >= 0) {
                    // an argv element ends at a NUL: the value would be cut, not quoted
                    throw new IllegalArgumentException("a Seatbelt parameter cannot contain a NUL byte");
                }
            }
        }
    }

    public static Profile of(AccessPlan plan) {
        Parameters params = new Parameters();
        List<String> readFilters = new ArrayList<>();
        List<String> writeFilters = new ArrayList<>();
        List<String> noLinkFilters = new ArrayList<>();
        Set<String> ancestors = new LinkedHashSet<>();
        for (PathGrant grant : plan.grants()) {
            for (String spelling : spellings(grant.path(), grant.resolved())) {
                String filter = (grant.directory() ? "(subpath " : "(literal ") + params.add(spelling) + ")";
                (grant.access() == PathGrant.Access.READ_WRITE ? writeFilters : readFilters).add(filter);
                if (grant.access() == PathGrant.Access.READ_WRITE && !grant.links()) {
                    noLinkFilters.add(filter);
                }
                ancestors.addAll(ancestors(spelling));
            }
        }
        for (Path root : packageRoots(plan)) {
            readFilters.add("(subpath " + params.add(root.toString()) + ")");
            ancestors.addAll(ancestors(root.toString()));
        }
        List<String> metadataFilters = new ArrayList<>(List.of("(literal \"/etc\")", "(literal \"/tmp\")",
                "(literal \"/var\")"));
        for (String ancestor : ancestors) {
            metadataFilters.add("(literal " + params.add(ancestor) + ")");
        }

        StringBuilder sb = new StringBuilder();
        sb.append("(version 1)\n");
        sb.append("(deny default)\n");
        sb.append("; processes: fork; exec only the granted paths (below); signals and process info stay inside\n");
        sb.append("(allow process-fork)\n");
        sb.append("(allow process-info* (target self))\n");
        sb.append("(allow signal (target same-sandbox))\n");
        sb.append("; sysctls read at start-up: hardware and OS names only (not other processes' arguments)\n");
        List<String> sysctls = new ArrayList<>();
        SYSCTL_NAMES.forEach(n -> sysctls.add("(sysctl-name \"" + n + "\")"));
        SYSCTL_PREFIXES.forEach(n -> sysctls.add("(sysctl-name-prefix \"" + n + "\")"));
        rule(sb, "(allow sysctl-read", sysctls);
        sb.append("; user and group lookups (getpwuid) go through libinfo\n");
        sb.append("(allow mach-lookup (global-name \"com.apple.system.opendirectoryd.libinfo\"))\n");
        sb.append("; libc's notify(3): time zone and DNS configuration changes\n");
        sb.append("(allow mach-lookup (global-name \"com.apple.system.notification_center\"))\n");
        sb.append("(allow ipc-posix-shm-read-data (ipc-posix-name \"apple.shm.notification_center\"))\n");
        sb.append("; POSIX semaphores: Python's multiprocessing locks\n");
        sb.append("(allow ipc-posix-sem)\n");
        sb.append("; path resolution: metadata of the /etc, /tmp and /var links and of the granted paths' ancestors\n");
        rule(sb, "(allow file-read-metadata", metadataFilters);
        sb.append("; the local time zone: /etc/localtime points into /var/db/timezone\n");
        sb.append("(allow file-read* (literal \"/private/etc/localtime\") (subpath \"/private/var/db/timezone\"))\n");
        sb.append("; /bin/sh, which sets the resource limits, and the shell it selects through /private/var/select/sh\n");
        List<String> shells = new ArrayList<>();
        SHELLS.forEach(s -> shells.add("(literal \"" + s + "\")"));
        rule(sb, "(allow file-read* process-exec", shells);
        sb.append("; the policy's read-only paths: read, execute, map libraries (dyld, outside the shared cache)\n");
        rule(sb, "(allow file-read* process-exec file-map-executable", readFilters);
        sb.append("; the policy's writable paths\n");
        rule(sb, "(allow file-read* file-write* process-exec file-map-executable", writeFilters);
        sb.append("; never a setuid or setgid file, even where writing is allowed\n");
        sb.append("(deny file-write-setugid)\n");
        sb.append("; no symbolic link where the host's aws follows one later (its caches and history)\n");
        if (noLinkFilters.isEmpty()) {
            sb.append("; (none)\n");
        } else {
            sb.append("(deny file-write-create (require-all (vnode-type SYMLINK) (require-any");
            noLinkFilters.forEach(f -> sb.append("\n    ").append(f));
            sb.append(")))\n");
        }
        sb.append("; devices: these nodes only (no terminal: the command has no controlling one)\n");
        sb.append("(allow file-read-metadata (literal \"/dev\") (literal \"/dev/stdin\") (literal \"/dev/stdout\")"
                + " (literal \"/dev/stderr\"))\n");
        sb.append("(allow file-read* file-write-data file-ioctl (literal \"/dev/null\") (literal \"/dev/zero\")"
                + " (literal \"/dev/dtracehelper\"))\n");
        sb.append("(allow file-read* (literal \"/dev/random\") (literal \"/dev/urandom\")"
                + " (literal \"/dev/autofs_nowait\"))\n");
        sb.append("(allow file-read-data file-write-data (subpath \"/dev/fd\"))\n");
        if (plan.allowNetwork()) {
            sb.append("; network: IP sockets only; bind on loopback only (the aws sso login callback)\n");
            sb.append("(allow network-outbound (remote ip))\n");
            sb.append("(allow network-inbound (local ip))\n");
            sb.append("(allow network-bind (local ip \"localhost:*\"))\n");
            sb.append("; sockets: the network stack's control socket, and unix sockets (connect limited below)\n");
            sb.append("(allow system-socket (require-all (socket-domain AF_SYSTEM) (socket-protocol 2)))\n");
            sb.append("(allow system-socket (socket-domain AF_UNIX))\n");
            sb.append("; DNS: the resolver's socket (the only unix socket that can be connected to) and services\n");
            sb.append("(allow network-outbound (remote unix-socket (path-literal \"/private/var/run/mDNSResponder\")))\n");
            sb.append("(allow mach-lookup (global-name \"com.apple.mDNSResponder\")"
                    + " (global-name \"com.apple.SystemConfiguration.DNSConfiguration\"))\n");
            sb.append("; the system proxy settings, which Python's urllib reads from configd\n");
            sb.append("(allow mach-lookup (global-name \"com.apple.SystemConfiguration.configd\"))\n");
            sb.append("; TLS certificate trust and revocation (Security framework)\n");
            sb.append("(allow mach-lookup (global-name \"com.apple.SecurityServer\") (global-name \"com.apple.trustd\")"
                    + " (global-name \"com.apple.trustd.agent\") (global-name \"com.apple.ocspd\"))\n");
            sb.append("(allow sysctl-read (sysctl-name-prefix \"net.routetable.\"))\n");
        } else if (plan.network() == NetworkMode.HOSTS) {
            int port = plan.egress().orElseThrow(() -> new IllegalStateException(
                    "a plan of network mode hosts has no egress route")).port();
            sb.append("; network mode hosts: TCP to aws-sandbox's egress proxy on the loopback address only; no DNS\n");
            sb.append("; (the proxy resolves names), no other socket\n");
            sb.append("(allow network-outbound (remote tcp \"localhost:" + port + "\"))\n");
            sb.append("; TLS certificate trust and revocation (Security framework), for HTTPS through the tunnel\n");
            sb.append("(allow mach-lookup (global-name \"com.apple.SecurityServer\") (global-name \"com.apple.trustd\")"
                    + " (global-name \"com.apple.trustd.agent\") (global-name \"com.apple.ocspd\"))\n");
        } else {
            sb.append("; network off: no network or socket rule, so nothing is allowed\n");
        }
        return new Profile(sb.toString(), params.values);
    }

    /** The MacPorts or Nix root the command's executable chain lives under, if any. */
    static List<Path> packageRoots(AccessPlan plan) {
        Set<Path> roots = new LinkedHashSet<>();
        for (Path element : plan.executableChain()) {
            for (Path root : PACKAGE_ROOTS) {
                if (element.normalize().startsWith(root)) {
                    roots.add(root);
                }
            }
        }
        for (PathGrant grant : plan.grants()) {
            if (grant.reason().startsWith("executable") || grant.reason().equals("interpreter")) {
                for (Path root : PACKAGE_ROOTS) {
                    if (grant.resolved().startsWith(root)) {
                        roots.add(root);
                    }
                }
            }
        }
        return List.copyOf(roots);
    }

    private static void rule(StringBuilder sb, String head, List<String> filters) {
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

    /**
     * Every spelling of a grant: as configured and resolved when they differ, each in NFC and NFD
     * when those differ. Seatbelt compares the path the kernel resolved with the bytes given.
     */
    static List<String> spellings(Path configured, Path resolved) {
        Set<String> spellings = new LinkedHashSet<>();
        for (Path path : List.of(configured, resolved)) {
            String text = path.toString();
            spellings.add(text);
            spellings.add(Normalizer.normalize(text, Normalizer.Form.NFC));
            spellings.add(Normalizer.normalize(text, Normalizer.Form.NFD));
        }
        return List.copyOf(spellings);
    }

    private static List<String> ancestors(String path) {
        List<String> result = new ArrayList<>();
        for (Path p = Path.of(path).getParent(); p != null; p = p.getParent()) {
            result.add(p.toString());
        }
        return result;
    }

    /** P0, P1, … in order of first use; one parameter per distinct value. */
    private static final class Parameters {
        final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, String> names = new LinkedHashMap<>();

        String add(String value) {
            String name = names.computeIfAbsent(value, v -> {
                String n = "P" + values.size();
                values.put(n, v);
                return n;
            });
            return "(param \"" + name + "\")";
        }
    }
}
