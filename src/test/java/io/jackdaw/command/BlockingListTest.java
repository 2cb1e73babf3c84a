package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.InfoFields;
import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
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

/**
 * BLPOP, BRPOP, BLMPOP, BLMOVE and BRPOPLPUSH over real sockets: who gets a pushed element
 * (the oldest waiter), what each reply looks like, timeouts, CLIENT UNBLOCK, disconnects,
 * requests pipelined behind a blocked one, keys that arrive by RENAME or SWAPDB or with the
 * wrong type, chains of moves, and many threads pushing and popping at once.
 */
class BlockingListTest {
    private static TestServer server;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { server.close(); }

    @BeforeEach
    void flush() throws Exception {
        try (RespConnection r = conn()) {
            r.call("FLUSHALL");
            r.call("CONFIG", "RESETSTAT");
            awaitBlocked(r, 0);
        }
    }

    private static RespConnection conn() throws Exception { return new RespConnection(server.port()); }

    private static void awaitBlocked(RespConnection admin, int n) throws Exception { InfoFields.awaitBlockedClients(admin, n); }

    private static long blocked(RespConnection admin) throws Exception { return InfoFields.blockedClients(admin); }

    @Test
    void theOldestWaiterGetsTheFirstElement() throws Exception {
        try (RespConnection admin = conn(); RespConnection a = conn(); RespConnection b = conn(); RespConnection c = conn()) {
            a.send("BLPOP", "k", "0");
            awaitBlocked(admin, 1);
            b.send("BLPOP", "other", "k", "0");
            awaitBlocked(admin, 2);
            c.send("BRPOP", "k", "0");
            awaitBlocked(admin, 3);
            assertThat(admin.call("RPUSH", "k", "x", "y", "z")).isEqualTo(":3\r\n");
            assertThat(a.readReply()).isEqualTo("*2\r\n$1\r\nk\r\n$1\r\nx\r\n");
            assertThat(b.readReply()).isEqualTo("*2\r\n$1\r\nk\r\n$1\r\ny\r\n");
            assertThat(c.readReply()).isEqualTo("*2\r\n$1\r\nk\r\n$1\r\nz\r\n");
            assertThat(admin.call("EXISTS", "k")).isEqualTo(":0\r\n");
            awaitBlocked(admin, 0);
            Map<String, String> info = InfoFields.parse(admin.call("INFO", "clients"));
            assertThat(info.get("total_blocking_keys")).isEqualTo("0");
        }
    }

    @Test
    void aPushThatFeedsOneWaiterLeavesTheRestBlocked() throws Exception {
        try (RespConnection admin = conn(); RespConnection a = conn(); RespConnection b = conn()) {
            a.send("BLPOP", "k", "0");
            awaitBlocked(admin, 1);
            b.send("BLPOP", "k", "0");
            awaitBlocked(admin, 2);
            admin.call("LPUSH", "k", "only");
            assertThat(a.readReply()).isEqualTo("*2\r\n$1\r\nk\r\n$4\r\nonly\r\n");
            awaitBlocked(admin, 1);
            assertThat(admin.call("CLIENT", "LIST")).contains("flags=b");
            admin.call("LPUSH", "k", "next");
            assertThat(b.readReply()).isEqualTo("*2\r\n$1\r\nk\r\n$4\r\nnext\r\n");
        }
    }

