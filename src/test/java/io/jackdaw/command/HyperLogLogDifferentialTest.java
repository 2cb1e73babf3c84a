package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.Resp;
import io.jackdaw.testing.RespConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HyperLogLog family replayed on Jackdaw and the reference redis-server, replies compared
 * byte for byte; GET of an HLL compares the representation itself (header, cache, opcodes).
 * Arguments go as ISO-8859-1, so binary bytes travel as is.
 */
class HyperLogLogDifferentialTest extends DifferentialTestBase {
    @BeforeEach
    void connect() throws Exception {
        differential();
    }

    @Test
    void addCountAndTheStoredBytes() throws Exception {
        all(List.of(
                c("PFADD", "h"), c("GET", "h"), c("PFCOUNT", "h"), c("GET", "h"), c("PFADD", "h"),
                c("PFADD", "h", "a", "b", "c"), c("GET", "h"), c("PFADD", "h", "a", "b", "c"), c("PFCOUNT", "h"),
                c("GET", "h"), c("PFADD", "h", ""), c("PFCOUNT", "h"), c("PFDEBUG", "DECODE", "h"),
                c("PFDEBUG", "ENCODING", "h"), c("OBJECT", "ENCODING", "h"), c("TYPE", "h"), c("STRLEN", "h"),
                // Arity and type errors.
                c("PFADD"), c("PFCOUNT"), c("PFMERGE"), c("PFDEBUG", "GETREG"), c("PFSELFTEST", "x"),
                c("LPUSH", "l", "x"), c("PFADD", "l", "a"), c("PFCOUNT", "l"), c("PFCOUNT", "h", "l"),
                c("PFMERGE", "h", "l"), c("PFMERGE", "l", "h"), c("PFDEBUG", "ENCODING", "l"),
                c("SET", "s", "not an hll"), c("PFADD", "s", "a"), c("PFCOUNT", "s"), c("PFCOUNT", "h", "s"),
                c("PFMERGE", "d", "s"), c("EXISTS", "d"), c("SET", "i", "12345"), c("PFCOUNT", "i"),
                c("PFADD", "i", "x"), c("SET", "e", ""), c("PFCOUNT", "e"),
                // Missing keys.
                c("PFCOUNT", "nokey"), c("PFCOUNT", "nokey", "nokey2"), c("PFCOUNT", "h", "nokey"),
                c("PFDEBUG", "ENCODING", "nokey"), c("PFDEBUG", "GETREG", "nokey")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void pfdebugSubcommands() throws Exception {
        List<String[]> cmds = new ArrayList<>(List.of(
                c("PFADD", "h", "1", "2", "3"), c("PFDEBUG", "DECODE", "h"), c("PFDEBUG", "decode", "h"),
                c("PFDEBUG", "ENCODING", "h"), c("PFDEBUG", "GETREG", "h"), c("PFDEBUG", "ENCODING", "h"), c("GET", "h"),
                c("PFDEBUG", "DECODE", "h"), c("PFDEBUG", "TODENSE", "h"), c("PFADD", "h2", "x"),
                c("PFDEBUG", "TODENSE", "h2"), c("PFDEBUG", "TODENSE", "h2"), c("GET", "h2"), c("PFCOUNT", "h2"),
                c("PFDEBUG", "NOSUCH", "h"), c("PFDEBUG", "NoSuch", "nokey"), c("PFDEBUG", "GETREG", "h", "x"),
                c("PFDEBUG", "Encoding", "h", "x", "y"), c("PFDEBUG", "GETREG")));
        all(cmds);
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void sparseToDensePromotionAcrossMaxBytes() throws Exception {
        Random rnd = new Random(42);
        for (String max : new String[] {"3000", "30", "200", "1000", "0", "15000"}) {
            r("CONFIG", "SET", "hll-sparse-max-bytes", max);
            r("DEL", "h");
            for (int batch = 0; batch < 40; batch++) {
                List<String> cmd = new ArrayList<>(List.of("PFADD", "h"));
                int n = 1 + rnd.nextInt(batch < 20 ? 10 : 200);
                for (int i = 0; i < n; i++) cmd.add(Long.toString(rnd.nextLong() % 100000));
                r(cmd.toArray(String[]::new));
                r("PFDEBUG", "ENCODING", "h");
                r("GET", "h");
                r("PFCOUNT", "h");
                r("GET", "h");
                // Merging into a sparse destination may promote it part way through.
                if (batch % 8 == 7) {
                    r("PFMERGE", "m" + max, "h");
                    r("GET", "m" + max);
                    r("PFCOUNT", "m" + max, "h");
                }
            }
        }
        r("CONFIG", "SET", "hll-sparse-max-bytes", "3000");
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void largeCardinalitiesAndBinaryElements() throws Exception {
        Random rnd = new Random(7);
        for (int round = 0; round < 6; round++) {
            List<String> cmd = new ArrayList<>(List.of("PFADD", "big"));
            for (int i = 0; i < 5000; i++) {
                char[] ch = new char[rnd.nextInt(20)];
                for (int j = 0; j < ch.length; j++) ch[j] = (char) rnd.nextInt(256);
                cmd.add(new String(ch));
            }
            r(cmd.toArray(String[]::new));
            r("PFCOUNT", "big");
            r("GET", "big");
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void mergeAndMultiKeyCount() throws Exception {
        Random rnd = new Random(99);
        for (int k = 0; k < 4; k++) {
            List<String> cmd = new ArrayList<>(List.of("PFADD", "s" + k));
            int n = k == 3 ? 3000 : 5 + rnd.nextInt(50 * (k + 1));
            for (int i = 0; i < n; i++) cmd.add("e" + rnd.nextInt(20000));
            r(cmd.toArray(String[]::new));
        }
        all(List.of(
                c("PFCOUNT", "s0", "s1"), c("PFCOUNT", "s0", "s1", "s2", "s3"), c("PFCOUNT", "s0", "nokey", "s1"),
                c("PFMERGE", "m", "s0", "s1"), c("GET", "m"), c("PFCOUNT", "m"), c("PFDEBUG", "ENCODING", "m"),
                c("PFMERGE", "m", "s2"), c("GET", "m"), c("PFMERGE", "md", "s0", "s3"), c("PFDEBUG", "ENCODING", "md"),
                c("GET", "md"), c("PFCOUNT", "md"), c("PFMERGE", "empty"), c("GET", "empty"),
                c("PFMERGE", "empty2", "nokey"), c("GET", "empty2"), c("PFMERGE", "s1", "s1"), c("GET", "s1"),
                c("PFMERGE", "s0", "s3"), c("PFDEBUG", "ENCODING", "s0"), c("GET", "s0"),
                c("SET", "x", "v", "EX", "1000"), c("DEL", "x"), c("PFADD", "x", "a"), c("EXPIRE", "x", "1000"),
                c("PFMERGE", "x", "s2"), c("TTL", "x"), c("PFADD", "x", "zz"), c("TTL", "x"), c("PFCOUNT", "x"),
                c("TTL", "x"),
                // A dense value is updated in place: expiry kept, bytes and cache as Redis's.
                c("EXPIRE", "md", "1000"), c("PFADD", "md", "new1", "new2", "new3"), c("TTL", "md"), c("GET", "md"),
                c("PFCOUNT", "md"), c("GETRANGE", "md", "8", "15"), c("TTL", "md"),
                // A small HLL copied with SET is "embstr" until a PF command touches it.
                c("PFADD", "tiny", "q"), c("SET", "copy", "HYLL"), c("DEL", "copy")));
        String tiny = (String) Resp.parse(diff.run("GET", "tiny"));
        all(List.of(c("SET", "copy", tiny), c("OBJECT", "ENCODING", "copy"), c("PFCOUNT", "copy"),
                c("OBJECT", "ENCODING", "copy"), c("GET", "copy")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void cacheInvalidationBytes() throws Exception {
        all(List.of(
                c("PFADD", "h", "a", "b", "c"), c("GETRANGE", "h", "15", "15"), c("PFCOUNT", "h"),
                c("GETRANGE", "h", "8", "15"), c("PFADD", "h", "a", "b", "c"), c("GETRANGE", "h", "15", "15"),
                c("PFADD", "h", "1", "2", "3"), c("GETRANGE", "h", "15", "15"), c("PFCOUNT", "h"), c("GET", "h")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void corruptValuesGetRedisErrors() throws Exception {
        all(List.of(
                c("PFADD", "h", "a", "b", "c"), c("APPEND", "h", "hello"), c("PFCOUNT", "h"), c("PFADD", "h", "zz"),
                c("PFMERGE", "d", "h"), c("PFCOUNT", "h", "d"), c("PFDEBUG", "GETREG", "h"), c("PFDEBUG", "TODENSE", "h"),
                c("DEL", "h"), c("PFADD", "h", "a", "b", "c"), c("SETRANGE", "h", "0", "0123"), c("PFCOUNT", "h"),
                c("DEL", "h"), c("PFADD", "h", "a", "b", "c"), c("SETRANGE", "h", "4", "x"), c("PFCOUNT", "h"),
                c("DEL", "h"), c("PFADD", "h", "a", "b", "c"), c("SETRANGE", "h", "4", "\u0000"), c("PFCOUNT", "h"),
                c("PFADD", "d2", "a"), c("PFDEBUG", "TODENSE", "d2"), c("APPEND", "d2", "x"), c("PFCOUNT", "d2"),
                c("SET", "short", "HYLL"), c("PFCOUNT", "short")));
        assertThat(diff.mismatches()).isEmpty();
    }

    /** Random bytes overwritten in random HLLs: both servers detect the same corruptions the same way. */
    @Test
    void fuzzedCorruptionsAreDetectedAlike() throws Exception {
        Random rnd = new Random(1234);
        for (int round = 0; round < 150; round++) {
            r("DEL", "h");
            List<String> cmd = new ArrayList<>(List.of("PFADD", "h"));
            int n = rnd.nextInt(round % 10 == 0 ? 3000 : 300);
            for (int i = 0; i < n; i++) cmd.add(Double.toString(rnd.nextDouble()));
            r(cmd.toArray(String[]::new));
            String len = Resp.parse(diff.run("STRLEN", "h")).toString();
            int l = Integer.parseInt(len);
            for (int i = 0; i < 5; i++) {
                r("SETRANGE", "h", Integer.toString(rnd.nextInt(l)), String.valueOf((char) rnd.nextInt(256)));
                if (rnd.nextBoolean()) break;
            }
            r("PFCOUNT", "h");
            r("PFCOUNT", "h", "nokey");
            r("GET", "h");
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    /** An HLL written by one server, moved with GET/SET, counts the same on the other, and grows the same. */
    @Test
    void hllsMoveBetweenServersWithGetAndSet() throws Exception {
        Random rnd = new Random(5);
        try (RespConnection j = new RespConnection(ours.port()); RespConnection rf = new RespConnection(ref.port())) {
            for (int n : new int[] {0, 1, 10, 100, 1000, 20000}) {
                List<String> add = new ArrayList<>(List.of("PFADD", "src"));
                for (int i = 0; i < n; i++) add.add("m" + rnd.nextInt(1 << 30));
                for (RespConnection[] pair : new RespConnection[][] {{rf, j}, {j, rf}}) {
                    RespConnection from = pair[0], to = pair[1];
                    from.call("DEL", "src");
                    from.call(latin1(add.toArray(String[]::new)));
                    String value = (String) Resp.parse(from.call("GET", "src"));
                    to.call(latin1("SET", "moved", value));
                    assertThat(to.call("PFCOUNT", "moved")).isEqualTo(from.call("PFCOUNT", "src"));
                    assertThat(to.call("PFADD", "moved", "extra1", "extra2"))
                            .isEqualTo(from.call("PFADD", "src", "extra1", "extra2"));
                    assertThat(to.call("GET", "moved")).isEqualTo(from.call("GET", "src"));
                    assertThat(to.call("PFCOUNT", "moved")).isEqualTo(from.call("PFCOUNT", "src"));
                }
            }
        }
    }

    @Test
    void dirtyCounterAndKeyspaceHitsMatch() throws Exception {
        List<String[]> commands = List.of(
                c("PFADD", "h", "a", "b", "c"), c("PFADD", "h", "a"), c("PFADD", "h"), c("PFADD", "new"),
                c("PFCOUNT", "h"), c("PFCOUNT", "h"), c("PFCOUNT", "nokey"), c("PFCOUNT", "h", "nokey", "new"),
                c("PFMERGE", "m", "h", "nokey"), c("PFMERGE", "m"), c("PFDEBUG", "ENCODING", "m"),
                c("PFDEBUG", "TODENSE", "m"), c("PFDEBUG", "TODENSE", "m"), c("PFDEBUG", "GETREG", "h"),
                c("PFADD", "h", "1", "2", "3", "4", "5"), c("PFCOUNT", "h"), c("SET", "s", "x"), c("PFCOUNT", "s"),
                c("PFADD", "s", "x"));
        assertThat(statsDifferences(commands, false)).isEmpty();
    }

    @Test
    void keyspaceEvents() throws Exception {
        try (RespConnection js = new RespConnection(ours.port()); RespConnection rs = new RespConnection(ref.port())) {
            r("CONFIG", "SET", "notify-keyspace-events", "KEA");
            js.call("PSUBSCRIBE", "__keyspace@0__:*");
            rs.call("PSUBSCRIBE", "__keyspace@0__:*");
            all(List.of(c("PFADD", "h", "a"), c("PFADD", "h", "a"), c("PFCOUNT", "h"), c("PFMERGE", "m", "h"),
                    c("PFDEBUG", "TODENSE", "m"), c("SET", "end", "1")));
            r("CONFIG", "SET", "notify-keyspace-events", "");
            // PFADD h a (the second adds nothing), PFMERGE's "pfadd" on m; PFCOUNT and PFDEBUG send none.
            for (int i = 0; i < 2; i++) assertThat(js.readReply()).isEqualTo(rs.readReply());
            assertThat(js.readReply()).contains("end").contains("set");
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    /** Redis edits the key's own entry, so LFU counts carry on across PF writes (first hit: 5 -> 6, certain). */
    @Test
    void lfuCounterSurvivesRewrites() throws Exception {
        all(List.of(c("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"), c("PFADD", "h", "a"),
                c("OBJECT", "FREQ", "h"), c("PFADD", "h", "b", "c", "d"), c("OBJECT", "FREQ", "h"),
                c("PFADD", "m", "x"), c("PFMERGE", "m", "h"), c("PFDEBUG", "TODENSE", "h"),
                c("CONFIG", "SET", "maxmemory-policy", "noeviction")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void selfTestPasses() throws Exception {
        r("PFSELFTEST");
        assertThat(diff.mismatches()).isEmpty();
    }
}
