package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/**
 * Many connections moving value between accounts in different shards at once: with MULTI/EXEC
 * (DECRBY + INCRBY), and with WATCH-guarded read-modify-write retried until EXEC succeeds,
 * while auditors read every account inside MULTI/EXEC. EXEC must be atomic and isolated: every
 * audit sees the total, every EXEC result is consistent, and nothing is created or lost.
 */
class TransactionsConcurrencyTest {
    private static TestServer server;
    private static final int ACCOUNTS = 24;
    private static final long START = 1_000;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { server.close(); }

    private static String account(int i) { return "acct:" + i; } // spread over many shards by CRC16

    @Test
    void transfersBetweenShardsConserveTheTotal() throws Exception {
        try (Jedis j = Clients.jedis(server.port())) {
            j.flushAll();
            for (int i = 0; i < ACCOUNTS; i++) j.set(account(i), Long.toString(START));
        }
        int transferers = 12, watchers = 4, auditors = 2, rounds = 300;
        ExecutorService pool = Executors.newFixedThreadPool(transferers + watchers + auditors);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong audits = new AtomicLong(), retries = new AtomicLong();
        List<Future<?>> workers = new ArrayList<>();
        try {
            for (int t = 0; t < transferers; t++) {
                int seed = t;
                workers.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    try (Jedis j = Clients.jedis(server.port())) {
                        for (int n = 0; n < rounds; n++) {
                            int a = r.nextInt(ACCOUNTS), b = (a + 1 + r.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                            long amount = 1 + r.nextInt(10);
                            Transaction tx = j.multi();
                            tx.decrBy(account(a), amount);
                            tx.incrBy(account(b), amount);
                            tx.get(account(a));
                            tx.get(account(b));
                            List<Object> res = tx.exec();
                            // Consistent: the reads inside EXEC see exactly what the writes made.
                            assertThat(res).hasSize(4);
                            assertThat(Long.parseLong((String) res.get(2))).isEqualTo((Long) res.get(0));
                            assertThat(Long.parseLong((String) res.get(3))).isEqualTo((Long) res.get(1));
                        }
                    }
                    return null;
                }));
            }
            for (int t = 0; t < watchers; t++) {
                int seed = 100 + t;
                workers.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    try (Jedis j = Clients.jedis(server.port())) {
                        for (int n = 0; n < rounds / 3; n++) {
                            int a = r.nextInt(ACCOUNTS), b = (a + 1 + r.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                            while (true) {
                                j.watch(account(a), account(b));
                                long va = Long.parseLong(j.get(account(a))), vb = Long.parseLong(j.get(account(b)));
                                Transaction tx = j.multi();
                                tx.set(account(a), Long.toString(va - 5));
                                tx.set(account(b), Long.toString(vb + 5));
                                if (tx.exec() != null) break;
                                retries.incrementAndGet(); // someone wrote a watched key: read again
                            }
                        }
                    }
                    return null;
                }));
            }
            List<Future<?>> auditing = new ArrayList<>();
            for (int t = 0; t < auditors; t++) {
                auditing.add(pool.submit(() -> {
                    String[] keys = new String[ACCOUNTS];
                    for (int i = 0; i < ACCOUNTS; i++) keys[i] = account(i);
                    try (Jedis j = Clients.jedis(server.port())) {
                        while (running.get()) {
                            Transaction tx = j.multi();
                            tx.mget(keys);
                            @SuppressWarnings("unchecked")
                            List<String> values = (List<String>) tx.exec().get(0);
                            long sum = 0;
                            for (String v : values) sum += Long.parseLong(v);
                            assertThat(sum).isEqualTo(ACCOUNTS * START);
                            audits.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) f.get(120, TimeUnit.SECONDS);
            running.set(false);
            for (Future<?> f : auditing) f.get(60, TimeUnit.SECONDS);
        } finally {
            running.set(false);
            pool.shutdownNow();
        }
        try (Jedis j = Clients.jedis(server.port())) {
            long sum = 0;
            for (int i = 0; i < ACCOUNTS; i++) sum += Long.parseLong(j.get(account(i)));
            assertThat(sum).isEqualTo(ACCOUNTS * START);
        }
        assertThat(audits.get()).isPositive();
    }
}