    @Test
    void timeoutsAnswerWithANullArrayInBothProtocols() throws Exception {
        try (RespConnection r = conn()) {
            assertThat(r.call("BLPOP", "k", "0.05")).isEqualTo("*-1\r\n");
            assertThat(r.call("BRPOP", "k1", "k2", "0.01")).isEqualTo("*-1\r\n");
            assertThat(r.call("BLMPOP", "0.01", "1", "k", "LEFT")).isEqualTo("*-1\r\n");
            // Redis times BLMOVE out with a null array too (the list reply), not a null bulk.
            assertThat(r.call("BLMOVE", "k", "d", "LEFT", "RIGHT", "0.01")).isEqualTo("*-1\r\n");
            assertThat(r.call("BRPOPLPUSH", "k", "d", "0.01")).isEqualTo("*-1\r\n");
            r.call("HELLO", "3");
            assertThat(r.call("BLPOP", "k", "0.01")).isEqualTo("_\r\n");
            assertThat(r.call("PING")).isEqualTo("+PONG\r\n");
            Map<String, String> stats = InfoFields.parse(r.call("INFO", "commandstats"));
            assertThat(stats.get("cmdstat_blpop")).startsWith("calls=2,");
        }
    }

    @Test
    void argumentErrorsComeBeforeAnyBlocking() throws Exception {
        try (RespConnection r = conn()) {
            r.call("SET", "str", "v");
            assertThat(r.call("BLPOP", "k", "-1")).isEqualTo("-ERR timeout is negative\r\n");
            assertThat(r.call("BLPOP", "k", "abc")).isEqualTo("-ERR timeout is not a float or out of range\r\n");
            assertThat(r.call("BLPOP", "k", "inf")).isEqualTo("-ERR timeout is out of range\r\n");
            assertThat(r.call("BLPOP", "k", "1e300")).isEqualTo("-ERR timeout is out of range\r\n");
            assertThat(r.call("BLPOP", "str", "0")).startsWith("-WRONGTYPE");
            assertThat(r.call("BLPOP", "nothing", "str", "0")).startsWith("-WRONGTYPE");
            assertThat(r.call("BLMOVE", "str", "d", "LEFT", "LEFT", "0")).startsWith("-WRONGTYPE");
            assertThat(r.call("BLMOVE", "k", "d", "UP", "LEFT", "0")).isEqualTo("-ERR syntax error\r\n");
            assertThat(r.call("BLMPOP", "0", "0", "k", "LEFT")).isEqualTo("-ERR numkeys should be greater than 0\r\n");
            assertThat(r.call("BLMPOP", "0", "2", "k", "LEFT")).isEqualTo("-ERR syntax error\r\n");
            assertThat(r.call("BLMPOP", "0", "1", "k", "LEFT", "COUNT", "0"))
                    .isEqualTo("-ERR count should be greater than 0\r\n");
            assertThat(r.call("BLPOP", "k")).isEqualTo("-ERR wrong number of arguments for 'blpop' command\r\n");
        }
    }

    @Test
    void nonEmptyListsAnswerAtOnce() throws Exception {
        try (RespConnection r = conn()) {
            r.call("RPUSH", "k", "a", "b", "c", "d");
            assertThat(r.call("BLPOP", "none", "k", "0")).isEqualTo("*2\r\n$1\r\nk\r\n$1\r\na\r\n");
            assertThat(r.call("BRPOP", "k", "0")).isEqualTo("*2\r\n$1\r\nk\r\n$1\r\nd\r\n");
            assertThat(r.call("BLMPOP", "0", "2", "none", "k", "RIGHT", "COUNT", "5"))
                    .isEqualTo("*2\r\n$1\r\nk\r\n*2\r\n$1\r\nc\r\n$1\r\nb\r\n");
            r.call("RPUSH", "k", "1", "2");
            assertThat(r.call("BLMOVE", "k", "d", "LEFT", "RIGHT", "0")).isEqualTo("$1\r\n1\r\n");
            assertThat(r.call("BRPOPLPUSH", "k", "d", "0")).isEqualTo("$1\r\n2\r\n");
            assertThat(r.call("LRANGE", "d", "0", "-1")).isEqualTo("*2\r\n$1\r\n2\r\n$1\r\n1\r\n");
        }
    }

