package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.InfoFields;
import io.jackdaw.testing.Resp;
import io.jackdaw.testing.RespConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SCAN, OBJECT, COPY, MOVE and SWAPDB on Jackdaw and the reference redis-server. */
class KeyspaceDifferentialTest extends DifferentialTestBase {
    @BeforeEach
    void connect() throws Exception {
        differential();
    }

    @Test
    void scanArgumentErrorsAndCursorParsing() throws Exception {
        // An empty database, so every accepted cursor ends the walk at once on both servers.
        diff.runAll(List.of(
                c("SCAN", "abc"), c("SCAN", ""), c("SCAN", " 1"), c("SCAN", "+5"), c("SCAN", "-1"), c("SCAN", "+"),
                c("SCAN", "-"), c("SCAN", "1 "), c("SCAN", "18446744073709551615"), c("SCAN", "18446744073709551616"),
                c("SCAN", "99999999999999999999999"), c("SCAN", "0x10"), c("SCAN", "0", "COUNT", "0"),
                c("SCAN", "0", "COUNT", "-1"), c("SCAN", "0", "COUNT", "abc"), c("SCAN", "0", "COUNT"),
                c("SCAN", "0", "MATCH"), c("SCAN", "0", "TYPE"), c("SCAN", "0", "NOVALUES"), c("SCAN", "0", "BOGUS", "1"),
                c("SCAN", "0", "count", "5", "match", "*", "type", "STRING"), c("SCAN")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void fullScansReturnTheSameKeysAsTheReference() throws Exception {
        List<String[]> setup = new ArrayList<>();
        for (int i = 0; i < 700; i++) setup.add(c("SET", "key:" + i, i % 3 == 0 ? String.valueOf(i) : "v" + i));
        for (int i = 0; i < 50; i++) setup.add(c("SET", "ttl:" + i, "x", "EX", "10000"));
        setup.add(c("SET", "{tag}a", "1"));
        setup.add(c("SET", "{tag}b", "2"));
        diff.runAll(setup);
        for (String[] opts : List.of(new String[0], c("COUNT", "1"), c("COUNT", "1000"), c("MATCH", "key:1*"),
                c("MATCH", "ttl:[1-3]?", "COUNT", "3"), c("TYPE", "string"), c("TYPE", "list"), c("MATCH", "\\{tag}*"),
                c("MATCH", "nothing*"))) {
            try (RespConnection a = new RespConnection(ours.port()); RespConnection b = new RespConnection(ref.port())) {
                assertThat(fullScan(a, opts)).as("SCAN %s", String.join(" ", opts)).isEqualTo(fullScan(b, opts));
            }
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    /** Every key a complete SCAN walk returns; fails on a cursor that never returns to 0. */
    static TreeSet<String> fullScan(RespConnection conn, String... opts) throws IOException {
        TreeSet<String> keys = new TreeSet<>();
        String cursor = "0";
        for (int calls = 0; calls < 100_000; calls++) {
            List<String> cmd = new ArrayList<>(List.of("SCAN", cursor));
            cmd.addAll(List.of(opts));
            List<?> reply = (List<?>) Resp.parse(conn.call(cmd.toArray(String[]::new)));
            cursor = (String) reply.get(0);
            for (Object k : (List<?>) reply.get(1)) keys.add((String) k);
            if (cursor.equals("0")) return keys;
        }
        throw new AssertionError("SCAN never finished");
    }

    @Test
    void objectEncodingsAndRefcounts() throws Exception {
        String s44 = "x".repeat(44), s45 = "x".repeat(45);
        diff.runAll(List.of(
                c("SET", "int", "12345"), c("OBJECT", "ENCODING", "int"), c("OBJECT", "REFCOUNT", "int"),
                c("SET", "small", "1"), c("OBJECT", "REFCOUNT", "small"), c("SET", "edge", "9999"),
                c("OBJECT", "REFCOUNT", "edge"), c("SET", "past", "10000"), c("OBJECT", "REFCOUNT", "past"),
                c("SET", "neg", "-1"), c("OBJECT", "REFCOUNT", "neg"), c("OBJECT", "ENCODING", "neg"),
                c("SET", "big", "9223372036854775807"), c("OBJECT", "ENCODING", "big"),
                c("SET", "huge", "9223372036854775808"), c("OBJECT", "ENCODING", "huge"),
                c("SET", "lead0", "0123"), c("OBJECT", "ENCODING", "lead0"),
                c("SET", "e44", s44), c("OBJECT", "ENCODING", "e44"), c("OBJECT", "REFCOUNT", "e44"),
                c("SET", "e45", s45), c("OBJECT", "ENCODING", "e45"),
                c("SET", "empty", ""), c("OBJECT", "ENCODING", "empty"),
                c("APPEND", "app", "12"), c("OBJECT", "ENCODING", "app"), c("APPEND", "app", "3"),
                c("OBJECT", "ENCODING", "app"), c("GET", "app"),
                c("APPEND", "app2", "abc"), c("OBJECT", "ENCODING", "app2"),
                c("SETRANGE", "sr", "0", "ab"), c("OBJECT", "ENCODING", "sr"),
                c("SET", "sr2", "hello"), c("SETRANGE", "sr2", "1", "a"), c("OBJECT", "ENCODING", "sr2"),
                c("INCR", "counter"), c("OBJECT", "ENCODING", "counter"), c("OBJECT", "REFCOUNT", "counter"),
                c("INCRBYFLOAT", "fl", "1.5"), c("OBJECT", "ENCODING", "fl"),
                c("SET", "k", "v"), c("GETSET", "k", "77"), c("OBJECT", "ENCODING", "k"),
                c("OBJECT", "ENCODING", "missing"), c("OBJECT", "REFCOUNT", "missing"), c("OBJECT", "IDLETIME", "missing"),
                c("OBJECT", "FREQ", "missing"), c("OBJECT", "FREQ", "int"), c("OBJECT", "IDLETIME", "int"),
                c("OBJECT", "BOGUS", "int"), c("OBJECT"), c("OBJECT", "ENCODING"), c("OBJECT", "ENCODING", "a", "b"),
                c("OBJECT", "HELP", "extra")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void copyAcrossNamesAndDatabases() throws Exception {
        diff.runAll(List.of(
                c("SET", "src", "hello"), c("COPY", "src", "dst"), c("GET", "dst"), c("COPY", "src", "dst"),
                c("SET", "src", "world"), c("COPY", "src", "dst", "REPLACE"), c("GET", "dst"),
                c("COPY", "src", "src"), c("COPY", "src", "src", "DB", "0"), c("COPY", "src", "src", "DB", "1"),
                c("SELECT", "1"), c("GET", "src"), c("SELECT", "0"),
                c("COPY", "missing", "dst"), c("COPY", "src", "x", "DB", "16"), c("COPY", "src", "x", "DB", "-1"),
                c("COPY", "src", "x", "DB", "abc"), c("COPY", "src", "x", "DB"), c("COPY", "src", "x", "BOGUS"),
                c("COPY", "src", "x", "DB", "99999999999"), c("COPY", "src", "x", "REPLACE", "REPLACE"),
                c("SET", "vol", "v", "PXAT", "4102444800123"), c("COPY", "vol", "vol2"), c("PEXPIRETIME", "vol2"),
                c("PEXPIRETIME", "vol"), c("COPY", "src", "dst"), c("TTL", "dst"),
                c("SET", "num", "42"), c("COPY", "num", "num2"), c("OBJECT", "ENCODING", "num2"), c("INCR", "num2"),
                c("GET", "num"), c("COPY", "dst", "other", "DB", "2", "REPLACE"), c("SELECT", "2"), c("GET", "other"),
                c("SELECT", "0"), c("COPY"), c("COPY", "a")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void moveBetweenDatabases() throws Exception {
        diff.runAll(List.of(
                c("SET", "k", "v", "PXAT", "4102444800123"), c("MOVE", "k", "1"), c("EXISTS", "k"), c("SELECT", "1"),
                c("GET", "k"), c("PEXPIRETIME", "k"), c("MOVE", "k", "1"), c("MOVE", "k", "0"), c("SELECT", "0"),
                c("GET", "k"), c("SET", "k", "other"), c("SELECT", "1"), c("MOVE", "k", "0"), c("GET", "k"),
                c("MOVE", "missing", "0"), c("MOVE", "k", "16"), c("MOVE", "k", "-1"), c("MOVE", "k", "abc"),
                c("MOVE", "k", "4294967296"), c("MOVE", "k"), c("MOVE", "k", "0", "extra"), c("SELECT", "0"),
                c("SET", "n", "123"), c("MOVE", "n", "3"), c("SELECT", "3"), c("OBJECT", "ENCODING", "n"), c("DBSIZE")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void swapdbExchangesWholeDatabases() throws Exception {
        diff.runAll(List.of(
                c("SET", "a", "0"), c("SELECT", "1"), c("SET", "b", "1"), c("SET", "t", "x", "EX", "10000"),
                c("SWAPDB", "0", "1"), c("GET", "a"), c("DBSIZE"), c("SELECT", "0"), c("GET", "b"), c("TTL", "t"),
                c("DBSIZE"), c("SWAPDB", "0", "0"), c("GET", "b"), c("SWAPDB", "abc", "1"), c("SWAPDB", "0", "abc"),
                c("SWAPDB", "0", "16"), c("SWAPDB", "-1", "0"), c("SWAPDB", "4294967296", "0"), c("SWAPDB", "0"), c("SWAPDB", "2", "0"),
                c("DBSIZE"), c("SELECT", "2"), c("GET", "b"), c("FLUSHDB"), c("SWAPDB", "2", "0"), c("DBSIZE")));
        assertThat(diff.mismatches()).isEmpty();
    }


    /** keyspace_hits/misses move as Redis's read look-ups count them, and write look-ups do not. */
    @Test
    void genericCommandsCountHitsAndMissesAsRedis() throws Exception {
        List<String[]> commands = List.of(
                c("SET", "a", "1"), c("SET", "b", "2", "EX", "1000"), c("EXISTS", "a", "nokey", "a"), c("TYPE", "a"),
                c("TYPE", "nokey"), c("TTL", "b"), c("PTTL", "nokey"), c("EXPIRETIME", "a"), c("PEXPIRETIME", "b"),
                c("TOUCH", "a", "nokey"), c("OBJECT", "ENCODING", "a"), c("OBJECT", "REFCOUNT", "nokey"),
                c("OBJECT", "IDLETIME", "a"), c("OBJECT", "FREQ", "a"), c("COPY", "a", "c"), c("COPY", "nokey", "d"),
                c("COPY", "a", "c"), c("EXPIRE", "a", "100"), c("EXPIRE", "nokey", "100"), c("PERSIST", "a"),
                c("RENAME", "c", "e"), c("RENAMENX", "e", "a"), c("MOVE", "e", "1"), c("DEL", "a", "nokey"),
                c("UNLINK", "b"), c("KEYS", "*"), c("SCAN", "0"), c("RANDOMKEY"), c("DBSIZE"));
        List<String> differences = new ArrayList<>();
        try (RespConnection a = new RespConnection(ours.port()); RespConnection b = new RespConnection(ref.port())) {
            a.call("CONFIG", "RESETSTAT");
            b.call("CONFIG", "RESETSTAT");
            for (String[] cmd : commands) {
                a.call(cmd);
                b.call(cmd);
                String mine = InfoFields.keyspaceHitsAndMisses(a), theirs = InfoFields.keyspaceHitsAndMisses(b);
                if (!mine.equals(theirs)) differences.add(String.join(" ", cmd) + ": jackdaw " + mine + "/ redis " + theirs);
            }
        }
        assertThat(differences).isEmpty();
    }
}
