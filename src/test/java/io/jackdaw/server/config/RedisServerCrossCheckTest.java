package io.jackdaw.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds broken configurations to a real redis-server, when one is installed, and checks Jackdaw fails
 * with the same text (apart from the version in the header). Every file starts with "port 0" so that a
 * configuration Redis unexpectedly accepts makes it exit instead of listening.
 */
class RedisServerCrossCheckTest {
    @TempDir
    Path dir;

    private static Path redisServer() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String p : path.split(File.pathSeparator)) {
            Path candidate = Path.of(p, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private String redisError(Path server, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(server.toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("redis-server did not exit for " + args);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\\(Redis [0-9.]+\\)").matcher(out);
        return m.replaceAll("(Redis " + ConfigErrors.REDIS_VERSION + ")");
    }

    /** Redis output that is not a configuration failure means it accepted the configuration. */
    private static String normalise(String redisOutput) {
        boolean failed = redisOutput.contains("FATAL CONFIG FILE ERROR") || redisOutput.contains("can't open config file");
        return failed ? redisOutput : "(accepted)\n";
    }

    private String jackdawError(List<String> args) {
        try {
            ServerConfig.fromArgs(args.toArray(String[]::new), TestSupport.in(dir));
        } catch (ConfigException e) {
            return e.getMessage();
        }
        return "(accepted)";
    }

    @Test
    void fatalErrorsMatchTheInstalledRedisServer() throws Exception {
        Path server = redisServer();
        assumeTrue(server != null, "redis-server is not installed");
        TestSupport.write(dir, "inner.conf", "hz 10\nhz abc\n");
        String[] bodies = {
            "foo bar", "port 1 2", "port abc", "port 70000", "port \"1\"x", "port \"7392", "maxmemory 10x",
            "maxmemory-clients 101%", "maxmemory-clients lots", "unixsocketperm 800", "unixsocketperm 1000",
            "maxclients 0", "appendonly maybe", "maxmemory-policy lru", "shutdown-on-sigint save nosave",
            "save 10", "save 0 1", "client-output-buffer-limit normal 0 0",
            "client-output-buffer-limit master 0 0 0", "client-output-buffer-limit normal 1x 0 0",
            "oom-score-adj-values 0 200", "oom-score-adj-values 0 200 3000", "notify-keyspace-events KEQ",
            "bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17", "replicaof localhost", "latency-tracking-info-percentiles 101",
            "latency-tracking-info-percentiles 50 abc", "dir \"\"", "dir /no/such/dir/here", "include",
            "rename-command KEYS", "list-max-ziplist-entries 1 2", "mymodule.option",
            "sentinel monitor mymaster 127.0.0.1 6379 2", "include inner.conf", "lua-time-limit -5",
            "hash-max-ziplist-entries -1", "slaveof a b", "cluster-enabled yes\nreplicaof 1.2.3.4 5",
            "logfile /no/such/dir/x.log", "daemonize \"yes\" \"no\"", "timeout 1.5", "timeout 01",
            "appendfilename \"\"", "appenddirname a/b", "dbfilename x/y", "cluster-announce-hostname a_b",
            // Accepted by both: Redis then exits only because "port 0" leaves it nowhere to listen.
            "dbfilename \"\"", "save \"\"", "bind \"\"", "maxmemory \"\"", "unixsocketperm \"\"",
        };
        List<String> mismatches = new ArrayList<>();
        int i = 0;
        for (String body : bodies) {
            Path f = TestSupport.write(dir, "case" + (i++) + ".conf", "port 0\n" + body + "\n");
            List<String> args = List.of(f.toString());
            String expected = normalise(redisError(server, args));
            String actual = jackdawError(args);
            if (!expected.equals(actual + "\n")) {
                mismatches.add("--- " + body + "\nredis:   " + expected + "\njackdaw: " + actual);
            }
        }
        Path base = TestSupport.write(dir, "base.conf", "port 0\n");
        List<List<String>> argvCases = List.of(
                List.of(base.toString(), "--foo", "bar"),
                List.of(base.toString(), "--hz", "5", "--maxmemory", "10x"),
                List.of(base.toString(), "--daemonize", "yes", "no"),
                List.of(base.toString(), "--save", "10"),
                List.of(base.toString(), "--no-such", "ä\u0001\"x"),
                List.of(base.toString(), "--bind"));
        for (List<String> argv : argvCases) {
            String expected = normalise(redisError(server, argv));
            String actual = jackdawError(argv);
            if (!expected.equals(actual + "\n")) {
                mismatches.add("--- " + argv + "\nredis:   " + expected + "\njackdaw: " + actual);
            }
        }
        assertThat(mismatches).isEmpty();
    }
}
