package io.jackdaw.testing;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;

/** The real clients the integration tests use, configured one way for every test class. */
public final class Clients {
    private Clients() {}

    /** Jedis (RESP2) on a loopback port, in database 0. */
    public static Jedis jedis(int port) { return jedis(port, 0); }

    /** Jedis (RESP2) on a loopback port, in the given database. */
    public static Jedis jedis(int port, int db) {
        return new Jedis("127.0.0.1", port, DefaultJedisClientConfig.builder().timeoutMillis(10_000).database(db).build());
    }

    /** A Lettuce client that speaks RESP3 (HELLO 3 on connect). */
    public static RedisClient lettuceResp3(int port) {
        RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(port).withTimeout(Duration.ofSeconds(10)).build();
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
        return client;
    }

    /** Closes a Lettuce client without its default two-second quiet period. */
    public static void shutdown(RedisClient client) {
        if (client != null) client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
