package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.RespConnection;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH replayed on Jackdaw and the reference redis-server,
 * byte for byte: queueing, errors at queue time (EXECABORT), runtime errors inside EXEC, and
 * WATCH failing or not on writes by another client, expiry, FLUSHDB and SWAPDB.
 */
class TransactionsDifferentialTest extends DifferentialTestBase {
    @BeforeEach
    void connect() throws Exception {
        differential().normalize(ConnectionDifferentialTest.HELLO_VERSION_AND_ID);
    }

    @Test
    void execRunsOnOneClockSnapshot() throws Exception {
        // A key set to expire in 1 ms inside EXEC still exists after a 10 ms sleep in the same EXEC.
        diff.runAll(java.util.List.of(c("MULTI"), c("SET", "k", "v", "PX", "1"), c("DEBUG", "SLEEP", "0.01"), c("EXISTS", "k"), c("EXEC")));
        Thread.sleep(5);
        diff.run("EXISTS", "k");
        org.assertj.core.api.Assertions.assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void queueExecDiscard() throws Exception {
        var d = diff;
        d.run("EXEC");
        d.run("DISCARD");
        d.run("MULTI");
        d.run("SET", "a", "1");
        d.run("INCR", "a");
        d.run("LPUSH", "a", "x"); // a runtime error: the others still run
        d.run("GET", "a");
        d.run("EXEC");
        d.run("MULTI");
        d.run("EXEC");
        d.run("MULTI");
        d.run("SET", "b", "1");
        d.run("DISCARD");
        d.run("EXISTS", "b");
        d.run("HELLO", "3");
        d.run("MULTI");
        d.run("HSET", "h", "f", "v");
        d.run("HGETALL", "h");
        d.run("EXEC");
        assertThat(d.mismatches()).isEmpty();
    }

    @Test
    void errorsWhileQueueingAbortTheTransaction() throws Exception {
        var d = diff;
        for (List<String> bad : List.of(List.of("NOSUCHCOMMAND"), List.of("GET"), List.of("CONFIG", "NOSUCH"))) {
            d.run("MULTI");
            d.run("SET", "k", "v");
            d.run(bad.toArray(new String[0]));
            d.run("SET", "k2", "v");
            d.run("EXEC");
            d.run("EXISTS", "k", "k2");
        }
        d.run("MULTI");
        d.run("EXEC", "extra"); // a refused EXEC ends the transaction
        d.run("EXEC");
        assertThat(d.mismatches()).isEmpty();
    }

    /**
     * Valkey 8 marks MULTI and WATCH "no_multi": inside a transaction they are refused and doom
     * it, which Valkey's suite checks. Redis 7.0 and 7.2 answer "ERR MULTI calls can not be
     * nested" / "ERR WATCH inside MULTI is not allowed" and let EXEC run (documented difference).
     */
    @Test
    void nestedMultiAndWatchDoomTheTransactionAsValkey() throws Exception {
        try (RespConnection r = new RespConnection(ours.port())) {
            for (String[] bad : new String[][] {{"MULTI"}, {"WATCH", "x"}}) {
                assertThat(r.call("MULTI")).isEqualTo("+OK\r\n");
                assertThat(r.call("SET", "k", "v")).isEqualTo("+QUEUED\r\n");
                assertThat(r.call(bad)).isEqualTo("-ERR Command not allowed inside a transaction\r\n");
                assertThat(r.call("EXEC")).isEqualTo("-EXECABORT Transaction discarded because of previous errors.\r\n");
                assertThat(r.call("EXISTS", "k")).isEqualTo(":0\r\n");
            }
            assertThat(r.call("CLIENT", "LIST")).contains("multi=-1");
        }
    }

    @Test
    void watchFailsOnAnotherClientsWriteOnly() throws Exception {
        try (RespConnection a = new RespConnection(ours.port()); RespConnection b = new RespConnection(ref.port());
             RespConnection a2 = new RespConnection(ours.port()); RespConnection b2 = new RespConnection(ref.port())) {
            for (RespConnection[] pair : List.of(new RespConnection[] {a, a2}, new RespConnection[] {b, b2})) {
                pair[0].call("FLUSHALL");
            }
            String[][] script = {
                {"0", "SET", "w", "1"}, {"0", "WATCH", "w"}, {"1", "SET", "w", "2"}, {"0", "MULTI"}, {"0", "SET", "r", "x"},
                {"0", "EXEC"}, {"0", "EXISTS", "r"},
                {"0", "WATCH", "w"}, {"1", "GET", "w"}, {"0", "MULTI"}, {"0", "INCR", "w"}, {"0", "EXEC"},
                {"0", "WATCH", "w"}, {"1", "SET", "w", "2", "NX"}, {"0", "MULTI"}, {"0", "INCR", "w"}, {"0", "EXEC"},
                {"0", "WATCH", "nokey"}, {"1", "DEL", "nokey"}, {"0", "MULTI"}, {"0", "PING"}, {"0", "EXEC"},
                {"0", "WATCH", "w"}, {"1", "SELECT", "1"}, {"1", "SET", "w", "other-db"}, {"1", "SELECT", "0"},
                {"0", "MULTI"}, {"0", "PING"}, {"0", "EXEC"},
                {"0", "WATCH", "w"}, {"1", "EXPIRE", "w", "100"}, {"0", "MULTI"}, {"0", "PING"}, {"0", "EXEC"},
                {"0", "WATCH", "w"}, {"0", "UNWATCH"}, {"1", "SET", "w", "3"}, {"0", "MULTI"}, {"0", "PING"}, {"0", "EXEC"},
                {"0", "WATCH", "w"}, {"1", "FLUSHDB"}, {"0", "MULTI"}, {"0", "PING"}, {"0", "EXEC"},
                {"0", "WATCH", "gone"}, {"1", "FLUSHDB"}, {"0", "MULTI"}, {"0", "PING"}, {"0", "EXEC"},
                {"0", "SET", "s", "1"}, {"0", "WATCH", "s"}, {"1", "SWAPDB", "0", "1"}, {"0", "MULTI"}, {"0", "PING"}, {"0", "EXEC"},
                {"0", "SADD", "src", "m"}, {"0", "SADD", "dst", "m"}, {"0", "WATCH", "dst"},
                {"1", "SMOVE", "src", "dst", "m"}, {"0", "MULTI"}, {"0", "PING"}, {"0", "EXEC"},
                {"0", "WATCH", "src2"}, {"0", "MULTI"}, {"0", "DISCARD"}, {"1", "SET", "src2", "x"}, {"0", "MULTI"}, {"0", "PING"}, {"0", "EXEC"},
                // MOVE and COPY ... DB change the key in the other database too.
                {"0", "SELECT", "1"}, {"0", "FLUSHDB"}, {"0", "WATCH", "mv"}, {"1", "SET", "mv", "1"}, {"1", "MOVE", "mv", "1"},
                {"0", "MULTI"}, {"0", "PING"}, {"0", "EXEC"},
                {"0", "WATCH", "cp"}, {"1", "COPY", "w", "cp", "DB", "1"}, {"0", "MULTI"}, {"0", "PING"}, {"0", "EXEC"},
                {"0", "WATCH", "w"}, {"1", "COPY", "w", "w", "DB", "1"}, {"0", "MULTI"}, {"0", "PING"}, {"0", "EXEC"},
                {"0", "SELECT", "0"},
            };
            for (String[] step : script) {
                String[] cmd = java.util.Arrays.copyOfRange(step, 1, step.length);
                String x = (step[0].equals("0") ? a : a2).call(cmd), y = (step[0].equals("0") ? b : b2).call(cmd);
                assertThat(x).as(String.join(" ", cmd)).isEqualTo(y);
            }
        }
    }
}
