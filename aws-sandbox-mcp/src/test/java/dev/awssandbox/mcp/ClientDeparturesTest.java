package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A departure is concluded from two reads of the socket table, not one. The kernel prints the table
 * a page per read and can leave out a connection that stays established (a stress run of
 * {@link HttpClientDepartureTest}: a live client's call was killed). The reads here are scripted:
 * the real table's misses cannot be had on demand.
 */
class ClientDeparturesTest {
    private static final String CLIENT = "127.0.0.1";
    private static final String CONNECTION = ClientDepartures.connection(8080, InetAddress.ofLiteral(CLIENT).getAddress(), 40000);

    @Test
    void aConnectionOneReadMissesIsNotTakenForGone() throws Exception {
        // every other read misses it: each poll's first read, never the one made at once after it
        AtomicInteger reads = new AtomicInteger();
        ClientDepartures departures = new ClientDepartures(
                () -> reads.getAndIncrement() % 2 == 0 ? Set.of() : Set.of(CONNECTION), true);
        CountDownLatch departed = new CountDownLatch(1);
        try (ClientDepartures.Watching watching = departures.watch(8080, CLIENT, 40000, departed::countDown)) {
            assertThat(departed.await(4 * ClientDepartures.PERIOD.toMillis(), TimeUnit.MILLISECONDS))
                    .as("departed after %d reads", reads.get()).isFalse();
            assertThat(reads.get()).as("polls that missed it once").isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void aConnectionTwoReadsMissIsGone() throws Exception {
        // the control: missing from both reads of a poll; another connection stays
        String other = ClientDepartures.connection(8080, InetAddress.ofLiteral(CLIENT).getAddress(), 40001);
        ClientDepartures departures = new ClientDepartures(() -> Set.of(other), true);
        CountDownLatch departed = new CountDownLatch(1);
        CountDownLatch stays = new CountDownLatch(1);
        try (ClientDepartures.Watching gone = departures.watch(8080, CLIENT, 40000, departed::countDown);
             ClientDepartures.Watching staying = departures.watch(8080, CLIENT, 40001, stays::countDown)) {
            assertThat(departed.await(10 * ClientDepartures.PERIOD.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(stays.getCount()).isEqualTo(1);
        }
    }

    @Test
    void aTableThatCannotBeReadConcludesNothing() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        ClientDepartures departures = new ClientDepartures(() -> {
            reads.incrementAndGet();
            return null;
        }, true);
        CountDownLatch departed = new CountDownLatch(1);
        try (ClientDepartures.Watching watching = departures.watch(8080, CLIENT, 40000, departed::countDown)) {
            assertThat(departed.await(3 * ClientDepartures.PERIOD.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
            assertThat(reads.get()).isGreaterThanOrEqualTo(2);
        }
    }
}
