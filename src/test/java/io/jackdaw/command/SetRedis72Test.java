package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Set behaviour that Redis 7.2 has and the 7.0 reference of the differential tests does not:
 * listpack-encoded sets (their encoding, insertion order and whole-set SSCAN), the size hint
 * that makes a set a table before a large SADD, SPOP building a new compact set when it takes
 * most members, and the orders SUNION and SDIFF produce by starting from an intset. The
 * expected replies are a Redis 7.2.4 server's, recorded from one built from its source tag.
 */
class SetRedis72Test {
    static TestServer server;
    RespConnection a;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { if (server != null) server.close(); }

    @BeforeEach
    void open() throws Exception {
        a = new RespConnection(server.port());
        a.call("FLUSHALL");
    }

    @AfterEach
    void close() throws Exception {
        a.call("CONFIG", "SET", "set-max-intset-entries", "512");
        a.call("CONFIG", "SET", "set-max-listpack-entries", "128");
        a.call("CONFIG", "SET", "set-max-listpack-value", "64");
        a.close();
    }

    private AbstractStringAssert<?> expect(String... cmd) throws Exception {
        return assertThat(a.call(cmd)).as(String.join(" ", cmd));
    }

    /** A transcript of commands and replies as Redis 7.2.4 gave them. */
    @Test
    void transcriptOfRedis72() throws Exception {
        // listpack: insertion order, returned whole by SSCAN
        expect("SADD", "lp", "c", "a", "b", "10", "1").isEqualTo(":5\r\n");
        expect("OBJECT", "ENCODING", "lp").isEqualTo("$8\r\nlistpack\r\n");
        expect("SMEMBERS", "lp").isEqualTo("*5\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$2\r\n10\r\n$1\r\n1\r\n");
        expect("SSCAN", "lp", "0", "COUNT", "1").isEqualTo("*2\r\n$1\r\n0\r\n*5\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$2\r\n10\r\n$1\r\n1\r\n");
        expect("SSCAN", "lp", "7", "MATCH", "?").isEqualTo("*2\r\n$1\r\n0\r\n*4\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\n1\r\n");
        expect("SPOP", "lp", "5").isEqualTo("*5\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$2\r\n10\r\n$1\r\n1\r\n");
        // intset then a string: a listpack of the sorted integers, then the string
        expect("SADD", "is", "30", "-2", "10").isEqualTo(":3\r\n");
        expect("SADD", "is", "x").isEqualTo(":1\r\n");
        expect("OBJECT", "ENCODING", "is").isEqualTo("$8\r\nlistpack\r\n");
        expect("SMEMBERS", "is").isEqualTo("*4\r\n$2\r\n-2\r\n$2\r\n10\r\n$2\r\n30\r\n$1\r\nx\r\n");
        // set-max-listpack-value 64: a longer member makes a table
        expect("SADD", "is", "y".repeat(65)).isEqualTo(":1\r\n");
        expect("OBJECT", "ENCODING", "is").isEqualTo("$9\r\nhashtable\r\n");
        expect("SADD", "wide", "1", "2").isEqualTo(":2\r\n");
        expect("SADD", "wide", "12345678901234567890123").isEqualTo(":1\r\n");
        expect("OBJECT", "ENCODING", "wide").isEqualTo("$8\r\nlistpack\r\n");
        expect("CONFIG", "SET", "set-max-listpack-entries", "3").isEqualTo("+OK\r\n");
        expect("SADD", "four", "1", "2", "3").isEqualTo(":3\r\n");
        expect("SADD", "four", "a").isEqualTo(":1\r\n");
        expect("OBJECT", "ENCODING", "four").isEqualTo("$9\r\nhashtable\r\n");
        expect("SADD", "three", "1", "2").isEqualTo(":2\r\n");
        expect("SADD", "three", "a").isEqualTo(":1\r\n");
        expect("OBJECT", "ENCODING", "three").isEqualTo("$8\r\nlistpack\r\n");
        expect("SADD", "three", "b").isEqualTo(":1\r\n");
        expect("OBJECT", "ENCODING", "three").isEqualTo("$9\r\nhashtable\r\n");
        expect("SADD", "pre", "a").isEqualTo(":1\r\n");
        expect("SADD", "pre", "a", "a", "a", "a").isEqualTo(":0\r\n");
        expect("OBJECT", "ENCODING", "pre").isEqualTo("$9\r\nhashtable\r\n");
        expect("SMEMBERS", "pre").isEqualTo("*1\r\n$1\r\na\r\n");
        expect("SADD", "pre2", "a", "a", "a").isEqualTo(":1\r\n");
        expect("OBJECT", "ENCODING", "pre2").isEqualTo("$8\r\nlistpack\r\n");
        expect("CONFIG", "SET", "set-max-listpack-entries", "128").isEqualTo("+OK\r\n");
        expect("CONFIG", "SET", "set-max-intset-entries", "3").isEqualTo("+OK\r\n");
        expect("SADD", "ip", "1", "1", "1", "1").isEqualTo(":1\r\n");
        expect("OBJECT", "ENCODING", "ip").isEqualTo("$8\r\nlistpack\r\n");
        expect("SMEMBERS", "ip").isEqualTo("*1\r\n$1\r\n1\r\n");
        expect("SADD", "ip2", "1", "2", "3").isEqualTo(":3\r\n");
        expect("SADD", "ip2", "4").isEqualTo(":1\r\n");
        expect("OBJECT", "ENCODING", "ip2").isEqualTo("$9\r\nhashtable\r\n");
        expect("CONFIG", "SET", "set-max-intset-entries", "512").isEqualTo("+OK\r\n");
        // SMOVE creates its destination from the member
        expect("SMOVE", "lp2", "d1", "x").isEqualTo(":0\r\n");
        expect("SADD", "src", "5", "q").isEqualTo(":2\r\n");
        expect("SMOVE", "src", "d1", "5").isEqualTo(":1\r\n");
        expect("OBJECT", "ENCODING", "d1").isEqualTo("$6\r\nintset\r\n");
        expect("SMOVE", "src", "d2", "q").isEqualTo(":1\r\n");
        expect("OBJECT", "ENCODING", "d2").isEqualTo("$8\r\nlistpack\r\n");
        // SUNION and SDIFF build an intset first
        expect("SADD", "u1", "b", "3", "a").isEqualTo(":3\r\n");
        expect("SADD", "u2", "2", "c", "1").isEqualTo(":3\r\n");
        expect("SUNION", "u1", "u2").isEqualTo("*6\r\n$1\r\nb\r\n$1\r\n3\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n1\r\n");
        expect("SUNION", "u2", "u1").isEqualTo("*6\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n3\r\n$1\r\na\r\n");
        expect("SUNIONSTORE", "u", "u1", "u2").isEqualTo(":6\r\n");
        expect("OBJECT", "ENCODING", "u").isEqualTo("$8\r\nlistpack\r\n");
        expect("SDIFF", "u1", "u2").isEqualTo("*3\r\n$1\r\nb\r\n$1\r\n3\r\n$1\r\na\r\n");
        expect("SDIFFSTORE", "d", "u2", "u1").isEqualTo(":3\r\n");
        expect("OBJECT", "ENCODING", "d").isEqualTo("$8\r\nlistpack\r\n");
        expect("SMEMBERS", "d").isEqualTo("*3\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n1\r\n");
        expect("SINTERSTORE", "i", "u1", "u").isEqualTo(":3\r\n");
        expect("OBJECT", "ENCODING", "i").isEqualTo("$8\r\nlistpack\r\n");
        expect("SMEMBERS", "i").isEqualTo("*3\r\n$1\r\nb\r\n$1\r\n3\r\n$1\r\na\r\n");
        expect("SADD", "n1", "1", "2", "3", "x").isEqualTo(":4\r\n");
        expect("SADD", "n2", "3", "2", "y").isEqualTo(":3\r\n");
        expect("SINTERSTORE", "i2", "n1", "n2").isEqualTo(":2\r\n");
        expect("OBJECT", "ENCODING", "i2").isEqualTo("$6\r\nintset\r\n");
        expect("SMEMBERS", "i2").isEqualTo("*2\r\n$1\r\n2\r\n$1\r\n3\r\n");
        expect("SINTER", "n2", "n1").isEqualTo("*2\r\n$1\r\n2\r\n$1\r\n3\r\n");
        a.call("HELLO", "3");
        expect("SMEMBERS", "lp").isEqualTo("~0\r\n");
        expect("SUNION", "u1", "u2").isEqualTo("~6\r\n$1\r\nb\r\n$1\r\n3\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n1\r\n");
        expect("SPOP", "u1", "3").isEqualTo("~3\r\n$1\r\nb\r\n$1\r\n3\r\n$1\r\na\r\n");
        a.call("HELLO", "2");
    }

