package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.ManualClock;
import io.jackdaw.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.exceptions.JedisDataException;

/** Hash-field expiry through Jedis 6's own HEXPIRE family API, as an application calls it. */
class HashFieldExpiryJedisTest {
    static final ManualClock clock = new ManualClock(1_700_000_000_000L);
    static TestServer server;
    Jedis jedis;

    @BeforeAll
    static void start() { server = TestServer.start(clock); }

    @AfterAll
    static void stop() { if (server != null) server.close(); }

    @BeforeEach
    void connect() {
        jedis = Clients.jedis(server.port(), 0);
        jedis.flushAll();
        jedis.sendCommand(() -> "DEBUG".getBytes(), "SET-ACTIVE-EXPIRE", "0");
    }

    @AfterEach
    void close() {
        jedis.sendCommand(() -> "DEBUG".getBytes(), "SET-ACTIVE-EXPIRE", "1");
        jedis.close();
    }

    @Test
    void setReadAndRemoveFieldExpiries() {
        long now = clock.millis();
        jedis.hset("h", Map.of("a", "1", "b", "2", "c", "3"));
        assertThat(jedis.hexpire("h", 100, "a", "missing")).containsExactly(1L, -2L);
        assertThat(jedis.hpexpire("h", 5_000, ExpiryOption.NX, "a", "b")).containsExactly(0L, 1L);
        assertThat(jedis.hexpireAt("h", now / 1000 + 200, ExpiryOption.GT, "a")).containsExactly(1L);
        assertThat(jedis.hpexpireAt("h", now + 1_000, ExpiryOption.LT, "c")).containsExactly(1L);
        assertThat(jedis.httl("h", "a", "b", "c", "missing")).containsExactly(200L, 5L, 1L, -2L);
        assertThat(jedis.hpttl("h", "b")).containsExactly(5_000L);
        assertThat(jedis.hexpireTime("h", "a")).containsExactly((now + 200_000 + 999) / 1000);
        assertThat(jedis.hpexpireTime("h", "c")).containsExactly(now + 1_000);
        assertThat(jedis.hpersist("h", "c", "c")).containsExactly(1L, -1L);
        assertThat(jedis.objectEncoding("h")).isEqualTo("listpackex");
        clock.advance(5_001);
        assertThat(jedis.hgetAll("h")).isEqualTo(Map.of("a", "1", "c", "3"));
        assertThat(jedis.hlen("h")).as("b is past its time but not yet deleted").isEqualTo(3);
        assertThat(jedis.hget("h", "b")).isNull();
        assertThat(jedis.hlen("h")).isEqualTo(2);
        assertThat(jedis.hexpire("nokey", 10, "a")).containsExactly(-2L);
    }

    @Test
    void errorsReachTheClient() {
        jedis.set("s", "x");
        jedis.hset("h", "a", "1");
        assertThatThrownBy(() -> jedis.hexpire("s", 10, "a")).isInstanceOf(JedisDataException.class)
                .hasMessage("WRONGTYPE Operation against a key holding the wrong kind of value");
        assertThatThrownBy(() -> jedis.hexpire("h", -1, "a")).isInstanceOf(JedisDataException.class)
                .hasMessage("ERR invalid expire time, must be >= 0");
        assertThatThrownBy(() -> jedis.hpexpireAt("h", 1L << 46, "a")).isInstanceOf(JedisDataException.class)
                .hasMessage("ERR invalid expire time in 'hpexpireat' command");
        assertThat(jedis.hpexpire("h", 0, "a")).as("a time not in the future deletes").containsExactly(2L);
        assertThat(jedis.exists("h")).isFalse();
        assertThat(jedis.httl("h", "a")).isEqualTo(List.of(-2L));
    }
}
