package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RBlockingQueue;
import org.redisson.api.RDelayedQueue;
import org.redisson.api.RLock;
import org.redisson.api.RMapCache;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RSemaphore;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import redis.clients.jedis.Jedis;

/**
 * A real library's Lua scripts against the server: Redisson (Maven Central) implements its
 * locks, semaphores, rate limiter, delayed queue and expiring map as EVAL/EVALSHA scripts,
 * with pub/sub to wake waiters. Each check reads the
 * state back through Redisson and, where the layout is Redisson's documented one, through Jedis.
 */
class RedissonScriptsTest {
    static TestServer server;
    static RedissonClient redisson;
    static ExecutorService pool;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        Config config = new Config();
        config.useSingleServer()
                .setAddress("redis://127.0.0.1:" + server.port())
                .setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(4)
                .setSubscriptionConnectionMinimumIdleSize(1)
                .setSubscriptionConnectionPoolSize(2)
                .setTimeout(10_000);
        redisson = Redisson.create(config);
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        if (pool != null) pool.shutdownNow();
        if (redisson != null) redisson.shutdown();
        if (server != null) server.close();
    }

    private static Jedis jedis() { return new Jedis("127.0.0.1", server.port()); }

    /** EVAL and EVALSHA calls so far, from INFO commandstats: Redisson's operations are scripts. */
    private static long scriptCalls() {
        try (Jedis j = jedis()) {
            long n = 0;
            for (String line : j.info("commandstats").split("\r\n")) {
                if (line.startsWith("cmdstat_eval:") || line.startsWith("cmdstat_evalsha:")) {
                    n += Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"));
                }
            }
            return n;
        }
    }

    @Test
    void lockIsReentrantExclusiveAndReleased() throws Exception {
        RLock lock = redisson.getLock("redisson:lock:a");
        long scriptsBefore = scriptCalls();
        lock.lock();
        assertThat(scriptCalls()).isGreaterThan(scriptsBefore);
        lock.lock();
        assertThat(lock.isLocked()).isTrue();
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        assertThat(lock.getHoldCount()).isEqualTo(2);
        try (Jedis j = jedis()) {
            // Redisson keeps the owner (connection id:thread id) as a hash field counting re-entries.
            Map<String, String> owners = j.hgetAll("redisson:lock:a");
            assertThat(owners).hasSize(1);
            assertThat(owners.values()).containsExactly("2");
            assertThat(j.pttl("redisson:lock:a")).isPositive(); // the watchdog's lease
        }
        Future<Boolean> other = pool.submit(() -> lock.tryLock(0, TimeUnit.SECONDS));
        assertThat(other.get(10, TimeUnit.SECONDS)).isFalse();
        lock.unlock();
        assertThat(lock.isLocked()).isTrue();
        lock.unlock();
        assertThat(lock.isLocked()).isFalse();
        Future<Boolean> afterRelease = pool.submit(() -> {
            boolean got = lock.tryLock(0, TimeUnit.SECONDS);
            if (got) lock.unlock();
            return got;
        });
        assertThat(afterRelease.get(10, TimeUnit.SECONDS)).isTrue();
        try (Jedis j = jedis()) {
            assertThat(j.exists("redisson:lock:a")).isFalse();
        }
    }

    @Test
    void waiterIsWokenByTheUnlockMessage() throws Exception {
        RLock lock = redisson.getLock("redisson:lock:b");
        lock.lock();
        CountDownLatch waiting = new CountDownLatch(1);
        Future<Boolean> waiter = pool.submit(() -> {
            waiting.countDown();
            boolean got = lock.tryLock(20, 5, TimeUnit.SECONDS);
            if (got) lock.unlock();
            return got;
        });
        waiting.await();
        Thread.sleep(200); // the waiter subscribes and retries its script meanwhile
        lock.unlock();
        assertThat(waiter.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void semaphoreCountsPermits() {
        RSemaphore sem = redisson.getSemaphore("redisson:sem");
        assertThat(sem.trySetPermits(2)).isTrue();
        assertThat(sem.trySetPermits(5)).isFalse(); // already set
        assertThat(sem.tryAcquire()).isTrue();
        assertThat(sem.tryAcquire()).isTrue();
        assertThat(sem.tryAcquire()).isFalse();
        assertThat(sem.availablePermits()).isZero();
        sem.release();
        assertThat(sem.availablePermits()).isEqualTo(1);
        try (Jedis j = jedis()) {
            assertThat(j.get("redisson:sem")).isEqualTo("1");
        }
        assertThat(sem.tryAcquire()).isTrue();
    }

    @Test
    void rateLimiterAllowsTheRateThenRefuses() {
        // Its script packs each permit with struct.pack into a sorted set and reads them back with struct.unpack.
        RRateLimiter limiter = redisson.getRateLimiter("redisson:limiter");
        assertThat(limiter.trySetRate(RateType.OVERALL, 3, Duration.ofMinutes(10))).isTrue();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
        assertThat(limiter.availablePermits()).isZero();
        assertThat(limiter.getConfig().getRate()).isEqualTo(3);
    }

    @Test
    void delayedQueueHandsTheJobOverWhenDue() throws Exception {
        RBlockingQueue<String> jobs = redisson.getBlockingQueue("redisson:jobs", StringCodec.INSTANCE);
        @SuppressWarnings("deprecation")
        RDelayedQueue<String> delayed = redisson.getDelayedQueue(jobs);
        try {
            delayed.offer("job-1", 300, TimeUnit.MILLISECONDS);
            delayed.offer("job-2", 100, TimeUnit.MILLISECONDS);
            assertThat(jobs.poll(20, TimeUnit.SECONDS)).isEqualTo("job-2");
            assertThat(jobs.poll(20, TimeUnit.SECONDS)).isEqualTo("job-1");
            assertThat(delayed.size()).isZero();
        } finally {
            delayed.destroy();
        }
    }

    @Test
    void mapCacheKeepsEntriesWithTheirTimeToLive() {
        RMapCache<String, String> cache = redisson.getMapCache("redisson:cache", StringCodec.INSTANCE);
        cache.put("a", "1", 10, TimeUnit.MINUTES);
        cache.put("b", "2");
        assertThat(cache.get("a")).isEqualTo("1");
        assertThat(cache.get("b")).isEqualTo("2");
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.remainTimeToLive("a")).isBetween(1L, TimeUnit.MINUTES.toMillis(10));
        assertThat(cache.remainTimeToLive("b")).isEqualTo(-1);
        assertThat(cache.putIfAbsent("a", "x")).isEqualTo("1");
        assertThat(cache.remove("a")).isEqualTo("1");
        assertThat(cache.get("a")).isNull();
        assertThat(cache.size()).isEqualTo(1);
    }
}
