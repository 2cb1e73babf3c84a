package io.jackdaw.persist;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * BGSAVE and BGREWRITEAOF from a versioned snapshot: the file holds the data as it was when the
 * command was answered, whatever clients write (plain commands, MULTI/EXEC, scripts, blocked
 * pops served) while it is being written, and the server keeps answering meanwhile.
 * rdb-key-save-delay holds the writing open (it is read for every key) until the writes have
 * landed, then lets it finish.
 */
class BackgroundSaveTest {
    private static final int KEYS = 4000;

    private static String info(RespConnection c) throws Exception { return c.call("INFO", "persistence"); }

    private static void awaitIdle(RespConnection c) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (info(c).contains("rdb_bgsave_in_progress:1") || info(c).contains("aof_rewrite_in_progress:1")
                || info(c).contains("_scheduled:1")) {
            assertThat(System.currentTimeMillis()).as("background work ends").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Changes every key, deletes some, adds some, through every kind of write path. */
    private static void writeWhileSaving(RespConnection c, RespConnection blocked) throws Exception {
        blocked.send("BLPOP", "waitq", "0");
        Thread.sleep(50);
        int sent = 0; // pipelined, so that all of it lands while the save is under way
        for (int i = 0; i < KEYS; i += 4, sent++) c.send("SET", "key:" + i, "changed");
        for (int i = 1; i < KEYS; i += 4, sent++) c.send("DEL", "key:" + i);
        for (int i = 0; i < sent; i++) assertThat(c.readReply()).matches("\\+OK\r\n|:1\r\n");
        c.call("MULTI");
        for (int i = 2; i < KEYS; i += 40) c.call("APPEND", "key:" + i, "-tx");
        c.call("EXEC");
        c.call("EVAL", "for i = 3, " + KEYS + ", 40 do redis.call('incr', 'key:' .. i) end return 1", "0");
        c.call("LPOP", "queue");
        c.call("RPUSH", "waitq", "item"); // served to the blocked BLPOP: a pop in a shard the save may not have reached
        assertThat(blocked.readReply()).contains("item");
        c.call("SET", "new-key", "x");
        c.call("SET", "new-key", "y"); // a second write to a key captured already
        c.call("DEL", "new-key");
        c.call("MOVE", "key:5", "1"); // another database: the whole shard
        c.call("RENAME", "key:6", "key:6:renamed");
        c.call("EXPIRE", "key:7", "1000");
        c.call("HSET", "hash:new", "f", "v");
        java.util.Random r = new java.util.Random(8);
        for (int i = 0; i < 2000; i++) {
            String k = "key:" + r.nextInt(KEYS);
            switch (r.nextInt(4)) {
                case 0 -> c.send("APPEND", k, "+");
                case 1 -> c.send("DEL", k);
                case 2 -> c.send("SET", k, "r" + i);
                default -> c.send("GETDEL", k);
            }
        }
        for (int i = 0; i < 2000; i++) c.readReply();
        c.call("FLUSHDB"); // the most any write can change
    }

    private static void assertOriginalData(RespConnection c, String digest) throws Exception {
        assertThat(c.call("DEBUG", "DIGEST")).isEqualTo(digest);
        assertThat(c.call("DBSIZE")).isEqualTo(":" + (KEYS + 1) + "\r\n");
        for (int i = 0; i < KEYS; i += 37) {
            assertThat(c.call("GET", "key:" + i)).as("key:%d", i).isEqualTo("$" + ("value:" + i).length() + "\r\nvalue:" + i + "\r\n");
        }
        assertThat(c.call("GET", "new-key")).isEqualTo("$-1\r\n");
        assertThat(c.call("LRANGE", "queue", "0", "-1")).isEqualTo("*1\r\n$3\r\nold\r\n");
    }

    @Test
    void bgsaveWritesTheDataAsItWasWhenAnswered() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-bgsave");
        String digest;
        try (TestServer s = TestServer.start("--dir", dir.toString());
                RespConnection c = new RespConnection(s.port()); RespConnection b = new RespConnection(s.port())) {
            c.call("DEBUG", "POPULATE", String.valueOf(KEYS));
            c.call("RPUSH", "queue", "old");
            c.call("LPOP", "queue");
            c.call("RPUSH", "queue", "old");
            digest = c.call("DEBUG", "DIGEST");
            c.call("CONFIG", "SET", "rdb-key-save-delay", "1000000"); // held open until set back to 0
            assertThat(c.call("BGSAVE")).isEqualTo("+Background saving started\r\n");
            assertThat(info(c)).contains("rdb_bgsave_in_progress:1\r\n").contains("current_save_keys_total:" + (KEYS + 1));
            assertThat(c.call("BGSAVE")).isEqualTo("-ERR Background save already in progress\r\n");
            assertThat(c.call("SAVE")).isEqualTo("-ERR Background save already in progress\r\n");
            assertThat(c.call("BGREWRITEAOF")).isEqualTo("+Background append only file rewriting scheduled\r\n");
            writeWhileSaving(c, b);
            assertThat(info(c)).as("the writes landed while the save was under way").contains("rdb_bgsave_in_progress:1\r\n");
            c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
            awaitIdle(c);
            assertThat(info(c)).contains("rdb_last_bgsave_status:ok\r\n").contains("rdb_saves:1\r\n")
                    .contains("aof_rewrites:1\r\n");
        }
        try (TestServer s = TestServer.start("--dir", dir.toString()); RespConnection c = new RespConnection(s.port())) {
            assertOriginalData(c, digest);
        }
    }

