package io.jackdaw.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jackdaw.testing.ReferenceServer;
import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The append-only file over real sockets: writes survive a restart with identical contents,
 * the incr file holds the deterministic forms Redis propagates (absolute times, script effects
 * in MULTI/EXEC, generated stream IDs), a torn tail is cut back, a damaged file stops the start,
 * BGREWRITEAOF and CONFIG SET appendonly switch files without losing writes, and an AOF
 * directory written by redis-server 7.0.15 loads into Jackdaw with the same data.
 */
class AppendOnlyFileTest {

    private static TestServer start(Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of("--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always"));
        args.addAll(List.of(extra));
        return TestServer.start(args.toArray(String[]::new));
    }

    /** Every key of every database: type, absolute expiry and value digest, in key order. */
    static String contents(RespConnection c) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int db = 0; db < 16; db++) {
            c.call("SELECT", String.valueOf(db));
            TreeMap<String, String> keys = new TreeMap<>();
            for (String k : keys(c)) {
                String type = c.call("TYPE", k);
                String value = type.contains("stream") ? c.call("XRANGE", k, "-", "+") + c.call("XINFO", "GROUPS", k)
                        : c.call("DEBUG", "DIGEST-VALUE", k);
                keys.put(k, type.trim() + " " + c.call("PEXPIRETIME", k).trim() + " " + value.trim());
            }
            if (!keys.isEmpty()) sb.append("db").append(db).append(' ').append(keys).append('\n');
        }
        c.call("SELECT", "0");
        return sb.toString();
    }

    private static List<String> keys(RespConnection c) throws Exception {
        String reply = c.call("KEYS", "*");
        List<String> out = new ArrayList<>();
        String[] lines = reply.split("\r\n");
        for (int i = 1; i < lines.length; i += 2) out.add(lines[i + 1]);
        return out;
    }

    /** A workload that touches every command Redis rewrites before propagating it. */
    private static void workload(RespConnection c) throws Exception {
        c.call("SET", "plain", "v");
        c.call("SET", "ex", "v", "EX", "1000");
        c.call("SETEX", "setex", "500", "v");
        c.call("PSETEX", "psetex", "700000", "v");
        c.call("SET", "kept", "v", "PXAT", "4102444800000");
        c.call("SET", "gone", "v");
        c.call("SET", "gone", "w", "PX", "1", "GET"); // may already be past when replayed
        c.call("SET", "getex", "v");
        c.call("GETEX", "getex", "EX", "3000");
        c.call("SET", "persisted", "v", "EX", "100");
        c.call("GETEX", "persisted", "PERSIST");
        c.call("SET", "exp", "v");
        c.call("EXPIRE", "exp", "2000", "NX");
        c.call("SET", "pexp", "v");
        c.call("PEXPIRE", "pexp", "2000000");
        c.call("SET", "expat", "v");
        c.call("EXPIREAT", "expat", "4102444800");
        c.call("SET", "float", "10.5");
        c.call("INCRBYFLOAT", "float", "0.1");
        c.call("INCRBYFLOAT", "float", "1e-3");
        c.call("HSET", "h", "f", "1.5", "g", "x");
        c.call("HINCRBYFLOAT", "h", "f", "2.25");
        c.call("HEXPIRE", "h", "5000", "FIELDS", "1", "g");
        for (int i = 0; i < 40; i++) c.call("SADD", "set", "m" + i);
        c.call("SPOP", "set");
        c.call("SPOP", "set", "5");
        c.call("SPOP", "set", "30");
        c.call("SADD", "small", "a", "b");
        c.call("SPOP", "small", "10");
        for (int i = 0; i < 30; i++) c.call("XADD", "st", "*", "n", String.valueOf(i));
        c.call("XADD", "st", "MAXLEN", "~", "10", "*", "n", "last");
        c.call("XTRIM", "st", "MAXLEN", "~", "5"); // removes no whole node: changes nothing, propagates nothing
        c.call("XTRIM", "st", "MAXLEN", "20");
        c.call("XADD", "st", "99999999999999-*", "n", "seq");
        c.call("XGROUP", "CREATE", "st", "g", "0");
        c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "st", ">");
        c.call("SET", "src", "payload");
        String dump = c.call("DUMP", "src");
        byte[] payload = dump.substring(dump.indexOf("\r\n") + 2, dump.length() - 2).getBytes(StandardCharsets.ISO_8859_1);
        c.call("RESTORE".getBytes(StandardCharsets.US_ASCII), "restored".getBytes(StandardCharsets.US_ASCII),
                "900000".getBytes(StandardCharsets.US_ASCII), payload);
        c.call("EVAL", "redis.call('set', KEYS[1], 'a'); redis.call('incr', 'counter'); redis.call('expire', KEYS[1], 300)"
                + "; return 1", "1", "fromscript");
        c.call("EVAL", "return redis.call('get', 'plain')", "0"); // no writes: nothing propagated
        c.call("MULTI");
        c.call("INCR", "counter");
        c.call("SELECT", "5");
        c.call("SET", "in5", "x");
        c.call("EXEC");
        c.call("SELECT", "0");
        c.call("RPUSH", "list", "a", "b", "c");
        c.call("LMOVE", "list", "list2", "LEFT", "RIGHT");
        c.call("FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('f', function(keys, args) "
                + "return redis.call('set', keys[1], args[1]) end)");
        c.call("FCALL", "f", "1", "viafunction", "42");
        c.call("SELECT", "9");
        c.call("FLUSHDB");
        c.call("SELECT", "0");
        c.call("SET", "todel", "1");
        c.call("DEL", "todel");
    }

    @Test
    void writesSurviveARestartWithIdenticalContents() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-aof");
        String before;
        try (TestServer s = start(dir); RespConnection c = new RespConnection(s.port())) {
            workload(c);
            before = contents(c);
            assertThat(c.call("FUNCTION", "LIST")).contains("lib");
        }
        try (TestServer s = start(dir); RespConnection c = new RespConnection(s.port())) {
            assertThat(contents(c)).isEqualTo(before);
            assertThat(c.call("FCALL", "f", "1", "again", "7")).isEqualTo("+OK\r\n");
            assertThat(c.call("GET", "counter")).isEqualTo("$1\r\n2\r\n");
        }
    }

    @Test
    void incrFileHoldsTheDeterministicForms() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-aof");
        try (TestServer s = start(dir); RespConnection c = new RespConnection(s.port())) {
            workload(c);
        }
        String manifest = Files.readString(dir.resolve("appendonlydir/appendonly.aof.manifest"));
        assertThat(manifest).isEqualTo("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
        assertThat(Files.readString(dir.resolve("appendonlydir/appendonly.aof.1.base.rdb"), StandardCharsets.ISO_8859_1))
                .startsWith("REDIS0011");
        List<List<String>> cmds = commands(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof"));
        List<String> names = cmds.stream().map(l -> l.get(0).toUpperCase()).toList();
        assertThat(cmds.get(0)).containsExactly("SELECT", "0");
        assertThat(names).doesNotContain("EVAL", "FCALL", "SETEX", "PSETEX", "GETEX", "INCRBYFLOAT", "HINCRBYFLOAT",
                "SPOP", "EXPIRE", "PEXPIRE", "EXPIREAT", "HEXPIRE");
        assertThat(cmds).contains(List.of("SET", "plain", "v"));
        // Relative times became the instants they named.
        List<String> ex = find(cmds, "ex");
        assertThat(ex.subList(0, 4)).containsExactly("SET", "ex", "v", "PXAT");
        assertThat(Long.parseLong(ex.get(4))).isGreaterThan(System.currentTimeMillis() + 900_000);
        assertThat(find(cmds, "setex").subList(0, 4)).containsExactly("SET", "setex", "v", "PXAT");
        assertThat(find(cmds, "kept")).containsExactly("SET", "kept", "v", "PXAT", "4102444800000");
        assertThat(find(cmds, "getex").get(0)).isEqualTo("PEXPIREAT");
        assertThat(cmds).contains(List.of("PERSIST", "persisted"));
        List<String> exp = find(cmds, "exp");
        assertThat(exp.get(0)).isEqualTo("PEXPIREAT");
        assertThat(exp.get(3)).isEqualTo("NX");
        assertThat(cmds).contains(List.of("PEXPIREAT", "expat", "4102444800000"));
        assertThat(cmds).contains(List.of("SET", "float", "10.6", "KEEPTTL"), List.of("SET", "float", "10.601", "KEEPTTL"));
        assertThat(cmds).contains(List.of("HSET", "h", "f", "3.75"));
        assertThat(cmds.stream().filter(l -> l.get(0).equals("HPEXPIREAT")).findFirst().orElseThrow()).hasSize(6);
        // SPOP as the members it took: 1, then 5, then 30 of the 34 left; the whole set as DEL.
        List<Integer> srems = cmds.stream().filter(l -> l.get(0).equals("SREM")).map(l -> l.size() - 2).toList();
        assertThat(srems).containsExactly(1, 5, 30);
        assertThat(cmds).contains(List.of("DEL", "small"));
        // Stream IDs as generated; the approximate trims as exact ones.
        List<List<String>> xadds = cmds.stream().filter(l -> l.get(0).equalsIgnoreCase("XADD")).toList();
        assertThat(xadds).hasSize(32).allSatisfy(l -> assertThat(l).doesNotContain("*", "~"));
        assertThat(xadds.get(30).subList(2, 5)).containsExactly("MAXLEN", "=", "31");
        assertThat(xadds.get(31).get(2)).isEqualTo("99999999999999-0");
        assertThat(cmds.stream().filter(l -> l.get(0).equalsIgnoreCase("XTRIM")).toList())
                .containsExactly(List.of("XTRIM", "st", "MAXLEN", "20"));
        List<String> restore = find(cmds, "restored");
        assertThat(restore.get(restore.size() - 1)).isEqualTo("ABSTTL");
        assertThat(Long.parseLong(restore.get(2))).isGreaterThan(System.currentTimeMillis());
        // The script's effects, wrapped; the read-only script left nothing.
        int multi = names.indexOf("MULTI");
        assertThat(cmds.get(multi + 1)).containsExactly("set", "fromscript", "a");
        assertThat(cmds.get(multi + 2)).containsExactly("incr", "counter");
        assertThat(cmds.get(multi + 3).subList(0, 2)).containsExactly("PEXPIREAT", "fromscript");
        assertThat(cmds.get(multi + 4)).containsExactly("EXEC");
        // MULTI/EXEC with a SELECT inside it.
        int tx = names.subList(multi + 1, names.size()).indexOf("MULTI") + multi + 1;
        assertThat(cmds.subList(tx, tx + 5)).containsExactly(List.of("MULTI"), List.of("INCR", "counter"),
                List.of("SELECT", "5"), List.of("SET", "in5", "x"), List.of("EXEC"));
        assertThat(cmds).contains(List.of("set", "viafunction", "42"), List.of("FLUSHDB"), List.of("DEL", "todel"));
        assertThat(names).contains("FUNCTION");
    }

    @Test
    void approximateTrimsAreReplayedAsTheirExactResult() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-aof");
        String before;
        try (TestServer s = start(dir, "--stream-node-max-entries", "10"); RespConnection c = new RespConnection(s.port())) {
            for (int i = 1; i <= 35; i++) c.call("XADD", "st", i + "-0", "n", String.valueOf(i));
            c.call("XADD", "st", "MAXLEN", "~", "12", "36-0", "n", "36");
            c.call("XTRIM", "st", "MINID", "~", "33-0");
            before = c.call("XRANGE", "st", "-", "+");
        }
        List<List<String>> cmds = commands(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof"));
        List<String> add = cmds.stream().filter(l -> l.contains("36-0")).findFirst().orElseThrow();
        assertThat(add.subList(2, 5)).containsExactly("MAXLEN", "=", "16"); // whole nodes of 10 went: 36 -> 16
        List<String> trim = cmds.get(cmds.size() - 1);
        assertThat(trim).containsExactly("XTRIM", "st", "MINID", "=", "31-0"); // the node 21..30 went whole
        try (TestServer s = start(dir); RespConnection c = new RespConnection(s.port())) {
            assertThat(c.call("XRANGE", "st", "-", "+")).isEqualTo(before);
        }
    }

    @Test
    void expiredKeysReachTheFileAsDel() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-aof");
        try (TestServer s = start(dir); RespConnection c = new RespConnection(s.port())) {
            c.call("SET", "short", "v", "PX", "20");
            Thread.sleep(60);
            assertThat(c.call("GET", "short")).isEqualTo("$-1\r\n"); // lazily expired
        }
        List<List<String>> cmds = commands(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof"));
        assertThat(cmds.get(cmds.size() - 1)).containsExactly("DEL", "short");
    }

    @Test
    void tornTailIsCutBackAndTheRestLoads() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-aof");
        try (TestServer s = start(dir); RespConnection c = new RespConnection(s.port())) {
            c.call("SET", "a", "1");
            c.call("SET", "b", "2");
        }
        Path incr = dir.resolve("appendonlydir/appendonly.aof.1.incr.aof");
        long whole = Files.size(incr);
        Files.write(incr, "*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1".getBytes(StandardCharsets.US_ASCII), java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> start(dir, "--aof-load-truncated", "no"))
                .hasMessageContaining("Unexpected end of file reading the append only file appendonly.aof.1.incr.aof")
                .hasMessageContaining("aof-load-truncated");
        try (TestServer s = start(dir); RespConnection c = new RespConnection(s.port())) {
            assertThat(c.call("MGET", "a", "b", "c")).isEqualTo("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n");
            c.call("SET", "d", "4");
        }
        assertThat(commands(incr).subList(0, 3)).containsExactly(List.of("SELECT", "0"), List.of("SET", "a", "1"),
                List.of("SET", "b", "2"));
        try (TestServer s = start(dir); RespConnection c = new RespConnection(s.port())) {
            assertThat(c.call("MGET", "a", "b", "c", "d")).isEqualTo("*4\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n$1\r\n4\r\n");
        }
        assertThat(Files.size(incr)).isGreaterThan(whole);
    }

    @Test
    void incompleteTransactionAtTheEndIsReverted() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-aof");
        try (TestServer s = start(dir); RespConnection c = new RespConnection(s.port())) {
            c.call("SET", "a", "1");
        }
        Path incr = dir.resolve("appendonlydir/appendonly.aof.1.incr.aof");
        Files.write(incr, "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n".getBytes(StandardCharsets.US_ASCII),
                java.nio.file.StandardOpenOption.APPEND);
        try (TestServer s = start(dir); RespConnection c = new RespConnection(s.port())) {
            assertThat(c.call("MGET", "a", "b")).isEqualTo("*2\r\n$1\r\n1\r\n$-1\r\n");
        }
        assertThat(commands(incr)).containsExactly(List.of("SELECT", "0"), List.of("SET", "a", "1"));
    }

    @Test
    void damagedFileOrUnknownCommandStopsTheStart() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-aof");
        try (TestServer s = start(dir); RespConnection c = new RespConnection(s.port())) {
            c.call("SET", "a", "1");
        }
        Path incr = dir.resolve("appendonlydir/appendonly.aof.1.incr.aof");
        byte[] good = Files.readAllBytes(incr);
        Files.write(incr, "garbage\r\n".getBytes(StandardCharsets.US_ASCII), java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> start(dir)).hasMessageContaining(
                "Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF file, "
                        + "then use bin/jackdaw-check-aof --fix <filename.manifest>");
        Files.write(incr, good);
        Files.write(incr, "*1\r\n$7\r\nNOSUCHC\r\n".getBytes(StandardCharsets.US_ASCII), java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> start(dir))
                .hasMessageContaining("Unknown command 'NOSUCHC' reading the append only file appendonly.aof.1.incr.aof");
        Files.writeString(dir.resolve("appendonlydir/appendonly.aof.manifest"), "file appendonly.aof.1.base.rdb seq x type b\n");
        assertThatThrownBy(() -> start(dir)).hasMessageContaining("Invalid AOF manifest file format, at line 1");
    }

    @Test
    void bgrewriteaofStartsNewFilesAndLosesNothing() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-aof");
        String before;
        try (TestServer s = start(dir); RespConnection c = new RespConnection(s.port())) {
            for (int i = 0; i < 200; i++) c.call("INCR", "n" + (i % 10));
            c.call("SET", "ttl", "v", "EX", "5000");
            assertThat(c.call("BGREWRITEAOF")).isEqualTo("+Background append only file rewriting started\r\n");
            waitFor(() -> c.call("INFO", "persistence").contains("aof_rewrite_in_progress:0"));
            assertThat(c.call("INFO", "persistence")).contains("aof_enabled:1\r\n").contains("aof_rewrites:1\r\n")
                    .contains("aof_last_bgrewrite_status:ok\r\n");
            c.call("INCR", "n0");
            c.call("SELECT", "2");
            c.call("SET", "after", "rewrite");
            before = contents(c);
        }
        Path aofDir = dir.resolve("appendonlydir");
        assertThat(Files.readString(aofDir.resolve("appendonly.aof.manifest")))
                .isEqualTo("file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
        try (Stream<Path> files = Files.list(aofDir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof", "appendonly.aof.manifest");
        }
        assertThat(commands(aofDir.resolve("appendonly.aof.2.incr.aof"))).containsExactly(List.of("SELECT", "0"),
                List.of("INCR", "n0"), List.of("SELECT", "2"), List.of("SET", "after", "rewrite"));
        try (TestServer s = start(dir); RespConnection c = new RespConnection(s.port())) {
            assertThat(contents(c)).isEqualTo(before);
            assertThat(c.call("GET", "n0")).isEqualTo("$2\r\n21\r\n");
        }
    }

    /**
     * aof-use-rdb-preamble no: a rewrite's base is the commands that rebuild the data (.base.aof),
     * collections in commands of at most 64 items, streams with their groups, pending entries and
     * consumers, functions first; it loads back to the same contents, from BGREWRITEAOF and from
     * turning the AOF on.
     */
    @Test
    void baseOfCommandsWithoutTheRdbPreamble() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-aof");
        String before, pending;
        try (TestServer s = start(dir, "--aof-use-rdb-preamble", "no"); RespConnection c = new RespConnection(s.port())) {
            workload(c);
            for (int i = 0; i < 150; i++) c.call("RPUSH", "biglist", "e" + i);
            for (int i = 0; i < 150; i++) c.call("ZADD", "bigz", String.valueOf(i * 0.5), "m" + i);
            c.call("ZADD", "bigz", "inf", "top", "-inf", "bottom");
            for (int i = 0; i < 150; i++) c.call("HSET", "bighash", "f" + i, "v" + i);
            c.call("HPEXPIRE", "bighash", "900000", "FIELDS", "2", "f1", "f2");
            c.call("XADD", "empty", "5-5", "a", "b");
            c.call("XDEL", "empty", "5-5");
            c.call("XGROUP", "CREATE", "st", "g2", "$");
            c.call("XGROUP", "CREATECONSUMER", "st", "g2", "idle-one");
            c.call("XREADGROUP", "GROUP", "g", "bob", "COUNT", "2", "STREAMS", "st", ">");
            c.call("XACK", "st", "g", c.call("XRANGE", "st", "-", "+", "COUNT", "1").split("\r\n")[3]);
            assertThat(c.call("BGREWRITEAOF")).isEqualTo("+Background append only file rewriting started\r\n");
            waitFor(() -> c.call("INFO", "persistence").contains("aof_rewrite_in_progress:0"));
            c.call("SET", "after", "rewrite");
            before = contents(c);
            pending = c.call("XPENDING", "st", "g") + c.call("XPENDING", "st", "g2") + c.call("XINFO", "CONSUMERS", "st", "g2").split("\r\n")[3];
        }
        Path aofDir = dir.resolve("appendonlydir");
        assertThat(Files.readString(aofDir.resolve("appendonly.aof.manifest")))
                .isEqualTo("file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
        List<List<String>> base = commands(aofDir.resolve("appendonly.aof.2.base.aof"));
        assertThat(base.get(0)).startsWith("FUNCTION", "LOAD");
        assertThat(base).contains(List.of("SELECT", "0"), List.of("SET", "plain", "v"), List.of("XGROUP", "CREATECONSUMER", "st", "g2", "idle-one"));
        assertThat(base.stream().filter(cmd -> cmd.get(0).equals("RPUSH") && cmd.get(1).equals("biglist")).map(List::size).toList())
                .containsExactly(66, 66, 24);
        assertThat(base.stream().filter(cmd -> cmd.get(0).equals("XCLAIM")).count()).isEqualTo(4);
        assertThat(find(base, "empty")).isNotNull();
        try (TestServer s = start(dir); RespConnection c = new RespConnection(s.port())) {
            assertThat(contents(c)).isEqualTo(before);
            assertThat(c.call("XPENDING", "st", "g") + c.call("XPENDING", "st", "g2")
                    + c.call("XINFO", "CONSUMERS", "st", "g2").split("\r\n")[3]).isEqualTo(pending);
            assertThat(c.call("XINFO", "STREAM", "empty")).contains("5-5");
            // Turning the AOF off and on writes the base at once, under the locks: commands again.
            c.call("CONFIG", "SET", "aof-use-rdb-preamble", "no");
            c.call("CONFIG", "SET", "appendonly", "no");
            assertThat(c.call("CONFIG", "SET", "appendonly", "yes")).isEqualTo("+OK\r\n");
            waitFor(() -> c.call("INFO", "persistence").contains("aof_rewrite_in_progress:0"));
        }
        assertThat(Files.readString(aofDir.resolve("appendonly.aof.manifest"))).startsWith("file appendonly.aof.3.base.aof seq 3 type b\n");
        try (TestServer s = start(dir); RespConnection c = new RespConnection(s.port())) {
            assertThat(contents(c)).isEqualTo(before);
        }
    }

    @Test
    void debugLoadaofReplaysTheFileInPlace() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-aof");
        try (TestServer s = start(dir); RespConnection c = new RespConnection(s.port())) {
            workload(c);
            String before = contents(c);
            assertThat(c.call("DEBUG", "LOADAOF")).isEqualTo("+OK\r\n");
            assertThat(contents(c)).isEqualTo(before);
            long size = Files.size(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof"));
            assertThat(c.call("DEBUG", "LOADAOF")).isEqualTo("+OK\r\n");
            // Replaying wrote nothing back into the file.
            assertThat(Files.size(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof"))).isEqualTo(size);
            assertThat(contents(c)).isEqualTo(before);
        }
    }

    @Test
    void configSetAppendonlyTurnsTheFileOnAndOff() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-aof");
        try (TestServer s = TestServer.start("--dir", dir.toString()); RespConnection c = new RespConnection(s.port())) {
            c.call("SET", "before", "1");
            assertThat(c.call("INFO", "persistence")).contains("aof_enabled:0\r\n").doesNotContain("aof_current_size");
            assertThat(c.call("CONFIG", "SET", "appendonly", "yes")).isEqualTo("+OK\r\n");
            assertThat(c.call("INFO", "persistence")).contains("aof_enabled:1\r\n").contains("aof_current_size:");
            c.call("SET", "during", "2");
            assertThat(c.call("CONFIG", "SET", "appendonly", "no")).isEqualTo("+OK\r\n");
            c.call("SET", "after", "3");
        }
        try (TestServer s = start(dir); RespConnection c = new RespConnection(s.port())) {
            assertThat(c.call("MGET", "before", "during", "after")).isEqualTo("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n");
        }
    }

    @Test
    void timestampAnnotationsAreWrittenAndSkippedOnLoad() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-aof");
        try (TestServer s = start(dir, "--aof-timestamp-enabled", "yes"); RespConnection c = new RespConnection(s.port())) {
            c.call("SET", "a", "1");
        }
        String text = Files.readString(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof"), StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("#TS:");
        try (TestServer s = start(dir); RespConnection c = new RespConnection(s.port())) {
            assertThat(c.call("GET", "a")).isEqualTo("$1\r\n1\r\n");
        }
    }

    /** Redis 7.0.15's own AOF directory (RDB base, incr file of its deterministic commands) loads into Jackdaw unchanged. */
    @Test
    void referenceServersAofLoadsWithTheSameData() throws Exception {
        assumeTrue(ReferenceServer.available(), "redis-server not installed");
        Path jdir = Files.createTempDirectory("jackdaw-aof");
        String expected;
        try (ReferenceServer ref = ReferenceServer.start("--appendonly", "yes", "--appendfsync", "always");
                RespConnection r = new RespConnection(ref.port())) {
            for (int i = 0; i < 50; i++) r.call("SET", "k" + i, "v" + i);
            r.call("BGREWRITEAOF"); // an RDB base with these keys
            waitFor(() -> r.call("INFO", "persistence").contains("aof_rewrite_in_progress:0")
                    && !r.call("INFO", "persistence").contains("aof_rewrite_scheduled:1"));
            workloadWithoutStreamsAndFunctions(r);
            expected = contents(r);
            copyTree(refDir(r).resolve("appendonlydir"), jdir.resolve("appendonlydir"));
        }
        try (TestServer s = start(jdir); RespConnection c = new RespConnection(s.port())) {
            assertThat(contents(c)).isEqualTo(expected);
        }
    }

    /** Jackdaw's AOF with a base of commands loads into redis-server 7.0.15 with the same data. */
    @Test
    void commandBaseLoadsIntoTheReferenceServer() throws Exception {
        assumeTrue(ReferenceServer.available(), "redis-server not installed");
        Path dir = Files.createTempDirectory("jackdaw-aof");
        String expected;
        try (TestServer s = start(dir, "--aof-use-rdb-preamble", "no"); RespConnection c = new RespConnection(s.port())) {
            workloadWithoutStreamsAndFunctions(c);
            for (int i = 0; i < 5; i++) c.call("XADD", "st", (i + 1) + "-1", "n", String.valueOf(i));
            c.call("XGROUP", "CREATE", "st", "g", "0");
            c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "st", ">");
            c.call("BGREWRITEAOF");
            waitFor(() -> c.call("INFO", "persistence").contains("aof_rewrite_in_progress:0"));
            expected = contents(c);
        }
        Path refDir = Files.createTempDirectory("jackdaw-aof-ref");
        copyTree(dir.resolve("appendonlydir"), refDir.resolve("appendonlydir"));
        assertThat(Files.readString(refDir.resolve("appendonlydir/appendonly.aof.manifest"))).contains(".base.aof");
        try (ReferenceServer ref = ReferenceServer.start("--appendonly", "yes", "--dir", refDir.toString());
                RespConnection r = new RespConnection(ref.port())) {
            assertThat(contents(r)).isEqualTo(expected);
        }
    }

    private static void workloadWithoutStreamsAndFunctions(RespConnection c) throws Exception {
        c.call("SET", "ex", "v", "EX", "1000");
        c.call("SETEX", "setex", "500", "v");
        c.call("SET", "float", "10.5");
        c.call("INCRBYFLOAT", "float", "0.1");
        c.call("HSET", "h", "f", "1.5", "g", "x");
        c.call("HINCRBYFLOAT", "h", "f", "2.25");
        for (int i = 0; i < 40; i++) c.call("SADD", "set", "m" + i);
        c.call("SPOP", "set", "5");
        c.call("ZADD", "z", "1", "a", "2", "b");
        c.call("ZINCRBY", "z", "0.5", "a");
        c.call("EVAL", "redis.call('set', KEYS[1], 'a'); redis.call('incr', 'counter'); return 1", "1", "fromscript");
        c.call("MULTI");
        c.call("INCR", "counter");
        c.call("SELECT", "5");
        c.call("SET", "in5", "x");
        c.call("EXEC");
        c.call("SELECT", "0");
        c.call("RPUSH", "list", "a", "b", "c");
        c.call("LPOP", "list");
        c.call("EXPIRE", "list", "7000");
        c.call("PFADD", "hll", "a", "b", "c");
    }

    private static Path refDir(RespConnection r) throws Exception {
        String reply = r.call("CONFIG", "GET", "dir");
        String[] lines = reply.split("\r\n");
        return Path.of(lines[lines.length - 1]);
    }

    private static void copyTree(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : files.toList()) Files.copy(p, to.resolve(p.getFileName()));
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!check.ok()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("condition not reached in 10 s");
            Thread.sleep(20);
        }
    }

    /** The first command whose key (second argument) is {@code key}, of the last ones naming it. */
    private static List<String> find(List<List<String>> cmds, String key) {
        return cmds.stream().filter(l -> l.size() > 1 && l.get(1).equals(key)).reduce((a, b) -> b.get(0).equalsIgnoreCase("del")
                ? a : b).orElseThrow(() -> new AssertionError("no command on " + key));
    }

    /** Parses an incr file into its commands (annotations skipped). */
    static List<List<String>> commands(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        List<List<String>> out = new ArrayList<>();
        int i = 0;
        while (i < b.length) {
            if (b[i] == '#') {
                while (b[i] != '\n') i++;
                i++;
                continue;
            }
            int eol = indexOf(b, i);
            int argc = Integer.parseInt(new String(b, i + 1, eol - i - 1, StandardCharsets.US_ASCII));
            i = eol + 2;
            List<String> cmd = new ArrayList<>();
            for (int j = 0; j < argc; j++) {
                eol = indexOf(b, i);
                int len = Integer.parseInt(new String(b, i + 1, eol - i - 1, StandardCharsets.US_ASCII));
                i = eol + 2;
                cmd.add(new String(b, i, len, StandardCharsets.ISO_8859_1));
                i += len + 2;
            }
            out.add(cmd);
        }
        return out;
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
        throw new AssertionError("no CRLF after " + from);
    }
}
