package io.jackdaw.persist;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/**
 * jackdaw-check-rdb and jackdaw-check-aof on files a real server wrote: whole files pass with
 * the figures redis-check-rdb prints, a damaged RDB is reported with what was being read, a torn
 * AOF tail is found and, with --fix and a "y", cut back so that the server starts again; only the
 * last file of a multi-part AOF may be cut.
 */
class CheckToolsTest {

    private record Run(boolean ok, String output) {}

    private static Run rdb(Path file) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean ok = CheckRdb.check(file, new PrintStream(buf, true, StandardCharsets.UTF_8));
        return new Run(ok, buf.toString(StandardCharsets.UTF_8));
    }

    private static Run aof(Path file, boolean fix, String answer) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean ok = CheckAof.check(file, fix, new PrintStream(buf, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(answer.getBytes(StandardCharsets.UTF_8)));
        return new Run(ok, buf.toString(StandardCharsets.UTF_8));
    }

    private static Path savedRdb() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-check-rdb");
        try (TestServer s = TestServer.start("--dir", dir.toString()); RespConnection c = new RespConnection(s.port())) {
            c.call("DEBUG", "POPULATE", "100");
            c.call("RPUSH", "list", "a", "b");
            c.call("HSET", "hash", "f", "v");
            c.call("SADD", "set", "1", "2");
            c.call("ZADD", "zset", "1", "m");
            c.call("XADD", "stream", "1-1", "f", "v");
            c.call("SET", "ttl1", "v", "EX", "1000");
            c.call("SET", "ttl2", "v", "PX", "100000");
            assertThat(c.call("SAVE")).isEqualTo("+OK\r\n");
        }
        return dir.resolve("dump.rdb");
    }

    @Test
    void aWholeRdbFilePassesWithItsFigures() throws Exception {
        Path file = savedRdb();
        Run r = rdb(file);
        assertThat(r.ok()).isTrue();
        assertThat(r.output()).startsWith("[offset 0] Checking RDB file " + file + "\n")
                .contains("] AUX FIELD redis-ver = '").contains("] Selecting DB ID 0\n").contains("[offset " + Files.size(file) + "] Checksum OK\n")
                .contains("[offset " + Files.size(file) + "] \\o/ RDB looks OK! \\o/\n")
                .endsWith("[info] 107 keys read\n[info] 2 expires\n[info] 0 already expired\n");
    }

    @Test
    void aDamagedRdbFileIsReportedWithWhereAndWhat() throws Exception {
        Path file = savedRdb();
        byte[] good = Files.readAllBytes(file);

        byte[] badCrc = good.clone();
        badCrc[badCrc.length - 1] ^= 1;
        Files.write(file, badCrc);
        Run r = rdb(file);
        assertThat(r.ok()).isFalse();
        assertThat(r.output()).contains("--- RDB ERROR DETECTED ---\n[offset " + good.length + "] RDB CRC error\n"
                + "[additional info] While doing: check-sum\n");

        Files.write(file, java.util.Arrays.copyOf(good, good.length / 2));
        r = rdb(file);
        assertThat(r.ok()).isFalse();
        assertThat(r.output()).contains("--- RDB ERROR DETECTED ---\n").contains("[additional info] While doing: ")
                .doesNotContain("RDB looks OK");

        byte[] badType = good.clone();
        int at = indexOf(good, "key:0".getBytes(StandardCharsets.US_ASCII)) - 2; // the type byte before the key's length
        badType[at] = 99;
        Files.write(file, badType);
        r = rdb(file);
        assertThat(r.ok()).isFalse();
        assertThat(r.output()).contains("--- RDB ERROR DETECTED ---\n[offset " + (at + 1) + "] Invalid object type: 99\n");

        Files.writeString(file, "NOTREDIS0011");
        assertThat(rdb(file).output()).contains("Wrong signature trying to load DB from file");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }

    private static Path writtenAof() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-check-aof");
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always");
                RespConnection c = new RespConnection(s.port())) {
            c.call("SET", "a", "1");
            c.call("RPUSH", "l", "x", "y");
            c.call("EVAL", "redis.call('set','b','2') redis.call('incr','n') return 1", "0");
        }
        return dir;
    }

    @Test
    void aWholeMultiPartAofPasses() throws Exception {
        Path dir = writtenAof();
        Run r = aof(dir.resolve("appendonlydir/appendonly.aof.manifest"), false, "");
        assertThat(r.ok()).isTrue();
        long size = Files.size(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof"));
        assertThat(r.output()).startsWith("Start checking Multi Part AOF\nStart to check BASE AOF (RDB format).\n")
                .contains("BASE AOF appendonly.aof.1.base.rdb is valid\nStart to check INCR files.\n")
                .contains("AOF analyzed: filename=appendonly.aof.1.incr.aof, size=" + size + ", ok_up_to=" + size)
                .endsWith("INCR AOF appendonly.aof.1.incr.aof is valid\nAll AOF files and manifest are valid\n");
    }

    @Test
    void aTornTailIsFoundAndFixedOnlyWhenConfirmed() throws Exception {
        Path dir = writtenAof();
        Path incr = dir.resolve("appendonlydir/appendonly.aof.1.incr.aof");
        Path manifest = dir.resolve("appendonlydir/appendonly.aof.manifest");
        long whole = Files.size(incr);
        Files.writeString(incr, "*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$2\r\n3", StandardOpenOption.APPEND);
        long torn = Files.size(incr);

        Run r = aof(manifest, false, "");
        assertThat(r.ok()).isFalse();
        assertThat(r.output()).contains("size=" + torn + ", ok_up_to=" + whole + ", ok_up_to_line=")
                .contains(", diff=" + (torn - whole) + "\n")
                .endsWith("INCR AOF appendonly.aof.1.incr.aof is not valid. Use the --fix option to try fixing it.\n");

        r = aof(manifest, true, "n\n");
        assertThat(r.ok()).isFalse();
        assertThat(r.output()).endsWith("Continue? [y/N]: Aborting...\n");
        assertThat(Files.size(incr)).isEqualTo(torn);

        r = aof(manifest, true, "y\n");
        assertThat(r.ok()).isTrue();
        assertThat(r.output()).contains("This will shrink the AOF appendonly.aof.1.incr.aof from " + torn + " bytes, with "
                + (torn - whole) + " bytes, to " + whole + " bytes\n").contains("Successfully truncated AOF appendonly.aof.1.incr.aof\n");
        assertThat(Files.size(incr)).isEqualTo(whole);
        assertThat(aof(manifest, false, "").output()).endsWith("All AOF files and manifest are valid\n");

        // Strict loading now starts: the file is whole again.
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--aof-load-truncated", "no");
                RespConnection c = new RespConnection(s.port())) {
            assertThat(c.call("MGET", "a", "b", "n", "c")).isEqualTo("*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n1\r\n$-1\r\n");
        }
    }

    @Test
    void garbageInTheMiddleAndEarlierFiles() throws Exception {
        Path dir = writtenAof();
        Path incr = dir.resolve("appendonlydir/appendonly.aof.1.incr.aof");
        long whole = Files.size(incr);
        Files.writeString(incr, "garbage\r\n*1\r\n$4\r\nPING\r\n", StandardOpenOption.APPEND);
        Run r = aof(incr, false, "");
        assertThat(r.ok()).isFalse();
        assertThat(r.output()).contains("ok_up_to=" + whole + ",").contains("Problem: bad format at offset " + whole + "\n");

        // A second incr file after the damaged one: the damaged one cannot be cut.
        Path manifest = dir.resolve("appendonlydir/appendonly.aof.manifest");
        Files.writeString(dir.resolve("appendonlydir/appendonly.aof.2.incr.aof"), "*1\r\n$4\r\nPING\r\n");
        Files.writeString(manifest, Files.readString(manifest) + "file appendonly.aof.2.incr.aof seq 2 type i\n");
        r = aof(manifest, true, "y\n");
        assertThat(r.ok()).isFalse();
        assertThat(r.output()).endsWith("Failed to truncate AOF appendonly.aof.1.incr.aof because it is not the last file\n");
        assertThat(Files.size(incr)).isGreaterThan(whole);
    }
}
