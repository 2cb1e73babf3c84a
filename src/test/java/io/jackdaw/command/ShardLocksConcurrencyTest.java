package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.store.HashSlot;
import io.jackdaw.store.Keyspace;
import io.jackdaw.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Shard locking seen from clients: several connections hammer multi-key commands whose keys
 * lie in many shards (MSET, MGET, DEL, RENAME between shards) while others run whole-keyspace
 * commands (FLUSHALL, DBSIZE). Nothing may deadlock, and every multi-key command must look
 * atomic to every other.
 *
 * <ul>
 *   <li>db 0 holds groups of 10 keys, always written together (MSET of one value to all 10,
 *       or DEL of all 10): an MGET of a group sees 10 equal values or 10 nils, and DBSIZE of
 *       db 0 is always a multiple of 10.</li>
 *   <li>db 1 holds pairs of keys in different shards, each moved back and forth by RENAME by
 *       one client: an MGET of a pair never sees both (nor a wrong value), and DBSIZE of db 1
 *       never exceeds the number of pairs.</li>
 * </ul>
 */
class ShardLocksConcurrencyTest {
    static final int GROUPS = 12, GROUP_SIZE = 10, PAIRS = 16;
    static final long RUN_MILLIS = 3_000;

    static String groupKey(int g, int k) { return "g" + g + ":k" + k; }

    static int shardOf(String key, Keyspace ks) {
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        return ks.shardOfSlot(HashSlot.of(b, 0, b.length));
    }

    static String[] groupKeys(int g) {
        String[] k = new String[GROUP_SIZE];
        for (int i = 0; i < GROUP_SIZE; i++) k[i] = groupKey(g, i);
        return k;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void multiKeyCommandsStayAtomicAndNothingDeadlocks() throws Exception {
        TestServer server = TestServer.start();
        try {
            int port = server.port();
            Keyspace ks = server.server().keyspace();
            assertThat(ks.shardCount()).isGreaterThan(1);

            // Pairs whose two keys lie in different shards.
            List<String[]> pairs = new ArrayList<>();
            for (int i = 0; pairs.size() < PAIRS; i++) {
                String a = "pa" + i, b = "pb" + i;
                if (shardOf(a, ks) != shardOf(b, ks)) pairs.add(new String[] {a, b, "token-" + i});
            }
            Set<Integer> shards = new HashSet<>();
            for (int g = 0; g < GROUPS; g++) for (String k : groupKeys(g)) shards.add(shardOf(k, ks));
            assertThat(shards).as("group keys spread over many shards").hasSizeGreaterThan(Math.min(60, ks.shardCount() / 2));

            long deadline = System.currentTimeMillis() + RUN_MILLIS;
            ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
            AtomicLong msets = new AtomicLong(), mgets = new AtomicLong(), renames = new AtomicLong(),
                    flushes = new AtomicLong(), dbsizes = new AtomicLong();
            List<Runnable> workers = new ArrayList<>();

            // Writers: MSET a group (sometimes two groups in one command) or DEL a whole group.
            for (int w = 0; w < 4; w++) {
                int id = w;
                workers.add(() -> {
                    Random r = new Random(100 + id);
                    try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
                        for (long n = 0; System.currentTimeMillis() < deadline; n++) {
                            int g = r.nextInt(GROUPS);
                            int op = r.nextInt(10);
                            if (op == 0) {
                                j.del(groupKeys(g));
                            } else {
                                String v = "w" + id + "-" + n;
                                List<String> kv = new ArrayList<>();
                                List<Integer> groups = new ArrayList<>(List.of(g));
                                if (op == 1) groups.add((g + 1 + r.nextInt(GROUPS - 1)) % GROUPS);
                                for (int gg : groups) for (String k : groupKeys(gg)) {
                                    kv.add(k);
                                    kv.add(v);
                                }
                                // Shuffle the key order too: lock order must not depend on it.
                                List<Integer> idx = new ArrayList<>();
                                for (int i = 0; i < kv.size() / 2; i++) idx.add(i);
                                Collections.shuffle(idx, r);
                                String[] argv = new String[kv.size()];
                                for (int i = 0; i < idx.size(); i++) {
                                    argv[2 * i] = kv.get(2 * idx.get(i));
                                    argv[2 * i + 1] = v;
                                }
                                assertThat(j.mset(argv)).isEqualTo("OK");
                                msets.incrementAndGet();
                            }
                        }
                    }
                });
            }

            // Readers: MGET a group (in random order) and check all-or-nothing.
            for (int rd = 0; rd < 3; rd++) {
                int id = rd;
                workers.add(() -> {
                    Random r = new Random(200 + id);
                    try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
                        while (System.currentTimeMillis() < deadline) {
                            int g = r.nextInt(GROUPS);
                            List<String> keys = new ArrayList<>(List.of(groupKeys(g)));
                            Collections.shuffle(keys, r);
                            List<String> vals = j.mget(keys.toArray(String[]::new));
                            mgets.incrementAndGet();
                            if (new HashSet<>(vals).size() != 1) violations.add("group " + g + " half-applied: " + vals);
                        }
                    }
                });
            }

            // Renamer: moves each pair's value between its two shards in db 1; recreates it after a FLUSHALL.
            workers.add(() -> {
                Random r = new Random(300);
                try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
                    j.select(1);
                    while (System.currentTimeMillis() < deadline) {
                        String[] p = pairs.get(r.nextInt(PAIRS));
                        boolean forward = r.nextBoolean();
                        try {
                            j.rename(forward ? p[0] : p[1], forward ? p[1] : p[0]);
                            renames.incrementAndGet();
                        } catch (JedisDataException e) {
                            assertThat(e.getMessage()).contains("no such key");
                            // Either already on the other side, or flushed: recreate only when neither exists.
                            if (j.exists(p[0], p[1]) == 0) j.set(p[0], p[2]);
                        }
                    }
                }
            });

