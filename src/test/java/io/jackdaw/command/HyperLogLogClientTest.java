package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** PF* through real clients: Jedis (RESP2) and Lettuce (RESP3), binary values included. */
class HyperLogLogClientTest {
    static TestServer server;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { if (server != null) server.close(); }

    @Test
    void jedis() {
        try (Jedis j = Clients.jedis(server.port())) {
            j.flushAll();
            assertThat(j.pfadd("j1", "a", "b", "c")).isEqualTo(1);
            assertThat(j.pfadd("j1", "a")).isZero();
            assertThat(j.pfcount("j1")).isEqualTo(3);
            for (int i = 0; i < 1000; i++) j.pfadd("j2", "e" + i);
            // 1000 distinct elements: the estimate is within the standard error (0.81%) many times over.
            long c2 = j.pfcount("j2");
            assertThat(c2).isBetween(950L, 1050L);
            assertThat(j.pfmerge("j3", "j1", "j2")).isEqualTo("OK");
            assertThat(j.pfcount("j3")).isEqualTo(j.pfcount("j1", "j2"));
            j.lpush("list", "x");
            assertThatThrownBy(() -> j.pfadd("list", "a")).isInstanceOf(JedisDataException.class)
                    .hasMessage("WRONGTYPE Operation against a key holding the wrong kind of value");
            j.set("str", "plain");
            assertThatThrownBy(() -> j.pfcount("str")).isInstanceOf(JedisDataException.class)
                    .hasMessage("WRONGTYPE Key is not a valid HyperLogLog string value.");
            // The value is a string: copy it byte for byte with GET/SET and it counts the same.
            byte[] raw = j.get("j2".getBytes(StandardCharsets.UTF_8));
            j.set("copy".getBytes(StandardCharsets.UTF_8), raw);
            assertThat(j.pfcount("copy")).isEqualTo(c2);
        }
    }

    @Test
    void lettuceResp3() {
        RedisClient client = Clients.lettuceResp3(server.port());
        try (StatefulRedisConnection<byte[], byte[]> conn = client.connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> r = conn.sync();
            byte[] k = "l1".getBytes(StandardCharsets.UTF_8);
            assertThat(r.pfadd(k, new byte[] {0}, new byte[] {(byte) 0xff, 1}, new byte[0])).isEqualTo(1);
            assertThat(r.pfcount(k)).isEqualTo(3);
            assertThat(r.pfmerge("l2".getBytes(StandardCharsets.UTF_8), k)).isEqualTo("OK");
            assertThat(r.pfcount("l2".getBytes(StandardCharsets.UTF_8), k)).isEqualTo(3);
            r.set("bad".getBytes(StandardCharsets.UTF_8), "HYLLxxxxxxxxxxxxxxxx".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> r.pfcount("bad".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessage("WRONGTYPE Key is not a valid HyperLogLog string value.");
        } finally {
            Clients.shutdown(client);
        }
    }
}
