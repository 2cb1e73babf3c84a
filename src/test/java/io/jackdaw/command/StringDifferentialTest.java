package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.ReferenceServer;
import io.jackdaw.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** String and key commands replayed on Jackdaw and the reference redis-server, compared byte for byte. */
class StringDifferentialTest extends DifferentialTestBase {
    @BeforeEach
    void connect() throws Exception {
        differential();
    }

    @Test
    void setOptionsAndErrors() throws Exception {
        diff.runAll(List.of(
                c("SET", "k", "v"), c("GET", "k"), c("SET", "k", "v2", "NX"), c("SET", "k", "v3", "XX"), c("GET", "k"),
                c("SET", "n", "1", "XX"), c("SET", "k", "v", "NX", "XX"), c("SET", "k", "v", "EX"),
                c("SET", "k", "v", "EX", "0"), c("SET", "k", "v", "EX", "-1"), c("SET", "k", "v", "EX", "abc"),
                c("SET", "k", "v", "PX", "100", "EX", "100"), c("SET", "k", "v", "KEEPTTL", "EX", "10"),
                c("SET", "k", "v", "EX", "9223372036854775807"), c("SET", "k", "v", "PX", "9223372036854775807"),
                c("SET", "k", "v", "EX", "100"), c("TTL", "k"), c("SET", "k", "w", "KEEPTTL"), c("TTL", "k"),
                c("SET", "k", "x"), c("TTL", "k"), c("SET", "k", "y", "GET"), c("SET", "nokey", "y", "GET"),
                c("SET", "k", "z", "NX", "GET"), c("SET", "k", "v", "BOGUS"), c("SET", "k"),
                c("SET", "k", "v", "EXAT", "1"), c("GET", "k"), c("SET", "k", "v", "PXAT", "99999999999999"),
                c("PEXPIRETIME", "k"), c("SETNX", "k", "a"), c("SETNX", "k2", "a"), c("SETEX", "k3", "10", "v"),
                c("SETEX", "k3", "0", "v"), c("PSETEX", "k4", "-5", "v"), c("GETSET", "k3", "new"),
                c("GETSET", "absent", "x"), c("GETDEL", "absent2"), c("GETDEL", "k3"), c("EXISTS", "k3"),
                c("SET", "g", "v"), c("GETEX", "g"), c("GETEX", "g", "EX", "100"), c("TTL", "g"),
                c("GETEX", "g", "PX", "5000", "EX", "10"), c("GETEX", "g", "EX", "10", "EX", "20"), c("TTL", "g"),
                c("GETEX", "g", "PERSIST"), c("TTL", "g"), c("GETEX", "g", "EX", "10", "PERSIST"),
                c("GETEX", "g", "KEEPTTL"), c("GETEX", "g", "NX"), c("GETEX", "g", "EX"), c("GETEX", "g", "EX", "0"),
                c("GETEX", "g", "EXAT", "1"), c("EXISTS", "g"), c("GETEX", "nokey", "EX", "10"),
                c("GETEX", "nokey", "PXAT", "0"), c("GETEX", "nokey", "PX", "abc"), c("GETEX", "nokey", "EX", "-1"),
                c("GETEX", "nokey", "EX", "9223372036854775807"), c("GETEX", "nokey", "EX"),
                c("SET", "g", "v", "EX", "10", "EX", "20"), c("TTL", "g"), c("SET", "g", "v", "KEEPTTL", "KEEPTTL"),
                c("SET", "g", "v", "NX", "NX", "GET")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void countersAndFloats() throws Exception {
        diff.runAll(List.of(
                c("INCR", "c"), c("INCRBY", "c", "41"), c("DECR", "c"), c("DECRBY", "c", "-5"), c("GET", "c"),
                c("SET", "c", "9223372036854775807"), c("INCR", "c"), c("SET", "c", "-9223372036854775808"),
                c("DECR", "c"), c("DECRBY", "c", "-9223372036854775808"), c("SET", "s", "abc"), c("INCR", "s"),
                c("SET", "s", " 1"), c("INCR", "s"), c("SET", "s", "01"), c("INCR", "s"), c("INCRBY", "c", "x"),
                c("INCRBYFLOAT", "f", "10.5"), c("INCRBYFLOAT", "f", "0.1"), c("INCRBYFLOAT", "f", "-5e3"),
                c("INCRBYFLOAT", "f", "abc"), c("INCRBYFLOAT", "f", "inf"), c("INCRBYFLOAT", "g", "1.0e2"),
                c("INCRBYFLOAT", "g", "3.0000000000000000001"), c("INCRBYFLOAT", "h", "0"), c("GET", "h"),
                c("INCRBYFLOAT", "h", "-0.0"), c("SET", "i", "5"), c("INCRBYFLOAT", "i", "1.5"), c("INCR", "i"),
                c("INCRBYFLOAT", "s", "1"), c("SET", "sp", "1 "), c("INCRBYFLOAT", "sp", "1")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void stringEditing() throws Exception {
        diff.runAll(List.of(
                c("APPEND", "a", "hello"), c("APPEND", "a", " world"), c("GET", "a"), c("STRLEN", "a"),
                c("STRLEN", "none"), c("GETRANGE", "a", "0", "4"), c("GETRANGE", "a", "-5", "-1"),
                c("GETRANGE", "a", "5", "1"), c("GETRANGE", "a", "-1", "-5"), c("GETRANGE", "a", "0", "100"),
                c("GETRANGE", "none", "0", "1"), c("SUBSTR", "a", "1", "3"), c("SETRANGE", "a", "6", "WORLD"),
                c("GET", "a"), c("SETRANGE", "b", "5", "x"), c("GET", "b"), c("SETRANGE", "c", "0", ""),
                c("EXISTS", "c"), c("SETRANGE", "a", "-1", "x"),
                c("SETRANGE", "a", "9223372036854775807", "x"), c("SETRANGE", "nokey", "9223372036854775800", "xyz"),
                c("SETRANGE", "a", "536870912", "x"), c("SETRANGE", "a", "9223372036854775807", ""),
                c("SET", "n", "12345"), c("APPEND", "n", "6"),
                c("GET", "n"), c("STRLEN", "n"), c("GETRANGE", "n", "1", "2"), c("SETRANGE", "n", "0", "9"),
                c("MSET", "x", "1", "y", "2"), c("MGET", "x", "y", "nope"), c("MSET", "x"), c("MSETNX", "x", "3", "z", "4"),
                c("MSETNX", "z", "4", "w", "5"), c("MGET", "x", "z", "w")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void keysAndExpiry() throws Exception {
        diff.runAll(List.of(
                c("SET", "a", "1"), c("EXPIRE", "a", "100"), c("TTL", "a"), c("EXPIRE", "a", "50", "GT"),
                c("EXPIRE", "a", "200", "GT"), c("TTL", "a"), c("EXPIRE", "a", "10", "LT"), c("TTL", "a"),
                c("EXPIRE", "a", "10", "NX"), c("EXPIRE", "a", "10", "XX"), c("EXPIRE", "a", "1", "NX", "XX"),
                c("EXPIRE", "a", "1", "GT", "LT"), c("EXPIRE", "a", "1", "FOO"), c("PERSIST", "a"), c("PERSIST", "a"),
                c("TTL", "a"), c("EXPIRE", "a", "10", "XX"), c("EXPIRE", "nokey", "10"), c("TTL", "nokey"),
                c("PEXPIRE", "a", "100000"), c("EXPIREAT", "a", "99999999999"), c("EXPIRETIME", "a"),
                c("PEXPIRETIME", "a"), c("EXPIRETIME", "nokey"), c("PEXPIREAT", "a", "9223372036854775807"),
                c("EXPIRETIME", "a"), c("PEXPIRETIME", "a"), c("PEXPIREAT", "a", "9223372036854775499"),
                c("EXPIRETIME", "a"), c("PEXPIREAT", "a", "9223372036854775500"), c("EXPIRETIME", "a"), c("EXPIRE", "a", "9223372036854775807"),
                c("EXPIRE", "a", "x"), c("EXPIRE", "a", "-1"), c("EXISTS", "a"), c("SET", "b", "1"),
                c("DEL", "b", "b", "c"), c("EXISTS", "b", "b"), c("SET", "d", "1"), c("EXISTS", "d", "d", "e"),
                c("TYPE", "d"), c("TYPE", "none"), c("RENAME", "d", "e"), c("GET", "e"), c("RENAME", "nokey", "x"),
                c("SET", "f", "2"), c("RENAMENX", "e", "f"), c("RENAMENX", "e", "g"), c("RENAME", "g", "g"),
                c("TOUCH", "g", "zz"), c("UNLINK", "g", "f"), c("DBSIZE"), c("SET", "pat1", "x"), c("SET", "pat2", "x")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void seededRandomSequences() throws Exception {
        Random rnd = new Random(20261122L);
        String[] keys = {"k1", "k2", "k3", "{t}a", "{t}b"};
        String[] values = {"", "0", "1", "-1", "abc", "12345678901234567890", "3.5", "9223372036854775807", "x y"};
        List<String[]> script = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            String k = keys[rnd.nextInt(keys.length)], k2 = keys[rnd.nextInt(keys.length)];
            String v = values[rnd.nextInt(values.length)];
            script.add(switch (rnd.nextInt(16)) {
                case 0 -> c("SET", k, v);
                case 1 -> c("GET", k);
                case 2 -> c("INCR", k);
                case 3 -> c("INCRBY", k, String.valueOf(rnd.nextInt(2001) - 1000));
                case 4 -> c("APPEND", k, v);
                case 5 -> c("DEL", k, k2);
                case 6 -> c("EXISTS", k, k2);
                case 7 -> c("STRLEN", k);
                case 8 -> c("GETRANGE", k, String.valueOf(rnd.nextInt(10) - 5), String.valueOf(rnd.nextInt(10) - 5));
                case 9 -> c("SETRANGE", k, String.valueOf(rnd.nextInt(6)), v);
                case 10 -> c("MSET", k, v, k2, v);
                case 11 -> c("MGET", k, k2);
                case 12 -> c("DECRBY", k, String.valueOf(rnd.nextInt(100)));
                case 13 -> c("SETNX", k, v);
                case 14 -> c("GETSET", k, v);
                default -> c("RENAME", k, k2);
            });
        }
        diff.runAll(script);
        assertThat(diff.mismatches()).isEmpty();
    }
}
