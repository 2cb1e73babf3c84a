package io.jackdaw.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The reference redis-server, started by a test on a free port for differential comparison.
 * Where none is installed the tests that need it are skipped, and say so loudly.
 */
public final class ReferenceServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private ReferenceServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Path of redis-server, or null. */
    public static String binary() {
        for (String p : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (new File(p).canExecute()) return p;
        }
        return null;
    }

    public static boolean available() { return binary() != null; }

    /** Prints the loud skip notice; call before an assumption fails. */
    public static void warnMissing(String test) {
        System.err.println("*** SKIPPED " + test + ": no reference redis-server installed "
                + "(apt-get install redis-server); differential comparison did not run ***");
    }

    public static ReferenceServer start(String... extra) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("jackdaw-ref");
        List<String> cmd = new java.util.ArrayList<>(List.of(binary(), "--port", String.valueOf(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--enable-debug-command",
                "yes", "--daemonize", "no", "--loglevel", "warning"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return new ReferenceServer(p, port, dir);
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IOException("reference redis-server did not start; log: " + Files.readString(dir.resolve("log")));
    }

    public int port() { return port; }

    @Override public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
