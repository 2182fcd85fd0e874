package dev.awssandbox.core.access;

import java.util.List;

/**
 * The system paths every policy reads ({@code SandboxPolicy.LINUX_READ_PATHS} and {@code MACOS_READ_PATHS}, whose javadoc
 * says why each is there), known to the planner too: it tells them from the read paths a caller asked for.
 */
public final class SystemReadPaths {
    private SystemReadPaths() {}

    /** Linux's: see {@code SandboxPolicy.LINUX_READ_PATHS}. */
    public static final List<String> LINUX = List.of(
            "/usr", "/bin", "/lib", "/lib64",
            // Debian, Ubuntu, Alpine, Arch, SUSE (ca-bundle.pem)
            "/etc/ssl/certs", "/etc/ssl/cert.pem", "/etc/ssl/ca-bundle.pem", "/etc/ssl/openssl.cnf",
            "/etc/ssl/ct_log_list.cnf", "/etc/ca-certificates",
            // Fedora, RHEL and their kin; the crypto policy OpenSSL's configuration includes there
            "/etc/pki/tls/certs", "/etc/pki/tls/cert.pem", "/etc/pki/tls/openssl.cnf", "/etc/pki/tls/ct_log_list.cnf",
            "/etc/pki/ca-trust", "/etc/pki/java", "/etc/crypto-policies",
            "/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/passwd", "/etc/group",
            // git's system config, which every local user reads: git refuses to run when it exists and cannot be read
            // (workflow review of 2026-12-04, F5: every git command failed under Landlock)
            "/etc/gitconfig");

    /** macOS's: see {@code SandboxPolicy.MACOS_READ_PATHS}. */
    public static final List<String> MACOS = List.of(
            "/usr", "/bin", "/sbin", "/Library", "/System", "/private/etc", "/var/run", "/opt/homebrew");

    /** Whether {@code path}, as a policy names it, is one of these. */
    static boolean contains(java.nio.file.Path path) {
        return LINUX.contains(path.toString()) || MACOS.contains(path.toString());
    }
}
