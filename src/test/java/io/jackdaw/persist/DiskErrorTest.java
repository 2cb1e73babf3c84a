package io.jackdaw.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jackdaw.testing.ReferenceServer;
import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MISCONF: while the data cannot reach the disk (a failed background save with save points and
 * stop-writes-on-bgsave-error, or an AOF write that failed) writes, PING, EXEC with writes and
 * scripts that may write are refused with Redis's replies; reads go on, and writes come back
 * once a save succeeds. The RDB case is compared byte for byte with redis-server 7.0.15: both
 * save into a directory that is deleted under them.
 */
class DiskErrorTest {
    private static final String MISCONF_RDB = "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to"
            + " persist to disk. Commands that may modify the data set are disabled, because this instance is configured to"
            + " report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the"
            + " Redis logs for details about the RDB error.\r\n";

    private static void awaitNoBgsave(RespConnection c) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (c.call("INFO", "persistence").contains("rdb_bgsave_in_progress:1")) {
            assertThat(System.currentTimeMillis()).as("BGSAVE ends").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Makes the next BGSAVE fail, then runs the same commands; every reply, in order. */
    private static List<String> failedSaveSession(RespConnection c) throws Exception {
        List<String> out = new ArrayList<>();
        Path dir = Files.createTempDirectory("jackdaw-misconf");
        c.call("CONFIG", "SET", "save", "3600 1");
        out.add(c.call("SET", "a", "before"));
        out.add(c.call("CONFIG", "SET", "dir", dir.toString())); // a protected config: the servers allow it
        Files.delete(dir); // the save's temporary file cannot be created
        out.add(c.call("BGSAVE"));
        awaitNoBgsave(c);
        out.add(c.call("INFO", "persistence").contains("rdb_last_bgsave_status:err") ? "status err" : "status ok");
        out.add(c.call("SET", "a", "1"));
        out.add(c.call("PING"));
        out.add(c.call("GET", "a"));
        out.add(c.call("EVAL", "return redis.call('set','a','b')", "0"));
        out.add(c.call("EVAL", "return redis.pcall('set','a','b')", "0"));
        out.add(c.call("EVAL", "return redis.call('get','a')", "0"));
        out.add(c.call("EVAL", "#!lua\nreturn 1", "0"));
        out.add(c.call("EVAL", "#!lua flags=no-writes\nreturn redis.call('get','a')", "0"));
        out.add(c.call("MULTI"));
        out.add(c.call("SET", "a", "1"));
        out.add(c.call("EXEC"));
        out.add(c.call("MULTI"));
        out.add(c.call("GET", "a"));
        out.add(c.call("EXEC"));
        out.add(c.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "no"));
        out.add(c.call("SET", "a", "allowed"));
        out.add(c.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes"));
        out.add(c.call("INCR", "n"));
        out.add(c.call("CONFIG", "SET", "save", ""));
        out.add(c.call("INCR", "n"));
        out.add(c.call("CONFIG", "SET", "save", "3600 1"));
        out.add(c.call("DEL", "a"));
        Files.createDirectory(dir);
        out.add(c.call("CONFIG", "SET", "dir", dir.toString())); // Redis's working directory is still the deleted one
        out.add(c.call("BGSAVE"));
        awaitNoBgsave(c);
        out.add(c.call("SET", "a", "after"));
        out.add(c.call("PING"));
        out.add(c.call("GET", "a"));
        new File(dir.toFile(), "dump.rdb").delete();
        Files.deleteIfExists(dir);
        return out;
    }

    @Test
    void aFailedBackgroundSaveRefusesWritesUntilASaveSucceedsAsTheReferenceServer() throws Exception {
        List<String> jackdaw;
        try (TestServer s = TestServer.start("--enable-protected-configs", "yes"); RespConnection c = new RespConnection(s.port())) {
            jackdaw = failedSaveSession(c);
        }
        assertThat(jackdaw.get(3)).isEqualTo("status err");
        assertThat(jackdaw.get(4)).isEqualTo(MISCONF_RDB);
        assertThat(jackdaw.get(5)).isEqualTo(MISCONF_RDB);
        assertThat(jackdaw.get(6)).isEqualTo("$6\r\nbefore\r\n");
        assertThat(jackdaw.get(jackdaw.size() - 3)).isEqualTo("+OK\r\n");
        assumeTrue(ReferenceServer.available(), "redis-server not installed");
        List<String> reference;
        try (ReferenceServer ref = ReferenceServer.start("--enable-protected-configs", "yes"); RespConnection r = new RespConnection(ref.port())) {
            reference = failedSaveSession(r);
        }
        assertThat(jackdaw).containsExactlyElementsOf(reference);
    }

    /**
     * An AOF whose incr file is /dev/full: the first write that reaches it fails with ENOSPC, and
     * from then on writes get MISCONF with the system's text, reads go on; turning the AOF off
     * lets writes in again.
     */
    @Test
    void anAofThatCannotBeWrittenRefusesWrites() throws Exception {
        assumeTrue(new File("/dev/full").exists(), "no /dev/full");
        Path dir = Files.createTempDirectory("jackdaw-aof-full");
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "everysec");
                RespConnection c = new RespConnection(s.port())) {
            assertThat(c.call("CONFIG", "SET", "appendonly", "no")).isEqualTo("+OK\r\n");
            // Turning it on again rewrites into seq 2 (base and incr); the incr file goes nowhere.
            Files.createSymbolicLink(dir.resolve("appendonlydir/appendonly.aof.2.incr.aof"), Path.of("/dev/full"));
            assertThat(c.call("CONFIG", "SET", "appendonly", "yes")).isEqualTo("+OK\r\n");
            assertThat(c.call("SET", "k", "v")).isEqualTo("+OK\r\n"); // accepted before the write fails
            long deadline = System.currentTimeMillis() + 5000;
            String reply;
            while ((reply = c.call("SET", "k2", "v")).equals("+OK\r\n")) {
                assertThat(System.currentTimeMillis()).as("the write error shows").isLessThan(deadline);
                Thread.sleep(10);
            }
            assertThat(reply).isEqualTo("-MISCONF Errors writing to the AOF file: No space left on device\r\n");
            assertThat(c.call("PING")).isEqualTo(reply);
            assertThat(c.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
            assertThat(c.call("EVAL", "#!lua\nreturn 1", "0")).isEqualTo(reply); // a script that may write is a write
            assertThat(c.call("EVAL", "return redis.call('set','k3','v')", "0")).startsWith("-MISCONF Errors writing to the AOF file:"
                    + " No space left on device script: ");
            assertThat(c.call("INFO", "persistence")).contains("aof_last_write_status:err\r\n");
            assertThat(c.call("CONFIG", "SET", "appendonly", "no")).isEqualTo("+OK\r\n");
            assertThat(c.call("SET", "k2", "v")).isEqualTo("+OK\r\n");
        }
    }
}
