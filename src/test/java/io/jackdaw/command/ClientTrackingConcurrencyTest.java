package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client-side caching under concurrency: caching clients (default and BCAST mode, RESP3) read
 * keys while writers on other connections change them, single and cross-shard MULTI/EXEC. After
 * each round every cache is drained (a PING, which comes after every push owed) and compared
 * with the server: an entry that outlived a write means an invalidation was lost, which a read
 * filing its key outside the lock its write is ordered by would cause.
 */
class ClientTrackingConcurrencyTest {
    private static TestServer server;
    private static final int KEYS = 48, READERS = 6, WRITERS = 4, ROUNDS = 40, OPS = 60;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { server.close(); }

    /** A RESP3 caching client: its cache, filled by GET replies and emptied by invalidation pushes. */
    private static final class CachingReader implements AutoCloseable {
        final RespConnection conn;
        final Map<String, String> cache = new HashMap<>();

        CachingReader(int port, boolean bcast) throws IOException {
            conn = new RespConnection(port);
            conn.call("HELLO", "3");
            String ok = bcast ? conn.call("CLIENT", "TRACKING", "ON", "BCAST") : conn.call("CLIENT", "TRACKING", "ON");
            assertThat(ok).isEqualTo("+OK\r\n");
        }

        /** Reads replies, applying pushes on the way, until the reply to the command sent. */
        String reply() throws IOException {
            while (true) {
                String r = conn.readReply();
                if (!r.startsWith(">")) return r;
                String[] lines = r.split("\r\n");
                assertThat(lines[2]).isEqualTo("invalidate");
                if (lines[3].equals("_") || lines[3].equals("$-1")) {
                    cache.clear();
                    continue;
                }
                for (int i = 5; i < lines.length; i += 2) cache.remove(lines[i]);
            }
        }

        void get(String key) throws IOException {
            conn.send("GET", key);
            String r = reply();
            if (r.startsWith("$-1") || r.startsWith("_")) cache.remove(key);
            else cache.put(key, r.substring(r.indexOf("\r\n") + 2, r.length() - 2));
        }

        void drain() throws IOException {
            conn.send("PING");
            assertThat(reply()).isEqualTo("+PONG\r\n");
        }

        @Override public void close() throws IOException { conn.close(); }
    }

    @Test
    void noCachedValueOutlivesAnAcknowledgedWrite() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(READERS + WRITERS);
        CyclicBarrier roundStart = new CyclicBarrier(READERS + WRITERS), roundEnd = new CyclicBarrier(READERS + WRITERS + 1);
        List<CachingReader> readers = new ArrayList<>();
        List<Future<?>> work = new ArrayList<>();
        try (RespConnection check = new RespConnection(server.port())) {
            check.call("FLUSHALL");
            for (int i = 0; i < READERS; i++) readers.add(new CachingReader(server.port(), i % 3 == 2));
            for (int i = 0; i < READERS; i++) {
                CachingReader r = readers.get(i);
                long seed = 1000 + i;
                work.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    for (int round = 0; round < ROUNDS; round++) {
                        roundStart.await(30, java.util.concurrent.TimeUnit.SECONDS);
                        for (int op = 0; op < OPS; op++) r.get(key(rnd.nextInt(KEYS)));
                        roundEnd.await(30, java.util.concurrent.TimeUnit.SECONDS); // writers done too
                        r.drain();
                        roundEnd.await(30, java.util.concurrent.TimeUnit.SECONDS); // drained; the checker compares
                        roundEnd.await(30, java.util.concurrent.TimeUnit.SECONDS); // compared
                    }
                    return null;
                }));
            }
            for (int i = 0; i < WRITERS; i++) {
                long seed = 2000 + i;
                int writer = i;
                work.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    try (RespConnection w = new RespConnection(server.port())) {
                        for (int round = 0; round < ROUNDS; round++) {
                            roundStart.await(30, java.util.concurrent.TimeUnit.SECONDS);
                            for (int op = 0; op < OPS / 2; op++) {
                                String v = writer + ":" + round + ":" + op;
                                switch (rnd.nextInt(4)) {
                                    case 0 -> assertThat(w.call("DEL", key(rnd.nextInt(KEYS)))).startsWith(":");
                                    case 1 -> {
                                        w.send("MULTI");
                                        w.send("SET", key(rnd.nextInt(KEYS)), v);
                                        w.send("APPEND", key(rnd.nextInt(KEYS)), v);
                                        w.send("EXEC");
                                        for (int n = 0; n < 3; n++) w.readReply();
                                        assertThat(w.readReply()).startsWith("*2\r\n");
                                    }
                                    default -> assertThat(w.call("SET", key(rnd.nextInt(KEYS)), v)).isEqualTo("+OK\r\n");
                                }
                            }
                            roundEnd.await(30, java.util.concurrent.TimeUnit.SECONDS);
                            roundEnd.await(30, java.util.concurrent.TimeUnit.SECONDS);
                            roundEnd.await(30, java.util.concurrent.TimeUnit.SECONDS);
                        }
                    }
                    return null;
                }));
            }
            for (int round = 0; round < ROUNDS; round++) {
                roundEnd.await(30, java.util.concurrent.TimeUnit.SECONDS); // reads and writes done
                roundEnd.await(30, java.util.concurrent.TimeUnit.SECONDS); // caches drained
                for (int i = 0; i < READERS; i++) {
                    for (Map.Entry<String, String> e : readers.get(i).cache.entrySet()) {
                        String actual = check.call("GET", e.getKey());
                        assertThat(actual).as("reader %d round %d key %s", i, round, e.getKey())
                                .isEqualTo("$" + e.getValue().length() + "\r\n" + e.getValue() + "\r\n");
                    }
                }
                roundEnd.await(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            for (Future<?> f : work) f.get();
        } finally {
            pool.shutdownNow();
            for (CachingReader r : readers) r.close();
        }
    }

    private static String key(int i) { return "k" + i; }
}
