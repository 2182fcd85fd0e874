package dev.awssandbox.core.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.ChildJvm;
import dev.awssandbox.core.testing.Requirements;
import java.net.InetAddress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The kernel's own answer to "would a connection to this address stay on this host". */
class LocalRoutesTest {

    @Test
    void loopbackAndThisHostsInterfaceAddressesAreLocalAndADocumentationAddressIsNot() throws Exception {
        assertThat(LocalRoutes.isLocal(InetAddress.getByName("127.0.0.1"), 443)).isTrue();
        assertThat(LocalRoutes.isLocal(InetAddress.getByName("127.3.4.5"), 443)).as("all of 127/8 is local").isTrue();
        assertThat(LocalRoutes.isLocal(InetAddress.getByName("::1"), 443)).isTrue();
        for (var nif : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : java.util.Collections.list(nif.getInetAddresses())) {
                if (!a.isLinkLocalAddress()) {
                    assertThat(LocalRoutes.isLocal(InetAddress.getByAddress(a.getAddress()), 443)).as("%s of %s", a, nif).isTrue();
                }
            }
        }
        assertThat(LocalRoutes.isLocal(InetAddress.getByName("192.0.2.1"), 443)).as("TEST-NET-1").isFalse();
        assertThat(LocalRoutes.isLocal(InetAddress.getByName("2001:db8::1"), 443)).as("IPv6 documentation prefix").isFalse();
    }

    /**
     * A {@code local} route ("AnyIP") makes a whole range this host's own without any interface
     * holding its addresses: in a network namespace of the test's own, with the route and
     * (the control) without it.
     */
    @Test
    void anAddressALocalRouteCoversIsLocal() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "a network namespace of its own needs root here");
        Requirements.requireProgram("unshare");
        Requirements.requireProgram("ip");
        String[] addresses = {"10.50.1.2", "fd42:50::7", "10.51.0.1"};
        String with = ChildJvm.inNetworkNamespace("ip link set lo up && ip route add local 10.50.0.0/16 dev lo"
                + " && ip -6 route add local fd42:50::/64 dev lo && ip route add 10.51.0.0/16 dev lo", LocalRoutesMain.class,
                addresses);
        assertThat(with).contains("10.50.1.2 local").contains("fd42:50:0:0:0:0:0:7 local").contains("10.51.0.1 elsewhere");
        String without = ChildJvm.inNetworkNamespace("ip link set lo up && ip route add 10.51.0.0/16 dev lo",
                LocalRoutesMain.class, addresses);
        assertThat(without).as("the control").contains("10.50.1.2 elsewhere").contains("fd42:50:0:0:0:0:0:7 elsewhere");
    }

    /**
     * Policy routing that sends TCP to one port into the local table while everything else to that
     * address goes elsewhere (red team, round 17: asked without protocol and port, the kernel
     * answered "elsewhere", and the proxy's TCP connection reached this host). The control: another
     * port of the same address is elsewhere.
     */
    @Test
    void policyRoutingByProtocolAndPortIsFollowed() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "a network namespace of its own needs root here");
        Requirements.requireProgram("unshare");
        Requirements.requireProgram("ip");
        String out = ChildJvm.inNetworkNamespace("ip link set lo up && ip route add 10.20.0.0/16 dev lo"
                + " && ip route add local 10.20.0.5 dev lo table 100"
                + " && ip rule add pref 50 to 10.20.0.5 ipproto tcp dport 8080 lookup 100",
                LocalRoutesMain.class, "10.20.0.5:8080", "10.20.0.5:8081");
        assertThat(out).contains("10.20.0.5:8080 local").contains("10.20.0.5:8081 elsewhere");
    }

    /** Prints "ADDRESS local" or "ADDRESS elsewhere" for each argument (ADDRESS or ADDRESS:PORT, IPv4; port 443 by default). */
    public static final class LocalRoutesMain {
        private LocalRoutesMain() {}

        public static void main(String[] args) throws Exception {
            for (String a : args) {
                int colon = a.indexOf(':');
                boolean withPort = colon > 0 && a.indexOf(':', colon + 1) < 0;
                InetAddress address = InetAddress.ofLiteral(withPort ? a.substring(0, colon) : a);
                int port = withPort ? Integer.parseInt(a.substring(colon + 1)) : 443;
                System.out.println((withPort ? a : address.getHostAddress())
                        + (LocalRoutes.isLocal(address, port) ? " local" : " elsewhere"));
            }
        }
    }
}
