package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Map;
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
                () -> reads.getAndIncrement() % 2 == 0 ? Map.of() : Map.of(CONNECTION, 11L), true);
        CountDownLatch departed = new CountDownLatch(1);
        try (ClientDepartures.Watching watching = departures.watch(8080, CLIENT, 40000, departed::countDown)) {
            awaitReads(reads, 6); // three polls, each missing it once
            assertThat(departed.getCount()).as(() -> "departed after " + reads.get() + " reads").isEqualTo(1);
        }
    }

    @Test
    void aConnectionWatchedAfterAReadBeganIsNotJudgedByIt() throws Exception {
        // review of the fix: a request whose watch began while a poll read the table was judged by that read and the
        // one after it, both made before its connection was in the table
        String first = ClientDepartures.connection(8080, InetAddress.ofLiteral(CLIENT).getAddress(), 40001);
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch departed = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<ClientDepartures> self = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.List<ClientDepartures.Watching> later = new java.util.concurrent.CopyOnWriteArrayList<>();
        ClientDepartures departures = new ClientDepartures(() -> {
            int read = reads.incrementAndGet();
            if (read == 1) { // the new request's watch begins while this read is made
                later.add(self.get().watch(8080, CLIENT, 40000, departed::countDown));
            }
            return read <= 2 ? Map.of(first, 12L) : Map.of(first, 12L, CONNECTION, 11L);
        }, true);
        self.set(departures);
        try (ClientDepartures.Watching watching = departures.watch(8080, CLIENT, 40001, () -> {})) {
            awaitReads(reads, 5);
            assertThat(departed.getCount()).as(() -> "departed after " + reads.get() + " reads").isEqualTo(1);
        } finally {
            later.forEach(ClientDepartures.Watching::close);
        }
    }

    /** Waits (up to a minute: a loaded host) until {@code reads} reads of the table have been made. */
    private static void awaitReads(AtomicInteger reads, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (reads.get() < count) {
            assertThat(System.nanoTime()).as("%d reads within a minute", count).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aConnectionTwoReadsMissIsGone() throws Exception {
        // the control: missing from both reads of a poll; another connection stays
        String other = ClientDepartures.connection(8080, InetAddress.ofLiteral(CLIENT).getAddress(), 40001);
        ClientDepartures departures = new ClientDepartures(() -> Map.of(other, 12L), true);
        CountDownLatch departed = new CountDownLatch(1);
        CountDownLatch stays = new CountDownLatch(1);
        try (ClientDepartures.Watching gone = departures.watch(8080, CLIENT, 40000, departed::countDown);
             ClientDepartures.Watching staying = departures.watch(8080, CLIENT, 40001, stays::countDown)) {
            assertThat(departed.await(1, TimeUnit.MINUTES)).isTrue();
            assertThat(stays.getCount()).isEqualTo(1);
        }
    }

    /**
     * Outside test RT10, F1: a connection of the same name on another socket (a new connection from the departed client's
     * address and port) is not the watched one. Control: a watch whose socket stays is not ended, and a read that has two
     * sockets of one name (other local addresses) concludes nothing.
     */
    @Test
    void aNewSocketWithTheDepartedConnectionsNameIsNotIt() throws Exception {
        String other = ClientDepartures.connection(8080, InetAddress.ofLiteral(CLIENT).getAddress(), 40001);
        String shared = ClientDepartures.connection(8080, InetAddress.ofLiteral(CLIENT).getAddress(), 40002);
        AtomicInteger reads = new AtomicInteger();
        ClientDepartures departures = new ClientDepartures(() -> reads.incrementAndGet() <= 1
                ? Map.of(CONNECTION, 11L, other, 12L, shared, 13L) : Map.of(CONNECTION, 21L, other, 12L, shared, -1L), true);
        CountDownLatch departed = new CountDownLatch(1);
        CountDownLatch stays = new CountDownLatch(1);
        CountDownLatch ambiguous = new CountDownLatch(1);
        try (ClientDepartures.Watching gone = departures.watch(8080, CLIENT, 40000, departed::countDown);
             ClientDepartures.Watching staying = departures.watch(8080, CLIENT, 40001, stays::countDown);
             ClientDepartures.Watching twoSockets = departures.watch(8080, CLIENT, 40002, ambiguous::countDown)) {
            assertThat(departed.await(1, TimeUnit.MINUTES)).isTrue();
            awaitReads(reads, 6);
            assertThat(stays.getCount()).isEqualTo(1);
            assertThat(ambiguous.getCount()).isEqualTo(1);
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
            awaitReads(reads, 3);
            assertThat(departed.getCount()).isEqualTo(1);
        }
    }
}
