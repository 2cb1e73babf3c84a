package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.ManualClock;
import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OBJECT IDLETIME and OBJECT FREQ against a clock the test moves: which commands count as an
 * access (Redis's no-touch lookups do not), TOUCH and CLIENT NO-TOUCH, LFU counting and decay.
 */
class KeyAccessTest {
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private TestServer server;
    private RespConnection conn;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(clock);
        conn = new RespConnection(server.port());
    }

    @AfterEach
    void stop() throws Exception {
        conn.close();
        server.close();
    }

    private String idle(String key) throws Exception { return conn.call("OBJECT", "IDLETIME", key); }

    /** DEBUG OBJECT shows an expired key not yet removed (Redis looks in its dict directly); a read then removes it. */
    @Test
    void debugObjectSeesAnExpiredKeyUntilARead() throws Exception {
        conn.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        try {
            conn.call("SET", "gone", "v", "PX", "1");
            clock.advance(5);
            assertThat(conn.call("DEBUG", "OBJECT", "gone")).contains(" encoding:embstr ");
            assertThat(conn.call("EXISTS", "gone")).isEqualTo(":0\r\n");
            assertThat(conn.call("DEBUG", "OBJECT", "gone")).isEqualTo("-ERR no such key\r\n");
        } finally {
            conn.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
    }

    @Test
    void idleTimeCountsFromTheLastRealAccess() throws Exception {
        conn.call("SET", "k", "v");
        assertThat(idle("k")).isEqualTo(":0\r\n");
        clock.advance(5_000);
        assertThat(idle("k")).isEqualTo(":5\r\n");
        assertThat(conn.call("DEBUG", "OBJECT", "k")).contains(" encoding:embstr ").contains(" lru_seconds_idle:5 ");
        // Lookups Redis makes without touching: TYPE, EXISTS, TTL family, OBJECT, SCAN.
        for (String[] cmd : new String[][] {{"TYPE", "k"}, {"EXISTS", "k"}, {"TTL", "k"}, {"PTTL", "k"},
                {"EXPIRETIME", "k"}, {"OBJECT", "ENCODING", "k"}, {"SCAN", "0"}}) {
            conn.call(cmd);
        }
        assertThat(idle("k")).isEqualTo(":5\r\n");
        conn.call("GET", "k");
        assertThat(idle("k")).isEqualTo(":0\r\n");
        clock.advance(3_000);
        conn.call("TOUCH", "k", "missing");
        assertThat(idle("k")).isEqualTo(":0\r\n");
        clock.advance(2_000);
        conn.call("SET", "k", "w");
        assertThat(idle("k")).isEqualTo(":0\r\n");
    }

    @Test
    void noTouchClientsLeaveIdleTimeAloneExceptForTouch() throws Exception {
        conn.call("SET", "k", "v");
        clock.advance(7_000);
        assertThat(conn.call("CLIENT", "NO-TOUCH", "ON")).isEqualTo("+OK\r\n");
        conn.call("GET", "k");
        assertThat(idle("k")).isEqualTo(":7\r\n");
        conn.call("TOUCH", "k");
        assertThat(idle("k")).isEqualTo(":0\r\n");
        clock.advance(1_000);
        conn.call("CLIENT", "NO-TOUCH", "OFF");
        conn.call("GET", "k");
        assertThat(idle("k")).isEqualTo(":0\r\n");
    }

    @Test
    void copyAndMoveAccessTheirSource() throws Exception {
        conn.call("SET", "a", "v");
        conn.call("SET", "m", "v");
        conn.call("SET", "untouched", "v");
        clock.advance(9_000);
        conn.call("COPY", "a", "b");
        assertThat(idle("a")).as("COPY reads its source as an access, as Redis's lookupKeyRead").isEqualTo(":0\r\n");
        assertThat(idle("b")).isEqualTo(":0\r\n");
        conn.call("MOVE", "m", "1");
        conn.call("SELECT", "1");
        assertThat(idle("m")).as("MOVE looks its key up for writing, an access").isEqualTo(":0\r\n");
        conn.call("SELECT", "0");
        assertThat(idle("untouched")).isEqualTo(":9\r\n");
    }

    @Test
    void lfuCountsAccessesAndDecaysPerMinute() throws Exception {
        conn.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
        conn.call("SET", "k", "v");
        assertThat(conn.call("OBJECT", "FREQ", "k")).as("a new key starts at LFU_INIT_VAL").isEqualTo(":5\r\n");
        assertThat(idle("k")).startsWith("-ERR An LFU maxmemory policy is selected, idle time not tracked.");
        // With lfu-log-factor 0 every access counts.
        conn.call("CONFIG", "SET", "lfu-log-factor", "0");
        for (int i = 0; i < 20; i++) conn.call("GET", "k");
        assertThat(conn.call("OBJECT", "FREQ", "k")).isEqualTo(":25\r\n");
        conn.call("SET", "k", "overwritten");
        assertThat(conn.call("OBJECT", "FREQ", "k")).as("an overwrite keeps the counter").isEqualTo(":26\r\n");
        clock.advance(3 * 60_000);
        assertThat(conn.call("OBJECT", "FREQ", "k")).as("one decrement per lfu-decay-time minute").isEqualTo(":23\r\n");
        conn.call("CONFIG", "SET", "lfu-decay-time", "0");
        clock.advance(10 * 60_000);
        // A read does not store the decay, and with lfu-decay-time 0 none is owed: the stored counter shows.
        assertThat(conn.call("OBJECT", "FREQ", "k")).as("lfu-decay-time 0 never decays").isEqualTo(":26\r\n");
        conn.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
        assertThat(conn.call("OBJECT", "FREQ", "k")).startsWith("-ERR An LFU maxmemory policy is not selected");
    }
}
