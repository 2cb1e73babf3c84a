package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.ManualClock;
import io.jackdaw.testing.TestServer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The generic-key family through Jedis 6 (RESP2): what an application sees for DEL, EXISTS,
 * RENAME, KEYS, the expiry commands, SCAN, COPY, MOVE, SWAPDB, OBJECT and SELECT. The server
 * reads a clock the test moves, so TTLs, expiry and idle times are checked exactly.
 */
class KeyspaceJedisTest {
    static final long START_MS = 1_700_000_000_000L;
    static final ManualClock clock = new ManualClock(START_MS);
    static TestServer server;
    Jedis jedis;

    @BeforeAll
    static void start() { server = TestServer.start(clock); }

    @AfterAll
    static void stop() { if (server != null) server.close(); }

    static Jedis connectTo(int db) {
        return Clients.jedis(server.port(), db);
    }

    @BeforeEach
    void connect() {
        jedis = connectTo(0);
        jedis.flushAll();
    }

    @AfterEach
    void close() { if (jedis != null) jedis.close(); }

    static long now() { return clock.millis(); }

    // ------------------------------------------------------------ DEL, EXISTS, TYPE, RENAME, TOUCH

    @Test
    void delUnlinkAndExistsCountRepeatedKeys() {
        assertThat(jedis.mset("a", "1", "b", "2", "c", "3", "d", "4")).isEqualTo("OK");
        assertThat(jedis.exists("a", "a", "b", "zz", "a")).as("EXISTS counts a key once per mention").isEqualTo(4);
        assertThat(jedis.exists("zz")).isFalse();
        assertThat(jedis.exists("a")).isTrue();
        assertThat(jedis.del("a", "a", "zz")).as("DEL counts keys it removed, not mentions").isEqualTo(1);
        assertThat(jedis.del("a")).isZero();
        assertThat(jedis.unlink("b", "c", "b", "zz")).isEqualTo(2);
        assertThat(jedis.unlink("b")).isZero();
        assertThat(jedis.exists("a", "b", "c", "d")).isEqualTo(1);
        assertThat(jedis.del(new byte[][] {{'d'}})).isEqualTo(1);
        assertThat(jedis.dbSize()).isZero();
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.DEL))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR wrong number of arguments for 'del' command");
    }

    @Test
    void typeRenameAndRenamenx() {
        jedis.set("src", "v1");
        jedis.set("dst", "old", SetParams.setParams().pxAt(now() + 60_000));
        assertThat(jedis.type("src")).isEqualTo("string");
        assertThat(jedis.type("nothing")).isEqualTo("none");

        // RENAME over a volatile destination: the destination takes the source's (absent) TTL.
        assertThat(jedis.rename("src", "dst")).isEqualTo("OK");
        assertThat(jedis.get("dst")).isEqualTo("v1");
        assertThat(jedis.exists("src")).isFalse();
        assertThat(jedis.pttl("dst")).isEqualTo(-1);

        // A volatile source keeps its exact expiry time under the new name.
        long at = now() + 123_456;
        jedis.set("vol", "x", SetParams.setParams().pxAt(at));
        assertThat(jedis.rename("vol", "vol2")).isEqualTo("OK");
        assertThat(jedis.pexpireTime("vol2")).isEqualTo(at);
        assertThat(jedis.pttl("vol2")).isEqualTo(123_456);

        assertThat(jedis.rename("dst", "dst")).as("renaming a key onto itself").isEqualTo("OK");
        assertThat(jedis.get("dst")).isEqualTo("v1");
        assertThatThrownBy(() -> jedis.rename("missing", "x"))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR no such key");

        assertThat(jedis.renamenx("dst", "vol2")).isZero();
        assertThat(jedis.get("vol2")).isEqualTo("x");
        assertThat(jedis.renamenx("dst", "fresh")).isEqualTo(1);
        assertThat(jedis.get("fresh")).isEqualTo("v1");
        assertThat(jedis.renamenx("fresh", "fresh")).as("RENAMENX onto itself: the destination exists").isZero();
        assertThatThrownBy(() -> jedis.renamenx("missing", "x"))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR no such key");
        assertThat(jedis.keys("*")).containsExactlyInAnyOrder("vol2", "fresh");
    }

    @Test
    void touchCountsEveryExistingMention() {
        jedis.mset("a", "1", "b", "2");
        assertThat(jedis.touch("a", "missing", "a")).isEqualTo(2);
        assertThat(jedis.touch("a", "b")).isEqualTo(2);
        assertThat(jedis.touch("missing")).isZero();
    }

    // ------------------------------------------------------------ KEYS, RANDOMKEY, DBSIZE

    @Test
    void keysMatchesGlobClassesAndEscapes() {
        for (String k : List.of("hello", "hallo", "hxllo", "hllo", "heeeello", "a*b", "a?b", "a[b", "a\\b", "axb", "a]b",
                "a-b", "Hello")) {
            jedis.set(k, "1");
        }
        Map<String, Set<String>> expected = new java.util.LinkedHashMap<>();
        expected.put("*", Set.of("hello", "hallo", "hxllo", "hllo", "heeeello", "a*b", "a?b", "a[b", "a\\b", "axb",
                "a]b", "a-b", "Hello"));
        expected.put("h?llo", Set.of("hello", "hallo", "hxllo"));
        expected.put("h*llo", Set.of("hello", "hallo", "hxllo", "hllo", "heeeello"));
        expected.put("h[ae]llo", Set.of("hello", "hallo"));
        expected.put("h[^e]llo", Set.of("hallo", "hxllo"));
        expected.put("h[a-b]llo", Set.of("hallo"));
        expected.put("h[b-a]llo", Set.of("hallo")); // a reversed range is swapped
        expected.put("[hH]ello", Set.of("hello", "Hello"));
        expected.put("H*", Set.of("Hello")); // matching is case-sensitive
        expected.put("a\\*b", Set.of("a*b"));
        expected.put("a\\?b", Set.of("a?b"));
        expected.put("a\\[b", Set.of("a[b"));
        expected.put("a\\\\b", Set.of("a\\b"));
        expected.put("a[*?]b", Set.of("a*b", "a?b"));
        expected.put("a[\\]]b", Set.of("a]b"));
        expected.put("a[-]b", Set.of("a-b"));
        expected.put("a?b", Set.of("a*b", "a?b", "a[b", "a\\b", "axb", "a]b", "a-b"));
        expected.put("nothing*", Set.of());
        expected.put("hello", Set.of("hello"));
        for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
            assertThat(jedis.keys(e.getKey())).as("KEYS %s", e.getKey()).containsExactlyInAnyOrderElementsOf(e.getValue());
        }
        // Binary keys and patterns.
        byte[] bin = {0, (byte) 0xff, '*', 7};
        jedis.set(bin, new byte[] {1});
        Set<byte[]> got = jedis.keys(new byte[] {0, (byte) 0xff, '\\', '*', '?'});
        assertThat(got).hasSize(1);
        assertThat(got.iterator().next()).isEqualTo(bin);
    }

    @Test
    void randomKeyAndDbsize() {
        assertThat(jedis.randomKey()).isNull();
        assertThat(jedis.dbSize()).isZero();
        jedis.set("only", "1");
        assertThat(jedis.randomKey()).isEqualTo("only");
        Set<String> all = new HashSet<>();
        Pipeline p = jedis.pipelined();
        for (int i = 0; i < 500; i++) {
            p.set("k" + i, "v");
            all.add("k" + i);
        }
        p.sync();
        all.add("only");
        assertThat(jedis.dbSize()).isEqualTo(501);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) seen.add(jedis.randomKey());
        assertThat(all).containsAll(seen);
        assertThat(seen).as("200 draws from 501 keys are not all one key").hasSizeGreaterThan(1);
        // An expired key is never returned: advance past the TTL of every key but one.
        jedis.flushAll();
        for (int i = 0; i < 50; i++) jedis.set("t" + i, "v", SetParams.setParams().px(1_000));
        jedis.set("stays", "v");
        clock.advance(1_001);
        for (int i = 0; i < 20; i++) assertThat(jedis.randomKey()).isEqualTo("stays");
        String[] expired = new String[50];
        for (int i = 0; i < 50; i++) expired[i] = "t" + i;
        assertThat(jedis.exists(expired)).isZero();
        assertThat(jedis.dbSize()).as("once looked up, expired keys are gone from DBSIZE too").isEqualTo(1);
    }

    // ------------------------------------------------------------ expiry

    @Test
    void expireWithNxXxGtLt() {
        jedis.set("k", "v");
        assertThat(jedis.ttl("k")).isEqualTo(-1);
        assertThat(jedis.expire("k", 100, ExpiryOption.XX)).as("XX needs an existing TTL").isZero();
        assertThat(jedis.expire("k", 100, ExpiryOption.GT)).as("no TTL counts as infinite for GT").isZero();
        assertThat(jedis.expire("k", 100, ExpiryOption.LT)).as("no TTL counts as infinite for LT").isEqualTo(1);
        assertThat(jedis.ttl("k")).isEqualTo(100);
        assertThat(jedis.expire("k", 50, ExpiryOption.NX)).isZero();
        assertThat(jedis.ttl("k")).isEqualTo(100);
        assertThat(jedis.expire("k", 200, ExpiryOption.GT)).isEqualTo(1);
        assertThat(jedis.ttl("k")).isEqualTo(200);
        assertThat(jedis.expire("k", 150, ExpiryOption.GT)).isZero();
        assertThat(jedis.expire("k", 300, ExpiryOption.LT)).isZero();
        assertThat(jedis.expire("k", 150, ExpiryOption.LT)).isEqualTo(1);
        assertThat(jedis.ttl("k")).isEqualTo(150);
        assertThat(jedis.pexpire("k", 100_500, ExpiryOption.XX)).isEqualTo(1);
        assertThat(jedis.pttl("k")).isEqualTo(100_500);
        assertThat(jedis.ttl("k")).as("TTL rounds to the nearest second").isEqualTo(101);
        assertThat(jedis.pexpire("k", 100_499, ExpiryOption.GT)).isZero();
        assertThat(jedis.pexpire("k", 100_501, ExpiryOption.GT)).isEqualTo(1);
        long when = now() + 100_501;
        assertThat(jedis.pexpireTime("k")).isEqualTo(when);
        assertThat(jedis.expireTime("k")).as("EXPIRETIME rounds to the nearest second").isEqualTo((when + 500) / 1000);

        long at = now() / 1000 + 5_000;
        assertThat(jedis.expireAt("k", at, ExpiryOption.LT)).isZero();
        assertThat(jedis.expireAt("k", at, ExpiryOption.GT)).isEqualTo(1);
        assertThat(jedis.expireTime("k")).isEqualTo(at);
        assertThat(jedis.pexpireTime("k")).isEqualTo(at * 1000);
        long pat = now() + 7_000_123;
        assertThat(jedis.pexpireAt("k", pat, ExpiryOption.NX)).isZero();
        assertThat(jedis.pexpireAt("k", pat, ExpiryOption.XX)).isEqualTo(1);
        assertThat(jedis.pexpireTime("k")).isEqualTo(pat);
        assertThat(jedis.expireTime("k")).isEqualTo((pat + 500) / 1000);
        assertThat(jedis.pttl("k")).isEqualTo(7_000_123);

        assertThat(jedis.persist("k")).isEqualTo(1);
        assertThat(jedis.persist("k")).isZero();
        assertThat(jedis.persist("missing")).isZero();
        assertThat(jedis.ttl("k")).isEqualTo(-1);
        assertThat(jedis.pttl("k")).isEqualTo(-1);
        assertThat(jedis.expireTime("k")).isEqualTo(-1);
        assertThat(jedis.pexpireTime("k")).isEqualTo(-1);
        assertThat(jedis.ttl("missing")).isEqualTo(-2);
        assertThat(jedis.pttl("missing")).isEqualTo(-2);
        assertThat(jedis.expireTime("missing")).isEqualTo(-2);
        assertThat(jedis.pexpireTime("missing")).isEqualTo(-2);
        assertThat(jedis.expire("missing", 10)).isZero();
        assertThat(jedis.expire("missing", 10, ExpiryOption.NX)).isZero();
        assertThat(jedis.pexpireAt("missing", now() + 10)).isZero();
    }

    @Test
    void expiryOptionConflictsAndBadTimesSurfaceAsErrors() {
        jedis.set("k", "v");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.EXPIRE, "k", "100", "NX", "XX"))
                .isInstanceOf(JedisDataException.class)
                .hasMessage("ERR NX and XX, GT or LT options at the same time are not compatible");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.PEXPIRE, "k", "100", "GT", "LT"))
                .isInstanceOf(JedisDataException.class)
                .hasMessage("ERR GT and LT options at the same time are not compatible");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.EXPIRE, "k", "100", "BOGUS"))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR Unsupported option BOGUS");
        assertThatThrownBy(() -> jedis.expire("k", Long.MAX_VALUE))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR invalid expire time in 'expire' command");
        assertThatThrownBy(() -> jedis.pexpire("k", Long.MAX_VALUE))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR invalid expire time in 'pexpire' command");
        assertThatThrownBy(() -> jedis.expireAt("k", Long.MAX_VALUE))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR invalid expire time in 'expireat' command");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.EXPIRE, "k", "ten"))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR value is not an integer or out of range");
        assertThat(jedis.ttl("k")).as("failed calls leave the key alone").isEqualTo(-1);
    }

    @Test
    void keysExpireOnTheServerClock() {
        long at = now() + 1_000;
        jedis.set("k", "v", SetParams.setParams().pxAt(at));
        jedis.set("other", "v");
        clock.advance(999);
        assertThat(jedis.pttl("k")).isEqualTo(1);
        clock.advance(1);
        // A key expires only once the clock passes its time, as Redis's keyIsExpired (now > when).
        assertThat(jedis.pttl("k")).isZero();
        assertThat(jedis.ttl("k")).isZero();
        assertThat(jedis.keys("*")).containsExactlyInAnyOrder("k", "other");
        assertThat(new HashSet<>(scanAll(jedis, new ScanParams(), null))).containsExactlyInAnyOrder("k", "other");
        assertThat(jedis.exists("k")).isTrue();
        assertThat(jedis.get("k")).isEqualTo("v");
        clock.advance(1);
        assertThat(jedis.keys("*")).containsExactly("other");
        assertThat(jedis.pttl("k")).isEqualTo(-2);
        assertThat(jedis.get("k")).isNull();
        assertThat(jedis.exists("k")).isFalse();
        assertThat(jedis.dbSize()).isEqualTo(1);

        // A non-positive relative time, or an absolute one in the past, deletes the key at once.
        jedis.mset("a", "1", "b", "2", "c", "3", "d", "4");
        assertThat(jedis.expire("a", -1)).isEqualTo(1);
        assertThat(jedis.pexpire("b", 0)).isEqualTo(1);
        assertThat(jedis.expireAt("c", now() / 1000 - 10)).isEqualTo(1);
        assertThat(jedis.pexpireAt("d", now())).as("PEXPIREAT now is already past for Redis").isEqualTo(1);
        assertThat(jedis.exists("a", "b", "c", "d")).isZero();
        assertThat(jedis.dbSize()).isEqualTo(1);

        // Overwriting with SET clears a TTL; KEEPTTL keeps it.
        jedis.set("t", "v", SetParams.setParams().ex(100));
        jedis.set("t", "w");
        assertThat(jedis.ttl("t")).isEqualTo(-1);
        jedis.set("t", "v", SetParams.setParams().ex(100));
        jedis.set("t", "w", SetParams.setParams().keepTtl());
        assertThat(jedis.ttl("t")).isEqualTo(100);
    }

    // ------------------------------------------------------------ SCAN

    /** Every key of one complete SCAN walk, in the order returned (a key may repeat). */
    static List<String> scanAll(Jedis j, ScanParams params, String type) {
        List<String> keys = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        for (int calls = 0; calls < 1_000_000; calls++) {
            ScanResult<String> r = type == null ? j.scan(cursor, params) : j.scan(cursor, params, type);
            keys.addAll(r.getResult());
            cursor = r.getCursor();
            if (r.isCompleteIteration()) return keys;
        }
        throw new AssertionError("SCAN never returned cursor 0");
    }

    @Test
    void scanWalksReturnExactlyTheInsertedKeys() {
        Set<String> plain = new HashSet<>();
        Set<String> tagged = new HashSet<>();
        Pipeline p = jedis.pipelined();
        for (int i = 0; i < 2_000; i++) {
            p.set("key:" + i, "v");
            plain.add("key:" + i);
        }
        // Hash tags put many keys in one shard, so one table holds hundreds of them.
        for (int i = 0; i < 600; i++) {
            String k = "{tag" + (i % 3) + "}:" + i;
            p.set(k, "v");
            tagged.add(k);
        }
        p.sync();
        Set<String> all = new HashSet<>(plain);
        all.addAll(tagged);
        assertThat(jedis.dbSize()).isEqualTo(2_600);

        for (int count : new int[] {1, 7, 10, 100, 5_000}) {
            List<String> walk = scanAll(jedis, new ScanParams().count(count), null);
            assertThat(new HashSet<>(walk)).as("COUNT %d", count).isEqualTo(all);
            assertThat(walk).as("no table changed during the walk, so no key repeats (COUNT %d)", count)
                    .hasSize(all.size());
        }
        assertThat(new HashSet<>(scanAll(jedis, new ScanParams(), null))).isEqualTo(all);
        assertThat(new HashSet<>(scanAll(jedis, new ScanParams().match("{tag1}:*").count(20), null)))
                .isEqualTo(filter(tagged, "{tag1}:"));
        Set<String> oneHundreds = new HashSet<>();
        for (int i = 100; i < 200; i++) oneHundreds.add("key:" + i);
        assertThat(new HashSet<>(scanAll(jedis, new ScanParams().match("key:1??").count(50), null))).isEqualTo(oneHundreds);
        assertThat(scanAll(jedis, new ScanParams().match("nothing*"), null)).isEmpty();
        assertThat(new HashSet<>(scanAll(jedis, new ScanParams().count(500), "string"))).isEqualTo(all);
        assertThat(new HashSet<>(scanAll(jedis, new ScanParams().count(500), "STRING"))).isEqualTo(all);
        assertThat(scanAll(jedis, new ScanParams().count(500), "list")).isEmpty();
        assertThat(scanAll(jedis, new ScanParams().count(500).match("key:*"), "hash")).isEmpty();

        // Keys past their time are never returned, whether or not they were reclaimed yet.
        for (int i = 0; i < 300; i++) jedis.set("short:" + i, "v", SetParams.setParams().pxAt(now() + 500));
        assertThat(scanAll(jedis, new ScanParams().match("short:*").count(100), null)).hasSize(300);
        clock.advance(501);
        assertThat(new HashSet<>(scanAll(jedis, new ScanParams().count(50), null))).isEqualTo(all);

        // Another database is a separate keyspace.
        jedis.select(5);
        assertThat(scanAll(jedis, new ScanParams().count(100), null)).isEmpty();
    }

    static Set<String> filter(Set<String> keys, String prefix) {
        Set<String> out = new HashSet<>();
        for (String k : keys) if (k.startsWith(prefix)) out.add(k);
        return out;
    }

    @Test
    void scanReturnsBinaryKeysIntact() {
        Set<ByteBuffer> all = new HashSet<>();
        for (int i = 0; i < 256; i++) {
            byte[] k = {(byte) i, 'k', (byte) (255 - i)};
            jedis.set(k, new byte[0]);
            all.add(ByteBuffer.wrap(k));
        }
        Set<ByteBuffer> seen = new HashSet<>();
        byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
        do {
            ScanResult<byte[]> r = jedis.scan(cursor, new ScanParams().count(16));
            for (byte[] k : r.getResult()) assertThat(seen.add(ByteBuffer.wrap(k))).isTrue();
            cursor = r.getCursorAsBytes();
        } while (!java.util.Arrays.equals(cursor, ScanParams.SCAN_POINTER_START_BINARY));
        assertThat(seen).isEqualTo(all);
        // MATCH on raw bytes: the key with a 0x00 first byte.
        ScanResult<byte[]> r;
        List<byte[]> matched = new ArrayList<>();
        cursor = ScanParams.SCAN_POINTER_START_BINARY;
        do {
            r = jedis.scan(cursor, new ScanParams().match(new byte[] {0, '*'}).count(1_000));
            matched.addAll(r.getResult());
            cursor = r.getCursorAsBytes();
        } while (!r.isCompleteIteration());
        assertThat(matched).hasSize(1);
        assertThat(matched.get(0)).isEqualTo(new byte[] {0, 'k', (byte) 255});
    }

    private static final Pattern CHURN = Pattern.compile("(\\{hot\\})?churn:(\\d+):(\\d+)");

    /**
     * SCAN's guarantee under concurrent writes: a key present for the whole walk is returned at
     * least once, and nothing that never existed is returned, while another connection keeps
     * growing and shrinking the tables (in every shard, and one shard far more through a hash tag).
     */
    @Test
    void scanWhileAnotherClientGrowsAndShrinksTheTables() throws Exception {
        Set<String> stable = new HashSet<>();
        Pipeline p = jedis.pipelined();
        for (int i = 0; i < 800; i++) stable.add("stable:" + i);
        for (int i = 0; i < 200; i++) stable.add("{hot}stable:" + i);
        for (String k : stable) p.set(k, "s");
        p.sync();
        assertThat(stable).hasSize(1_000);

        final int perRound = 6_000;
        AtomicInteger roundsStarted = new AtomicInteger();
        AtomicInteger roundsDone = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> churn = pool.submit(() -> {
            try (Jedis writer = connectTo(0)) {
                while (!stop.get()) {
                    int round = roundsStarted.incrementAndGet();
                    Pipeline wp = writer.pipelined();
                    // Half spread over all shards, half in the {hot} shard beside 200 stable keys.
                    for (int i = 0; i < perRound; i++) wp.set(churnKey(round, i), "c");
                    wp.sync();
                    wp = writer.pipelined();
                    for (int i = 0; i < perRound; i++) wp.del(churnKey(round, i));
                    wp.sync();
                    roundsDone.incrementAndGet();
                }
            }
            return null;
        });
        try {
            int walks = 0;
            int firstRound = roundsDone.get();
            // Walk again and again until the writer has finished at least 3 grow-and-shrink rounds during the walks.
            while (walks < 3 || roundsDone.get() < firstRound + 3) {
                assertThat(walks).as("the writer made no progress during 500 walks").isLessThan(500);
                List<String> walk = scanAll(jedis, new ScanParams().count(3), null);
                walks++;
                Set<String> missing = new TreeSet<>(stable);
                walk.forEach(missing::remove);
                assertThat(missing).as("stable keys missed by walk %d", walks).isEmpty();
                int maxRound = roundsStarted.get();
                for (String k : walk) {
                    if (stable.contains(k)) continue;
                    Matcher m = CHURN.matcher(k);
                    assertThat(m.matches()).as("walk %d returned %s, a key nobody wrote", walks, k).isTrue();
                    int round = Integer.parseInt(m.group(2));
                    int i = Integer.parseInt(m.group(3));
                    assertThat(round).isBetween(1, maxRound);
                    assertThat(i).isBetween(0, perRound - 1);
                    assertThat(m.group(1) != null).as("%s has the hash tag its index gives it", k).isEqualTo(i % 2 == 1);
                }
            }
        } finally {
            stop.set(true);
            pool.shutdown();
        }
        churn.get(60, TimeUnit.SECONDS);
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        // Every churn key was deleted again: the keyspace is back to exactly the stable keys.
        assertThat(new HashSet<>(scanAll(jedis, new ScanParams().count(100), null))).isEqualTo(stable);
        assertThat(jedis.dbSize()).isEqualTo(1_000);
    }

    static String churnKey(int round, int i) {
        return (i % 2 == 1 ? "{hot}" : "") + "churn:" + round + ":" + i;
    }

    // ------------------------------------------------------------ COPY, MOVE, SWAPDB

    @Test
    void copyWithinAndAcrossDatabases() {
        long at = now() + 86_400_000L;
        jedis.set("src", "hello", SetParams.setParams().pxAt(at));
        assertThat(jedis.copy("src", "dst", false)).isTrue();
        assertThat(jedis.get("dst")).isEqualTo("hello");
        assertThat(jedis.pexpireTime("dst")).as("COPY carries the expiry time").isEqualTo(at);
        jedis.set("src", "world");
        assertThat(jedis.copy("src", "dst", false)).isFalse();
        assertThat(jedis.get("dst")).isEqualTo("hello");
        assertThat(jedis.copy("src", "dst", true)).isTrue();
        assertThat(jedis.get("dst")).isEqualTo("world");
        assertThat(jedis.pttl("dst")).as("the replaced destination's TTL goes with it").isEqualTo(-1);
        assertThat(jedis.copy("missing", "dst", true)).isFalse();
        assertThat(jedis.get("dst")).isEqualTo("world");

        assertThat(jedis.copy("src", "src", 3, false)).isTrue();
        assertThat(jedis.copy("src", "src", 3, false)).isFalse();
        assertThat(jedis.copy("src", "other", 3, true)).isTrue();
        assertThatThrownBy(() -> jedis.copy("src", "src", false))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR source and destination objects are the same");
        assertThatThrownBy(() -> jedis.copy("src", "src", 0, true))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR source and destination objects are the same");
        assertThatThrownBy(() -> jedis.copy("src", "x", 16, false))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR DB index is out of range");
        jedis.select(3);
        assertThat(jedis.keys("*")).containsExactlyInAnyOrder("src", "other");
        assertThat(jedis.get("other")).isEqualTo("world");
        // The copy is independent of its source.
        jedis.select(0);
        jedis.set("n", "41");
        assertThat(jedis.copy("n", "n2", false)).isTrue();
        assertThat(jedis.incr("n2")).isEqualTo(42);
        assertThat(jedis.get("n")).isEqualTo("41");
        assertThat(jedis.append("src", "!")).isEqualTo(6);
        assertThat(jedis.get("dst")).isEqualTo("world");
    }

    @Test
    void moveBetweenDatabases() {
        long at = now() + 3_600_000;
        jedis.set("k", "v", SetParams.setParams().pxAt(at));
        assertThat(jedis.move("k", 1)).isEqualTo(1);
        assertThat(jedis.exists("k")).isFalse();
        assertThat(jedis.move("k", 1)).isZero();
        try (Jedis db1 = connectTo(1)) {
            assertThat(db1.get("k")).isEqualTo("v");
            assertThat(db1.pexpireTime("k")).as("MOVE keeps the expiry time").isEqualTo(at);
        }
        jedis.set("k", "zero");
        assertThat(jedis.move("k", 1)).as("the target already has the key").isZero();
        assertThat(jedis.get("k")).isEqualTo("zero");
        assertThat(jedis.move("missing", 1)).isZero();
        assertThatThrownBy(() -> jedis.move("k", 0))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR source and destination objects are the same");
        assertThatThrownBy(() -> jedis.move("k", 16))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR DB index is out of range");
        assertThatThrownBy(() -> jedis.move("k", -1))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR DB index is out of range");
    }

    @Test
    void swapdbSwapsUnderConnectedClients() {
        jedis.set("a", "in0");
        jedis.set("t", "x", SetParams.setParams().pxAt(now() + 10_000_000));
        try (Jedis db1 = connectTo(1)) {
            db1.set("b", "in1");
            assertThat(jedis.swapDB(0, 1)).isEqualTo("OK");
            // Each connection stays at its index and now sees the other database's keys.
            assertThat(jedis.keys("*")).containsExactly("b");
            assertThat(db1.keys("*")).containsExactlyInAnyOrder("a", "t");
            assertThat(db1.pttl("t")).isEqualTo(10_000_000);
            assertThat(db1.dbSize()).isEqualTo(2);
            assertThat(jedis.dbSize()).isEqualTo(1);
        }
        assertThat(jedis.swapDB(0, 0)).isEqualTo("OK");
        assertThat(jedis.get("b")).isEqualTo("in1");
        assertThat(jedis.swapDB(0, 15)).isEqualTo("OK");
        assertThat(jedis.dbSize()).isZero();
        assertThatThrownBy(() -> jedis.swapDB(0, 16))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR DB index is out of range");
        assertThatThrownBy(() -> jedis.swapDB(-1, 0))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR DB index is out of range");
    }

    // ------------------------------------------------------------ OBJECT

    @Test
    void objectEncodingRefcountIdletimeAndFreq() {
        jedis.set("int", "12345");
        jedis.set("shared", "42");
        jedis.set("embstr", "x".repeat(44));
        jedis.set("raw", "x".repeat(45));
        jedis.set("big", "9223372036854775808");
        assertThat(jedis.objectEncoding("int")).isEqualTo("int");
        assertThat(jedis.objectEncoding("shared")).isEqualTo("int");
        assertThat(jedis.objectEncoding("embstr")).isEqualTo("embstr");
        assertThat(jedis.objectEncoding("raw")).isEqualTo("raw");
        assertThat(jedis.objectEncoding("big")).isEqualTo("embstr");
        assertThat(jedis.objectEncoding("missing")).isNull();
        assertThat(jedis.append("embstr", "y")).isEqualTo(45);
        assertThat(jedis.objectEncoding("embstr")).as("APPEND leaves a raw string").isEqualTo("raw");
        assertThat(jedis.incr("int")).isEqualTo(12346);
        assertThat(jedis.objectEncoding("int")).isEqualTo("int");

        assertThat(jedis.objectRefcount("shared")).as("a shared integer").isEqualTo(Integer.MAX_VALUE);
        assertThat(jedis.objectRefcount("int")).isEqualTo(1);
        assertThat(jedis.objectRefcount("raw")).isEqualTo(1);
        assertThat(jedis.objectRefcount("missing")).isNull();

        clock.advance(7_000);
        jedis.get("int");
        assertThat(jedis.objectIdletime("int")).isZero();
        assertThat(jedis.objectIdletime("raw")).isEqualTo(7);
        assertThat(jedis.objectIdletime("missing")).isNull();

        assertThat(jedis.objectFreq("missing")).isNull();
        assertThatThrownBy(() -> jedis.objectFreq("raw")).isInstanceOf(JedisDataException.class)
                .hasMessage("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
                        + "that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
        assertThat(jedis.configSet("maxmemory-policy", "allkeys-lfu")).isEqualTo("OK");
        try {
            jedis.set("fresh", "v");
            assertThat(jedis.objectFreq("fresh")).as("LFU_INIT_VAL").isEqualTo(5);
            assertThatThrownBy(() -> jedis.objectIdletime("fresh")).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that "
                            + "when switching between policies at runtime LRU and LFU data will take some time to adjust.");
        } finally {
            assertThat(jedis.configSet("maxmemory-policy", "noeviction")).isEqualTo("OK");
        }
    }

    // ------------------------------------------------------------ SELECT

    @Test
    void selectIsolatesKeysAcrossDatabases() {
        for (int db = 0; db < 16; db++) {
            jedis.select(db);
            jedis.set("k", "db" + db);
            for (int i = 0; i < db; i++) jedis.set("extra" + i, "x");
        }
        for (int db = 0; db < 16; db++) {
            jedis.select(db);
            assertThat(jedis.get("k")).isEqualTo("db" + db);
            assertThat(jedis.dbSize()).isEqualTo(db + 1);
        }
        try (Jedis seven = connectTo(7)) {
            assertThat(seven.get("k")).isEqualTo("db7");
            assertThat(seven.del("k")).isEqualTo(1);
            assertThat(seven.flushDB()).isEqualTo("OK");
            assertThat(seven.dbSize()).isZero();
        }
        jedis.select(6);
        assertThat(jedis.get("k")).isEqualTo("db6");
        jedis.select(8);
        assertThat(jedis.exists("k", "extra7")).isEqualTo(2);
        jedis.select(7);
        assertThat(jedis.exists("k", "extra0")).isZero();
        // RENAME and EXPIRE act in the selected database only.
        jedis.select(2);
        assertThat(jedis.rename("k", "renamed")).isEqualTo("OK");
        assertThat(jedis.expire("renamed", 50)).isEqualTo(1);
        jedis.select(3);
        assertThat(jedis.get("k")).isEqualTo("db3");
        assertThat(jedis.ttl("k")).isEqualTo(-1);
        assertThat(jedis.exists("renamed")).isFalse();
        Map<Integer, Long> sizes = new HashMap<>();
        for (int db = 0; db < 16; db++) {
            jedis.select(db);
            sizes.put(db, jedis.dbSize());
        }
        for (int db = 0; db < 16; db++) assertThat(sizes.get(db)).isEqualTo(db == 7 ? 0L : db + 1L);
        assertThatThrownBy(() -> jedis.select(16)).isInstanceOf(JedisDataException.class)
                .hasMessage("ERR DB index is out of range");
        assertThatThrownBy(() -> jedis.select(-1)).isInstanceOf(JedisDataException.class)
                .hasMessage("ERR DB index is out of range");
    }
}
