package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.TestServer;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The hash family through Jedis 6 (RESP2), as an application uses it. */
class HashJedisTest {
    static TestServer server;
    Jedis jedis;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { if (server != null) server.close(); }

    static Jedis connect() {
        return Clients.jedis(server.port());
    }

    @BeforeEach
    void open() {
        jedis = connect();
        jedis.flushAll();
    }

    @AfterEach
    void close() { if (jedis != null) jedis.close(); }

    @Test
    void setGetAndCounters() {
        assertThat(jedis.hset("user:1", Map.of("name", "Ada", "born", "1815"))).isEqualTo(2);
        assertThat(jedis.hset("user:1", "name", "Ada Lovelace")).isZero();
        assertThat(jedis.hsetnx("user:1", "name", "x")).isZero();
        assertThat(jedis.hsetnx("user:1", "city", "London")).isEqualTo(1);
        assertThat(jedis.hget("user:1", "name")).isEqualTo("Ada Lovelace");
        assertThat(jedis.hget("user:1", "nope")).isNull();
        assertThat(jedis.hmget("user:1", "born", "nope", "city")).containsExactly("1815", null, "London");
        assertThat(jedis.hgetAll("user:1")).isEqualTo(Map.of("name", "Ada Lovelace", "born", "1815", "city", "London"));
        assertThat(jedis.hkeys("user:1")).containsExactlyInAnyOrder("name", "born", "city");
        assertThat(jedis.hvals("user:1")).containsExactlyInAnyOrder("Ada Lovelace", "1815", "London");
        assertThat(jedis.hlen("user:1")).isEqualTo(3);
        assertThat(jedis.hstrlen("user:1", "born")).isEqualTo(4);
        assertThat(jedis.hexists("user:1", "city")).isTrue();
        assertThat(jedis.hincrBy("user:1", "visits", 5)).isEqualTo(5);
        assertThat(jedis.hincrBy("user:1", "born", -15)).isEqualTo(1800);
        assertThat(jedis.hincrByFloat("user:1", "score", 1.25)).isEqualTo(1.25);
        assertThat(jedis.hincrByFloat("user:1", "score", 0.5)).isEqualTo(1.75);
        assertThatThrownBy(() -> jedis.hincrBy("user:1", "name", 1))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR hash value is not an integer");
        assertThat(jedis.hdel("user:1", "visits", "score", "nope")).isEqualTo(2);
        assertThat(jedis.hmset("user:1", Map.of("a", "1"))).isEqualTo("OK");
        assertThat(jedis.objectEncoding("user:1")).isEqualTo("listpack");
        assertThat(jedis.type("user:1")).isEqualTo("hash");
        assertThat(jedis.hdel("user:1", "name", "born", "city", "a")).isEqualTo(4);
        assertThat(jedis.exists("user:1")).isFalse();
        jedis.set("s", "v");
        assertThatThrownBy(() -> jedis.hget("s", "f")).isInstanceOf(JedisDataException.class).hasMessageStartingWith("WRONGTYPE");
    }

    @Test
    void randomFieldsAndLargeHashes() {
        Map<String, String> all = new HashMap<>();
        for (int i = 0; i < 1000; i++) all.put("f" + i, "v" + i);
        jedis.hset("big", all);
        assertThat(jedis.objectEncoding("big")).isEqualTo("hashtable");
        assertThat(jedis.hgetAll("big")).isEqualTo(all);
        assertThat(jedis.hrandfield("big")).isIn(all.keySet());
        List<String> picks = jedis.hrandfield("big", 50);
        assertThat(new HashSet<>(picks)).hasSize(50);
        assertThat(all.keySet()).containsAll(picks);
        assertThat(jedis.hrandfield("big", -2000)).hasSize(2000);
        List<Map.Entry<String, String>> withValues = jedis.hrandfieldWithValues("big", 10);
        assertThat(withValues).hasSize(10).allSatisfy(e -> assertThat(all.get(e.getKey())).isEqualTo(e.getValue()));
        assertThat(jedis.hrandfield("nokey", 3)).isEmpty();
    }

    /** Every HSCAN entry of a walk, with the fields in order of arrival. */
    static List<Map.Entry<String, String>> hscanAll(Jedis j, String key, int count) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<Map.Entry<String, String>> r = j.hscan(key, cursor, new ScanParams().count(count));
            out.addAll(r.getResult());
            cursor = r.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return out;
    }

    @Test
    void hscanOfASmallHashIsOneCall() {
        jedis.hset("small", Map.of("a", "1", "b", "2", "c", "3"));
        ScanResult<Map.Entry<String, String>> r = jedis.hscan("small", "0", new ScanParams().count(1).match("[ab]"));
        assertThat(r.getCursor()).isEqualTo("0");
        assertThat(r.getResult()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder("a", "b");
    }

    /**
     * HSCAN's guarantee on a table-encoded hash: a field present for the whole walk is returned
     * at least once, and nothing that never existed is, while another connection keeps adding
     * and deleting other fields so that the table grows and shrinks under the walk.
     */
    @Test
    void hscanWhileAnotherClientGrowsAndShrinksTheHash() throws Exception {
        Map<String, String> stable = new HashMap<>();
        for (int i = 0; i < 600; i++) stable.put("stable:" + i, "s" + i);
        jedis.hset("h", stable);
        assertThat(jedis.objectEncoding("h")).isEqualTo("hashtable");
        final int perRound = 3_000;
        AtomicInteger roundsDone = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> churn = pool.submit(() -> {
            try (Jedis writer = connect()) {
                for (int round = 1; !stop.get(); round++) {
                    Pipeline wp = writer.pipelined();
                    for (int i = 0; i < perRound; i++) wp.hset("h", "churn:" + round + ":" + i, "c");
                    wp.sync();
                    wp = writer.pipelined();
                    for (int i = 0; i < perRound; i++) wp.hdel("h", "churn:" + round + ":" + i);
                    wp.sync();
                    roundsDone.incrementAndGet();
                }
            }
            return null;
        });
        try {
            int walks = 0, firstRound = roundsDone.get();
            while (walks < 3 || roundsDone.get() < firstRound + 3) {
                assertThat(walks).as("the writer made no progress during 500 walks").isLessThan(500);
                List<Map.Entry<String, String>> walk = hscanAll(jedis, "h", 5);
                walks++;
                Set<String> missing = new TreeSet<>(stable.keySet());
                for (Map.Entry<String, String> e : walk) {
                    missing.remove(e.getKey());
                    if (stable.containsKey(e.getKey())) {
                        assertThat(e.getValue()).isEqualTo(stable.get(e.getKey()));
                    } else {
                        assertThat(e.getKey()).as("walk %d returned a field nobody wrote", walks).matches("churn:\\d+:\\d+");
                        assertThat(e.getValue()).isEqualTo("c");
                    }
                }
                assertThat(missing).as("stable fields missed by walk %d", walks).isEmpty();
            }
        } finally {
            stop.set(true);
            pool.shutdown();
        }
        churn.get(60, TimeUnit.SECONDS);
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(jedis.hgetAll("h")).isEqualTo(stable);
        Map<String, String> walked = new HashMap<>();
        for (Map.Entry<String, String> e : hscanAll(jedis, "h", 100)) walked.put(e.getKey(), e.getValue());
        assertThat(walked).isEqualTo(stable);
    }
}
