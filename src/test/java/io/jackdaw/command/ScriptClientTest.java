package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Scripts through real clients, in the shapes job-queue and locking libraries use them (written
 * here, after their patterns): a compare-and-delete lock release, a token-bucket rate limiter,
 * a BullMQ-like moveToActive that touches keys it did not declare, and atomicity against
 * concurrent clients.
 */
class ScriptClientTest {
    static TestServer server;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { if (server != null) server.close(); }

    static final String LOCK_RELEASE = """
            if redis.call('get', KEYS[1]) == ARGV[1] then
              return redis.call('del', KEYS[1])
            else
              return 0
            end""";

    static final String TOKEN_BUCKET = """
            local key, rate, capacity, now, want = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
            local state = redis.call('hmget', key, 'tokens', 'ts')
            local tokens = tonumber(state[1]) or capacity
            local ts = tonumber(state[2]) or now
            tokens = math.min(capacity, tokens + (now - ts) * rate)
            local allowed = 0
            if tokens >= want then tokens = tokens - want allowed = 1 end
            redis.call('hset', key, 'tokens', tokens, 'ts', now)
            redis.call('pexpire', key, math.ceil(capacity / rate) * 1000)
            return {allowed, math.floor(tokens)}""";

    /** Moves the next job from wait to active and stamps the job hash, whose key is built inside. */
    static final String MOVE_TO_ACTIVE = """
            local jobId = redis.call('rpoplpush', KEYS[1], KEYS[2])
            if not jobId then return nil end
            local jobKey = ARGV[1] .. jobId
            redis.call('hset', jobKey, 'processedOn', ARGV[2], 'lock', ARGV[3])
            redis.call('zadd', ARGV[1] .. 'locks', ARGV[2], jobId)
            return {jobId, redis.call('hgetall', jobKey)}""";

    @Test
    void lockReleaseComparesAndDeletes() {
        try (Jedis j = Clients.jedis(server.port())) {
            j.flushAll();
            j.set("lock:res", "token-1");
            assertThat(j.eval(LOCK_RELEASE, List.of("lock:res"), List.of("other"))).isEqualTo(0L);
            assertThat(j.get("lock:res")).isEqualTo("token-1");
            String sha = j.scriptLoad(LOCK_RELEASE);
            assertThat(j.scriptExists(sha)).isTrue();
            assertThat(j.evalsha(sha, List.of("lock:res"), List.of("token-1"))).isEqualTo(1L);
            assertThat(j.exists("lock:res")).isFalse();
            assertThat(j.scriptFlush()).isEqualTo("OK");
            assertThatThrownBy(() -> j.evalsha(sha, List.of("lock:res"), List.of("x")))
                    .isInstanceOf(JedisNoScriptException.class).hasMessage("NOSCRIPT No matching script. Please use EVAL.");
        }
    }

    @Test
    void tokenBucketLimiter() {
        try (Jedis j = Clients.jedis(server.port())) {
            j.flushAll();
            List<Long> allowed = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                @SuppressWarnings("unchecked")
                List<Long> r = (List<Long>) j.eval(TOKEN_BUCKET, List.of("rl:user"), List.of("1", "3", "1000", "1"));
                allowed.add(r.get(0));
            }
            assertThat(allowed).containsExactly(1L, 1L, 1L, 0L, 0L);
            // Time moves on two seconds: two tokens come back.
            @SuppressWarnings("unchecked")
            List<Long> later = (List<Long>) j.eval(TOKEN_BUCKET, List.of("rl:user"), List.of("1", "3", "1002", "1"));
            assertThat(later).containsExactly(1L, 1L);
            assertThat(j.pttl("rl:user")).isPositive();
        }
    }

    @Test
    void moveToActiveTouchesUndeclaredKeys() {
        try (Jedis j = Clients.jedis(server.port())) {
            j.flushAll();
            j.lpush("q:wait", "1", "2");
            @SuppressWarnings("unchecked")
            List<Object> r = (List<Object>) j.eval(MOVE_TO_ACTIVE, List.of("q:wait", "q:active"), List.of("q:", "1700", "tok"));
            assertThat(r.get(0)).isEqualTo("1");
            assertThat(r.get(1)).isEqualTo(List.of("processedOn", "1700", "lock", "tok"));
            assertThat(j.lrange("q:active", 0, -1)).containsExactly("1");
            assertThat(j.zscore("q:locks", "1")).isEqualTo(1700.0);
            j.eval(MOVE_TO_ACTIVE, List.of("q:wait", "q:active"), List.of("q:", "1701", "tok"));
            assertThat(j.eval(MOVE_TO_ACTIVE, List.of("q:wait", "q:active"), List.of("q:", "1702", "tok"))).isNull();
        }
    }

    @Test
    void lettuceResp3() {
        RedisClient client = Clients.lettuceResp3(server.port());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> r = conn.sync();
            r.flushall();
            r.set("k", "v");
            assertThat((String) r.eval("return redis.call('get', KEYS[1])", ScriptOutputType.VALUE, "k")).isEqualTo("v");
            assertThat((Long) r.eval("return 7.9", ScriptOutputType.INTEGER)).isEqualTo(7L);
            assertThat((String) r.eval("return {ok='fine'}", ScriptOutputType.STATUS)).isEqualTo("fine");
            String sha = r.scriptLoad("return ARGV[1]");
            assertThat((String) r.evalsha(sha, ScriptOutputType.VALUE, new String[0], "a")).isEqualTo("a");
            assertThat((String) r.evalReadOnly("return redis.call('get', KEYS[1])", ScriptOutputType.VALUE, new String[] {"k"}))
                    .isEqualTo("v");
        } finally {
            client.shutdown();
        }
    }

    /** Each script reads, then writes after a pause: interleaving would lose increments. */
    @Test
    void scriptsAreAtomicAgainstOtherClients() throws Exception {
        String incr = "local v = tonumber(redis.call('get', KEYS[1]) or '0') "
                + "for i = 1, 2000 do local x = i * i end "
                + "redis.call('set', KEYS[1], v + 1) redis.call('incr', 'undeclared') return v + 1";
        try (Jedis j = Clients.jedis(server.port())) {
            j.flushAll();
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    try (Jedis j = Clients.jedis(server.port())) {
                        for (int i = 0; i < 100; i++) {
                            j.eval(incr, List.of("shared"), List.of());
                            j.incr("shared2");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdown();
        }
        try (Jedis j = Clients.jedis(server.port())) {
            assertThat(j.get("shared")).isEqualTo("400");
            assertThat(j.get("undeclared")).isEqualTo("400");
            assertThat(j.get("shared2")).isEqualTo("400");
        }
    }
}
