package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.ManualClock;
import io.jackdaw.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.BitCountOption;
import redis.clients.jedis.args.BitOP;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.BitPosParams;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.LCSParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.LCSMatchResult;
import redis.clients.jedis.resps.LCSMatchResult.MatchedPosition;

/**
 * The string and bitmap families through Jedis 6 (RESP2): options, exact reply values, binary
 * safety, LCS, and errors as Jedis surfaces them. The server reads a clock the test moves, so
 * TTLs are exact.
 */
class StringBitmapJedisTest {
    static final ManualClock clock = new ManualClock(1_700_000_000_000L);
    static TestServer server;
    Jedis jedis;

    @BeforeAll
    static void start() { server = TestServer.start(clock); }

    @AfterAll
    static void stop() { if (server != null) server.close(); }

    @BeforeEach
    void connect() {
        jedis = Clients.jedis(server.port());
        jedis.flushAll();
    }

    @AfterEach
    void close() { if (jedis != null) jedis.close(); }

    static long now() { return clock.millis(); }

    static void assertError(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOf(JedisDataException.class).hasMessage(message);
    }

    // ------------------------------------------------------------ SET and its options

    @Test
    void setWithExpiryOptions() {
        assertThat(jedis.set("k", "v", SetParams.setParams().ex(100))).isEqualTo("OK");
        assertThat(jedis.pttl("k")).isEqualTo(100_000);
        assertThat(jedis.set("k", "v", SetParams.setParams().px(12_345))).isEqualTo("OK");
        assertThat(jedis.pttl("k")).isEqualTo(12_345);
        long secs = now() / 1000 + 777;
        assertThat(jedis.set("k", "v", SetParams.setParams().exAt(secs))).isEqualTo("OK");
        assertThat(jedis.expireTime("k")).isEqualTo(secs);
        assertThat(jedis.pexpireTime("k")).isEqualTo(secs * 1000);
        long ms = now() + 98_765;
        assertThat(jedis.set("k", "v2", SetParams.setParams().pxAt(ms))).isEqualTo("OK");
        assertThat(jedis.pexpireTime("k")).isEqualTo(ms);
        assertThat(jedis.set("k", "v3", SetParams.setParams().keepTtl())).isEqualTo("OK");
        assertThat(jedis.pexpireTime("k")).as("KEEPTTL").isEqualTo(ms);
        assertThat(jedis.get("k")).isEqualTo("v3");
        assertThat(jedis.set("k", "v4", SetParams.setParams().xx().keepTtl())).isEqualTo("OK");
        assertThat(jedis.pexpireTime("k")).isEqualTo(ms);
        assertThat(jedis.set("k", "v5")).isEqualTo("OK");
        assertThat(jedis.pttl("k")).as("a plain SET drops the TTL").isEqualTo(-1);

        // An absolute time already past stores nothing, and still answers OK.
        assertThat(jedis.set("gone", "v", SetParams.setParams().pxAt(now() - 1))).isEqualTo("OK");
        assertThat(jedis.exists("gone")).isFalse();
        assertThat(jedis.set("k", "v", SetParams.setParams().exAt(1))).isEqualTo("OK");
        assertThat(jedis.exists("k")).as("and an existing key is deleted").isFalse();

        assertError(() -> jedis.set("k", "v", SetParams.setParams().ex(0)), "ERR invalid expire time in 'set' command");
        assertError(() -> jedis.set("k", "v", SetParams.setParams().px(-5)), "ERR invalid expire time in 'set' command");
        assertError(() -> jedis.set("k", "v", SetParams.setParams().ex(Long.MAX_VALUE / 100)),
                "ERR invalid expire time in 'set' command");
        // SetParams keeps one of NX/XX and one expiry form, so conflicting options go out by hand.
        assertError(() -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "NX", "XX"), "ERR syntax error");
        assertError(() -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "EX", "10", "KEEPTTL"), "ERR syntax error");
        assertError(() -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "EX", "10", "PX", "100"), "ERR syntax error");
        assertError(() -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "EX", "ten"),
                "ERR value is not an integer or out of range");
        assertThat(jedis.exists("k")).isFalse();
    }

    @Test
    void setNxXxAndGet() {
        assertThat(jedis.set("k", "1", SetParams.setParams().xx())).isNull();
        assertThat(jedis.exists("k")).isFalse();
        assertThat(jedis.set("k", "1", SetParams.setParams().nx())).isEqualTo("OK");
        assertThat(jedis.set("k", "2", SetParams.setParams().nx())).isNull();
        assertThat(jedis.get("k")).isEqualTo("1");
        assertThat(jedis.set("k", "3", SetParams.setParams().xx().px(5_000))).isEqualTo("OK");
        assertThat(jedis.pttl("k")).isEqualTo(5_000);

        // SET ... GET answers the old value, with or without the write happening.
        assertThat(jedis.setGet("k", "4")).isEqualTo("3");
        assertThat(jedis.pttl("k")).isEqualTo(-1);
        assertThat(jedis.setGet("k", "5", SetParams.setParams().nx())).as("NX GET: not written, old value").isEqualTo("4");
        assertThat(jedis.get("k")).isEqualTo("4");
        assertThat(jedis.setGet("new", "x", SetParams.setParams().nx())).isNull();
        assertThat(jedis.get("new")).isEqualTo("x");
        assertThat(jedis.setGet("absent", "x", SetParams.setParams().xx())).isNull();
        assertThat(jedis.exists("absent")).isFalse();
        assertThat(jedis.setGet("k", "6", SetParams.setParams().xx().ex(50))).isEqualTo("4");
        assertThat(jedis.ttl("k")).isEqualTo(50);
        assertThat(jedis.setGet("k", "7", SetParams.setParams().keepTtl())).isEqualTo("6");
        assertThat(jedis.ttl("k")).isEqualTo(50);
        assertThat(jedis.setGet("fresh", "v")).isNull();
    }

    @Test
    @SuppressWarnings("deprecation") // GETSET, SETNX, SETEX, PSETEX are deprecated in Jedis and still served
    void getexGetdelGetsetAndTheOldSetters() {
        jedis.set("k", "v");
        assertThat(jedis.getEx("k", GetExParams.getExParams().ex(30))).isEqualTo("v");
        assertThat(jedis.pttl("k")).isEqualTo(30_000);
        assertThat(jedis.getEx("k", GetExParams.getExParams().px(1_234))).isEqualTo("v");
        assertThat(jedis.pttl("k")).isEqualTo(1_234);
        long secs = now() / 1000 + 3_600;
        assertThat(jedis.getEx("k", GetExParams.getExParams().exAt(secs))).isEqualTo("v");
        assertThat(jedis.expireTime("k")).isEqualTo(secs);
        long ms = now() + 4_321;
        assertThat(jedis.getEx("k", GetExParams.getExParams().pxAt(ms))).isEqualTo("v");
        assertThat(jedis.pexpireTime("k")).isEqualTo(ms);
        assertThat(jedis.getEx("k", new GetExParams())).as("no option: a plain read").isEqualTo("v");
        assertThat(jedis.pexpireTime("k")).isEqualTo(ms);
        assertThat(jedis.getEx("k", GetExParams.getExParams().persist())).isEqualTo("v");
        assertThat(jedis.pttl("k")).isEqualTo(-1);
        assertThat(jedis.getEx("missing", GetExParams.getExParams().ex(10))).isNull();
        assertThat(jedis.exists("missing")).isFalse();
        assertError(() -> jedis.getEx("k", GetExParams.getExParams().ex(0)), "ERR invalid expire time in 'getex' command");
        assertError(() -> jedis.sendCommand(Protocol.Command.GETEX, "k", "EX", "10", "PX", "10"), "ERR syntax error");
        assertThat(jedis.getEx("k", GetExParams.getExParams().pxAt(now() - 10))).as("a past time deletes").isEqualTo("v");
        assertThat(jedis.exists("k")).isFalse();

        jedis.set("d", "bye", SetParams.setParams().ex(10));
        assertThat(jedis.getDel("d")).isEqualTo("bye");
        assertThat(jedis.getDel("d")).isNull();

        jedis.set("g", "old", SetParams.setParams().ex(10));
        assertThat(jedis.getSet("g", "new")).isEqualTo("old");
        assertThat(jedis.ttl("g")).as("GETSET drops the TTL").isEqualTo(-1);
        assertThat(jedis.getSet("none", "first")).isNull();
        assertThat(jedis.get("none")).isEqualTo("first");

        assertThat(jedis.setnx("n", "1")).isEqualTo(1);
        assertThat(jedis.setnx("n", "2")).isZero();
        assertThat(jedis.get("n")).isEqualTo("1");
        assertThat(jedis.setex("e", 42, "v")).isEqualTo("OK");
        assertThat(jedis.pttl("e")).isEqualTo(42_000);
        assertThat(jedis.psetex("p", 4_200, "v")).isEqualTo("OK");
        assertThat(jedis.pttl("p")).isEqualTo(4_200);
        assertError(() -> jedis.setex("e", 0, "v"), "ERR invalid expire time in 'setex' command");
        assertError(() -> jedis.psetex("p", -5, "v"), "ERR invalid expire time in 'psetex' command");
        assertThat(jedis.get("e")).isEqualTo("v");
    }

    @Test
    void msetMgetMsetnx() {
        assertThat(jedis.mset("a", "1", "b", "2", "a", "3")).isEqualTo("OK");
        assertThat(jedis.mget("a", "b", "c", "a")).containsExactly("3", "2", null, "3");
        jedis.expire("b", 100);
        assertThat(jedis.mset("b", "22")).isEqualTo("OK");
        assertThat(jedis.ttl("b")).as("MSET overwrites TTLs too").isEqualTo(-1);
        assertThat(jedis.msetnx("c", "x", "a", "y")).as("all or nothing").isZero();
        assertThat(jedis.exists("c")).isFalse();
        assertThat(jedis.msetnx("c", "x", "d", "y")).isEqualTo(1);
        assertThat(jedis.mget("c", "d")).containsExactly("x", "y");
        assertError(() -> jedis.sendCommand(Protocol.Command.MSET, "a"), "ERR wrong number of arguments for 'mset' command");
        assertError(() -> jedis.sendCommand(Protocol.Command.MSET, "a", "1", "b"),
                "ERR wrong number of arguments for 'mset' command");
        assertError(() -> jedis.sendCommand(Protocol.Command.MSETNX, "a", "1", "b"),
                "ERR wrong number of arguments for 'msetnx' command");
        assertThat(jedis.get("a")).isEqualTo("3");
    }

    @Test
    void appendStrlenGetrangeSetrange() {
        assertThat(jedis.append("s", "Hello")).isEqualTo(5);
        assertThat(jedis.append("s", " World")).isEqualTo(11);
        assertThat(jedis.get("s")).isEqualTo("Hello World");
        assertThat(jedis.strlen("s")).isEqualTo(11);
        assertThat(jedis.strlen("missing")).isZero();
        assertThat(jedis.getrange("s", 0, 4)).isEqualTo("Hello");
        assertThat(jedis.getrange("s", -5, -1)).isEqualTo("World");
        assertThat(jedis.getrange("s", 6, 1_000)).isEqualTo("World");
        assertThat(jedis.getrange("s", -100, 100)).isEqualTo("Hello World");
        assertThat(jedis.getrange("s", 5, 3)).isEmpty();
        assertThat(jedis.getrange("s", 20, 30)).isEmpty();
        assertThat(jedis.getrange("missing", 0, -1)).isEmpty();

        assertThat(jedis.setrange("s", 6, "Redis")).isEqualTo(11);
        assertThat(jedis.get("s")).isEqualTo("Hello Redis");
        assertThat(jedis.setrange("pad", 5, "x")).as("zero-padded").isEqualTo(6);
        assertThat(jedis.get("pad".getBytes(StandardCharsets.UTF_8))).isEqualTo(new byte[] {0, 0, 0, 0, 0, 'x'});
        assertThat(jedis.setrange("s", 13, "!")).isEqualTo(14);
        assertThat(jedis.get("s")).isEqualTo("Hello Redis\0\0!");
        assertThat(jedis.setrange("nothing", 10, "")).as("an empty write creates no key").isZero();
        assertThat(jedis.exists("nothing")).isFalse();
        assertThat(jedis.setrange("s", 100, "")).as("nor grows an existing one").isEqualTo(14);
        assertError(() -> jedis.setrange("s", -1, "x"), "ERR offset is out of range");
        assertError(() -> jedis.setrange("s", 536_870_912L, "x"),
                "ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        assertThat(jedis.substr("s", 0, 4)).isEqualTo("Hello");

        jedis.set("t", "x", SetParams.setParams().ex(60));
        jedis.append("t", "y");
        jedis.setrange("t", 0, "z");
        assertThat(jedis.get("t")).isEqualTo("zy");
        assertThat(jedis.pttl("t")).as("APPEND and SETRANGE keep the TTL").isEqualTo(60_000);
    }

    // ------------------------------------------------------------ counters

    @Test
    void incrDecrFamily() {
        assertThat(jedis.incr("n")).isEqualTo(1);
        assertThat(jedis.incrBy("n", 99)).isEqualTo(100);
        assertThat(jedis.decr("n")).isEqualTo(99);
        assertThat(jedis.decrBy("n", 199)).isEqualTo(-100);
        assertThat(jedis.get("n")).isEqualTo("-100");
        assertThat(jedis.decr("fresh")).isEqualTo(-1);
        assertThat(jedis.incrBy("n", Long.MIN_VALUE + 100)).isEqualTo(Long.MIN_VALUE);
        assertError(() -> jedis.decr("n"), "ERR increment or decrement would overflow");
        jedis.set("n", String.valueOf(Long.MAX_VALUE));
        assertError(() -> jedis.incr("n"), "ERR increment or decrement would overflow");
        assertError(() -> jedis.decrBy("x", Long.MIN_VALUE), "ERR decrement would overflow");
        assertThat(jedis.get("n")).isEqualTo("9223372036854775807");

        // Only the canonical integer form counts (Redis's string2ll): no spaces, sign '+', leading zeros or "-0".
        for (String bad : List.of("abc", " 1", "1 ", "1.0", "+1", "0x10", "", "9223372036854775808", "01", "-0")) {
            jedis.set("bad", bad);
            assertError(() -> jedis.incr("bad"), "ERR value is not an integer or out of range");
            assertError(() -> jedis.decrBy("bad", 1), "ERR value is not an integer or out of range");
            assertThat(jedis.get("bad")).isEqualTo(bad);
        }
        assertError(() -> jedis.sendCommand(Protocol.Command.INCRBY, "n2", "1.5"), "ERR value is not an integer or out of range");
        assertThat(jedis.exists("n2")).isFalse();

        jedis.set("t", "10", SetParams.setParams().px(9_999));
        assertThat(jedis.incr("t")).isEqualTo(11);
        assertThat(jedis.pttl("t")).as("INCR keeps the TTL").isEqualTo(9_999);
    }

    /** The value INCRBYFLOAT stores, as GET reads it back. */
    String incrByFloat(String start, String by) {
        jedis.set("f", start);
        Object reply = jedis.sendCommand(Protocol.Command.INCRBYFLOAT, "f", by);
        String got = jedis.get("f");
        assertThat(new String((byte[]) reply, StandardCharsets.UTF_8)).as("reply and stored value").isEqualTo(got);
        return got;
    }

    @Test
    void incrByFloatKeepsRedisStringForms() {
        // Expected strings are what redis-server 7.0.15 stores: long double arithmetic, %.17Lg, trailing zeros cut.
        assertThat(incrByFloat("10.5", "0.1")).isEqualTo("10.6");
        assertThat(incrByFloat("10.6", "5.0e3")).isEqualTo("5010.60000000000000009");
        assertThat(incrByFloat("5.0e3", "0")).isEqualTo("5000");
        assertThat(incrByFloat("3", "1.5e1")).isEqualTo("18");
        assertThat(incrByFloat("1.1", "2.2")).isEqualTo("3.3");
        assertThat(incrByFloat("0.1", "0.2")).isEqualTo("0.3");
        assertThat(incrByFloat("10.5", "-10.5")).isEqualTo("0");
        assertThat(incrByFloat("0", "1.0e-5")).isEqualTo("0.00001");
        assertThat(incrByFloat("-0.5", "0.25")).isEqualTo("-0.25");
        assertThat(incrByFloat("2.5", "0.5")).isEqualTo("3");
        assertThat(incrByFloat("9007199254740993", "1")).as("beyond double's 53 bits").isEqualTo("9007199254740994");
        assertThat(incrByFloat("123456789012345678", "1")).isEqualTo("123456789012345679");
        assertThat(incrByFloat("1", "1e-20")).isEqualTo("1");
        assertThat(incrByFloat("0", "-0.0")).isEqualTo("0");

        // Jedis's own double API: the increment goes out in Java's form, the reply comes back parsed.
        jedis.del("g");
        assertThat(jedis.incrByFloat("g", 10.5)).isEqualTo(10.5);
        assertThat(jedis.incrByFloat("g", 1.0E-5)).isEqualTo(10.50001);
        assertThat(jedis.get("g")).isEqualTo("10.50001");
        assertThat(jedis.incrByFloat("g", -10.50001)).isEqualTo(0.0);
        assertThat(jedis.get("g")).isEqualTo("0");

        jedis.set("t", "1.5", SetParams.setParams().px(7_777));
        assertThat(jedis.incrByFloat("t", 1)).isEqualTo(2.5);
        assertThat(jedis.pttl("t")).as("INCRBYFLOAT keeps the TTL").isEqualTo(7_777);

        jedis.set("s", "abc");
        assertError(() -> jedis.incrByFloat("s", 1), "ERR value is not a valid float");
        jedis.set("s", " 1");
        assertError(() -> jedis.incrByFloat("s", 1), "ERR value is not a valid float");
        assertError(() -> jedis.sendCommand(Protocol.Command.INCRBYFLOAT, "t", "abc"), "ERR value is not a valid float");
        assertError(() -> jedis.sendCommand(Protocol.Command.INCRBYFLOAT, "t", "nan"), "ERR value is not a valid float");
        assertError(() -> jedis.sendCommand(Protocol.Command.INCRBYFLOAT, "t", "inf"),
                "ERR increment would produce NaN or Infinity");
        assertError(() -> jedis.incrByFloat("t", Double.POSITIVE_INFINITY), "ERR increment would produce NaN or Infinity");
        assertThat(jedis.get("t")).isEqualTo("2.5");
    }

    // ------------------------------------------------------------ binary safety

    @Test
    void binarySafeValues() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) all[i] = (byte) i;
        byte[] k = {'b', 0, (byte) 0xff, '\r', '\n'};
        assertThat(jedis.set(k, all)).isEqualTo("OK");
        assertThat(jedis.get(k)).isEqualTo(all);
        assertThat(jedis.strlen(k)).isEqualTo(256);
        assertThat(jedis.getrange(k, 13, 13)).isEqualTo(new byte[] {13});
        assertThat(jedis.getrange(k, -3, -1)).isEqualTo(new byte[] {(byte) 253, (byte) 254, (byte) 255});
        assertThat(jedis.append(k, new byte[] {0, '\r', '\n'})).isEqualTo(259);
        assertThat(jedis.getrange(k, 255, -1)).isEqualTo(new byte[] {(byte) 255, 0, '\r', '\n'});
        assertThat(jedis.setrange(k, 0, new byte[] {(byte) 0x80, 0})).isEqualTo(259);
        byte[] expected = Arrays.copyOf(all, 259);
        expected[0] = (byte) 0x80;
        expected[1] = 0;
        expected[256] = 0;
        expected[257] = '\r';
        expected[258] = '\n';
        assertThat(jedis.get(k)).isEqualTo(expected);

        // Each byte value alone, through MSET and MGET.
        List<byte[]> kv = new ArrayList<>();
        byte[][] keys = new byte[256][];
        for (int i = 0; i < 256; i++) {
            keys[i] = new byte[] {'v', (byte) i};
            kv.add(keys[i]);
            kv.add(new byte[] {(byte) i});
        }
        assertThat(jedis.mset(kv.toArray(new byte[0][]))).isEqualTo("OK");
        List<byte[]> got = jedis.mget(keys);
        for (int i = 0; i < 256; i++) assertThat(got.get(i)).as("byte %d", i).isEqualTo(new byte[] {(byte) i});

        // The empty value is a value: the key exists with length 0.
        byte[] e = {'e'};
        assertThat(jedis.set(e, new byte[0])).isEqualTo("OK");
        assertThat(jedis.get(e)).isEmpty();
        assertThat(jedis.exists(e)).isTrue();
        assertThat(jedis.strlen(e)).isZero();
        assertThat(jedis.getrange(e, 0, -1)).isEmpty();
        assertThat(jedis.append(e, new byte[0])).isZero();
        assertThat(jedis.getDel(e)).isEmpty();
        assertThat(jedis.exists(e)).isFalse();
        assertThat(jedis.set(new byte[0], new byte[] {1})).as("the empty key").isEqualTo("OK");
        assertThat(jedis.get(new byte[0])).isEqualTo(new byte[] {1});
    }

    // ------------------------------------------------------------ LCS

    static void assertMatch(MatchedPosition m, long aStart, long aEnd, long bStart, long bEnd) {
        assertThat(new long[] {m.getA().getStart(), m.getA().getEnd(), m.getB().getStart(), m.getB().getEnd()})
                .containsExactly(aStart, aEnd, bStart, bEnd);
    }

    @Test
    void lcsWithItsOptions() {
        jedis.mset("key1", "ohmytext", "key2", "mynewtext");
        LCSMatchResult plain = jedis.lcs("key1", "key2", new LCSParams());
        assertThat(plain.getMatchString()).isEqualTo("mytext");

        LCSMatchResult len = jedis.lcs("key1", "key2", new LCSParams().len());
        assertThat(len.getLen()).isEqualTo(6);
        assertThat(len.getMatchString()).isNull();

        LCSMatchResult idx = jedis.lcs("key1", "key2", new LCSParams().idx());
        assertThat(idx.getLen()).isEqualTo(6);
        assertThat(idx.getMatches()).hasSize(2);
        assertMatch(idx.getMatches().get(0), 4, 7, 5, 8);
        assertMatch(idx.getMatches().get(1), 2, 3, 0, 1);

        LCSMatchResult min = jedis.lcs("key1", "key2", new LCSParams().idx().minMatchLen(4));
        assertThat(min.getLen()).isEqualTo(6);
        assertThat(min.getMatches()).hasSize(1);
        assertMatch(min.getMatches().get(0), 4, 7, 5, 8);

        LCSMatchResult withLen = jedis.lcs("key1", "key2", new LCSParams().idx().withMatchLen());
        assertThat(withLen.getMatches()).extracting(MatchedPosition::getMatchLen).containsExactly(4L, 2L);
        assertMatch(withLen.getMatches().get(1), 2, 3, 0, 1);

        LCSMatchResult both = jedis.lcs("key1", "key2", new LCSParams().idx().minMatchLen(3).withMatchLen());
        assertThat(both.getMatches()).extracting(MatchedPosition::getMatchLen).containsExactly(4L);

        assertThat(jedis.lcs("key1", "missing", new LCSParams()).getMatchString()).isEmpty();
        assertThat(jedis.lcs("key1", "missing", new LCSParams().len()).getLen()).isZero();
        LCSMatchResult none = jedis.lcs("key1", "missing", new LCSParams().idx());
        assertThat(none.getMatches()).isEmpty();
        assertThat(none.getLen()).isZero();

        assertError(() -> jedis.lcs("key1", "key2", new LCSParams().len().idx()),
                "ERR If you want both the length and indexes, please just use IDX.");
        assertThat(jedis.lcs("key1", "key2", new LCSParams().minMatchLen(-1)).getMatchString())
                .as("a negative MINMATCHLEN counts as 0").isEqualTo("mytext");

        // Binary strings: the match string comes back byte for byte.
        jedis.set("b1".getBytes(), new byte[] {0, 1, (byte) 0xff, 2, 3});
        jedis.set("b2".getBytes(), new byte[] {(byte) 0xff, 9, 0, 2, 3});
        LCSMatchResult bin = jedis.lcs("b1".getBytes(), "b2".getBytes(), new LCSParams().len());
        assertThat(bin.getLen()).isEqualTo(3);
    }

    // ------------------------------------------------------------ bitmaps

    @Test
    void setbitAndGetbit() {
        assertThat(jedis.setbit("b", 7, true)).isFalse();
        assertThat(jedis.get("b".getBytes())).isEqualTo(new byte[] {1});
        assertThat(jedis.setbit("b", 7, true)).isTrue();
        assertThat(jedis.setbit("b", 0, true)).isFalse();
        assertThat(jedis.get("b".getBytes())).isEqualTo(new byte[] {(byte) 0x81});
        assertThat(jedis.getbit("b", 0)).isTrue();
        assertThat(jedis.getbit("b", 1)).isFalse();
        assertThat(jedis.getbit("b", 100_000)).isFalse();
        assertThat(jedis.getbit("missing", 0)).isFalse();
        assertThat(jedis.setbit("b", 23, true)).isFalse();
        assertThat(jedis.get("b".getBytes())).isEqualTo(new byte[] {(byte) 0x81, 0, 1});
        assertThat(jedis.setbit("b", 7, false)).isTrue();
        assertThat(jedis.strlen("b")).isEqualTo(3);
        assertThat(jedis.setbit("b", 8_007, false)).as("clearing a bit past the end still grows the string").isFalse();
        assertThat(jedis.strlen("b")).isEqualTo(1_001);
        assertThat(jedis.del("b")).isEqualTo(1);

        assertError(() -> jedis.setbit("b", 4_294_967_296L, true), "ERR bit offset is not an integer or out of range");
        assertError(() -> jedis.setbit("b", -1, true), "ERR bit offset is not an integer or out of range");
        assertError(() -> jedis.getbit("b", -1), "ERR bit offset is not an integer or out of range");
        assertError(() -> jedis.sendCommand(Protocol.Command.SETBIT, "b", "0", "2"), "ERR bit is not an integer or out of range");
        assertThat(jedis.exists("b")).isFalse();
    }

    @Test
    void bitcountWithByteAndBitRanges() {
        jedis.set("foobar", "foobar");
        assertThat(jedis.bitcount("foobar")).isEqualTo(26);
        assertThat(jedis.bitcount("foobar", 0, 0)).isEqualTo(4);
        assertThat(jedis.bitcount("foobar", 1, 1)).isEqualTo(6);
        assertThat(jedis.bitcount("foobar", 1, 1, BitCountOption.BYTE)).isEqualTo(6);
        assertThat(jedis.bitcount("foobar", 5, 30, BitCountOption.BIT)).isEqualTo(17);
        assertThat(jedis.bitcount("foobar", -2, -1, BitCountOption.BIT)).isEqualTo(1);
        assertThat(jedis.bitcount("foobar", -100, 100)).isEqualTo(26);
        assertThat(jedis.bitcount("foobar", 3, 2)).isZero();
        assertThat(jedis.bitcount("missing")).isZero();
        assertThat(jedis.bitcount("missing", 0, -1, BitCountOption.BIT)).isZero();
        assertError(() -> jedis.sendCommand(Protocol.Command.BITCOUNT, "foobar", "0", "1", "WORD"), "ERR syntax error");
        assertError(() -> jedis.sendCommand(Protocol.Command.BITCOUNT, "foobar", "a", "1"),
                "ERR value is not an integer or out of range");
    }

    @Test
    void bitposWithParams() {
        jedis.set("m".getBytes(), new byte[] {(byte) 0xff, (byte) 0xf0, 0});
        assertThat(jedis.bitpos("m", false)).isEqualTo(12);
        assertThat(jedis.bitpos("m", true)).isZero();
        assertThat(jedis.bitpos("m", true, new BitPosParams(2))).isEqualTo(-1);
        assertThat(jedis.bitpos("m", false, new BitPosParams(0, 1))).isEqualTo(12);
        assertThat(jedis.bitpos("m", true, new BitPosParams(7, 15).modifier(BitCountOption.BIT))).isEqualTo(7);
        assertThat(jedis.bitpos("m", false, new BitPosParams(7, 15).modifier(BitCountOption.BIT))).isEqualTo(12);
        assertThat(jedis.bitpos("m", true, new BitPosParams(1, -1).modifier(BitCountOption.BYTE))).isEqualTo(8);

        jedis.set("ones".getBytes(), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        assertThat(jedis.bitpos("ones", false)).as("past the end: the string is zero-padded").isEqualTo(24);
        assertThat(jedis.bitpos("ones", false, new BitPosParams(0, -1))).as("with an end: not found").isEqualTo(-1);
        jedis.set("zeros".getBytes(), new byte[] {0, 0, 0});
        assertThat(jedis.bitpos("zeros", true)).isEqualTo(-1);
        assertThat(jedis.bitpos("missing", false)).isZero();
        assertThat(jedis.bitpos("missing", true)).isEqualTo(-1);
        assertError(() -> jedis.sendCommand(Protocol.Command.BITPOS, "m", "2"), "ERR The bit argument must be 1 or 0.");
    }

    @Test
    void bitopAndOrXorNot() {
        jedis.set("a".getBytes(), new byte[] {(byte) 0xf0, 0x0f, (byte) 0xaa});
        jedis.set("b".getBytes(), new byte[] {(byte) 0xff, 0x01});
        assertThat(jedis.bitop(BitOP.AND, "and", "a", "b")).isEqualTo(3);
        assertThat(jedis.get("and".getBytes())).isEqualTo(new byte[] {(byte) 0xf0, 0x01, 0});
        assertThat(jedis.bitop(BitOP.OR, "or", "a", "b")).isEqualTo(3);
        assertThat(jedis.get("or".getBytes())).isEqualTo(new byte[] {(byte) 0xff, 0x0f, (byte) 0xaa});
        assertThat(jedis.bitop(BitOP.XOR, "xor", "a", "b", "missing")).isEqualTo(3);
        assertThat(jedis.get("xor".getBytes())).isEqualTo(new byte[] {0x0f, 0x0e, (byte) 0xaa});
        assertThat(jedis.bitop(BitOP.NOT, "not", "a")).isEqualTo(3);
        assertThat(jedis.get("not".getBytes())).isEqualTo(new byte[] {0x0f, (byte) 0xf0, 0x55});
        assertThat(jedis.bitop(BitOP.AND, "a", "a")).as("the destination may be a source").isEqualTo(3);

        jedis.set("dest", "old", SetParams.setParams().ex(100));
        assertThat(jedis.bitop(BitOP.OR, "dest", "missing1", "missing2")).as("empty result deletes").isZero();
        assertThat(jedis.exists("dest")).isFalse();
        jedis.set("dest", "old", SetParams.setParams().ex(100));
        assertThat(jedis.bitop(BitOP.OR, "dest", "b")).isEqualTo(2);
        assertThat(jedis.ttl("dest")).as("the destination is replaced, TTL and all").isEqualTo(-1);

        assertError(() -> jedis.bitop(BitOP.NOT, "not", "a", "b"), "ERR BITOP NOT must be called with a single source key.");
        // Redis 8's operators do not exist in 7.2.
        assertError(() -> jedis.bitop(BitOP.DIFF, "d", "a", "b"), "ERR syntax error");
        assertError(() -> jedis.bitop(BitOP.ONE, "d", "a", "b"), "ERR syntax error");
        assertThat(jedis.exists("d")).isFalse();
    }

    @Test
    void bitfieldAndBitfieldRo() {
        assertThat(jedis.bitfield("bf", "SET", "u8", "0", "255", "GET", "u8", "0", "INCRBY", "u8", "0", "10"))
                .containsExactly(0L, 255L, 9L);
        assertThat(jedis.bitfield("bf", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "300", "OVERFLOW", "FAIL", "INCRBY", "u8",
                "0", "1", "GET", "i8", "0")).containsExactly(255L, null, -1L);
        assertThat(jedis.bitfield("bf", "SET", "i8", "#1", "-128", "GET", "i8", "8", "GET", "u16", "0"))
                .containsExactly(0L, -128L, 65408L);
        assertThat(jedis.bitfield("bf", "OVERFLOW", "WRAP", "INCRBY", "i8", "#1", "-1")).containsExactly(127L);
        assertThat(jedis.bitfield("bf", "SET", "i64", "16", String.valueOf(Long.MIN_VALUE), "GET", "i64", "16"))
                .containsExactly(0L, Long.MIN_VALUE);
        assertThat(jedis.bitfield("bf", "GET", "u63", "16")).containsExactly(1L << 62);
        assertThat(jedis.bitfieldReadonly("bf", "GET", "u8", "0", "GET", "i4", "4", "GET", "u8", "1000"))
                .containsExactly(255L, -1L, 0L);
        assertThat(jedis.bitfieldReadonly("missing", "GET", "u8", "0")).containsExactly(0L);
        assertThat(jedis.exists("missing")).isFalse();
        assertThat(jedis.bitfield("bf2")).as("no subcommand: an empty reply").isEmpty();

        assertError(() -> jedis.bitfield("bf", "SET", "u64", "0", "1"),
                "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
        assertError(() -> jedis.bitfield("bf", "GET", "u8", "-1"), "ERR bit offset is not an integer or out of range");
        assertError(() -> jedis.bitfield("bf", "OVERFLOW", "MAYBE"), "ERR Invalid OVERFLOW type specified");
        assertError(() -> jedis.bitfield("bf", "FROB"), "ERR syntax error");
        assertError(() -> jedis.bitfieldReadonly("bf", "SET", "u8", "0", "1"),
                "ERR BITFIELD_RO only supports the GET subcommand");
        assertError(() -> jedis.bitfield("bf", "INCRBY", "u8", "0", "x"), "ERR value is not an integer or out of range");
        assertThat(jedis.bitfieldReadonly("bf", "GET", "u8", "0")).as("failed calls wrote nothing").containsExactly(255L);
    }
}
