package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.ManualClock;
import io.jackdaw.testing.Resp;
import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis 7.4's hash-field expiry over raw RESP: HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT, HTTL,
 * HPTTL, HEXPIRETIME, HPEXPIRETIME and HPERSIST, and what the other hash commands do with fields
 * past their time. The installed reference server (7.0) lacks these commands, so the expected
 * replies come from Redis 7.4's t_hash.c and the redis.io command pages; each case names the
 * behaviour it pins. Time is a clock the test moves. Active expiry is off except where a test
 * turns it on, so lazy expiry is seen exactly.
 */
class HashFieldExpiryTest {
    static final long START_MS = 1_700_000_000_000L;
    static final ManualClock clock = new ManualClock(START_MS);
    static TestServer server;
    RespConnection c;

    @BeforeAll
    static void start() { server = TestServer.start(clock, "--hz", "100"); }

    @AfterAll
    static void stop() { if (server != null) server.close(); }

    @BeforeEach
    void connect() throws Exception {
        c = new RespConnection(server.port());
        call("FLUSHALL");
        call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
    }

    @AfterEach
    void close() throws Exception {
        call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        c.close();
    }

    String call(String... args) throws Exception { return c.call(args); }

    static String ints(long... v) {
        StringBuilder sb = new StringBuilder("*").append(v.length).append("\r\n");
        for (long x : v) sb.append(':').append(x).append("\r\n");
        return sb.toString();
    }

    static String err(String s) { return "-" + s + "\r\n"; }

    static String bulk(String s) { return "$" + s.length() + "\r\n" + s + "\r\n"; }

