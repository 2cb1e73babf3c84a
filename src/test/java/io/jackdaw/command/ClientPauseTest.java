package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.InfoFields;
import io.jackdaw.testing.ManualClock;
import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CLIENT PAUSE and CLIENT UNPAUSE over real sockets; argument errors against the reference. */
class ClientPauseTest extends DifferentialTestBase {

    private static void awaitPostponed(TestServer s, int n) throws InterruptedException {
        ClientPause p = s.server().clients().pause();
        for (int i = 0; i < 2000 && p.postponedClients() != n; i++) Thread.sleep(5);
        assertThat(p.postponedClients()).isEqualTo(n);
    }

    @Test
    void writePauseLetsReadsThroughAndRunsHeldWritesInOrder() throws Exception {
        try (RespConnection admin = new RespConnection(ours.port());
                RespConnection a = new RespConnection(ours.port());
                RespConnection b = new RespConnection(ours.port());
                RespConnection reader = new RespConnection(ours.port())) {
            admin.call("DEL", "k", "log");
            assertThat(admin.call("CLIENT", "PAUSE", "100000", "WRITE")).isEqualTo("+OK\r\n");
            a.send("SET", "k", "first");
            InfoFields.awaitBlockedClients(admin, 1);
            // A's GET behind its held SET waits with it, in order.
            a.send("GET", "k");
            b.send("SET", "k", "second");
            InfoFields.awaitBlockedClients(admin, 2);
            // Reads, INFO and PING are not held by a WRITE pause.
            assertThat(reader.call("GET", "k")).isEqualTo("$-1\r\n");
            assertThat(reader.call("PING")).isEqualTo("+PONG\r\n");
            // Arity errors are answered at once: the gate refuses them before the pause.
            assertThat(reader.call("SET", "k")).isEqualTo("-ERR wrong number of arguments for 'set' command\r\n");
            assertThat(admin.call("CLIENT", "INFO")).contains(" flags=N ");
            String list = admin.call("CLIENT", "LIST");
            assertThat(list.lines().filter(l -> l.contains(" flags=b ")).count()).isEqualTo(2);

            assertThat(admin.call("CLIENT", "UNPAUSE")).isEqualTo("+OK\r\n");
            assertThat(a.readReply()).isEqualTo("+OK\r\n");
            assertThat(a.readReply()).isEqualTo("$5\r\nfirst\r\n");
            assertThat(b.readReply()).isEqualTo("+OK\r\n");
            assertThat(reader.call("GET", "k")).isEqualTo("$6\r\nsecond\r\n");
            InfoFields.awaitBlockedClients(admin, 0);
        }
    }

    /** A pause for writes lets a no-writes script through, alone or in MULTI: the gate takes the script's flags. */
    @Test
    void writePauseLetsNoWritesScriptsThrough() throws Exception {
        try (RespConnection admin = new RespConnection(ours.port()); RespConnection c = new RespConnection(ours.port())) {
            admin.call("CLIENT", "PAUSE", "100000", "WRITE");
            try {
                assertThat(c.call("EVAL", "#!lua flags=no-writes\nreturn 12", "0")).isEqualTo(":12\r\n");
                assertThat(c.call("MULTI")).isEqualTo("+OK\r\n");
                assertThat(c.call("EVAL", "#!lua flags=no-writes\nreturn 13", "0")).isEqualTo("+QUEUED\r\n");
                assertThat(c.call("EXEC")).isEqualTo("*1\r\n:13\r\n");
            } finally {
                admin.call("CLIENT", "UNPAUSE");
            }
        }
    }

    @Test
    void allPauseHoldsEveryCommandUntilItsTimeout() throws Exception {
        try (RespConnection admin = new RespConnection(ours.port()); RespConnection c = new RespConnection(ours.port())) {
            assertThat(admin.call("CLIENT", "PAUSE", "300", "ALL")).isEqualTo("+OK\r\n");
            c.send("PING");
            c.send("ECHO", "after");
            awaitPostponed(ours, 1);
            // Nothing answers until the pause runs out; then both, in order.
            assertThat(c.readReply()).isEqualTo("+PONG\r\n");
            assertThat(c.readReply()).isEqualTo("$5\r\nafter\r\n");
            awaitPostponed(ours, 0);
        }
    }

