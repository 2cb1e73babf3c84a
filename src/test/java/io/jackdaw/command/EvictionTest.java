package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.InfoFields;
import io.jackdaw.testing.TestServer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * maxmemory through a real client: noeviction refuses DENYOOM commands with Redis's OOM error
 * and lets others run; the evicting policies keep memory near the limit, count evicted_keys and
 * announce "evicted"; the volatile policies touch only keys with an expiry, and refuse writes
 * once none is left.
 */
class EvictionTest {
    private static TestServer server;
    private Jedis jedis;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { server.close(); }

    @BeforeEach
    void connect() {
        jedis = Clients.jedis(server.port());
        jedis.flushAll();
        jedis.configResetStat();
    }

    @AfterEach
    void reset() {
        jedis.configSet("maxmemory", "0");
        jedis.configSet("maxmemory-policy", "noeviction");
        jedis.configSet("maxmemory-eviction-tenacity", "10");
        jedis.configSet("notify-keyspace-events", "");
        jedis.close();
    }

    private Map<String, String> info(String section) { return InfoFields.parse(jedis.info(section)); }

    /** The figure maxmemory is compared with: used_memory less what eviction cannot free. */
    private long evictable() {
        Map<String, String> m = info("memory");
        return Long.parseLong(m.get("used_memory")) - Long.parseLong(m.get("mem_not_counted_for_evict"));
    }

    private static String value(int i) { return "v".repeat(200) + i; }

    @Test
    void noevictionRefusesDenyoomCommandsOnly() throws Exception {
        for (int i = 0; i < 100; i++) jedis.set("k" + i, value(i));
        jedis.configSet("maxmemory", Long.toString(evictable() - 1));
        assertThatThrownBy(() -> jedis.set("new", "x"))
                .hasMessage("OOM command not allowed when used memory > 'maxmemory'.");
        assertThatThrownBy(() -> jedis.rpush("list", "x")).hasMessageStartingWith("OOM ");
        assertThat(jedis.get("k1")).isEqualTo(value(1)); // reads go on
        assertThat(jedis.del("k1", "k2")).isEqualTo(2);    // DEL is not DENYOOM
        jedis.configSet("maxmemory", Long.toString(evictable() - 1));
        try (io.jackdaw.testing.RespConnection raw = new io.jackdaw.testing.RespConnection(server.port())) {
            // Inside MULTI everything but the transaction's own commands is refused, and EXEC aborts.
            assertThat(raw.call("MULTI")).isEqualTo("+OK\r\n");
            assertThat(raw.call("GET", "k3")).isEqualTo("-OOM command not allowed when used memory > 'maxmemory'.\r\n");
            assertThat(raw.call("EXEC")).startsWith("-EXECABORT");
            assertThat(raw.call("MULTI")).isEqualTo("+OK\r\n");
            assertThat(raw.call("DISCARD")).isEqualTo("+OK\r\n");
        }
        assertThat(info("stats").get("evicted_keys")).isEqualTo("0");
        jedis.configSet("maxmemory", "0");
        assertThat(jedis.set("new", "x")).isEqualTo("OK");
    }

    @Test
    void allkeysPoliciesKeepMemoryNearTheLimitAndAnnounceEvictions() throws Exception {
        for (String policy : new String[] {"allkeys-random", "allkeys-lru", "allkeys-lfu"}) {
            jedis.flushAll();
            jedis.configSet("notify-keyspace-events", "Ee");
            long before = Long.parseLong(info("stats").get("evicted_keys"));
            BlockingQueue<String> evicted = new LinkedBlockingQueue<>();
            CountDownLatch subscribed = new CountDownLatch(1);
            JedisPubSub listener = new JedisPubSub() {
                @Override public void onPSubscribe(String pattern, int count) { subscribed.countDown(); }

                @Override public void onPMessage(String pattern, String channel, String message) { evicted.add(message); }
            };
            Jedis sub = Clients.jedis(server.port());
            Thread t = new Thread(() -> sub.psubscribe(listener, "__keyevent@0__:evicted"));
            t.start();
            assertThat(subscribed.await(5, TimeUnit.SECONDS)).isTrue();

            long limit = evictable() + 64 * 1024;
            // No time limit on evicting, so each write leaves memory under the limit.
            jedis.configSet("maxmemory-eviction-tenacity", "100");
            jedis.configSet("maxmemory-policy", policy);
            jedis.configSet("maxmemory", Long.toString(limit));
            for (int i = 0; i < 2000; i++) assertThat(jedis.set("k" + i, value(i))).isEqualTo("OK");
            long evictedKeys = Long.parseLong(info("stats").get("evicted_keys")) - before;
            assertThat(evictedKeys).as(policy).isPositive();
            assertThat(jedis.dbSize()).as(policy).isEqualTo(2000 - evictedKeys);
            // The last write may leave memory over the limit (by one key) until the next command evicts.
            assertThat(evictable()).as(policy).isLessThanOrEqualTo(limit + 1024);
            String first = evicted.poll(5, TimeUnit.SECONDS);
            assertThat(first).as(policy).startsWith("k");
            assertThat(jedis.exists(first)).isFalse();
            listener.punsubscribe();
            t.join(5000);
            sub.close();
            jedis.configSet("maxmemory", "0");
        }
    }

    @Test
    void volatilePoliciesEvictOnlyKeysWithAnExpiry() {
        for (String policy : new String[] {"volatile-random", "volatile-lru", "volatile-lfu", "volatile-ttl"}) {
            jedis.flushAll();
            for (int i = 0; i < 50; i++) jedis.set("keep" + i, value(i));
            jedis.configSet("maxmemory-policy", policy);
            jedis.configSet("maxmemory", Long.toString(evictable() + 32 * 1024));
            int written = 0;
            try {
                for (int i = 0; i < 2000; i++) {
                    jedis.setex("tmp" + i, 1000 + i, value(i));
                    written++;
                }
            } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                assertThat(e.getMessage()).startsWith("OOM ");
            }
            assertThat(written).as(policy).isGreaterThan(100);
            // Far below the limit every volatile key goes, the others stay, and writes are refused.
            // Eviction works within maxmemory-eviction-tenacity's time per command (Redis lets a
            // command through while eviction is still under way), so it may take a few writes.
            jedis.configSet("maxmemory", "1");
            String refused = null;
            for (int i = 0; i < 10_000 && refused == null; i++) {
                try {
                    jedis.set("keep-more", "x");
                } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                    refused = e.getMessage();
                }
            }
            assertThat(refused).as(policy).startsWith("OOM ");
            assertThat(jedis.keys("tmp*")).as(policy).isEmpty();
            for (int i = 0; i < 50; i++) assertThat(jedis.exists("keep" + i)).as(policy).isTrue();
            jedis.configSet("maxmemory", "0");
        }
    }

    @Test
    void lowerLimitSetWithConfigSetEvictsAtOnce() {
        jedis.configSet("maxmemory-policy", "allkeys-random");
        for (int i = 0; i < 200; i++) jedis.set("k" + i, value(i));
        jedis.configSet("maxmemory", Long.toString(evictable() - 8 * 1024));
        assertThat(Long.parseLong(info("stats").get("evicted_keys"))).isPositive();
        assertThat(jedis.dbSize()).isLessThan(200);
    }
}
