package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.Differential;
import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.InfoFields;
import io.jackdaw.testing.RespConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MONITOR: the lines a fixed command sequence produces on Jackdaw and on the reference, byte
 * for byte once the timestamp and the client's address (which differ by nature) are masked.
 */
class MonitorTest extends DifferentialTestBase {
    private static final String END = "monitor-test-end";

    /** Masks what differs by nature: the time and the client's port (a script's commands come from "lua"). */
    private static String mask(String line) {
        return line.replaceFirst("^\\+\\d+\\.\\d{6} \\[(\\d+) 127\\.0\\.0\\.1:\\d+\\] ", "+<time> [$1 <addr>] ")
                .replaceFirst("^\\+\\d+\\.\\d{6} \\[(\\d+) lua\\] ", "+<time> [$1 lua] ");
    }

    /** Reads monitor lines up to the ECHO that ends the sequence, leaving out INFO (used to wait for a block). */
    private static List<String> linesUntilEnd(RespConnection mon) throws Exception {
        List<String> out = new ArrayList<>();
        while (true) {
            String line = mon.readReply();
            assertThat(line).matches("(?s)\\+\\d+\\.\\d{6} \\[\\d+ [^\\]]+\\] \".*\r\n");
            if (line.contains("\"INFO\" \"clients\"")) continue;
            out.add(mask(line));
            if (line.contains(END)) return out;
        }
    }

    private static void sequence(Differential d, RespConnection oursBlocker, RespConnection refBlocker,
            RespConnection oursAdmin, RespConnection refAdmin) throws Exception {
        d.run("SET", "foo", "bar");
        d.run("GET", "foo");
        d.run("SET".getBytes(StandardCharsets.UTF_8), "bin".getBytes(StandardCharsets.UTF_8),
                new byte[] {'q', '"', '\\', '\n', '\r', '\t', 7, '\b', 0, 1, (byte) 0xff, 0x7f, ' ', '~'});
        d.run("GET", "nosuchcommand-arity"); // a reply, and a line
        d.run("NOSUCHCOMMAND", "x"); // refused at the gate: no line
        d.run("GET"); // wrong arity: no line
        d.run("CONFIG", "GET", "maxclients"); // admin: no line
        d.run("CLIENT", "KILL", "ID", "999999"); // admin: no line
        d.run("AUTH", "secret"); // arguments redacted
        d.run("AUTH", "user", "secret");
        d.run("HELLO", "2", "AUTH", "user", "secret");
        d.run("HELLO", "2", "SETNAME", "n", "AUTH", "user", "secret");
        d.run("SELECT", "3"); // the line carries the database selected by then
        d.run("INCR", "counter");
        d.run("SELECT", "0");
        d.run("EXPIRE", "foo", "100");
        // A blocked command is seen once, when it blocks, not again when it is served.
        oursBlocker.send("BLPOP", "queue", "0");
        refBlocker.send("BLPOP", "queue", "0");
        InfoFields.awaitBlockedClients(oursAdmin, 1);
        InfoFields.awaitBlockedClients(refAdmin, 1);
        d.run("RPUSH", "queue", "a");
        assertThat(oursBlocker.readReply()).isEqualTo(refBlocker.readReply());
        // A script: its EVAL first, then the commands it runs, from "lua".
        d.run("EVAL", "redis.call('set', 'x', 'y') return redis.call('get', 'x')", "0");
        d.run("ECHO", END);
    }

    private void compareMonitors(int resp) throws Exception {
        Differential d = differential();
        try (RespConnection oursMon = new RespConnection(ours.port()); RespConnection refMon = new RespConnection(ref.port());
                RespConnection oursBlocker = new RespConnection(ours.port());
                RespConnection refBlocker = new RespConnection(ref.port());
                RespConnection oursAdmin = new RespConnection(ours.port());
                RespConnection refAdmin = new RespConnection(ref.port())) {
            if (resp == 3) {
                oursMon.call("HELLO", "3");
                refMon.call("HELLO", "3");
            }
            assertThat(oursMon.call("MONITOR")).isEqualTo("+OK\r\n");
            assertThat(refMon.call("MONITOR")).isEqualTo("+OK\r\n");
            sequence(d, oursBlocker, refBlocker, oursAdmin, refAdmin);
            List<String> ourLines = linesUntilEnd(oursMon), refLines = linesUntilEnd(refMon);
            assertThat(ourLines).isEqualTo(refLines);
            assertThat(ourLines).hasSize(18);
            assertThat(ourLines.get(15)).isEqualTo("+<time> [0 lua] \"set\" \"x\" \"y\"\r\n");
            assertThat(ourLines.get(2)).isEqualTo(
                    "+<time> [0 <addr>] \"SET\" \"bin\" \"q\\\"\\\\\\n\\r\\t\\a\\b\\x00\\x01\\xff\\x7f ~\"\r\n");
            assertThat(d.mismatches()).isEmpty();
        }
    }

    @Test
    void linesMatchTheReferenceInResp2() throws Exception { compareMonitors(2); }

    @Test
    void linesMatchTheReferenceInResp3() throws Exception { compareMonitors(3); }

    @Test
    void monitorModeEndsWithResetAndTheConnection() throws Exception {
        try (RespConnection mon = new RespConnection(ours.port()); RespConnection c = new RespConnection(ours.port())) {
            assertThat(mon.call("MONITOR")).isEqualTo("+OK\r\n");
            assertThat(c.call("CLIENT", "LIST")).contains(" flags=O ");
            assertThat(ours.server().clients().monitors().active()).isTrue();
            assertThat(mon.call("RESET")).isEqualTo("+RESET\r\n");
            assertThat(ours.server().clients().monitors().active()).isFalse();
            assertThat(mon.call("MONITOR")).isEqualTo("+OK\r\n");
        }
        for (int i = 0; i < 2000 && ours.server().clients().monitors().active(); i++) Thread.sleep(5);
        assertThat(ours.server().clients().monitors().active()).isFalse();
    }
}
