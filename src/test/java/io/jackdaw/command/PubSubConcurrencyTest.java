package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.InfoFields;
import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Pub/sub across threads: several publishers on their own connections, several subscribers
 * (channel and pattern) on theirs; every subscriber gets every message, and each publisher's
 * messages in the order it sent them. Plus Lettuce's RESP3 pub/sub and Jedis's RESP2 one.
 */
class PubSubConcurrencyTest {
    private static TestServer server;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { server.close(); }

    @Test
    void everySubscriberGetsEachPublishersMessagesInOrder() throws Exception {
        int publishers = 4, subscribers = 4, perPublisher = 500;
        ExecutorService pool = Executors.newFixedThreadPool(publishers + subscribers);
        List<Map<Integer, List<Integer>>> received = new ArrayList<>();
        List<JedisPubSub> listeners = new ArrayList<>();
        CountDownLatch subscribed = new CountDownLatch(subscribers), done = new CountDownLatch(subscribers);
        try {
            for (int s = 0; s < subscribers; s++) {
                Map<Integer, List<Integer>> got = new ConcurrentHashMap<>();
                received.add(got);
                boolean pattern = s % 2 == 1;
                JedisPubSub l = new JedisPubSub() {
                    int count;

                    private void take(String message) {
                        String[] parts = message.split(":");
                        got.computeIfAbsent(Integer.parseInt(parts[0]), k -> new CopyOnWriteArrayList<>())
                                .add(Integer.parseInt(parts[1]));
                        if (++count == publishers * perPublisher) {
                            done.countDown();
                            if (pattern) punsubscribe();
                            else unsubscribe();
                        }
                    }

                    @Override public void onMessage(String channel, String message) { take(message); }

                    @Override public void onPMessage(String p, String channel, String message) { take(message); }

                    @Override public void onSubscribe(String channel, int n) { subscribed.countDown(); }

                    @Override public void onPSubscribe(String p, int n) { subscribed.countDown(); }
                };
                listeners.add(l);
                pool.submit(() -> {
                    try (Jedis j = Clients.jedis(server.port())) {
                        if (pattern) j.psubscribe(l, "feed*");
                        else j.subscribe(l, "feed");
                    }
                    return null;
                });
            }
            assertThat(subscribed.await(30, TimeUnit.SECONDS)).isTrue();
            List<Future<?>> sending = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                int id = p;
                sending.add(pool.submit(() -> {
                    try (Jedis j = Clients.jedis(server.port())) {
                        for (int n = 0; n < perPublisher; n++) {
                            assertThat(j.publish("feed", id + ":" + n)).isEqualTo((long) subscribers);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : sending) f.get(60, TimeUnit.SECONDS);
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        List<Integer> expected = new ArrayList<>();
        for (int n = 0; n < perPublisher; n++) expected.add(n);
        for (Map<Integer, List<Integer>> got : received) {
            assertThat(got).hasSize(publishers);
            for (List<Integer> seq : got.values()) assertThat(seq).isEqualTo(expected);
        }
    }

    /**
     * A subscriber that stops reading is disconnected once its unsent messages pass the
     * pubsub class's hard limit; a subscriber that reads gets every message.
     */
    @Test
    void aSlowSubscriberIsDisconnectedAndAFastOneIsNot() throws Exception {
        int messages = 3000;
        String payload = "x".repeat(16 * 1024);
        try (RespConnection admin = new RespConnection(server.port()); RespConnection slow = new RespConnection(server.port());
             RespConnection fast = new RespConnection(server.port())) {
            admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 0 0");
            long before = Long.parseLong(InfoFields.parse(admin.call("INFO", "stats")).get("client_output_buffer_limit_disconnections"));
            slow.send("SUBSCRIBE", "firehose");
            slow.readReply();
            fast.send("SUBSCRIBE", "firehose");
            fast.readReply();
            ExecutorService reader = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> got = reader.submit(() -> {
                    int n = 0;
                    while (n < messages) {
                        assertThat(fast.readReply()).endsWith(payload + "\r\n");
                        n++;
                    }
                    return n;
                });
                for (int i = 0; i < messages; i++) admin.call("PUBLISH", "firehose", payload);
                assertThat(got.get(60, TimeUnit.SECONDS)).isEqualTo(messages);
            } finally {
                reader.shutdownNow();
            }
            long after = 0;
            for (int i = 0; i < 1000; i++) {
                after = Long.parseLong(InfoFields.parse(admin.call("INFO", "stats")).get("client_output_buffer_limit_disconnections"));
                if (after > before) break;
                Thread.sleep(5);
            }
            assertThat(after).isEqualTo(before + 1);
            assertThat(admin.call("PUBSUB", "NUMSUB", "firehose")).isEqualTo("*2\r\n$8\r\nfirehose\r\n:1\r\n");
            admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 8mb 60");
        }
    }

    @Test
    void lettuceResp3PubSub() throws Exception {
        RedisClient client = Clients.lettuceResp3(server.port());
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub()) {
            List<String> got = new CopyOnWriteArrayList<>();
            CountDownLatch two = new CountDownLatch(2);
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override public void message(String channel, String message) {
                    got.add(channel + "=" + message);
                    two.countDown();
                }

                @Override public void message(String pattern, String channel, String message) {
                    got.add(pattern + "|" + channel + "=" + message);
                    two.countDown();
                }
            });
            sub.sync().subscribe("news");
            sub.sync().psubscribe("n*");
            // RESP3: the subscribed connection still runs ordinary commands.
            assertThat(sub.sync().ping()).isEqualTo("PONG");
            try (RespConnection pub = new RespConnection(server.port())) {
                assertThat(pub.call("PUBLISH", "news", "hello")).isEqualTo(":2\r\n");
            }
            assertThat(two.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(got).containsExactlyInAnyOrder("news=hello", "n*|news=hello");
        } finally {
            Clients.shutdown(client);
        }
    }

    @Test
    void subscribersShowInClientListAndInfo() throws Exception {
        try (RespConnection s = new RespConnection(server.port()); RespConnection admin = new RespConnection(server.port())) {
            s.send("SUBSCRIBE", "x", "y");
            s.readReply();
            s.readReply();
            s.send("PSUBSCRIBE", "z*");
            s.readReply();
            String list = admin.call("CLIENT", "LIST");
            assertThat(list).contains("flags=P ").contains("sub=2 psub=1 ssub=0");
            Map<String, String> info = InfoFields.parse(admin.call("INFO"));
            assertThat(info.get("pubsub_clients")).isEqualTo("1");
            assertThat(info.get("pubsub_channels")).isEqualTo("2");
            assertThat(info.get("pubsub_patterns")).isEqualTo("1");
        }
    }
}