            // Pair checker in db 1.
            workers.add(() -> {
                Random r = new Random(400);
                try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
                    j.select(1);
                    while (System.currentTimeMillis() < deadline) {
                        String[] p = pairs.get(r.nextInt(PAIRS));
                        List<String> v = j.mget(p[0], p[1]);
                        if (v.get(0) != null && v.get(1) != null) violations.add("pair " + p[0] + " seen on both sides: " + v);
                        for (String x : v) if (x != null && !x.equals(p[2])) violations.add("pair " + p[0] + " value " + x);
                        long n = j.dbSize();
                        if (n > PAIRS) violations.add("db 1 holds " + n + " keys");
                    }
                }
            });

            // Whole-keyspace commands: DBSIZE of db 0 and, now and then, FLUSHALL.
            workers.add(() -> {
                Random r = new Random(500);
                try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
                    while (System.currentTimeMillis() < deadline) {
                        long n = j.dbSize();
                        dbsizes.incrementAndGet();
                        if (n % GROUP_SIZE != 0 || n > (long) GROUPS * GROUP_SIZE)
                            violations.add("db 0 DBSIZE " + n + " is not whole groups");
                        if (r.nextInt(40) == 0) {
                            assertThat(j.flushAll()).isEqualTo("OK");
                            flushes.incrementAndGet();
                        }
                    }
                }
            });

            ExecutorService pool = Executors.newFixedThreadPool(workers.size(), r -> {
                Thread t = new Thread(r, "shard-locks-client");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (Runnable w : workers) futures.add(pool.submit(w));
                long giveUp = deadline + 30_000;
                for (Future<?> f : futures) {
                    try {
                        f.get(Math.max(1, giveUp - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                    } catch (TimeoutException e) {
                        throw new AssertionError("clients did not finish 30 s after the run: the server looks deadlocked. "
                                + "Parked server threads:\n" + parkedThreads(), e);
                    } catch (ExecutionException e) {
                        for (Throwable c = e; c != null; c = c.getCause()) {
                            if (c instanceof java.net.SocketTimeoutException)
                                throw new AssertionError("a command got no reply within 10 s: the server looks deadlocked. "
                                        + "Parked server threads:\n" + parkedThreads(), e);
                        }
                        throw e;
                    }
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(violations).isEmpty();
            assertThat(msets.get()).isGreaterThan(100);
            assertThat(mgets.get()).isGreaterThan(100);
            assertThat(renames.get()).isGreaterThan(50);
            assertThat(dbsizes.get()).isGreaterThan(10);

            // Still serving, and the final state is consistent.
            try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
                assertThat(j.ping()).isEqualTo("PONG");
                for (int g = 0; g < GROUPS; g++) assertThat(new HashSet<>(j.mget(groupKeys(g)))).hasSize(1);
                assertThat(j.dbSize() % GROUP_SIZE).isZero();
                j.select(1);
                for (String[] p : pairs) assertThat(j.exists(p[0], p[1])).isLessThanOrEqualTo(1);
            }
        } finally {
            // A deadlocked server may never stop: do not let that hang the test JVM.
            Thread closer = new Thread(server::close, "close-test-server");
            closer.setDaemon(true);
            closer.start();
            closer.join(10_000);
        }
    }

    /** Stacks of the threads parked on a lock, for the deadlock report. */
    static String parkedThreads() {
        StringBuilder sb = new StringBuilder();
        for (var e : Thread.getAllStackTraces().entrySet()) {
            StackTraceElement[] st = e.getValue();
            boolean parked = false;
            for (StackTraceElement f : st) parked |= f.getClassName().endsWith("ReentrantLock$Sync");
            if (!parked || e.getKey().getName().startsWith("shard-locks-client")) continue;
            sb.append(e.getKey().getName()).append('\n');
            for (int i = 0; i < Math.min(st.length, 12); i++) sb.append("    at ").append(st[i]).append('\n');
        }
        return sb.toString();
    }
}