    /**
     * Writers run the whole time the snapshot is written, slice by slice, with random writes,
     * deletes (keys move in the table) and new keys: the file still holds exactly the data of
     * the instant BGSAVE ran, taken with DEBUG DIGEST in the same transaction.
     */
    @Test
    void concurrentRandomWritesNeverReachTheFile() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-bgsave");
        String digest;
        int keys = 20_000;
        try (TestServer s = TestServer.start("--dir", dir.toString());
                RespConnection c = new RespConnection(s.port()); RespConnection w = new RespConnection(s.port())) {
            c.call("DEBUG", "POPULATE", String.valueOf(keys));
            for (int i = 0; i < 200; i++) c.call("RPUSH", "list:" + i, "a", "b", "c");
            c.call("CONFIG", "SET", "rdb-key-save-delay", "30"); // ~0.6 s of writing, in many slices
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger ops = new java.util.concurrent.atomic.AtomicInteger();
            Thread writer = new Thread(() -> {
                java.util.Random r = new java.util.Random(31);
                try {
                    while (!stop.get()) {
                        for (int i = 0; i < 100; i++) {
                            int n = r.nextInt(keys);
                            switch (r.nextInt(5)) {
                                case 0 -> w.send("DEL", "key:" + n);
                                case 1 -> w.send("SET", "key:" + n, "new" + n);
                                case 2 -> w.send("SET", "fresh:" + r.nextInt(keys), "x");
                                case 3 -> w.send("RPUSH", "list:" + r.nextInt(200), "d");
                                default -> w.send("APPEND", "key:" + n, "+");
                            }
                        }
                        for (int i = 0; i < 100; i++) w.readReply();
                        ops.addAndGet(100);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            while (ops.get() < 500) Thread.sleep(1);
            c.call("MULTI");
            c.call("DEBUG", "DIGEST");
            c.call("BGSAVE");
            String exec = c.call("EXEC");
            assertThat(exec).contains("+Background saving started");
            digest = exec.split("\r\n")[1];
            int before = ops.get();
            awaitIdle(c);
            stop.set(true);
            writer.join();
            assertThat(ops.get() - before).as("writes landed while the save ran").isGreaterThan(1000);
            assertThat(info(c)).contains("rdb_last_bgsave_status:ok\r\n");
        }
        try (TestServer s = TestServer.start("--dir", dir.toString()); RespConnection c = new RespConnection(s.port())) {
            assertThat(c.call("DEBUG", "DIGEST")).isEqualTo(digest + "\r\n");
        }
    }

    @Test
    void bgsaveScheduleRunsAfterTheSaveUnderWay() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-bgsave");
        try (TestServer s = TestServer.start("--dir", dir.toString()); RespConnection c = new RespConnection(s.port())) {
            c.call("DEBUG", "POPULATE", "1000");
            c.call("CONFIG", "SET", "rdb-key-save-delay", "1000000");
            assertThat(c.call("BGSAVE")).isEqualTo("+Background saving started\r\n");
            assertThat(c.call("BGSAVE", "SCHEDULE")).isEqualTo("+Background saving scheduled\r\n");
            assertThat(c.call("BGSAVE", "NOW")).isEqualTo("-ERR syntax error\r\n");
            c.call("SET", "between", "1");
            c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
            awaitIdle(c);
            assertThat(info(c)).contains("rdb_saves:2\r\n").contains("rdb_changes_since_last_save:0\r\n");
        }
        try (TestServer s = TestServer.start("--dir", dir.toString()); RespConnection c = new RespConnection(s.port())) {
            assertThat(c.call("GET", "between")).isEqualTo("$1\r\n1\r\n"); // written by the scheduled save
            assertThat(c.call("DBSIZE")).isEqualTo(":1001\r\n");
        }
    }

    @Test
    void savePointsStartABackgroundSave() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-bgsave");
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--save", "1 3");
                RespConnection c = new RespConnection(s.port())) {
            c.call("SET", "a", "1");
            c.call("SET", "b", "2");
            Thread.sleep(1500);
            assertThat(Files.exists(dir.resolve("dump.rdb"))).as("2 changes are below the point").isFalse();
            c.call("SET", "c", "3");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!info(c).contains("rdb_changes_since_last_save:0\r\n")) {
                assertThat(System.currentTimeMillis()).isLessThan(deadline);
                Thread.sleep(50);
            }
            awaitIdle(c);
            assertThat(info(c)).contains("rdb_saves:1\r\n").contains("rdb_last_bgsave_status:ok\r\n");
        }
        assertThat(Files.exists(dir.resolve("dump.rdb"))).isTrue();
    }

    @Test
    void bgrewriteaofWhileClientsWriteLosesNothing() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-bgsave");
        String before;
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes");
                RespConnection c = new RespConnection(s.port()); RespConnection b = new RespConnection(s.port())) {
            c.call("DEBUG", "POPULATE", String.valueOf(KEYS));
            c.call("RPUSH", "queue", "old");
            c.call("CONFIG", "SET", "rdb-key-save-delay", "1000000"); // held open until set back to 0
            assertThat(c.call("BGREWRITEAOF")).isEqualTo("+Background append only file rewriting started\r\n");
            assertThat(info(c)).contains("aof_rewrite_in_progress:1\r\n");
            assertThat(c.call("BGREWRITEAOF")).isEqualTo("-ERR Background append only file rewriting already in progress\r\n");
            assertThat(c.call("BGSAVE")).startsWith("-ERR Another child process is active (AOF?): can't BGSAVE right now.");
            writeWhileSaving(c, b);
            c.call("SELECT", "3");
            c.call("SET", "after", "flush");
            assertThat(Files.readString(dir.resolve("appendonlydir/appendonly.aof.manifest"))).as("during the rewrite")
                    .isEqualTo("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
                            + "file appendonly.aof.2.incr.aof seq 2 type i\n");
            c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
            awaitIdle(c);
            before = AppendOnlyFileTest.contents(c);
        }
        assertThat(Files.readString(dir.resolve("appendonlydir/appendonly.aof.manifest")))
                .isEqualTo("file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes");
                RespConnection c = new RespConnection(s.port())) {
            assertThat(AppendOnlyFileTest.contents(c)).isEqualTo(before);
            c.call("SELECT", "3");
            assertThat(c.call("GET", "after")).isEqualTo("$5\r\nflush\r\n");
        }
    }
}