    long infoStat(String field) throws Exception {
        String info = (String) Resp.parse(call("INFO", "all"));
        for (String line : info.split("\r\n")) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.substring(field.length() + 1));
        }
        throw new AssertionError("no " + field + " in INFO");
    }

    // ------------------------------------------------------------ replies

    @Test
    void perFieldCodesForEachCondition() throws Exception {
        long now = clock.millis();
        call("HSET", "h", "f1", "v1", "f2", "v2", "f3", "v3");
        // 1 set, -2 no such field.
        assertThat(call("HEXPIRE", "h", "100", "FIELDS", "2", "f1", "nofield")).isEqualTo(ints(1, -2));
        // NX: only fields without an expiry.
        assertThat(call("HEXPIRE", "h", "200", "NX", "FIELDS", "2", "f1", "f2")).isEqualTo(ints(0, 1));
        // XX: only fields with one.
        assertThat(call("HEXPIRE", "h", "300", "XX", "FIELDS", "2", "f1", "f3")).isEqualTo(ints(1, 0));
        // GT: a field without an expiry counts as infinite, so GT never applies to it.
        assertThat(call("HEXPIRE", "h", "250", "gt", "FIELDS", "3", "f1", "f2", "f3")).isEqualTo(ints(0, 1, 0));
        // LT: ... and LT always does.
        assertThat(call("HEXPIRE", "h", "260", "lt", "FIELDS", "3", "f1", "f2", "f3")).isEqualTo(ints(1, 0, 1));
        assertThat(call("HTTL", "h", "FIELDS", "4", "f1", "f2", "f3", "nofield")).isEqualTo(ints(260, 250, 260, -2));
        assertThat(call("HPTTL", "h", "FIELDS", "2", "f2", "nofield")).isEqualTo(ints(250_000, -2));
        // HEXPIRETIME rounds the absolute time up to a second.
        assertThat(call("HEXPIRETIME", "h", "FIELDS", "1", "f2")).isEqualTo(ints((now + 250_000 + 999) / 1000));
        assertThat(call("HPEXPIRETIME", "h", "FIELDS", "1", "f2")).isEqualTo(ints(now + 250_000));
        // 2: a time not in the future deletes the field (the condition is checked first).
        assertThat(call("HPEXPIRE", "h", "0", "NX", "FIELDS", "1", "f1")).isEqualTo(ints(0));
        assertThat(call("HPEXPIRE", "h", "0", "FIELDS", "1", "f1")).isEqualTo(ints(2));
        assertThat(call("HEXPIREAT", "h", String.valueOf(now / 1000), "FIELDS", "1", "f2")).isEqualTo(ints(2));
        assertThat(call("HLEN", "h")).isEqualTo(":1\r\n");
        // HPERSIST: 1 removed, -1 none, -2 absent.
        assertThat(call("HPERSIST", "h", "FIELDS", "3", "f3", "f3", "f1")).isEqualTo(ints(1, -1, -2));
        assertThat(call("HTTL", "h", "FIELDS", "1", "f3")).isEqualTo(ints(-1));
        // Deleting the last field deletes the hash.
        assertThat(call("HPEXPIREAT", "h", "1", "FIELDS", "1", "f3")).isEqualTo(ints(2));
        assertThat(call("EXISTS", "h")).isEqualTo(":0\r\n");
    }

    @Test
    void absentKeyAnswersMinusTwoPerField() throws Exception {
        assertThat(call("HEXPIRE", "none", "10", "FIELDS", "2", "a", "b")).isEqualTo(ints(-2, -2));
        assertThat(call("HTTL", "none", "FIELDS", "1", "a")).isEqualTo(ints(-2));
        assertThat(call("HPEXPIRETIME", "none", "FIELDS", "1", "a")).isEqualTo(ints(-2));
        assertThat(call("HPERSIST", "none", "FIELDS", "3", "a", "b", "c")).isEqualTo(ints(-2, -2, -2));
        assertThat(call("EXISTS", "none")).isEqualTo(":0\r\n");
    }

    @Test
    void secondsRoundUpAndAtVariantsTakeAbsoluteTimes() throws Exception {
        long now = clock.millis();
        call("HSET", "h", "a", "1", "b", "2");
        assertThat(call("HPEXPIRE", "h", "1500", "FIELDS", "1", "a")).isEqualTo(ints(1));
        // HTTL is (expire + 999 - now) / 1000: 1.5 s left reads 2.
        assertThat(call("HTTL", "h", "FIELDS", "1", "a")).isEqualTo(ints(2));
        // HEXPIRETIME likewise rounds the absolute time up.
        assertThat(call("HEXPIRETIME", "h", "FIELDS", "1", "a")).isEqualTo(ints((now + 1500 + 999) / 1000));
        assertThat(call("HPEXPIREAT", "h", String.valueOf(now + 5000), "FIELDS", "1", "b")).isEqualTo(ints(1));
        assertThat(call("HPTTL", "h", "FIELDS", "2", "a", "b")).isEqualTo(ints(1500, 5000));
    }

    @Test
    void resp3RepliesAreArraysOfIntegersToo() throws Exception {
        call("HELLO", "3");
        call("HSET", "h", "a", "1");
        assertThat(call("HEXPIRE", "h", "10", "FIELDS", "2", "a", "b")).isEqualTo(ints(1, -2));
        assertThat(call("HTTL", "h", "FIELDS", "1", "a")).isEqualTo(ints(10));
        assertThat(call("HPERSIST", "h", "FIELDS", "1", "a")).isEqualTo(ints(1));
        assertThat(call("HEXPIRE", "none", "10", "FIELDS", "1", "a")).isEqualTo(ints(-2));
    }

    @Test
    void errorsInRedisOrder() throws Exception {
        call("SET", "s", "x");
        call("HSET", "h", "f", "v");
        // The key is looked up first: WRONGTYPE wins over a bad argument.
        assertThat(call("HEXPIRE", "s", "abc", "FIELDS", "1", "f"))
                .isEqualTo(err("WRONGTYPE Operation against a key holding the wrong kind of value"));
        assertThat(call("HTTL", "s", "FOO", "1", "f"))
                .isEqualTo(err("WRONGTYPE Operation against a key holding the wrong kind of value"));
        assertThat(call("HPERSIST", "s", "FIELDS", "0", "f"))
                .isEqualTo(err("WRONGTYPE Operation against a key holding the wrong kind of value"));
        assertThat(call("HEXPIRE", "h", "abc", "FIELDS", "1", "f")).isEqualTo(err("ERR value is not an integer or out of range"));
        assertThat(call("HEXPIRE", "h", "-1", "FIELDS", "1", "f")).isEqualTo(err("ERR invalid expire time, must be >= 0"));
        // The limit is 2^46 - 1 ms (EB_EXPIRE_TIME_MAX >> 2).
        assertThat(call("HEXPIREAT", "h", "70368744178", "FIELDS", "1", "f"))
                .isEqualTo(err("ERR invalid expire time in 'hexpireat' command"));
        assertThat(call("HPEXPIREAT", "h", "70368744177664", "FIELDS", "1", "f"))
                .isEqualTo(err("ERR invalid expire time in 'hpexpireat' command"));
        assertThat(call("HPEXPIRE", "h", String.valueOf(70368744177663L - clock.millis() + 1), "FIELDS", "1", "f"))
                .isEqualTo(err("ERR invalid expire time in 'hpexpire' command"));
        assertThat(call("HEXPIRE", "h", "9223372036854775807", "FIELDS", "1", "f"))
                .isEqualTo(err("ERR invalid expire time in 'hexpire' command"));
        assertThat(call("HPEXPIREAT", "h", "70368744177663", "FIELDS", "1", "f")).isEqualTo(ints(1));
        // FIELDS must follow the time, or the condition.
        assertThat(call("HEXPIRE", "h", "10", "FOO", "1", "f"))
                .isEqualTo(err("ERR Mandatory argument FIELDS is missing or not at the right position"));
        assertThat(call("HEXPIRE", "h", "10", "NX", "1", "f", "g"))
                .isEqualTo(err("ERR Mandatory argument FIELDS is missing or not at the right position"));
        assertThat(call("HEXPIRE", "h", "10", "FIELDS", "0", "f")).isEqualTo(err("ERR Parameter `numFields` should be greater than 0"));
        assertThat(call("HEXPIRE", "h", "10", "FIELDS", "x", "f")).isEqualTo(err("ERR Parameter `numFields` should be greater than 0"));
        assertThat(call("HEXPIRE", "h", "10", "FIELDS", "2", "f"))
                .isEqualTo(err("ERR The `numfields` parameter must match the number of arguments"));
        assertThat(call("HEXPIRE", "h", "10", "NX", "FIELDS", "1"))
                .isEqualTo(err("ERR The `numfields` parameter must match the number of arguments"));
        assertThat(call("HEXPIRE", "h", "10", "FIELDS", "1")).isEqualTo(err("ERR wrong number of arguments for 'hexpire' command"));
        assertThat(call("HTTL", "h", "FIELDS", "1")).isEqualTo(err("ERR wrong number of arguments for 'httl' command"));
        assertThat(call("HTTL", "h", "FOO", "1", "f"))
                .isEqualTo(err("ERR Mandatory argument FIELDS is missing or not at the right position"));
        assertThat(call("HPTTL", "h", "FIELDS", "0", "f")).isEqualTo(err("ERR Number of fields must be a positive integer"));
        assertThat(call("HEXPIRETIME", "h", "FIELDS", "-1", "f")).isEqualTo(err("ERR Number of fields must be a positive integer"));
        assertThat(call("HPERSIST", "h", "FIELDS", "2", "f"))
                .isEqualTo(err("ERR The `numfields` parameter must match the number of arguments"));
        // Argument errors come before the key's absence shows.
        assertThat(call("HTTL", "none", "FIELDS", "3", "f"))
                .isEqualTo(err("ERR The `numfields` parameter must match the number of arguments"));
    }

    // ------------------------------------------------------------ other hash commands and fields past their time

    @Test
    void readersSkipExpiredFieldsAndLookupsDeleteThem() throws Exception {
        call("HSET", "h", "a", "1", "b", "2", "c", "3");
        call("HPEXPIRE", "h", "100", "FIELDS", "2", "a", "b");
        clock.advance(100);
        // Due at exactly now is not yet gone for reads (expireAt < now is).
        assertThat(call("HGET", "h", "a")).isEqualTo(bulk("1"));
        clock.advance(1);
        long before = infoStat("expired_subkeys");
        // HLEN counts fields past their time until something deletes them (hashTypeLength(o, 0)).
        assertThat(call("HLEN", "h")).isEqualTo(":3\r\n");
        // HGETALL/HKEYS/HVALS/HSCAN skip them without deleting.
        assertThat(call("HGETALL", "h")).isEqualTo("*2\r\n" + bulk("c") + bulk("3"));
        assertThat(call("HKEYS", "h")).isEqualTo("*1\r\n" + bulk("c"));
        assertThat(call("HVALS", "h")).isEqualTo("*1\r\n" + bulk("3"));
        assertThat(call("HSCAN", "h", "0")).isEqualTo("*2\r\n" + bulk("0") + "*2\r\n" + bulk("c") + bulk("3"));
        assertThat(call("HTTL", "h", "FIELDS", "2", "a", "c")).isEqualTo(ints(-2, -1));
        assertThat(call("HPERSIST", "h", "FIELDS", "1", "a")).isEqualTo(ints(-2));
        assertThat(call("HLEN", "h")).isEqualTo(":3\r\n");
        // HGET, HEXISTS, HSTRLEN delete a field past its time (lazy expiry).
        assertThat(call("HGET", "h", "a")).isEqualTo("$-1\r\n");
        assertThat(call("HLEN", "h")).isEqualTo(":2\r\n");
        assertThat(call("HEXISTS", "h", "b")).isEqualTo(":0\r\n");
        assertThat(call("HLEN", "h")).isEqualTo(":1\r\n");
        assertThat(infoStat("expired_subkeys")).isEqualTo(before + 2);
        call("HELLO", "3");
        assertThat(call("HGETALL", "h")).isEqualTo("%1\r\n" + bulk("c") + bulk("3"));
    }

    @Test
    void theLastFieldExpiringDeletesTheHash() throws Exception {
        for (String k : List.of("h1", "h2", "h3")) {
            call("HSET", k, "a", "1", "b", "2");
            call("HPEXPIRE", k, "10", "FIELDS", "2", "a", "b");
        }
        clock.advance(11);
        // The hash exists, empty to readers, until a lookup deletes its fields.
        assertThat(call("EXISTS", "h1")).isEqualTo(":1\r\n");
        assertThat(call("HGETALL", "h1")).isEqualTo("*0\r\n");
        // HMGET deletes each expired field it reads; once the hash is gone the rest are null.
        assertThat(call("HMGET", "h1", "a", "b", "a")).isEqualTo("*3\r\n$-1\r\n$-1\r\n$-1\r\n");
        assertThat(call("EXISTS", "h1")).isEqualTo(":0\r\n");
        assertThat(call("HSTRLEN", "h2", "a")).isEqualTo(":0\r\n");
        assertThat(call("HSTRLEN", "h2", "b")).isEqualTo(":0\r\n");
        assertThat(call("EXISTS", "h2")).isEqualTo(":0\r\n");
        // HRANDFIELD deletes every due field first, and the hash with them.
        assertThat(call("HRANDFIELD", "h3")).isEqualTo("$-1\r\n");
        assertThat(call("EXISTS", "h3")).isEqualTo(":0\r\n");
    }

    @Test
    void hrandfieldNeverPicksAnExpiredField() throws Exception {
        call("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4");
        call("HPEXPIRE", "h", "10", "FIELDS", "3", "a", "b", "c");
        clock.advance(11);
        assertThat(call("HRANDFIELD", "h", "-6")).isEqualTo("*6\r\n" + bulk("d").repeat(6));
        assertThat(call("HLEN", "h")).isEqualTo(":1\r\n");
        call("HSET", "g", "a", "1");
        call("HPEXPIRE", "g", "10", "FIELDS", "1", "a");
        clock.advance(11);
        assertThat(call("HRANDFIELD", "g", "3", "WITHVALUES")).isEqualTo("*0\r\n");
        assertThat(call("EXISTS", "g")).isEqualTo(":0\r\n");
    }

    @Test
    void writesAndFieldExpiries() throws Exception {
        call("HSET", "h", "n", "5", "s", "x");
        call("HEXPIRE", "h", "100", "FIELDS", "2", "n", "s");
        // HINCRBY and HINCRBYFLOAT keep the field's expiry (HASH_SET_KEEP_TTL) ...
        assertThat(call("HINCRBY", "h", "n", "2")).isEqualTo(":7\r\n");
        assertThat(call("HINCRBYFLOAT", "h", "n", "0.5")).isEqualTo(bulk("7.5"));
        assertThat(call("HTTL", "h", "FIELDS", "1", "n")).isEqualTo(ints(100));
        // ... HSET and HMSET clear it.
        assertThat(call("HSET", "h", "n", "1")).isEqualTo(":0\r\n");
        assertThat(call("HMSET", "h", "s", "y")).isEqualTo("+OK\r\n");
        assertThat(call("HTTL", "h", "FIELDS", "2", "n", "s")).isEqualTo(ints(-1, -1));
        // HSETNX on a field with a live expiry leaves it.
        call("HEXPIRE", "h", "100", "FIELDS", "1", "n");
        assertThat(call("HSETNX", "h", "n", "9")).isEqualTo(":0\r\n");
        assertThat(call("HTTL", "h", "FIELDS", "1", "n")).isEqualTo(ints(100));
        clock.advance(100_001);
        // A field past its time: HSETNX and HINCRBY delete it first and start afresh, no expiry.
        assertThat(call("HSETNX", "h", "n", "9")).isEqualTo(":1\r\n");
        assertThat(call("HTTL", "h", "FIELDS", "1", "n")).isEqualTo(ints(-1));
        call("HPEXPIRE", "h", "10", "FIELDS", "1", "n");
        clock.advance(11);
        assertThat(call("HINCRBY", "h", "n", "3")).isEqualTo(":3\r\n");
        assertThat(call("HTTL", "h", "FIELDS", "1", "n")).isEqualTo(ints(-1));
        // HSET on a field past its time but not yet deleted overwrites it: Redis counts it as an update.
        call("HPEXPIRE", "h", "10", "FIELDS", "1", "s");
        clock.advance(11);
        assertThat(call("HSET", "h", "s", "z")).isEqualTo(":0\r\n");
        assertThat(call("HGET", "h", "s")).isEqualTo(bulk("z"));
        // HDEL removes a field past its time and counts it.
        call("HPEXPIRE", "h", "10", "FIELDS", "1", "s");
        clock.advance(11);
        assertThat(call("HDEL", "h", "s")).isEqualTo(":1\r\n");
        assertThat(call("HGETALL", "h")).isEqualTo("*2\r\n" + bulk("n") + bulk("3"));
    }

    @Test
    void aHashWhoseOnlyFieldExpiredIsRecreatedPlainByHincrby() throws Exception {
        call("HSET", "h", "n", "5");
        call("EXPIRE", "h", "1000");
        call("HPEXPIRE", "h", "10", "FIELDS", "1", "n");
        clock.advance(11);
        // Redis deletes the hash and creates a new one (a listpack, without the key's TTL).
        assertThat(call("HINCRBY", "h", "n", "1")).isEqualTo(":1\r\n");
        assertThat(call("OBJECT", "ENCODING", "h")).isEqualTo(bulk("listpack"));
        assertThat(call("TTL", "h")).isEqualTo(":-1\r\n");
    }

    @Test
    void dirtyCountsFieldsSetOrDeleted() throws Exception {
        call("HSET", "h", "a", "1", "b", "2", "c", "3");
        long d0 = infoStat("rdb_changes_since_last_save");
        // HEXPIRE: one per field set or deleted, none for conditions not met or absent fields.
        call("HEXPIRE", "h", "100", "FIELDS", "3", "a", "b", "x");
        long d1 = infoStat("rdb_changes_since_last_save");
        assertThat(d1 - d0).isEqualTo(2);
        call("HEXPIRE", "h", "100", "NX", "FIELDS", "2", "a", "b");
        call("HPEXPIRE", "h", "0", "FIELDS", "2", "c", "x");
        long d2 = infoStat("rdb_changes_since_last_save");
        assertThat(d2 - d1).isEqualTo(1);
        // HPERSIST: one per command that removed any expiry.
        call("HPERSIST", "h", "FIELDS", "2", "a", "b");
        call("HPERSIST", "h", "FIELDS", "2", "a", "b");
        long d3 = infoStat("rdb_changes_since_last_save");
        assertThat(d3 - d2).isEqualTo(1);
        // Lazy expiry is not a write of the command.
        call("HPEXPIRE", "h", "10", "FIELDS", "1", "a");
        clock.advance(11);
        long d4 = infoStat("rdb_changes_since_last_save");
        call("HGET", "h", "a");
        assertThat(infoStat("rdb_changes_since_last_save")).isEqualTo(d4);
    }

    // ------------------------------------------------------------ encodings

    @Test
    void encodingsFollowRedis74() throws Exception {
        call("HSET", "h", "a", "1", "b", "2");
        assertThat(call("OBJECT", "ENCODING", "h")).isEqualTo(bulk("listpack"));
        // Any HEXPIRE on an existing listpack hash makes it listpackex, even if nothing is set.
        assertThat(call("HEXPIRE", "h", "10", "FIELDS", "1", "nofield")).isEqualTo(ints(-2));
        assertThat(call("OBJECT", "ENCODING", "h")).isEqualTo(bulk("listpackex"));
        assertThat(call("TYPE", "h")).isEqualTo("+hash\r\n");
        // HTTL and HPERSIST do not convert.
        call("HSET", "p", "a", "1");
        call("HTTL", "p", "FIELDS", "1", "a");
        call("HPERSIST", "p", "FIELDS", "1", "a");
        assertThat(call("OBJECT", "ENCODING", "p")).isEqualTo(bulk("listpack"));
        // It never goes back, even when no field has an expiry any more.
        call("HEXPIRE", "h", "10", "FIELDS", "1", "a");
        call("HPERSIST", "h", "FIELDS", "1", "a");
        assertThat(call("OBJECT", "ENCODING", "h")).isEqualTo(bulk("listpackex"));
        // Past hash-max-listpack-entries it becomes a hash table, expiries kept.
        call("HEXPIRE", "h", "50", "FIELDS", "1", "b");
        String entries = ((List<?>) Resp.parse(call("CONFIG", "GET", "hash-max-listpack-entries"))).get(1).toString();
        call("CONFIG", "SET", "hash-max-listpack-entries", "8");
        try {
            for (int i = 0; i < 6; i++) call("HSET", "h", "f" + i, "v");
            assertThat(call("OBJECT", "ENCODING", "h")).isEqualTo(bulk("listpackex"));
            call("HSET", "h", "f6", "v");
        } finally {
            call("CONFIG", "SET", "hash-max-listpack-entries", entries);
        }
        assertThat(call("OBJECT", "ENCODING", "h")).isEqualTo(bulk("hashtable"));
        assertThat(call("HTTL", "h", "FIELDS", "2", "b", "a")).isEqualTo(ints(50, -1));
        // A long value does the same.
        call("HSET", "g", "a", "1");
        call("HEXPIRE", "g", "60", "FIELDS", "1", "a");
        call("HSET", "g", "long", "x".repeat(65));
        assertThat(call("OBJECT", "ENCODING", "g")).isEqualTo(bulk("hashtable"));
        assertThat(call("HTTL", "g", "FIELDS", "2", "a", "long")).isEqualTo(ints(60, -1));
    }

    @Test
    void httlAtTheExactMomentDependsOnTheEncoding() throws Exception {
        call("HSET", "small", "a", "1");
        call("HSET", "big", "a", "1", "long", "x".repeat(65));
        call("HPEXPIRE", "small", "100", "FIELDS", "1", "a");
        call("HPEXPIRE", "big", "100", "FIELDS", "1", "a");
        clock.advance(100);
        // Redis 7.4's httlGenericCommand: a listpack counts expire <= now as gone, a table expire < now.
        assertThat(call("HPTTL", "small", "FIELDS", "1", "a")).isEqualTo(ints(-2));
        assertThat(call("HPTTL", "big", "FIELDS", "1", "a")).isEqualTo(ints(0));
    }

    // ------------------------------------------------------------ key-level commands

    @Test
    void renameCopyAndMoveKeepFieldExpiries() throws Exception {
        call("HSET", "h", "a", "1", "b", "2");
        call("HEXPIRE", "h", "100", "FIELDS", "1", "a");
        call("HSET", "t", "a", "1", "long", "x".repeat(65));
        call("HEXPIRE", "t", "200", "FIELDS", "1", "a");
        assertThat(call("RENAME", "h", "h2")).isEqualTo("+OK\r\n");
        assertThat(call("HTTL", "h2", "FIELDS", "2", "a", "b")).isEqualTo(ints(100, -1));
        assertThat(call("OBJECT", "ENCODING", "h2")).isEqualTo(bulk("listpackex"));
        assertThat(call("COPY", "h2", "h3")).isEqualTo(":1\r\n");
        assertThat(call("HTTL", "h3", "FIELDS", "1", "a")).isEqualTo(ints(100));
        assertThat(call("COPY", "t", "t2")).isEqualTo(":1\r\n");
        assertThat(call("HTTL", "t2", "FIELDS", "1", "a")).isEqualTo(ints(200));
        assertThat(call("MOVE", "t", "1")).isEqualTo(":1\r\n");
        call("SELECT", "1");
        assertThat(call("HTTL", "t", "FIELDS", "1", "a")).isEqualTo(ints(200));
        assertThat(call("TYPE", "t")).isEqualTo("+hash\r\n");
    }

    @Test
    void digestMarksFieldsWithAnExpiry() throws Exception {
        call("HSET", "h", "f", "v");
        String plain = call("DEBUG", "DIGEST-VALUE", "h");
        // Redis 7.4's xorObjectDigest: mix(field), mix(value), then xor "!!hexpire!!" for a field with a TTL.
        byte[] element = new byte[20];
        mixDigest(element, "f");
        mixDigest(element, "v");
        xorDigest(element, "!!hexpire!!");
        byte[] digest = new byte[20];
        mixDigest(digest, new byte[] {0, 0, 0, 4}); // OBJ_HASH
        xorDigest(digest, element);
        call("HEXPIRE", "h", "100", "FIELDS", "1", "f");
        String withTtl = call("DEBUG", "DIGEST-VALUE", "h");
        assertThat(withTtl).isEqualTo("*1\r\n+" + HexFormat.of().formatHex(digest) + "\r\n");
        // The mark, not the time: another time gives the same digest.
        call("HEXPIRE", "h", "200", "FIELDS", "1", "f");
        assertThat(call("DEBUG", "DIGEST-VALUE", "h")).isEqualTo(withTtl);
        call("HPERSIST", "h", "FIELDS", "1", "f");
        assertThat(call("DEBUG", "DIGEST-VALUE", "h")).isEqualTo(plain);
    }

    static void xorDigest(byte[] digest, String s) throws Exception { xorDigest(digest, s.getBytes(StandardCharsets.US_ASCII)); }

    static void xorDigest(byte[] digest, byte[] b) throws Exception {
        byte[] h = MessageDigest.getInstance("SHA-1").digest(b);
        for (int i = 0; i < 20; i++) digest[i] ^= h[i];
    }

    static void mixDigest(byte[] digest, String s) throws Exception { mixDigest(digest, s.getBytes(StandardCharsets.US_ASCII)); }

    static void mixDigest(byte[] digest, byte[] b) throws Exception {
        xorDigest(digest, b);
        System.arraycopy(MessageDigest.getInstance("SHA-1").digest(digest), 0, digest, 0, 20);
    }

    // ------------------------------------------------------------ active expiry

    @Test
    void activeExpiryDeletesDueFieldsAndEmptiedHashes() throws Exception {
        call("HSET", "small", "a", "1", "b", "2", "keep", "3");
        call("HPEXPIRE", "small", "100", "FIELDS", "2", "a", "b");
        call("HSET", "gone", "a", "1");
        call("HPEXPIRE", "gone", "100", "FIELDS", "1", "a");
        for (int i = 0; i < 200; i++) call("HSET", "big", "f" + i, "v");
        call("HSET", "big", "long", "x".repeat(65));
        assertThat(call("OBJECT", "ENCODING", "big")).isEqualTo(bulk("hashtable"));
        for (int i = 0; i < 150; i++) call("HPEXPIRE", "big", "100", "FIELDS", "1", "f" + i);
        call("HSET", "renamed", "a", "1", "keep", "2");
        call("HPEXPIRE", "renamed", "100", "FIELDS", "1", "a");
        call("RENAME", "renamed", "r2");
        call("HSET", "later", "a", "1", "keep", "2");
        call("HPEXPIRE", "later", "100000", "FIELDS", "1", "a");
        long before = infoStat("expired_subkeys");
        call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        clock.advance(101);
        // Nobody reads the fields: only the cron's cycle can delete them, and HLEN counts them until it does.
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && !(call("HLEN", "small").equals(":1\r\n")
                && call("HLEN", "big").equals(":51\r\n") && call("HLEN", "r2").equals(":1\r\n")
                && call("EXISTS", "gone").equals(":0\r\n"))) {
            Thread.sleep(10);
        }
        assertThat(call("HLEN", "small")).isEqualTo(":1\r\n");
        assertThat(call("HLEN", "big")).isEqualTo(":51\r\n");
        assertThat(call("HLEN", "r2")).isEqualTo(":1\r\n");
        assertThat(call("EXISTS", "gone")).isEqualTo(":0\r\n");
        assertThat(call("HLEN", "later")).isEqualTo(":2\r\n");
        assertThat(infoStat("expired_subkeys")).isEqualTo(before + 2 + 1 + 150 + 1);
    }
}
