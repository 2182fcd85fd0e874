package dev.awssandbox.core.egress;

import java.nio.file.Path;

/**
 * Where a command of network mode hosts reaches the egress proxy: the TCP port on 127.0.0.1 (the
 * only port Landlock lets it connect to; bubblewrap's forwarder listens on the same port inside the
 * command's network namespace), the proxy's unix socket (what that forwarder connects to), and the
 * URL with the command's token that its proxy variables carry.
 */
public record EgressRoute(int port, Path socket, String url) {

    public static EgressRoute of(EgressProxy.Lease lease) {
        return new EgressRoute(lease.port(), lease.socket(), lease.url());
    }

    /** What the environment shows of the URL: the token hidden. */
    @Override
    public String toString() {
        return "EgressRoute[127.0.0.1:" + port + ", " + socket + "]";
    }
}