    private static String[] sadd(String key, String prefix, int n) {
        List<String> cmd = new ArrayList<>(List.of("SADD", key));
        for (int i = 0; i < n; i++) cmd.add(prefix + i);
        return cmd.toArray(String[]::new);
    }

    /** SPOP taking most members keeps the rest in a new set: compact again, expiry kept (as 7.2.4 answered). */
    @Test
    void spopOfMostMembersBuildsANewSet() throws Exception {
        a.call(sadd("strs", "m", 200));
        a.call(sadd("ints", "", 600));
        a.call(sadd("small", "", 100));
        a.call(sadd("lp", "m", 100));
        a.call("EXPIRE", "strs", "100");
        expect("OBJECT", "ENCODING", "strs").isEqualTo("$9\r\nhashtable\r\n");
        expect("OBJECT", "ENCODING", "ints").isEqualTo("$9\r\nhashtable\r\n");
        for (String[] k : new String[][] {{"strs", "190", "listpack", "10"}, {"ints", "590", "listpack", "10"},
                {"small", "90", "intset", "10"}, {"lp", "95", "listpack", "5"}}) {
            assertThat(a.call("SPOP", k[0], k[1])).startsWith("*" + k[1] + "\r\n");
            expect("OBJECT", "ENCODING", k[0]).isEqualTo("$" + k[2].length() + "\r\n" + k[2] + "\r\n");
            expect("SCARD", k[0]).isEqualTo(":" + k[3] + "\r\n");
        }
        expect("TTL", "strs").isEqualTo(":100\r\n");
        // Few members: picked from the table, which stays one.
        a.call(sadd("few", "m", 200));
        assertThat(a.call("SPOP", "few", "10")).startsWith("*10\r\n");
        expect("OBJECT", "ENCODING", "few").isEqualTo("$9\r\nhashtable\r\n");
    }

    /** One SADD with more members than set-max-intset-entries makes a table first, duplicates or not. */
    @Test
    void saddPresizesToATable() throws Exception {
        List<String> dup = new ArrayList<>(List.of("SADD", "dup"));
        for (int i = 0; i < 513; i++) dup.add("7");
        expect(dup.toArray(String[]::new)).isEqualTo(":1\r\n");
        expect("OBJECT", "ENCODING", "dup").isEqualTo("$9\r\nhashtable\r\n");
        dup.set(1, "ok");
        dup.remove(2);
        expect(dup.toArray(String[]::new)).isEqualTo(":1\r\n");
        expect("OBJECT", "ENCODING", "ok").isEqualTo("$6\r\nintset\r\n");
        // An existing intset converts before the write, even when nothing is added.
        dup.set(1, "ok");
        dup.add("7");
        expect(dup.toArray(String[]::new)).isEqualTo(":0\r\n");
        expect("OBJECT", "ENCODING", "ok").isEqualTo("$9\r\nhashtable\r\n");
    }
}
