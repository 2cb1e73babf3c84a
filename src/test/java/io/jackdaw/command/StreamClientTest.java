package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.params.XTrimParams;
import redis.clients.jedis.resps.StreamEntry;

/** The stream commands through Jedis (RESP2) and Lettuce (RESP3), as applications use them. */
class StreamClientTest {
    static TestServer server;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { if (server != null) server.close(); }

    @Test
    void jedisAddRangeTrimAndAutoIdsIncrease() {
        try (Jedis j = Clients.jedis(server.port())) {
            j.flushAll();
            StreamEntryID prev = new StreamEntryID(0, 0);
            for (int i = 0; i < 50; i++) {
                StreamEntryID id = j.xadd("s", XAddParams.xAddParams(), Map.of("n", String.valueOf(i)));
                assertThat(id.compareTo(prev)).as("auto IDs increase").isPositive();
                prev = id;
            }
            assertThat(j.xlen("s")).isEqualTo(50);
            List<StreamEntry> all = j.xrange("s", (StreamEntryID) null, (StreamEntryID) null);
            assertThat(all).hasSize(50);
            for (int i = 0; i < 50; i++) assertThat(all.get(i).getFields()).containsEntry("n", String.valueOf(i));
            List<StreamEntry> lastTwo = j.xrevrange("s", (StreamEntryID) null, (StreamEntryID) null, 2);
            assertThat(lastTwo.get(0).getID()).isEqualTo(prev);
            assertThat(j.xdel("s", all.get(0).getID(), all.get(1).getID())).isEqualTo(2);
            assertThat(j.xtrim("s", XTrimParams.xTrimParams().maxLen(10))).isEqualTo(38);
            assertThat(j.xlen("s")).isEqualTo(10);
            assertThat(j.type("s")).isEqualTo("stream");
            StreamEntryID explicit = j.xadd("s", XAddParams.xAddParams().id(prev.getTime() + 1000, 7), Map.of("a", "b"));
            assertThat(explicit).isEqualTo(new StreamEntryID(prev.getTime() + 1000, 7));
        }
    }

    @Test
    void jedisBlockingReadIsWokenByAnAddFromAnotherConnection() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Jedis reader = Clients.jedis(server.port()); Jedis writer = Clients.jedis(server.port())) {
            writer.flushAll();
            writer.xadd("q", new StreamEntryID(1, 0), Map.of("old", "1"));
            Future<List<Map.Entry<String, List<StreamEntry>>>> read = pool.submit(() -> reader.xread(
                    XReadParams.xReadParams().block(0), Map.of("q", StreamEntryID.XREAD_NEW_ENTRY)));
            try (io.jackdaw.testing.RespConnection admin = new io.jackdaw.testing.RespConnection(server.port())) {
                io.jackdaw.testing.InfoFields.awaitBlockedClients(admin, 1);
            }
            writer.xadd("q", new StreamEntryID(2, 0), Map.of("new", "2"));
            List<Map.Entry<String, List<StreamEntry>>> got = read.get(30, TimeUnit.SECONDS);
            assertThat(got).hasSize(1);
            assertThat(got.get(0).getKey()).isEqualTo("q");
            assertThat(got.get(0).getValue()).hasSize(1);
            assertThat(got.get(0).getValue().get(0).getID()).isEqualTo(new StreamEntryID(2, 0));
            assertThat(got.get(0).getValue().get(0).getFields()).isEqualTo(Map.of("new", "2"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lettuceResp3ReadsAMapOfStreams() {
        RedisClient client = Clients.lettuceResp3(server.port());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> r = conn.sync();
            r.flushall();
            r.xadd("a", Map.of("f", "1"));
            r.xadd("b", Map.of("g", "2"));
            List<StreamMessage<String, String>> msgs = r.xread(XReadArgs.StreamOffset.from("a", "0"),
                    XReadArgs.StreamOffset.from("b", "0"));
            assertThat(msgs).hasSize(2);
            assertThat(msgs.get(0).getStream()).isEqualTo("a");
            assertThat(msgs.get(0).getBody()).isEqualTo(Map.of("f", "1"));
            assertThat(msgs.get(1).getStream()).isEqualTo("b");
            assertThat(msgs.get(1).getBody()).isEqualTo(Map.of("g", "2"));
            assertThat(r.xrange("a", io.lettuce.core.Range.create("-", "+"))).hasSize(1);
            assertThat(r.xlen("b")).isEqualTo(1);
        } finally {
            Clients.shutdown(client);
        }
    }

    /** Several connections add with {@code *} at once: every ID is unique and the stream reads back in increasing order. */
    @Test
    void concurrentAutoIdsStayMonotonic() throws Exception {
        int threads = 4, perThread = 300;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Jedis admin = Clients.jedis(server.port())) {
            admin.flushAll();
            List<Future<List<StreamEntryID>>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<StreamEntryID> mine = new java.util.ArrayList<>();
                    try (Jedis j = Clients.jedis(server.port())) {
                        for (int i = 0; i < perThread; i++) {
                            mine.add(j.xadd("m", XAddParams.xAddParams(), Map.of("t", String.valueOf(thread))));
                        }
                    }
                    return mine;
                }));
            }
            java.util.Set<StreamEntryID> added = new java.util.HashSet<>();
            for (Future<List<StreamEntryID>> f : futures) {
                List<StreamEntryID> mine = f.get(60, TimeUnit.SECONDS);
                for (int i = 1; i < mine.size(); i++) assertThat(mine.get(i).compareTo(mine.get(i - 1))).isPositive();
                added.addAll(mine);
            }
            assertThat(added).hasSize(threads * perThread);
            List<StreamEntry> all = admin.xrange("m", (StreamEntryID) null, (StreamEntryID) null);
            assertThat(all).hasSize(threads * perThread);
            for (int i = 1; i < all.size(); i++) assertThat(all.get(i).getID().compareTo(all.get(i - 1).getID())).isPositive();
            assertThat(all.stream().map(StreamEntry::getID).collect(java.util.stream.Collectors.toSet())).isEqualTo(added);
        } finally {
            pool.shutdownNow();
        }
    }
}
