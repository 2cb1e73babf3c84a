package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.TestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The set family through Jedis 6 (RESP2), as an application uses it. */
class SetJedisTest {
    static TestServer server;
    Jedis jedis;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { if (server != null) server.close(); }

    @BeforeEach
    void open() {
        jedis = Clients.jedis(server.port());
        jedis.flushAll();
    }

    @AfterEach
    void close() { if (jedis != null) jedis.close(); }

    @Test
    void membershipAndTheAlgebra() {
        assertThat(jedis.sadd("tags:1", "redis", "java", "db")).isEqualTo(3);
        assertThat(jedis.sadd("tags:1", "java")).isZero();
        assertThat(jedis.sadd("tags:2", "java", "jvm", "gc")).isEqualTo(3);
        assertThat(jedis.smembers("tags:1")).containsExactlyInAnyOrder("redis", "java", "db");
        assertThat(jedis.sismember("tags:1", "db")).isTrue();
        assertThat(jedis.smismember("tags:1", "db", "gc")).containsExactly(true, false);
        assertThat(jedis.scard("tags:2")).isEqualTo(3);
        assertThat(jedis.sinter("tags:1", "tags:2")).containsExactly("java");
        assertThat(jedis.sintercard("tags:1", "tags:2")).isEqualTo(1);
        assertThat(jedis.sintercard(1, "tags:1", "tags:2")).isEqualTo(1);
        assertThat(jedis.sunion("tags:1", "tags:2")).containsExactlyInAnyOrder("redis", "java", "db", "jvm", "gc");
        assertThat(jedis.sdiff("tags:1", "tags:2")).containsExactlyInAnyOrder("redis", "db");
        assertThat(jedis.sinterstore("both", "tags:1", "tags:2")).isEqualTo(1);
        assertThat(jedis.sunionstore("any", "tags:1", "tags:2")).isEqualTo(5);
        assertThat(jedis.sdiffstore("only1", "tags:1", "tags:2")).isEqualTo(2);
        assertThat(jedis.smembers("only1")).containsExactlyInAnyOrder("redis", "db");
        assertThat(jedis.smove("tags:2", "tags:1", "gc")).isEqualTo(1);
        assertThat(jedis.smove("tags:2", "tags:1", "nope")).isZero();
        assertThat(jedis.srem("tags:1", "gc", "nope")).isEqualTo(1);
        assertThat(jedis.objectEncoding("tags:1")).isEqualTo("listpack");
        assertThat(jedis.type("tags:1")).isEqualTo("set");
        assertThat(jedis.sadd("ids", "3", "1", "2")).isEqualTo(3);
        assertThat(jedis.objectEncoding("ids")).isEqualTo("intset");
        assertThat(jedis.smembers("ids")).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(jedis.spop("nokey")).isNull();
        assertThat(jedis.srandmember("nokey")).isNull();
        assertThat(jedis.spop("ids", 10)).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(jedis.exists("ids")).isFalse();
        jedis.set("s", "v");
        assertThatThrownBy(() -> jedis.sadd("s", "x")).isInstanceOf(redis.clients.jedis.exceptions.JedisDataException.class)
                .hasMessageStartingWith("WRONGTYPE");
    }

    @Test
    void randomMembersOfALargeSet() {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 1000; i++) all.add("m" + i);
        jedis.sadd("big", all.toArray(String[]::new));
        assertThat(jedis.objectEncoding("big")).isEqualTo("hashtable");
        assertThat(jedis.srandmember("big")).isIn(all);
        List<String> picks = jedis.srandmember("big", 50);
        assertThat(new HashSet<>(picks)).hasSize(50);
        assertThat(all).containsAll(picks);
        assertThat(jedis.srandmember("big", -2000)).hasSize(2000).allMatch(all::contains);
        Set<String> popped = jedis.spop("big", 900);
        assertThat(popped).hasSize(900);
        assertThat(all).containsAll(popped);
        Set<String> rest = jedis.smembers("big");
        assertThat(rest).hasSize(100).doesNotContainAnyElementsOf(popped);
    }

    @Test
    void sscanWalksEveryMemberOnce() {
        for (int i = 0; i < 700; i++) jedis.sadd("big", "m" + i);
        Set<String> seen = new HashSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> r = jedis.sscan("big", cursor, new ScanParams().count(25).match("m*"));
            seen.addAll(r.getResult());
            cursor = r.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        assertThat(seen).hasSize(700);
        ScanResult<String> small = jedis.sscan("nokey", "0");
        assertThat(small.getCursor()).isEqualTo("0");
        assertThat(small.getResult()).isEmpty();
    }

    /**
     * SMOVE is atomic across two keys: clients moving members back and forth between two sets
     * in the same slot never lose or duplicate one.
     */
    @Test
    void concurrentSmovesKeepEveryMemberInExactlyOneSet() throws Exception {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 200; i++) members.add("m" + i);
        jedis.sadd("{pair}left", members.toArray(String[]::new));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int seed = w;
            workers.add(pool.submit(() -> {
                try (Jedis j = Clients.jedis(server.port())) {
                    java.util.Random rnd = new java.util.Random(seed);
                    for (int i = 0; i < 2000; i++) {
                        String m = members.get(rnd.nextInt(members.size()));
                        if (rnd.nextBoolean()) j.smove("{pair}left", "{pair}right", m);
                        else j.smove("{pair}right", "{pair}left", m);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : workers) f.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        Set<String> left = jedis.smembers("{pair}left"), right = jedis.smembers("{pair}right");
        assertThat(left).doesNotContainAnyElementsOf(right);
        Set<String> union = new HashSet<>(left);
        union.addAll(right);
        assertThat(union).containsExactlyInAnyOrderElementsOf(members);
    }
}
