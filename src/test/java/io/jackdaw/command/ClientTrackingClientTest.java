package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.InfoFields;
import io.jackdaw.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;

/**
 * Client-side caching through real clients: Lettuce's cache frontend and push listener in RESP3,
 * and Jedis in RESP2 with invalidations redirected to a connection subscribed to
 * {@code __redis__:invalidate}.
 */
class ClientTrackingClientTest {
    private static TestServer server;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { server.close(); }

    @Test
    void lettuceCacheFrontendDropsAnEntryWhenAnotherClientWritesIt() throws Exception {
        RedisClient client = Clients.lettuceResp3(server.port());
        try (StatefulRedisConnection<String, String> conn = client.connect();
             Jedis writer = Clients.jedis(server.port())) {
            writer.set("csc:k", "v1");
            Map<String, String> cache = new ConcurrentHashMap<>();
            CacheFrontend<String, String> frontend =
                    ClientSideCaching.enable(CacheAccessor.forMap(cache), conn, TrackingArgs.Builder.enabled());
            assertThat(frontend.get("csc:k")).isEqualTo("v1");
            assertThat(cache).containsEntry("csc:k", "v1");

            writer.set("csc:k", "v2");
            // The invalidation reaches the connection before the reply to anything it sends next.
            assertThat(conn.sync().ping()).isEqualTo("PONG");
            awaitTrue(() -> !cache.containsKey("csc:k"));
            assertThat(frontend.get("csc:k")).isEqualTo("v2");
            io.lettuce.core.TrackingInfo info = conn.sync().clientTrackinginfo();
            assertThat(info.getFlags()).containsExactly(io.lettuce.core.TrackingInfo.TrackingFlag.ON);
            assertThat(info.getRedirect()).isZero();
            frontend.close();
        } finally {
            Clients.shutdown(client);
        }
    }

    @Test
    void lettucePushListenerSeesKeysBroadcastByPrefixAndTheNullOfAFlush() throws Exception {
        RedisClient client = Clients.lettuceResp3(server.port());
        try (StatefulRedisConnection<String, String> conn = client.connect();
             Jedis writer = Clients.jedis(server.port())) {
            BlockingQueue<List<Object>> pushes = new LinkedBlockingQueue<>();
            conn.addListener((PushMessage m) -> {
                if (m.getType().equals("invalidate")) pushes.add(new ArrayList<>(m.getContent()));
            });
            conn.sync().clientTracking(TrackingArgs.Builder.enabled().bcast().prefixes("user:", "cart:"));
            writer.mset("user:1", "a", "other:1", "b");
            writer.set("cart:9", "c");
            assertThat(keys(pushes.poll(5, TimeUnit.SECONDS))).containsExactly("user:1");
            assertThat(keys(pushes.poll(5, TimeUnit.SECONDS))).containsExactly("cart:9");
            writer.flushAll();
            List<Object> flush = pushes.poll(5, TimeUnit.SECONDS);
            assertThat(flush).hasSize(2);
            assertThat(flush.get(1)).isNull();
            assertThat(InfoFields.parse(writer.info("stats")).get("tracking_total_prefixes")).isEqualTo("2");
            conn.sync().clientTracking(TrackingArgs.Builder.enabled(false));
            assertThat(InfoFields.parse(writer.info("stats")).get("tracking_total_prefixes")).isEqualTo("0");
        } finally {
            Clients.shutdown(client);
        }
    }

    @Test
    void jedisResp2InvalidationsArriveAsPubSubMessagesOnTheRedirectTarget() throws Exception {
        try (Jedis sub = Clients.jedis(server.port()); Jedis tracker = Clients.jedis(server.port());
             Jedis writer = Clients.jedis(server.port())) {
            long subId = sub.clientId();
            BlockingQueue<String> invalidated = new LinkedBlockingQueue<>();
            CountDownLatch subscribed = new CountDownLatch(1);
            JedisPubSub listener = new JedisPubSub() {
                @Override public void onSubscribe(String channel, int count) { subscribed.countDown(); }

                @Override public void onMessage(String channel, String message) {
                    invalidated.add(channel + " " + (message == null ? "<null>" : message));
                }
            };
            Thread t = new Thread(() -> sub.subscribe(listener, "__redis__:invalidate"));
            t.start();
            assertThat(subscribed.await(5, TimeUnit.SECONDS)).isTrue();

            assertThat(tracker.sendCommand(Protocol.Command.CLIENT, "TRACKING", "ON", "REDIRECT", Long.toString(subId)))
                    .isEqualTo("OK".getBytes(StandardCharsets.US_ASCII));
            writer.mset("j:a", "1", "j:b", "2");
            assertThat(tracker.mget("j:a", "j:b")).containsExactly("1", "2");
            assertThat(InfoFields.parse(writer.info("stats")).get("tracking_total_keys")).isEqualTo("2");
            writer.del("j:a", "j:b");
            List<String> got = List.of(invalidated.poll(5, TimeUnit.SECONDS), invalidated.poll(5, TimeUnit.SECONDS));
            assertThat(got).containsExactlyInAnyOrder("__redis__:invalidate j:a", "__redis__:invalidate j:b");
            assertThat(tracker.get("j:a")).isNull();
            writer.flushDB();
            assertThat(invalidated.poll(5, TimeUnit.SECONDS)).isEqualTo("__redis__:invalidate <null>");
            assertThat(tracker.clientInfo()).contains("flags=t ").contains("redir=" + subId + " ");
            listener.unsubscribe();
            t.join(5000);
        }
    }

    @Test
    void trackingTableMaxKeysEvictsKeysAndTellsTheirClients() throws Exception {
        RedisClient client = Clients.lettuceResp3(server.port());
        try (StatefulRedisConnection<String, String> conn = client.connect(); Jedis admin = Clients.jedis(server.port())) {
            BlockingQueue<String> keys = new LinkedBlockingQueue<>();
            conn.addListener((PushMessage m) -> {
                if (m.getType().equals("invalidate") && m.getContent().get(1) instanceof List<?> l) {
                    for (Object k : l) keys.add(StandardCharsets.UTF_8.decode(((ByteBuffer) k).duplicate()).toString());
                }
            });
            conn.sync().clientTracking(TrackingArgs.Builder.enabled());
            for (int i = 0; i < 50; i++) conn.sync().get("max:" + i);
            admin.configSet("tracking-table-max-keys", "10");
            try {
                for (int i = 0; i < 40; i++) assertThat(keys.poll(5, TimeUnit.SECONDS)).startsWith("max:");
                awaitTrue(() -> Long.parseLong(InfoFields.parse(admin.info("stats")).get("tracking_total_keys")) <= 10);
            } finally {
                admin.configSet("tracking-table-max-keys", "1000000");
            }
            conn.sync().clientTracking(TrackingArgs.Builder.enabled(false));
        } finally {
            Clients.shutdown(client);
        }
    }

    private static List<String> keys(List<Object> push) {
        assertThat(push).as("an invalidate push").isNotNull();
        List<String> out = new ArrayList<>();
        for (Object k : (List<?>) push.get(1)) out.add(StandardCharsets.UTF_8.decode(((ByteBuffer) k).duplicate()).toString());
        return out;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not met within 5 s");
            Thread.sleep(5);
        }
    }
}
