package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.TestServer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.params.ZParams;
import redis.clients.jedis.resps.Tuple;

/** The sorted-set family as applications use it: Jedis (RESP2) and Lettuce (RESP3, scores as doubles). */
class SortedSetClientTest {
    static TestServer server;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { if (server != null) server.close(); }

    @Test
    void jedisLeaderboard() {
        try (Jedis j = Clients.jedis(server.port())) {
            j.flushAll();
            assertThat(j.zadd("board", Map.of("ann", 10.0, "bob", 25.5, "cy", 17.0))).isEqualTo(3);
            assertThat(j.zincrby("board", 10, "ann")).isEqualTo(20.0);
            assertThat(j.zadd("board", 5, "bob", ZAddParams.zAddParams().gt())).isZero();
            assertThat(j.zscore("board", "bob")).isEqualTo(25.5);
            assertThat(j.zrevrange("board", 0, 1)).containsExactly("bob", "ann");
            List<Tuple> top = j.zrevrangeWithScores("board", 0, -1);
            assertThat(top).extracting(Tuple::getElement).containsExactly("bob", "ann", "cy");
            assertThat(top).extracting(Tuple::getScore).containsExactly(25.5, 20.0, 17.0);
            assertThat(j.zrank("board", "cy")).isZero();
            assertThat(j.zrevrank("board", "cy")).isEqualTo(2);
            assertThat(j.zcount("board", 17, 20)).isEqualTo(2);
            assertThat(j.zrangeByScore("board", "(17", "+inf")).containsExactly("ann", "bob");
            assertThat(j.zmscore("board", "ann", "nobody")).containsExactly(20.0, null);
            Tuple low = j.zpopmin("board");
            assertThat(low.getElement()).isEqualTo("cy");
            assertThat(j.zcard("board")).isEqualTo(2);
            j.zadd("other", Map.of("ann", 1.0, "dan", 2.0));
            assertThat(j.zunionstore("all", new ZParams().weights(1, 100).aggregate(ZParams.Aggregate.MAX), "board", "other"))
                    .isEqualTo(3);
            assertThat(j.zrangeWithScores("all", 0, -1)).extracting(Tuple::getScore).containsExactly(25.5, 100.0, 200.0);
            assertThat(j.zinter(new ZParams(), "board", "other")).containsExactly("ann");
            assertThat(j.zintercard("board", "other")).isEqualTo(1);
            assertThat(j.zdiff("board", "other")).containsExactly("bob");
            assertThat(j.zrem("board", "ann", "bob")).isEqualTo(2);
            assertThat(j.exists("board")).isFalse();
            j.set("s", "x");
            assertThatThrownBy(() -> j.zadd("s", 1, "a")).isInstanceOf(JedisDataException.class).hasMessageStartingWith("WRONGTYPE");
            assertThatThrownBy(() -> j.zrangeByScore("other", "x", "1")).hasMessage("ERR min or max is not a float");
        }
    }

    @Test
    void lettuceResp3ScoresAndRanges() {
        RedisClient client = Clients.lettuceResp3(server.port());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> r = c.sync();
            r.flushall();
            r.zadd("z", 1.5, "a", 2.0, "b", 0.1, "c");
            assertThat(r.zscore("z", "c")).isEqualTo(0.1);
            List<ScoredValue<String>> all = r.zrangeWithScores("z", 0, -1);
            assertThat(all).extracting(ScoredValue::getValue).containsExactly("c", "a", "b");
            assertThat(all).extracting(ScoredValue::getScore).containsExactly(0.1, 1.5, 2.0);
            assertThat(r.zrangebyscore("z", Range.create(1, 2), Limit.create(1, 1))).containsExactly("b");
            r.zadd("lex", 0.0, "a", 0.0, "b", 0.0, "c");
            assertThat(r.zrangebylex("lex", Range.from(Range.Boundary.excluding("a"), Range.Boundary.unbounded())))
                    .containsExactly("b", "c");
            assertThat(r.zlexcount("lex", Range.unbounded())).isEqualTo(3);
            List<ScoredValue<String>> popped = r.zpopmax("z", 2);
            assertThat(popped).extracting(ScoredValue::getValue).containsExactly("b", "a");
            assertThat(r.zrandmemberWithScores("z", 1)).extracting(ScoredValue::getScore).containsExactly(0.1);
            assertThat(r.zrangestore("dst", "lex", Range.create(0L, 1L))).isEqualTo(2);
            assertThat(r.zrange("dst", 0, -1)).containsExactly("a", "b");
        } finally {
            Clients.shutdown(client);
        }
    }
}
