package io.jackdaw.persist;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.server.JackdawServer;
import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * kill -9 while clients write under appendfsync always: after a restart every write that was
 * acknowledged is there. Each writer INCRs its own counter and RPUSHes the value it got, so the
 * check is exact: the counter is at least the last acknowledged value (one more when the write
 * in flight at the kill reached the disk but not its reply), and the list holds 1..counter in
 * order.
 */
class AofCrashTest {
    private static final int WRITERS = 4;

    @Test
    void killMinusNineLosesNoAcknowledgedWrite() throws Exception {
        Path dir = Files.createTempDirectory("jackdaw-aof-crash");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                JackdawServer.class.getName(), "--port", String.valueOf(port), "--bind", "127.0.0.1", "--io-threads", "2",
                "--pidfile", "", "--save", "", "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long[] acked = new long[WRITERS];
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.contains("Ready to accept connections")) { }
            assertThat(line).as("server started").isNotNull();
            for (int w = 0; w < WRITERS; w++) {
                int id = w;
                Thread t = new Thread(() -> {
                    try (RespConnection c = new RespConnection(port)) {
                        while (!stop.get()) {
                            String r = c.call("INCR", "counter:" + id);
                            long v = Long.parseLong(r.substring(1, r.length() - 2));
                            if (!c.call("RPUSH", "log:" + id, String.valueOf(v)).startsWith(":")) return;
                            acked[id] = v; // both writes answered
                        }
                    } catch (Exception e) {
                        // the kill cuts the connection: what was acknowledged so far is what counts
                    }
                });
                t.start();
                writers.add(t);
            }
            Thread.sleep(1500);
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no final flush
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
            stop.set(true);
            for (Thread t : writers) t.join(5000);
        } finally {
            p.destroyForcibly();
        }
        long total = 0;
        for (long a : acked) total += a;
        assertThat(total).as("writes acknowledged before the kill").isGreaterThan(20);
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes");
                RespConnection c = new RespConnection(s.port())) {
            for (int w = 0; w < WRITERS; w++) {
                String r = c.call("GET", "counter:" + w);
                long counter = Long.parseLong(r.split("\r\n")[1]);
                assertThat(counter).as("counter %d", w).isBetween(acked[w], acked[w] + 1);
                String list = c.call("LRANGE", "log:" + w, "0", "-1");
                String[] parts = list.split("\r\n");
                long n = Long.parseLong(parts[0].substring(1));
                assertThat(n).as("log %d", w).isBetween(acked[w], counter);
                for (int i = 0; i < n; i++) assertThat(parts[2 + 2 * i]).isEqualTo(String.valueOf(i + 1));
            }
        }
    }
}
