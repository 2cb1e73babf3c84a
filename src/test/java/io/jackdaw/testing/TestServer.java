package io.jackdaw.testing;

import io.jackdaw.server.JackdawServer;
import io.jackdaw.server.config.ServerConfig;
import io.jackdaw.store.Clock;
import java.util.ArrayList;
import java.util.List;

/** A Jackdaw server started in-process on a free loopback port, for tests that talk to it over sockets. */
public final class TestServer implements AutoCloseable {
    private final JackdawServer server;

    private TestServer(JackdawServer server) { this.server = server; }

    /** Starts with test defaults (loopback, free port, DEBUG enabled, one event loop) plus extra directives. */
    public static TestServer start(String... directives) { return start(Clock.SYSTEM, directives); }

    /** As {@link #start(String...)} with the server reading time from the given clock. */
    public static TestServer start(Clock clock, String... directives) {
        List<String> argv = new ArrayList<>(List.of("--port", "0", "--bind", "127.0.0.1", "--enable-debug-command", "yes",
                "--io-threads", "2", "--loglevel", "warning"));
        try {
            // A directory of its own: a test's SAVE, DEBUG RELOAD or SHUTDOWN must not leave a
            // dump.rdb that the next test server would load (a test's own --dir comes later and wins).
            argv.addAll(List.of("--dir", java.nio.file.Files.createTempDirectory("jackdaw-test").toString()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not make a directory for a test server", e);
        }
        argv.addAll(List.of(directives));
        try {
            ServerConfig config = ServerConfig.fromArgs(argv.toArray(String[]::new));
            return new TestServer(new JackdawServer(config, clock).start());
        } catch (Exception e) {
            throw new IllegalStateException("could not start Jackdaw for a test: " + e.getMessage(), e);
        }
    }

    public int port() { return server.port(); }

    public JackdawServer server() { return server; }

    @Override public void close() { server.stop(); }
}