    @Test
    void laterWritePauseKeepsTheLongerAllPause() throws Exception {
        try (RespConnection admin = new RespConnection(ours.port()); RespConnection c = new RespConnection(ours.port())) {
            admin.call("CLIENT", "PAUSE", "400", "ALL");
            admin.send("CLIENT", "PAUSE", "10", "WRITE"); // held itself: ALL holds every command
            c.send("GET", "pause-unset"); // a key no other test in this class writes
            awaitPostponed(ours, 2);
            assertThat(admin.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.readReply()).isEqualTo("$-1\r\n");
        }
    }

    @Test
    void expiryWaitsForThePause() throws Exception {
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        try (TestServer s = TestServer.start(clock); RespConnection c = new RespConnection(s.port())) {
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            c.call("SET", "k", "v", "PX", "100");
            c.call("CLIENT", "PAUSE", "100000", "WRITE");
            clock.advance(1000);
            // Logically gone, but not deleted while paused.
            assertThat(c.call("GET", "k")).isEqualTo("$-1\r\n");
            assertThat(c.call("DBSIZE")).isEqualTo(":1\r\n");
            assertThat(InfoFields.parse(c.call("INFO", "stats")).get("expired_keys")).isEqualTo("0");
            c.call("CLIENT", "UNPAUSE");
            assertThat(c.call("GET", "k")).isEqualTo("$-1\r\n");
            assertThat(c.call("DBSIZE")).isEqualTo(":0\r\n");
            assertThat(InfoFields.parse(c.call("INFO", "stats")).get("expired_keys")).isEqualTo("1");
        }
    }

    @Test
    void monitorsAreNeitherPausedNorAllowedOnTheKeyspace() throws Exception {
        try (RespConnection admin = new RespConnection(ours.port()); RespConnection mon = new RespConnection(ours.port())) {
            assertThat(mon.call("MONITOR")).isEqualTo("+OK\r\n");
            admin.call("CLIENT", "PAUSE", "100000", "ALL");
            // A monitor is a replica to Redis: exempt from pauses, and kept off the keyspace.
            assertThat(mon.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(mon.readReply()).endsWith("] \"PING\"\r\n"); // monitors see their own commands too
            assertThat(mon.call("GET", "k")).isEqualTo("-ERR Replica can't interact with the keyspace\r\n");
            assertThat(mon.call("CLIENT", "UNPAUSE")).isEqualTo("+OK\r\n");
            assertThat(admin.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void argumentErrorsMatchTheReference() throws Exception {
        differential().runAll(List.of(c("CLIENT", "PAUSE", "abc"), c("CLIENT", "PAUSE", "-1"),
                c("CLIENT", "PAUSE", "10", "sometimes"), c("CLIENT", "PAUSE", "abc", "sometimes"),
                c("CLIENT", "PAUSE", "99999999999999999999"),
                c("CLIENT", "PAUSE", "0"), c("CLIENT", "PAUSE", "0", "write"), c("CLIENT", "PAUSE", "1", "all", "x"),
                c("CLIENT", "PAUSE"), c("CLIENT", "UNPAUSE", "x"), c("CLIENT", "UNPAUSE")));
        assertThat(diff.mismatches()).isEmpty();
    }

    /** Redis 7.2 refuses a deadline past the clock's range; 7.0 overflowed it (and paused for good). */
    @Test
    void timeoutBeyondTheClockIsOutOfRange() throws Exception {
        try (RespConnection c = new RespConnection(ours.port())) {
            assertThat(c.call("CLIENT", "PAUSE", "9223372036854775807")).isEqualTo("-ERR timeout is out of range\r\n");
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
    }
}
