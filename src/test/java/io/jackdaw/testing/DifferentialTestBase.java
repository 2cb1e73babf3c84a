package io.jackdaw.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Shared life cycle of differential test classes: one Jackdaw and one reference redis-server
 * per class, a fresh {@link Differential} (after FLUSHALL) per test, and a loud skip where no
 * reference server is installed.
 */
public abstract class DifferentialTestBase {
    protected static TestServer ours;
    protected static ReferenceServer ref;
    protected Differential diff;

    @BeforeAll
    static void startServers() throws Exception {
        ours = TestServer.start();
        if (!ReferenceServer.available()) {
            ReferenceServer.warnMissing("differential tests");
            return;
        }
        ref = ReferenceServer.start();
    }

    @AfterAll
    static void stopServers() {
        if (ours != null) ours.close();
        if (ref != null) ref.close();
        ours = null;
        ref = null;
    }

    @AfterEach
    void closeDiff() throws IOException {
        if (diff != null) diff.close();
        diff = null;
    }

    /** A fresh comparison on an empty keyspace; skips the test when no reference server exists. */
    protected Differential differential() throws IOException {
        assumeTrue(ref != null, "no reference redis-server installed");
        diff = new Differential(ours.port(), ref.port());
        diff.run("FLUSHALL");
        return diff;
    }

    protected static String[] c(String... a) { return a; }

    /** Arguments as ISO-8859-1 bytes, so {@code "\u00ff"} in a test is the byte 0xFF on the wire. */
    protected static byte[][] latin1(String... args) {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) b[i] = args[i].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return b;
    }

    /** Runs one command (arguments as {@link #latin1} bytes) on both servers and compares the replies. */
    protected void r(String... args) throws IOException { diff.run(latin1(args)); }

    /** Runs each command in turn, as {@link #r}. */
    protected void all(java.util.List<String[]> commands) throws IOException {
        for (String[] cmd : commands) diff.run(latin1(cmd));
    }

    /**
     * Runs each command on both servers and lists where they differ in the dirty counter
     * (rdb_changes_since_last_save) or in keyspace hits and misses, and, with
     * {@code replies}, in the reply itself.
     */
    protected static java.util.List<String> statsDifferences(java.util.List<String[]> commands, boolean replies)
            throws Exception {
        java.util.List<String> differences = new java.util.ArrayList<>();
        try (RespConnection a = new RespConnection(ours.port()); RespConnection b = new RespConnection(ref.port())) {
            a.call("CONFIG", "RESETSTAT");
            b.call("CONFIG", "RESETSTAT");
            for (String[] cmd : commands) {
                long beforeA = InfoFields.changes(a), beforeB = InfoFields.changes(b);
                String ra = a.call(cmd), rb = b.call(cmd);
                if (replies && !ra.equals(rb)) differences.add(String.join(" ", cmd) + ": jackdaw " + ra.trim() + ", redis " + rb.trim());
                long da = InfoFields.changes(a) - beforeA, db = InfoFields.changes(b) - beforeB;
                if (da != db) differences.add(String.join(" ", cmd) + ": jackdaw +" + da + ", redis +" + db);
                String sa = InfoFields.keyspaceHitsAndMisses(a), sb = InfoFields.keyspaceHitsAndMisses(b);
                if (!sa.equals(sb)) differences.add(String.join(" ", cmd) + ": jackdaw " + sa + ", redis " + sb);
            }
        }
        return differences;
    }

    /** Our record's value bytes for a key in database 0, checked to be of record type {@code type}; null when absent. */
    protected static byte[] ourValueBytes(String key, int type) {
        io.jackdaw.store.Database db = new io.jackdaw.store.Database(ours.server().keyspace());
        db.at(0, System.currentTimeMillis());
        byte[] k = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (!db.findNoTouch(k, 0, k.length)) return null;
        org.assertj.core.api.Assertions.assertThat(db.type()).isEqualTo(type);
        return java.util.Arrays.copyOfRange(db.valuePage(), db.valueOffset(), db.valueOffset() + db.valueLength());
    }
}
