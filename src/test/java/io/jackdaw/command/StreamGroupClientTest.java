package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.InfoFields;
import io.jackdaw.testing.ManualClock;
import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Consumer groups over real sockets: what Redis 7.2 changed from the 7.0 reference (consumers
 * made on first read or claim, XINFO's active-time and inactive), the times XINFO and XPENDING
 * report (on a manual clock), blocked XREADGROUPs woken by XADD, group deletion, key deletion
 * and retyping, and the pending-entries invariants under concurrent consumers (Jedis, Lettuce).
 */
class StreamGroupClientTest {
    private static final long T0 = 1_700_000_000_000L;
    private static ManualClock clock;
    private static TestServer server;

    @BeforeAll
    static void start() {
        clock = new ManualClock(T0);
        server = TestServer.start(clock);
    }

    @AfterAll
    static void stop() { if (server != null) server.close(); }

    @BeforeEach
    void flush() throws Exception {
        try (RespConnection r = conn()) {
            r.call("FLUSHALL");
            InfoFields.awaitBlockedClients(r, 0);
        }
    }

    private static RespConnection conn() throws Exception { return new RespConnection(server.port()); }

    private static String bulk(String s) { return "$" + s.length() + "\r\n" + s + "\r\n"; }

    @Test
    void helpListsTheSubcommands() throws Exception {
        try (RespConnection r = conn()) {
            String xgroup = r.call("XGROUP", "HELP");
            assertThat(xgroup).startsWith("*17\r\n+XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n");
            for (String sub : List.of("+CREATE <key>", "+CREATECONSUMER <key>", "+DELCONSUMER <key>", "+DESTROY <key>", "+SETID <key>")) {
                assertThat(xgroup).contains(sub);
            }
            assertThat(xgroup).endsWith("+HELP\r\n+    Print this help.\r\n");
            String xinfo = r.call("XINFO", "HELP");
            assertThat(xinfo).startsWith("*9\r\n+XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n");
            for (String sub : List.of("+CONSUMERS <key> <groupname>", "+GROUPS <key>", "+STREAM <key> [FULL [COUNT <count>]")) {
                assertThat(xinfo).contains(sub);
            }
            assertThat(r.call("XGROUP", "HELP", "x")).isEqualTo("-ERR wrong number of arguments for 'xgroup|help' command\r\n");
        }
    }

    /** Redis 7.2: a read or claim makes its consumer even when it gets nothing, with an event and a change counted. */
    @Test
    void consumersAreMadeOnFirstReadOrClaim() throws Exception {
        try (RespConnection r = conn(); RespConnection events = conn()) {
            r.call("CONFIG", "SET", "notify-keyspace-events", "Et");
            events.call("SUBSCRIBE", "__keyevent@0__:xgroup-createconsumer");
            r.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            long before = InfoFields.changes(r);
            assertThat(r.call("XREADGROUP", "GROUP", "g", "reader", "STREAMS", "s", ">")).isEqualTo("*-1\r\n");
            assertThat(r.call("XCLAIM", "s", "g", "claimer", "0", "1-0")).isEqualTo("*0\r\n");
            assertThat(r.call("XAUTOCLAIM", "s", "g", "auto", "0", "0")).isEqualTo("*3\r\n$3\r\n0-0\r\n*0\r\n*0\r\n");
            assertThat(InfoFields.changes(r) - before).isEqualTo(3);
            assertThat(r.call("XINFO", "GROUPS", "s")).contains("$9\r\nconsumers\r\n:3\r\n");
            for (int i = 0; i < 3; i++) {
                assertThat(events.readReply()).isEqualTo("*3\r\n$7\r\nmessage\r\n$36\r\n__keyevent@0__:xgroup-createconsumer\r\n$1\r\ns\r\n");
            }
            assertThat(r.call("XGROUP", "CREATECONSUMER", "s", "g", "reader")).isEqualTo(":0\r\n");
            r.call("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    /** XINFO CONSUMERS' idle and inactive, and XINFO STREAM FULL's seen-time, active-time and delivery times, on a manual clock. */
    @Test
    void consumerTimesFollowTheClock() throws Exception {
        try (RespConnection r = conn()) {
            r.call("XADD", "s", "1-0", "f", "v");
            r.call("XADD", "s", "2-0", "f", "v");
            r.call("XGROUP", "CREATE", "s", "g", "0");
            long t1 = clock.millis();
            r.call("XGROUP", "CREATECONSUMER", "s", "g", "idle");
            r.call("XREADGROUP", "GROUP", "g", "busy", "COUNT", "1", "STREAMS", "s", ">");
            clock.advance(500);
            long t2 = clock.millis();
            r.call("XREADGROUP", "GROUP", "g", "idle", "STREAMS", "s", "0");
            clock.advance(250);
            String consumers = r.call("XINFO", "CONSUMERS", "s", "g");
            assertThat(consumers).isEqualTo("*2\r\n"
                    + "*8\r\n" + bulk("name") + bulk("busy") + bulk("pending") + ":1\r\n" + bulk("idle") + ":750\r\n"
                    + bulk("inactive") + ":750\r\n"
                    + "*8\r\n" + bulk("name") + bulk("idle") + bulk("pending") + ":0\r\n" + bulk("idle") + ":250\r\n"
                    + bulk("inactive") + ":-1\r\n");
            String full = r.call("XINFO", "STREAM", "s", "FULL");
            assertThat(full).contains(bulk("pel-count") + ":1\r\n" + bulk("pending") + "*1\r\n*4\r\n" + bulk("1-0") + bulk("busy")
                    + ":" + t1 + "\r\n:1\r\n");
            assertThat(full).contains(bulk("name") + bulk("busy") + bulk("seen-time") + ":" + t1 + "\r\n" + bulk("active-time") + ":"
                    + t1 + "\r\n" + bulk("pel-count") + ":1\r\n" + bulk("pending") + "*1\r\n*3\r\n" + bulk("1-0") + ":" + t1 + "\r\n:1\r\n");
            assertThat(full).contains(bulk("name") + bulk("idle") + bulk("seen-time") + ":" + t2 + "\r\n" + bulk("active-time")
                    + ":-1\r\n" + bulk("pel-count") + ":0\r\n" + bulk("pending") + "*0\r\n");
            assertThat(r.call("XPENDING", "s", "g", "-", "+", "10")).isEqualTo("*1\r\n*4\r\n" + bulk("1-0") + bulk("busy") + ":750\r\n:1\r\n");
            assertThat(r.call("XPENDING", "s", "g", "IDLE", "751", "-", "+", "10")).isEqualTo("*0\r\n");
            // Re-reading history counts a delivery and restarts the idle time.
            r.call("XREADGROUP", "GROUP", "g", "busy", "STREAMS", "s", "0");
            assertThat(r.call("XPENDING", "s", "g", "-", "+", "10")).isEqualTo("*1\r\n*4\r\n" + bulk("1-0") + bulk("busy") + ":0\r\n:2\r\n");
            // XCLAIM's min-idle-time: too fresh is not claimed, old enough is.
            assertThat(r.call("XCLAIM", "s", "g", "idle", "100", "1-0", "JUSTID")).isEqualTo("*0\r\n");
            clock.advance(100);
            assertThat(r.call("XCLAIM", "s", "g", "idle", "100", "1-0", "JUSTID")).isEqualTo("*1\r\n" + bulk("1-0"));
            assertThat(r.call("XCLAIM", "s", "g", "busy", "0", "1-0", "IDLE", "5000", "JUSTID")).isEqualTo("*1\r\n" + bulk("1-0"));
            assertThat(r.call("XPENDING", "s", "g", "-", "+", "10")).isEqualTo("*1\r\n*4\r\n" + bulk("1-0") + bulk("busy") + ":5000\r\n:2\r\n");
            assertThat(r.call("XAUTOCLAIM", "s", "g", "idle", "4000", "0", "JUSTID")).isEqualTo("*3\r\n" + bulk("0-0") + "*1\r\n" + bulk("1-0") + "*0\r\n");
        }
    }

    @Test
    void blockedReadgroupIsServedByAddInArrivalOrder() throws Exception {
        try (RespConnection admin = conn(); RespConnection a = conn(); RespConnection b = conn()) {
            admin.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            a.send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
            InfoFields.awaitBlockedClients(admin, 1);
            b.send("XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">");
            InfoFields.awaitBlockedClients(admin, 2);
            assertThat(InfoFields.parse(admin.call("INFO", "clients"))).containsEntry("total_blocking_keys_on_nokey", "1");
            admin.call("XADD", "s", "1-0", "f", "one");
            assertThat(a.readReply()).isEqualTo("*1\r\n*2\r\n" + bulk("s") + "*1\r\n*2\r\n" + bulk("1-0") + "*2\r\n" + bulk("f") + bulk("one"));
            InfoFields.awaitBlockedClients(admin, 1);
            admin.call("XADD", "s", "2-0", "f", "two");
            assertThat(b.readReply()).isEqualTo("*1\r\n*2\r\n" + bulk("s") + "*1\r\n*2\r\n" + bulk("2-0") + "*2\r\n" + bulk("f") + bulk("two"));
            assertThat(admin.call("XPENDING", "s", "g")).isEqualTo("*4\r\n:2\r\n" + bulk("1-0") + bulk("2-0")
                    + "*2\r\n*2\r\n" + bulk("alice") + bulk("1") + "*2\r\n" + bulk("bob") + bulk("1"));
            assertThat(InfoFields.parse(admin.call("INFO", "clients"))).containsEntry("total_blocking_keys_on_nokey", "0");
        }
    }

    @Test
    void blockedReadgroupFailsWhenItsGroupOrKeyGoes() throws Exception {
        String noGroup = "-NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option\r\n";
        try (RespConnection admin = conn(); RespConnection a = conn()) {
            admin.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            a.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
            InfoFields.awaitBlockedClients(admin, 1);
            assertThat(admin.call("XGROUP", "DESTROY", "s", "g")).isEqualTo(":1\r\n");
            assertThat(a.readReply()).isEqualTo(noGroup);

            admin.call("XGROUP", "CREATE", "s", "g", "$");
            a.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
            InfoFields.awaitBlockedClients(admin, 1);
            admin.call("DEL", "s");
            assertThat(a.readReply()).isEqualTo(noGroup);

            admin.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            a.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
            InfoFields.awaitBlockedClients(admin, 1);
            admin.call("SET", "s", "now a string");
            assertThat(a.readReply()).startsWith("-WRONGTYPE");

            admin.call("DEL", "s");
            admin.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            a.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
            InfoFields.awaitBlockedClients(admin, 1);
            admin.call("FLUSHDB");
            assertThat(a.readReply()).isEqualTo(noGroup);

            // A plain XREAD on the same key is not woken by the deletion.
            admin.call("XADD", "s", "1-0", "f", "v");
            a.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            InfoFields.awaitBlockedClients(admin, 1);
            admin.call("DEL", "s");
            assertThat(InfoFields.blockedClients(admin)).isEqualTo(1);
            admin.call("XADD", "s", "2-0", "f", "v");
            assertThat(a.readReply()).contains(bulk("2-0"));
            assertThat(a.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void lettuceGroupReadAckAndPending() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> r = conn.sync();
            r.xgroupCreate(XReadArgs.StreamOffset.from("orders", "0"), "workers", io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
            for (int i = 1; i <= 5; i++) r.xadd("orders", new io.lettuce.core.XAddArgs().id(i + "-0"), Map.of("n", String.valueOf(i)));
            List<StreamMessage<String, String>> got = r.xreadgroup(Consumer.from("workers", "w1"), XReadArgs.Builder.count(3),
                    XReadArgs.StreamOffset.lastConsumed("orders"));
            assertThat(got).extracting(StreamMessage::getId).containsExactly("1-0", "2-0", "3-0");
            assertThat(got.get(1).getBody()).isEqualTo(Map.of("n", "2"));
            assertThat(r.xack("orders", "workers", "1-0", "3-0", "9-0")).isEqualTo(2);
            io.lettuce.core.models.stream.PendingMessages summary = r.xpending("orders", "workers");
            assertThat(summary.getCount()).isEqualTo(1);
            assertThat(summary.getConsumerMessageCount()).isEqualTo(Map.of("w1", 1L));
            List<StreamMessage<String, String>> claimed = r.xclaim("orders", Consumer.from("workers", "w2"), 0, "2-0");
            assertThat(claimed).extracting(StreamMessage::getId).containsExactly("2-0");
            assertThat(r.xinfoGroups("orders")).hasSize(1);
        } finally {
            client.shutdown();
        }
    }

    /**
     * Consumers on their own connections read with {@code >} and acknowledge concurrently while
     * a writer adds entries: every entry is delivered to exactly one consumer, the group's
     * pending list is always the union of its consumers' lists, and it empties once all is acknowledged.
     */
    @Test
    void pendingListInvariantsUnderConcurrentConsumers() throws Exception {
        int entries = 600, consumers = 4;
        try (Jedis admin = Clients.jedis(server.port())) {
            admin.xgroupCreate("jobs", "g", new StreamEntryID(0, 0), true);
        }
        ExecutorService pool = Executors.newFixedThreadPool(consumers + 1);
        Map<String, String> deliveredTo = new ConcurrentHashMap<>();
        List<String> duplicates = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            Future<?> writer = pool.submit(() -> {
                try (Jedis w = Clients.jedis(server.port())) {
                    for (int i = 1; i <= entries; i++) w.xadd("jobs", new StreamEntryID(i, 0), Map.of("job", String.valueOf(i)));
                }
                return null;
            });
            List<Future<?>> workers = new ArrayList<>();
            for (int k = 0; k < consumers; k++) {
                String name = "c" + k;
                long seed = 77 + k;
                workers.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    try (Jedis j = Clients.jedis(server.port())) {
                        long quietRounds = 0;
                        while (deliveredTo.size() < entries && quietRounds < 2000) {
                            List<Map.Entry<String, List<StreamEntry>>> got = j.xreadGroup("g", name,
                                    XReadGroupParams.xReadGroupParams().count(1 + rnd.nextInt(5)), Map.of("jobs", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
                            if (got == null || got.isEmpty()) {
                                quietRounds++;
                                Thread.sleep(1);
                                continue;
                            }
                            List<StreamEntryID> ack = new ArrayList<>();
                            for (StreamEntry e : got.get(0).getValue()) {
                                if (deliveredTo.putIfAbsent(e.getID().toString(), name) != null) duplicates.add(e.getID().toString());
                                if (rnd.nextInt(4) != 0) ack.add(e.getID());
                            }
                            if (!ack.isEmpty()) j.xack("jobs", "g", ack.toArray(new StreamEntryID[0]));
                        }
                    }
                    return null;
                }));
            }
            writer.get(60, TimeUnit.SECONDS);
            for (Future<?> f : workers) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(duplicates).isEmpty();
        assertThat(deliveredTo).hasSize(entries);
        try (RespConnection r = conn(); Jedis j = Clients.jedis(server.port())) {
            // The group's list equals the union of the consumers' lists, each entry owned by its reader.
            Set<String> union = new HashSet<>();
            for (int k = 0; k < consumers; k++) {
                String name = "c" + k;
                for (var p : j.xpending("jobs", "g", redis.clients.jedis.params.XPendingParams.xPendingParams().count(10_000).consumer(name))) {
                    assertThat(union.add(p.getID().toString())).isTrue();
                    assertThat(deliveredTo.get(p.getID().toString())).isEqualTo(name);
                    assertThat(p.getDeliveredTimes()).isEqualTo(1);
                }
            }
            Set<String> group = new HashSet<>();
            for (var p : j.xpending("jobs", "g", redis.clients.jedis.params.XPendingParams.xPendingParams().count(10_000))) {
                group.add(p.getID().toString());
            }
            assertThat(group).isEqualTo(union);
            assertThat(r.call("XINFO", "GROUPS", "jobs")).contains(bulk("last-delivered-id") + bulk(entries + "-0")
                    + bulk("entries-read") + ":" + entries + "\r\n" + bulk("lag") + ":0\r\n");
            for (String id : union) j.xack("jobs", "g", new StreamEntryID(id));
            assertThat(r.call("XPENDING", "jobs", "g")).isEqualTo("*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n");
        }
    }
}
