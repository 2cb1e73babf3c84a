package io.jackdaw.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Start-up, idle timeouts, active expiry, SHUTDOWN and SIGTERM, through real sockets and a real process. */
class LifecycleTest {

    @Test
    void idleClientsAreClosedAfterTimeout() throws Exception {
        try (TestServer s = TestServer.start("--timeout", "1", "--hz", "50");
             RespConnection idle = new RespConnection(s.port());
             RespConnection busy = new RespConnection(s.port())) {
            assertThat(idle.call("PING")).isEqualTo("+PONG\r\n");
            long end = System.currentTimeMillis() + 3500;
            while (System.currentTimeMillis() < end) {
                assertThat(busy.call("PING")).isEqualTo("+PONG\r\n");
                Thread.sleep(200);
            }
            assertThat(idle.closedByServer()).isTrue();
            assertThat(busy.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void activeExpiryRemovesKeysNobodyReads() throws Exception {
        try (TestServer s = TestServer.start("--hz", "100");
             RespConnection c = new RespConnection(s.port())) {
            for (int i = 0; i < 500; i++) c.call("SET", "k" + i, "v", "PX", "50");
            c.call("SET", "keep", "v");
            long deadline = System.currentTimeMillis() + 5000;
            String size = c.call("DBSIZE");
            while (!size.equals(":1\r\n") && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
                size = c.call("DBSIZE");
            }
            assertThat(size).isEqualTo(":1\r\n");
            assertThat(c.call("INFO", "stats")).contains("expired_keys:500\r\n");
        }
    }

    @Test
    void activeExpiryClearsALargeMixedKeyspaceInSlices() throws Exception {
        io.jackdaw.testing.ManualClock clock = new io.jackdaw.testing.ManualClock(1_700_000_000_000L);
        try (TestServer s = TestServer.start(clock); RespConnection c = new RespConnection(s.port())) {
            int n = 100_000;
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < n; i++) {
                batch.append("SET v").append(i).append(" x PX 1000\r\n");
                batch.append("SET p").append(i).append(" x\r\n");
            }
            c.sendRaw(batch.toString());
            for (int i = 0; i < 2 * n; i++) assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.call("DBSIZE")).isEqualTo(":" + 2 * n + "\r\n");
            clock.advance(2_000);
            // Nobody reads the keys: only the cron's cycle can remove them, a bounded slice per tick.
            long deadline = System.currentTimeMillis() + 30_000;
            String size = c.call("DBSIZE");
            while (!size.equals(":" + n + "\r\n") && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
                size = c.call("DBSIZE");
            }
            assertThat(size).isEqualTo(":" + n + "\r\n");
            assertThat(c.call("INFO", "stats")).contains("expired_keys:" + n + "\r\n");
            assertThat(c.call("INFO", "keyspace")).contains("db0:keys=" + n + ",expires=0,");
        }
    }

    @Test
    void avgTtlIsTheExpiryCyclesMovingAverage() throws Exception {
        io.jackdaw.testing.ManualClock clock = new io.jackdaw.testing.ManualClock(1_700_000_000_000L);
        try (TestServer s = TestServer.start(clock, "--hz", "100"); RespConnection c = new RespConnection(s.port())) {
            c.call("SET", "persistent", "v");
            for (int i = 0; i < 100; i++) c.call("SET", "t" + i, "v", "PX", "100000");
            // The clock stands still, so every sampled key has exactly 100000 ms left.
            String info = waitForInfo(c, "avg_ttl=100000\r\n");
            assertThat(info).contains("db0:keys=101,expires=100,avg_ttl=100000\r\n");
            for (int i = 0; i < 100; i++) c.call("PERSIST", "t" + i);
            assertThat(waitForInfo(c, "avg_ttl=0\r\n")).contains("db0:keys=101,expires=0,avg_ttl=0\r\n");
        }
    }

    /** INFO keyspace once it contains the text (the cron runs on its own thread), or the last reply. */
    private static String waitForInfo(RespConnection c, String text) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        String info = c.call("INFO", "keyspace");
        while (!info.contains(text) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            info = c.call("INFO", "keyspace");
        }
        return info;
    }

    @Test
    void debugSetActiveExpireZeroLeavesExpiredKeysToLazyExpiry() throws Exception {
        try (TestServer s = TestServer.start("--hz", "100");
             RespConnection c = new RespConnection(s.port())) {
            assertThat(c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0")).isEqualTo("+OK\r\n");
            try {
                c.call("SET", "k", "v", "PX", "20");
                Thread.sleep(300);
                assertThat(c.call("DBSIZE")).isEqualTo(":1\r\n"); // still present: nobody touched it
                assertThat(c.call("GET", "k")).isEqualTo("$-1\r\n"); // lazy expiry on access
                assertThat(c.call("DBSIZE")).isEqualTo(":0\r\n");
            } finally {
                c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            }
        }
    }

    @Test
    void shutdownClosesTheConnectionAndStopsListening() throws Exception {
        TestServer s = TestServer.start();
        int port = s.port();
        try (RespConnection c = new RespConnection(port)) {
            c.send("SHUTDOWN", "NOSAVE");
            assertThat(c.closedByServer()).isTrue();
        }
        long deadline = System.currentTimeMillis() + 5000;
        boolean listening = true;
        while (listening && System.currentTimeMillis() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                Thread.sleep(50);
            } catch (java.io.IOException e) {
                listening = false;
            }
        }
        assertThat(listening).isFalse();
        s.close();
    }

    @Test
    void shutdownAbortWithoutShutdownInProgressIsAnError() throws Exception {
        try (TestServer s = TestServer.start(); RespConnection c = new RespConnection(s.port())) {
            assertThat(c.call("SHUTDOWN", "ABORT")).isEqualTo("-ERR No shutdown in progress.\r\n");
            assertThat(c.call("SHUTDOWN", "SAVE", "NOSAVE")).isEqualTo("-ERR syntax error\r\n");
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    /** The real entry point in its own process: banner, serving, and a clean exit on SIGTERM. */
    @Test
    void mainPrintsBannerServesAndExitsCleanlyOnSigterm() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                JackdawServer.class.getName(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--io-threads", "1", "--pidfile", "", "--dir", System.getProperty("java.io.tmpdir")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.contains("Ready to accept connections")) break;
            }
            assertThat(String.join("\n", lines)).contains("Jackdaw ").contains("port=" + port)
                    .contains("io-threads=1").contains("pid=" + p.pid());
            try (RespConnection c = new RespConnection(port)) {
                assertThat(c.call("SET", "a", "1")).isEqualTo("+OK\r\n");
                assertThat(c.call("GET", "a")).isEqualTo("$1\r\n1\r\n");
            }
            p.toHandle().destroy(); // SIGTERM, leaving our end of its output pipe open
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
            while ((line = out.readLine()) != null) lines.add(line);
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).isZero();
        assertThat(String.join("\n", lines)).contains("Received SIGTERM scheduling shutdown...")
                .contains("ready to exit, bye bye...");
    }

    @Test
    void badConfigurationStopsStartupWithRedisStyleMessage() throws Exception {
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                JackdawServer.class.getName(), "--port", "0", "--no-such-directive", "1");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(out).contains("*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***")
                .contains(">>> 'no-such-directive \"1\"'").contains("Bad directive or wrong number of arguments");
    }
}
