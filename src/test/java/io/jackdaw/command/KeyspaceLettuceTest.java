package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.TestServer;
import io.lettuce.core.BitFieldArgs;
import io.lettuce.core.CopyArgs;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.LcsArgs;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StrAlgoArgs;
import io.lettuce.core.StringMatchResult;
import io.lettuce.core.StringMatchResult.MatchedPosition;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keyspace, string and bitmap commands through Lettuce 6.8 speaking RESP3, for the replies
 * whose shape differs from RESP2: SCAN walks, LCS IDX (a map), BITFIELD's null for an
 * OVERFLOW FAIL, plus OBJECT, COPY and a large asynchronous batch.
 */
class KeyspaceLettuceTest {
    static TestServer server;
    static RedisClient client;
    StatefulRedisConnection<String, String> conn;
    RedisCommands<String, String> redis;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        client = Clients.lettuceResp3(server.port());
    }

    @AfterAll
    static void stop() {
        Clients.shutdown(client);
        if (server != null) server.close();
    }

    @BeforeEach
    void connect() {
        conn = client.connect();
        redis = conn.sync();
        redis.flushall();
        assertThat(redis.clientInfo()).contains(" resp=3 ");
    }

    @AfterEach
    void close() { if (conn != null) conn.close(); }

    /** Every key of one complete walk driven by ScanCursor, in the order returned. */
    List<String> walk(ScanArgs args) {
        List<String> keys = new ArrayList<>();
        KeyScanCursor<String> cursor = redis.scan(ScanCursor.INITIAL, args);
        keys.addAll(cursor.getKeys());
        int calls = 1;
        while (!cursor.isFinished()) {
            assertThat(calls++).as("SCAN never returned cursor 0").isLessThan(1_000_000);
            cursor = redis.scan(cursor, args);
            keys.addAll(cursor.getKeys());
        }
        return keys;
    }

    @Test
    void scanCursorWalksReturnEveryKeyOnce() {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 2_000; i++) all.add("key:" + i);
        for (int i = 0; i < 500; i++) all.add("{slot" + (i % 2) + "}:" + i);
        RedisAsyncCommands<String, String> async = conn.async();
        List<RedisFuture<String>> sets = new ArrayList<>();
        for (String k : all) sets.add(async.set(k, "v"));
        assertThat(LettuceFutures.awaitAll(30, TimeUnit.SECONDS, sets.toArray(new RedisFuture<?>[0]))).isTrue();
        assertThat(redis.dbsize()).isEqualTo(2_500);

        for (long limit : new long[] {1, 10, 333, 10_000}) {
            List<String> keys = walk(ScanArgs.Builder.limit(limit));
            assertThat(keys).as("LIMIT %d: nothing repeats while no table changes", limit).hasSize(all.size());
            assertThat(new HashSet<>(keys)).isEqualTo(all);
        }
        Set<String> slot1 = all.stream().filter(k -> k.startsWith("{slot1}")).collect(Collectors.toSet());
        assertThat(new HashSet<>(walk(ScanArgs.Builder.matches("{slot1}:*").limit(25)))).isEqualTo(slot1).hasSize(250);
        assertThat(new HashSet<>(walk(new KeyScanArgs().type("string").limit(100)))).isEqualTo(all);
        assertThat(walk(new KeyScanArgs().type("set").limit(100))).isEmpty();
        // Lettuce's own iterator over the same cursor protocol.
        assertThat(ScanIterator.scan(redis, ScanArgs.Builder.matches("key:19*").limit(50)).stream()
                .collect(Collectors.toSet())).isEqualTo(all.stream().filter(k -> k.startsWith("key:19"))
                        .collect(Collectors.toSet())).hasSize(111);
        assertThatThrownBy(() -> redis.scan(ScanCursor.of("abc")))
                .isInstanceOf(RedisCommandExecutionException.class).hasMessage("ERR invalid cursor");
    }

    static void assertMatch(MatchedPosition m, long aStart, long aEnd, long bStart, long bEnd, long len) {
        assertThat(new long[] {m.getA().getStart(), m.getA().getEnd(), m.getB().getStart(), m.getB().getEnd(),
                m.getMatchLen()}).containsExactly(aStart, aEnd, bStart, bEnd, len);
    }

    @Test
    void lcsIdxArrivesAsAMap() {
        redis.mset(java.util.Map.of("key1", "ohmytext", "key2", "mynewtext"));
        assertThat(redis.lcs(LcsArgs.Builder.keys("key1", "key2")).getMatchString()).isEqualTo("mytext");
        assertThat(redis.lcs(LcsArgs.Builder.keys("key1", "key2").justLen()).getLen()).isEqualTo(6);

        StringMatchResult idx = redis.lcs(LcsArgs.Builder.keys("key1", "key2").withIdx().withMatchLen());
        assertThat(idx.getLen()).isEqualTo(6);
        assertThat(idx.getMatches()).hasSize(2);
        assertMatch(idx.getMatches().get(0), 4, 7, 5, 8, 4);
        assertMatch(idx.getMatches().get(1), 2, 3, 0, 1, 2);

        StringMatchResult min = redis.lcs(LcsArgs.Builder.keys("key1", "key2").withIdx().minMatchLen(3));
        assertThat(min.getLen()).isEqualTo(6);
        assertThat(min.getMatches()).hasSize(1);
        assertThat(min.getMatches().get(0).getA().getStart()).isEqualTo(4);
        assertThat(min.getMatches().get(0).getB().getEnd()).isEqualTo(8);

        StringMatchResult none = redis.lcs(LcsArgs.Builder.keys("key1", "nokey").withIdx());
        assertThat(none.getLen()).isZero();
        assertThat(none.getMatches()).isEmpty();

        // STRALGO went away in Redis 7.0; Lettuce's older API gets the unknown-command error.
        assertThatThrownBy(() -> redis.stralgoLcs(StrAlgoArgs.Builder.keys("key1", "key2")))
                .isInstanceOf(RedisCommandExecutionException.class)
                .hasMessage("ERR unknown command 'STRALGO', with args beginning with: 'LCS' 'KEYS' 'key1' 'key2' ");
    }

    @Test
    void bitfieldOverflowFailIsANullInTheList() {
        List<Long> r = redis.bitfield("bf", new BitFieldArgs().set(BitFieldArgs.unsigned(8), 0, 250)
                .overflow(BitFieldArgs.OverflowType.FAIL).incrBy(BitFieldArgs.unsigned(8), 0, 10)
                .incrBy(BitFieldArgs.unsigned(8), 0, 5).get(BitFieldArgs.unsigned(8), 0));
        assertThat(r).containsExactly(0L, null, 255L, 255L);
        r = redis.bitfield("bf", new BitFieldArgs().overflow(BitFieldArgs.OverflowType.SAT)
                .incrBy(BitFieldArgs.signed(8), BitFieldArgs.typeWidthBasedOffset(1), -1000)
                .overflow(BitFieldArgs.OverflowType.WRAP).incrBy(BitFieldArgs.signed(8), BitFieldArgs.typeWidthBasedOffset(1), -1)
                .overflow(BitFieldArgs.OverflowType.FAIL).incrBy(BitFieldArgs.signed(8), BitFieldArgs.typeWidthBasedOffset(1), 1)
                .get(BitFieldArgs.unsigned(16), 0));
        assertThat(r).containsExactly(-128L, 127L, null, 0xFF7FL);
        assertThat(redis.bitcount("bf")).isEqualTo(15);
        assertThat(redis.bitpos("bf", false)).isEqualTo(8);
        // Lettuce writes int offsets unsigned: -1 goes out as 4294967295, the last valid bit offset.
        assertThat(redis.bitfield("bf", new BitFieldArgs().get(BitFieldArgs.unsigned(8), -1))).containsExactly(0L);
        assertThat(redis.bitfield("bf", new BitFieldArgs().get(BitFieldArgs.unsigned(8),
                BitFieldArgs.typeWidthBasedOffset(536_870_911)))).containsExactly(0L);
        assertThat(redis.strlen("bf")).as("GET past the end does not grow the string").isEqualTo(2);
        assertThatThrownBy(() -> redis.bitfield("bf", new BitFieldArgs().get(BitFieldArgs.unsigned(8),
                BitFieldArgs.typeWidthBasedOffset(536_870_912))))
                .isInstanceOf(RedisCommandExecutionException.class)
                .hasMessage("ERR bit offset is not an integer or out of range");
    }

    @Test
    void objectEncodingAndFreq() {
        redis.set("int", "-42");
        redis.set("embstr", "e".repeat(44));
        redis.set("raw", "r".repeat(45));
        assertThat(redis.objectEncoding("int")).isEqualTo("int");
        assertThat(redis.objectEncoding("embstr")).isEqualTo("embstr");
        assertThat(redis.objectEncoding("raw")).isEqualTo("raw");
        assertThat(redis.objectEncoding("missing")).isNull();
        assertThat(redis.objectRefcount("raw")).isEqualTo(1);
        assertThat(redis.objectRefcount("missing")).isNull();
        assertThat(redis.objectFreq("missing")).isNull();
        assertThatThrownBy(() -> redis.objectFreq("raw")).isInstanceOf(RedisCommandExecutionException.class)
                .hasMessageStartingWith("ERR An LFU maxmemory policy is not selected, access frequency not tracked.");
        redis.setrange("embstr", 0, "E");
        assertThat(redis.objectEncoding("embstr")).isEqualTo("raw");
    }

    @Test
    void copyWithCopyArgs() {
        redis.set("src", "v", SetArgs.Builder.px(3_600_000));
        long at = redis.pexpiretime("src");
        assertThat(redis.copy("src", "dst")).isTrue();
        assertThat(redis.copy("src", "dst")).isFalse();
        assertThat(redis.pexpiretime("dst")).isEqualTo(at);
        redis.set("src", "w");
        assertThat(redis.copy("src", "dst", CopyArgs.Builder.replace(true))).isTrue();
        assertThat(redis.get("dst")).isEqualTo("w");
        assertThat(redis.pttl("dst")).isEqualTo(-1);
        assertThat(redis.copy("src", "dst", CopyArgs.Builder.destinationDb(4))).isTrue();
        assertThat(redis.copy("src", "dst", CopyArgs.Builder.destinationDb(4))).isFalse();
        assertThat(redis.copy("src", "dst", CopyArgs.Builder.destinationDb(4).replace(true))).isTrue();
        assertThat(redis.copy("missing", "dst", CopyArgs.Builder.destinationDb(4).replace(true))).isFalse();
        assertThatThrownBy(() -> redis.copy("src", "src")).isInstanceOf(RedisCommandExecutionException.class)
                .hasMessage("ERR source and destination objects are the same");
        assertThatThrownBy(() -> redis.copy("src", "x", CopyArgs.Builder.destinationDb(16)))
                .isInstanceOf(RedisCommandExecutionException.class).hasMessage("ERR DB index is out of range");
        assertThat(redis.select(4)).isEqualTo("OK");
        assertThat(redis.keys("*")).containsExactly("dst");
        assertThat(redis.get("dst")).isEqualTo("w");
    }

    @Test
    void asyncBatchOfIncrementsEndsAtTheExactSum() throws Exception {
        RedisAsyncCommands<String, String> async = conn.async();
        conn.setAutoFlushCommands(false);
        List<RedisFuture<?>> futures = new ArrayList<>();
        List<RedisFuture<Long>> counter = new ArrayList<>();
        RedisFuture<Double> lastFloat = null;
        try {
            for (int i = 0; i < 20_000; i++) {
                RedisFuture<Long> f = async.incr("counter");
                counter.add(f);
                futures.add(f);
                futures.add(async.incrby("by:" + (i % 10), i));
                futures.add(async.decrby("down", 3));
                if (i % 4 == 0) futures.add(lastFloat = async.incrbyfloat("float", 0.5));
            }
            conn.flushCommands();
            assertThat(LettuceFutures.awaitAll(60, TimeUnit.SECONDS, futures.toArray(new RedisFuture<?>[0]))).isTrue();
        } finally {
            conn.setAutoFlushCommands(true);
        }
        for (int i = 0; i < counter.size(); i++) assertThat(counter.get(i).get()).isEqualTo(i + 1);
        assertThat(redis.get("counter")).isEqualTo("20000");
        for (int r = 0; r < 10; r++) {
            long sum = 0;
            for (int i = r; i < 20_000; i += 10) sum += i;
            assertThat(redis.get("by:" + r)).isEqualTo(String.valueOf(sum));
        }
        assertThat(redis.get("down")).isEqualTo("-60000");
        assertThat(lastFloat.get()).isEqualTo(2500.0);
        assertThat(redis.get("float")).isEqualTo("2500");
        assertThat(redis.dbsize()).isEqualTo(13);
    }
}
