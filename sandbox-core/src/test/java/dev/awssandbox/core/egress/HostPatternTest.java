package dev.awssandbox.core.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Allow-list patterns: what they match, their canonical spelling, and the message for each bad one. */
class HostPatternTest {

    private static boolean allows(String pattern, String host, int port) {
        return HostPattern.Target.parse(host).map(t -> HostPattern.parse(pattern).matches(t, port)).orElse(false);
    }

    @Test
    void aNameMatchesItselfOnPort443Only() {
        assertThat(allows("sts.us-east-1.amazonaws.com", "sts.us-east-1.amazonaws.com", 443)).isTrue();
        assertThat(allows("sts.us-east-1.amazonaws.com", "STS.us-east-1.amazonaws.com.", 443)).isTrue();
        assertThat(allows("sts.us-east-1.amazonaws.com", "sts.us-east-1.amazonaws.com", 80)).isFalse();
        assertThat(allows("sts.us-east-1.amazonaws.com", "sts.us-west-2.amazonaws.com", 443)).isFalse();
        assertThat(allows("sts.us-east-1.amazonaws.com", "x.sts.us-east-1.amazonaws.com", 443)).isFalse();
    }

    @Test
    void aWildcardMatchesEveryNameBelowItsDomainButNotTheDomain() {
        assertThat(allows("*.amazonaws.com", "s3.amazonaws.com", 443)).isTrue();
        assertThat(allows("*.amazonaws.com", "bucket.s3.us-east-1.amazonaws.com", 443)).isTrue();
        assertThat(allows("*.amazonaws.com", "amazonaws.com", 443)).isFalse();
        assertThat(allows("*.amazonaws.com", "evilamazonaws.com", 443)).isFalse();
        assertThat(allows("*.amazonaws.com", "amazonaws.com.evil.example", 443)).isFalse();
        assertThat(allows("*.amazonaws.com", "s3.amazonaws.com", 8443)).isFalse();
        assertThat(allows("*.amazonaws.com:*", "s3.amazonaws.com", 8443)).isTrue();
    }

    @Test
    void anAddressMatchesOnlyThatAddressWrittenAsAnAddress() {
        assertThat(allows("127.0.0.1:4566", "127.0.0.1", 4566)).isTrue();
        assertThat(allows("127.0.0.1:4566", "127.0.0.1", 4567)).isFalse();
        assertThat(allows("127.0.0.1:4566", "localhost", 4566)).isFalse();
        assertThat(allows("127.0.0.1:4566", "127.0.0.2", 4566)).isFalse();
        assertThat(allows("[::1]:4566", "[::1]", 4566)).isTrue();
        assertThat(allows("[::1]:4566", "[0:0:0:0:0:0:0:1]", 4566)).isTrue();
        assertThat(allows("[::1]:4566", "127.0.0.1", 4566)).isFalse();
        // no other spelling of an IPv4 address is an address (getaddrinfo would read 2130706433 as 127.0.0.1)
        assertThat(HostPattern.Target.parse("2130706433")).isEmpty();
        assertThat(HostPattern.Target.parse("0x7f.0.0.1")).isEmpty();
        assertThat(HostPattern.Target.parse("127.000.0.1")).isEmpty();
        assertThat(HostPattern.Target.parse("127.1")).isEmpty();
    }

    @Test
    void targetsThatAreNoHostAreRefused() {
        assertThat(HostPattern.Target.parse("")).isEmpty();
        assertThat(HostPattern.Target.parse("a..b")).isEmpty();
        assertThat(HostPattern.Target.parse("a b.com")).isEmpty();
        assertThat(HostPattern.Target.parse("exa_mple.com")).isEmpty();
        assertThat(HostPattern.Target.parse("[fe80::1%eth0]")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "*.amazonaws.com|*.amazonaws.com",
            "S3.AMAZONAWS.COM.|s3.amazonaws.com",
            "example.com:443|example.com",
            "127.0.0.1:4566|127.0.0.1:4566",
            "[0:0:0:0:0:0:0:1]:8080|[::1]:8080",
            "[2001:db8:0:0:1:0:0:1]|[2001:db8::1:0:0:1]",
            "example.com:*|example.com:*",
            "localhost:4566|localhost:4566"})
    void patternsHaveOneSpelling(String written, String canonical) {
        assertThat(HostPattern.parse(written).toString()).isEqualTo(canonical);
    }

    @Test
    void withoutAPortOnly443IsAllowed() {
        assertThat(HostPattern.parse("example.com").port()).isEqualTo(OptionalInt.of(443));
        assertThat(HostPattern.parse("example.com:*").port()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "\"\"|it is empty",
            "*|'*' would allow every host",
            "0.0.0.0:*|the unspecified address is no host's address",
            "[::]:8081|the unspecified address is no host's address",
            "[::ffff:0.0.0.0]|the unspecified address is no host's address",
            "*.com|would allow a whole top-level domain",
            "s3.*.amazonaws.com|a wildcard may only be the whole first label",
            "**.example.com|a wildcard may only be the whole first label",
            "https://s3.amazonaws.com|it is a URL or a path",
            "user@example.com|it carries user information",
            "example.com:0|port 0 is out of range",
            "example.com:70000|port 70000 is out of range",
            "example.com:4a|'4a' is not a port",
            "example.com:https|'https' is not a port",
            "::1|an IPv6 address must be written in brackets",
            "[::1|is not closed with ']'",
            "[zz::1]|is not an IPv6 address",
            "256.1.1.1|is not an IPv4 address",
            "010.0.0.1|is not an IPv4 address",
            "1.2.3|is not an IPv4 address",
            "a..b.com|has an empty label",
            "exa_mple.com|is not a host name label",
            "-a.example.com|starts or ends with '-'",
            "bücher.example|write an international name in its xn-- form",
            "example.123|its last label is a number"})
    void badPatternsSayWhatIsWrongAndWhatToWrite(String pattern, String why) {
        assertThatThrownBy(() -> HostPattern.parse(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid host pattern '" + pattern + "'")
                .hasMessageContaining(why)
                .hasMessageContaining("*.amazonaws.com");
    }

    @Test
    void namesNeverLeadToLocalAddresses() throws Exception {
        for (String local : new String[] {"127.0.0.1", "127.9.9.9", "::1", "169.254.169.254", "0.0.0.0", "::",
                "fe80::1", "fd00:ec2::254", "224.0.0.1"}) {
            assertThat(EgressProxy.isLocal(java.net.InetAddress.ofLiteral(local), 443)).as(local).isTrue();
        }
        for (String remote : new String[] {"10.0.0.5", "172.31.0.2", "192.168.1.1", "52.94.0.1", "2600:1f18::1"}) {
            assertThat(EgressProxy.isLocal(java.net.InetAddress.ofLiteral(remote), 443)).as(remote).isFalse();
        }
    }
}
