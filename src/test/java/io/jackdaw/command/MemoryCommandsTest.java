package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.Resp;
import io.jackdaw.testing.RespConnection;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MEMORY: the argument checks and error replies equal Redis's; the figures are our own
 * accounting, so they are checked for what they must mean rather than against Redis's.
 */
class MemoryCommandsTest extends DifferentialTestBase {

    @Test
    void usageArgumentsAndErrorsAsRedis() throws Exception {
        var d = differential();
        d.run("SET", "k", "v");
        d.run("MEMORY", "USAGE", "missing");
        d.run("MEMORY", "USAGE", "missing", "SAMPLES", "5");
        d.run("MEMORY", "USAGE", "k", "SAMPLES", "x");
        d.run("MEMORY", "USAGE", "k", "SAMPLES", "-1");
        d.run("MEMORY", "USAGE", "k", "SAMPLES");
        d.run("MEMORY", "USAGE", "k", "FOO", "1");
        d.run("MEMORY", "USAGE");
        d.run("MEMORY", "NOSUCH");
        d.run("MEMORY", "PURGE");
        assertThat(d.mismatches()).isEmpty();
        // 7.2 changed the HELP footer from "Prints this help." (the 7.0 reference) to "Print this help.".
        String help = d.run("MEMORY", "HELP");
        assertThat(d.mismatches()).hasSize(1);
        assertThat(d.mismatches().get(0)).contains("Prints this help.");
        assertThat(help).endsWith("+HELP\r\n+    Print this help.\r\n").contains("+USAGE <key> [SAMPLES <count>]\r\n");
    }

    @Test
    void usageGrowsWithTheValueAndCountsObjects() throws Exception {
        try (RespConnection r = new RespConnection(ours.port())) {
            r.call("FLUSHALL");
            r.call("SET", "small", "v");
            r.call("SET", "big", "x".repeat(10_000));
            long small = usage(r, "small"), big = usage(r, "big");
            assertThat(small).isPositive();
            assertThat(big).isGreaterThanOrEqualTo(small + 10_000 - 8);
            assertThat(usage(r, "small", "SAMPLES", "0")).isEqualTo(small);
            r.call("CONFIG", "SET", "hash-max-listpack-entries", "1");
            r.call("HSET", "h", "f1", "v1", "f2", "x".repeat(1000));
            assertThat(r.call("OBJECT", "ENCODING", "h")).isEqualTo("$9\r\nhashtable\r\n");
            assertThat(usage(r, "h")).isGreaterThan(1000);
            r.call("CONFIG", "SET", "hash-max-listpack-entries", "512");
        }
    }

    @Test
    void statsReportsKeysAndDatabases() throws Exception {
        try (RespConnection r = new RespConnection(ours.port())) {
            r.call("FLUSHALL");
            for (int i = 0; i < 100; i++) r.call("SET", "key:" + i, "value");
            r.call("SELECT", "3");
            r.call("SET", "other", "1");
            r.call("SELECT", "0");
            Map<String, Object> stats = Resp.pairs(Resp.parse(r.call("MEMORY", "STATS")));
            assertThat(stats.get("keys.count")).isEqualTo(101L);
            assertThat(stats).containsKeys("db.0", "db.3", "peak.allocated", "total.allocated", "dataset.bytes",
                    "overhead.total", "fragmentation");
            assertThat(stats).doesNotContainKey("db.1");
            assertThat(Resp.pairs(stats.get("db.0"))).containsOnlyKeys("overhead.hashtable.main",
                    "overhead.hashtable.expires");
            assertThat((Long) stats.get("dataset.bytes")).isPositive();
            assertThat((Long) stats.get("peak.allocated")).isGreaterThanOrEqualTo((Long) stats.get("total.allocated"));
            String doctor = r.call("MEMORY", "DOCTOR");
            assertThat(doctor).startsWith("$").contains("very little data");
            assertThat(r.call("MEMORY", "MALLOC-STATS")).startsWith("$");
            r.call("HELLO", "3");
            assertThat(r.call("MEMORY", "DOCTOR")).startsWith("=");
            assertThat(r.call("MEMORY", "STATS")).startsWith("%");
        }
    }

    private static long usage(RespConnection r, String... args) throws Exception {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "MEMORY";
        cmd[1] = "USAGE";
        System.arraycopy(args, 0, cmd, 2, args.length);
        Object o = Resp.parse(r.call(cmd));
        assertThat(o).isInstanceOf(Long.class);
        return (Long) o;
    }

}