    @Test
    void blmpopWithCountTakesWhatIsThereWhenServed() throws Exception {
        try (RespConnection admin = conn(); RespConnection a = conn()) {
            a.send("BLMPOP", "0", "2", "k1", "k2", "LEFT", "COUNT", "10");
            awaitBlocked(admin, 1);
            admin.call("RPUSH", "k2", "a", "b", "c");
            assertThat(a.readReply()).isEqualTo("*2\r\n$2\r\nk2\r\n*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
        }
    }

    @Test
    void theServedReplyUsesTheWaitersProtocol() throws Exception {
        try (RespConnection admin = conn(); RespConnection a = conn()) {
            a.call("HELLO", "3");
            a.send("BLMPOP", "0", "1", "k", "RIGHT");
            awaitBlocked(admin, 1);
            admin.call("RPUSH", "k", "v");
            assertThat(a.readReply()).isEqualTo("*2\r\n$1\r\nk\r\n*1\r\n$1\r\nv\r\n");
            a.send("BLPOP", "k", "0");
            awaitBlocked(admin, 1);
            admin.call("RPUSH", "k", "w");
            assertThat(a.readReply()).isEqualTo("*2\r\n$1\r\nk\r\n$1\r\nw\r\n");
        }
    }

    @Test
    void requestsPipelinedBehindABlockedOneWaitForIt() throws Exception {
        try (RespConnection admin = conn(); RespConnection a = conn()) {
            a.sendRaw("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\ns\r\n");
            awaitBlocked(admin, 1);
            admin.call("SET", "s", "set-later");
            admin.call("RPUSH", "k", "v");
            assertThat(a.readReply()).isEqualTo("*2\r\n$1\r\nk\r\n$1\r\nv\r\n");
            assertThat(a.readReply()).isEqualTo("+PONG\r\n");
            assertThat(a.readReply()).isEqualTo("$9\r\nset-later\r\n");
        }
    }

    @Test
    void aKeyOfAnotherTypeLeavesWaitersBlockedUntilAListArrives() throws Exception {
        try (RespConnection admin = conn(); RespConnection a = conn()) {
            a.send("BLPOP", "k", "0");
            awaitBlocked(admin, 1);
            admin.call("SET", "k", "string");
            admin.call("HSET", "k2", "f", "v");
            admin.call("RENAME", "k2", "k");
            assertThat(blocked(admin)).isEqualTo(1);
            admin.call("DEL", "k");
            admin.call("RPUSH", "src", "moved");
            admin.call("RENAME", "src", "k"); // a list that arrives under the name serves the waiter
            assertThat(a.readReply()).isEqualTo("*2\r\n$1\r\nk\r\n$5\r\nmoved\r\n");
        }
    }

    @Test
    void swapdbAndMoveBringValuesToWaiters() throws Exception {
        try (RespConnection admin = conn(); RespConnection a = conn(); RespConnection b = conn()) {
            a.send("BLPOP", "k", "0");
            awaitBlocked(admin, 1);
            admin.call("SELECT", "1");
            admin.call("RPUSH", "k", "from-db1");
            admin.call("SWAPDB", "0", "1");
            assertThat(a.readReply()).isEqualTo("*2\r\n$1\r\nk\r\n$8\r\nfrom-db1\r\n");
            b.call("SELECT", "2");
            b.send("BLPOP", "m", "0");
            awaitBlocked(admin, 1);
            admin.call("RPUSH", "m", "moved");
            admin.call("MOVE", "m", "2");
            assertThat(b.readReply()).isEqualTo("*2\r\n$1\r\nm\r\n$5\r\nmoved\r\n");
        }
    }

    @Test
    void linkedAndCircularMovesAllComplete() throws Exception {
        try (RespConnection admin = conn(); RespConnection a = conn(); RespConnection b = conn()) {
            // Keys chosen to live in different shards, so serving needs the destinations' locks too.
            a.send("BLMOVE", "list1", "list2", "RIGHT", "LEFT", "0");
            awaitBlocked(admin, 1);
            b.send("BLMOVE", "list2", "list3", "LEFT", "RIGHT", "0");
            awaitBlocked(admin, 2);
            admin.call("RPUSH", "list1", "foo");
            assertThat(a.readReply()).isEqualTo("$3\r\nfoo\r\n");
            assertThat(b.readReply()).isEqualTo("$3\r\nfoo\r\n");
            assertThat(admin.call("LRANGE", "list3", "0", "-1")).isEqualTo("*1\r\n$3\r\nfoo\r\n");
            assertThat(admin.call("EXISTS", "list1", "list2")).isEqualTo(":0\r\n");

            a.send("BRPOPLPUSH", "c1", "c2", "0");
            awaitBlocked(admin, 1);
            b.send("BRPOPLPUSH", "c2", "c1", "0");
            awaitBlocked(admin, 2);
            admin.call("RPUSH", "c1", "bar");
            assertThat(a.readReply()).isEqualTo("$3\r\nbar\r\n");
            assertThat(b.readReply()).isEqualTo("$3\r\nbar\r\n");
            assertThat(admin.call("LRANGE", "c1", "0", "-1")).isEqualTo("*1\r\n$3\r\nbar\r\n");
            assertThat(admin.call("EXISTS", "c2")).isEqualTo(":0\r\n");

            a.send("BRPOPLPUSH", "self", "self", "0");
            awaitBlocked(admin, 1);
            admin.call("RPUSH", "self", "x");
            assertThat(a.readReply()).isEqualTo("$1\r\nx\r\n");
            assertThat(admin.call("LRANGE", "self", "0", "-1")).isEqualTo("*1\r\n$1\r\nx\r\n");
        }
    }

    @Test
    void aServedMoveIntoAWrongTypeDestinationGetsTheErrorAndKeepsTheElement() throws Exception {
        try (RespConnection admin = conn(); RespConnection a = conn()) {
            admin.call("SET", "target", "string");
            a.send("BRPOPLPUSH", "blist", "target", "0");
            awaitBlocked(admin, 1);
            admin.call("RPUSH", "blist", "foo");
            assertThat(a.readReply()).startsWith("-WRONGTYPE");
            assertThat(admin.call("LRANGE", "blist", "0", "-1")).isEqualTo("*1\r\n$3\r\nfoo\r\n");
        }
    }

    @Test
    void clientUnblockWakesWithTheTimeoutReplyOrAnError() throws Exception {
        try (RespConnection admin = conn(); RespConnection a = conn()) {
            long id = Long.parseLong(a.call("CLIENT", "ID").substring(1).trim());
            a.send("BLPOP", "k", "0");
            awaitBlocked(admin, 1);
            assertThat(admin.call("CLIENT", "UNBLOCK", Long.toString(id))).isEqualTo(":1\r\n");
            // Counted before CLIENT UNBLOCK answers (the TCL suite reads INFO straight after).
            assertThat(InfoFields.parse(admin.call("INFO", "commandstats")).get("cmdstat_blpop")).startsWith("calls=1,");
            assertThat(blocked(admin)).isZero();
            assertThat(a.readReply()).isEqualTo("*-1\r\n");
            assertThat(admin.call("CLIENT", "UNBLOCK", Long.toString(id))).isEqualTo(":0\r\n");
            a.send("BLMOVE", "k", "d", "LEFT", "LEFT", "0");
            awaitBlocked(admin, 1);
            assertThat(admin.call("CLIENT", "UNBLOCK", Long.toString(id), "ERROR")).isEqualTo(":1\r\n");
            assertThat(a.readReply()).isEqualTo("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
            assertThat(a.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(admin.call("CLIENT", "UNBLOCK", "99999", "TIMEOUT")).isEqualTo(":0\r\n");
            Map<String, String> stats = InfoFields.parse(admin.call("INFO", "commandstats"));
            assertThat(stats.get("cmdstat_blmove")).contains("calls=1,").contains("failed_calls=1");
        }
    }

    @Test
    void aWaiterThatDisconnectsIsForgotten() throws Exception {
        try (RespConnection admin = conn()) {
            RespConnection a = conn();
            a.send("BLPOP", "k", "0");
            awaitBlocked(admin, 1);
            a.close();
            awaitBlocked(admin, 0);
            admin.call("RPUSH", "k", "kept");
            assertThat(admin.call("LRANGE", "k", "0", "-1")).isEqualTo("*1\r\n$4\r\nkept\r\n");
            assertThat(InfoFields.parse(admin.call("INFO", "clients")).get("total_blocking_keys")).isEqualTo("0");
        }
    }

    @Test
    void repeatedKeysBlockOnce() throws Exception {
        try (RespConnection admin = conn(); RespConnection a = conn()) {
            a.send("BLPOP", "k", "k", "k", "0");
            awaitBlocked(admin, 1);
            assertThat(InfoFields.parse(admin.call("INFO", "clients")).get("total_blocking_keys")).isEqualTo("1");
            admin.call("RPUSH", "k", "v");
            assertThat(a.readReply()).isEqualTo("*2\r\n$1\r\nk\r\n$1\r\nv\r\n");
        }
    }

    /**
     * Pushers and poppers on many threads over keys in many shards, with BLMOVEs relaying
     * elements between shards: every pushed element comes out exactly once.
     */
    @Test
    void concurrentPushersAndBlockedPoppersLoseNothing() throws Exception {
        int producers = 4, consumers = 6, perProducer = 400, keys = 8;
        ExecutorService pool = Executors.newFixedThreadPool(producers + consumers + 2);
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        List<Future<?>> tasks = new ArrayList<>();
        int total = producers * perProducer;
        try {
            // Relays move from "in:i" to "out:i" (different shards), consumers pop "out:*".
            for (int i = 0; i < 2; i++) {
                tasks.add(pool.submit(() -> {
                    try (Jedis j = Clients.jedis(server.port())) {
                        while (true) {
                            String v = j.blmove("in:" + 0, "out:" + 0, redis.clients.jedis.args.ListDirection.LEFT,
                                    redis.clients.jedis.args.ListDirection.RIGHT, 0.2);
                            if ("stop".equals(v)) return null; // moved on: consumers see it too
                        }
                    }
                }));
            }
            for (int i = 0; i < consumers; i++) {
                tasks.add(pool.submit(() -> {
                    try (Jedis j = Clients.jedis(server.port())) {
                        List<String> ks = new ArrayList<>();
                        for (int k = 0; k < keys; k++) ks.add("out:" + k);
                        while (true) {
                            var kv = j.blpop(0.2, ks.toArray(new String[0]));
                            if (kv == null) continue;
                            if ("stop".equals(kv.getValue())) {
                                j.rpush(kv.getKey(), "stop");
                                return null;
                            }
                            seen.merge(kv.getValue(), 1, Integer::sum);
                        }
                    }
                }));
            }
            List<Future<?>> producing = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                producing.add(pool.submit(() -> {
                    Random r = new Random(id);
                    try (Jedis j = Clients.jedis(server.port())) {
                        for (int n = 0; n < perProducer; n++) {
                            String v = id + ":" + n;
                            if (r.nextInt(4) == 0) j.rpush("in:0", v);
                            else j.rpush("out:" + r.nextInt(keys), v);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : producing) f.get(60, TimeUnit.SECONDS);
            try (Jedis j = Clients.jedis(server.port())) {
                for (int i = 0; i < 200 && seen.size() < total; i++) Thread.sleep(25);
                j.rpush("in:0", "stop", "stop"); // one per relay
            }
            for (Future<?> f : tasks) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).hasSize(total);
        assertThat(Collections.max(seen.values())).isEqualTo(1);
    }
}
