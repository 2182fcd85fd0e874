package dev.awssandbox.core.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which addresses count as this host's, and what counts when its interfaces cannot be listed. */
class HostAddressesTest {
    private static InetAddress address(int... bytes) throws Exception {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return InetAddress.getByAddress(b);
    }

    /** Fail closed: a name is refused rather than connected to what may be this host. */
    @Test
    void whenTheInterfacesCannotBeListedEveryAddressCountsAsThisHosts() throws Exception {
        InetAddress testNet = address(192, 0, 2, 1);
        HostAddresses unreadable = new HostAddresses(() -> {
            throw new SocketException("cannot list the interfaces");
        });
        assertThat(unreadable.contains(testNet)).isTrue();
        assertThat(unreadable.contains(testNet)).as("asked again: still refused, the list is read again").isTrue();
        // the control: a list that can be read counts only its own addresses
        InetAddress own = address(10, 99, 0, 1);
        HostAddresses readable = new HostAddresses(() -> Set.of(own));
        assertThat(readable.contains(testNet)).isFalse();
        assertThat(readable.contains(own)).isTrue();
    }

    /** An interface's IPv6 address carries its scope; the same address resolved from a name has none. */
    @Test
    void aScopedInterfaceAddressIsTheResolvedAddress() throws Exception {
        byte[] v6 = address(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1).getAddress();
        InetAddress withScope = Inet6Address.getByAddress(null, v6, 2);
        HostAddresses scoped = new HostAddresses(() -> Set.of(withScope));
        assertThat(scoped.contains(InetAddress.getByAddress(v6))).isTrue();
    }
}
