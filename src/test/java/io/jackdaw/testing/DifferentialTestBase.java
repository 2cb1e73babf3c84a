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
}
