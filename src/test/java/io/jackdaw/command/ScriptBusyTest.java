package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A long script as Redis runs one: past busy-reply-threshold other clients get -BUSY (also
 * those already waiting for the shards it holds), SCRIPT KILL stops a script that has not
 * written, FUNCTION KILL a function, each refusing the other's kind, UNKILLABLE once it wrote,
 * FUNCTION STATS shows it. Also Redis 7.2's and Valkey's own API details the 7.0 reference of
 * the differential tests lacks.
 */
class ScriptBusyTest {
    private static TestServer server;
    private static final String SPIN = "local a = 1 while true do a = a + 1 end";
    private static final String BUSY_EVAL = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";
    private static final String BUSY_FUNCTION = "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n";

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { if (server != null) server.close(); }

    @AfterEach
    void reset() throws Exception {
        try (RespConnection r = conn()) {
            r.call("CONFIG", "SET", "busy-reply-threshold", "5000");
            r.call("FUNCTION", "FLUSH");
        }
    }

    private static RespConnection conn() throws Exception { return new RespConnection(server.port()); }

    /** Polls until a command gets -BUSY (the script is past the threshold). */
    private static void awaitBusy(RespConnection r, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            String reply = r.call("PING");
            if (reply.equals(expected)) return;
            assertThat(reply).isEqualTo("+PONG\r\n");
            assertThat(System.nanoTime()).as("the script never got busy").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void scriptKillStopsALongEval() throws Exception {
        try (RespConnection admin = conn(); RespConnection runner = conn(); RespConnection waiter = conn()) {
            admin.call("CONFIG", "SET", "busy-reply-threshold", "50");
            admin.call("SET", "k", "v");
            runner.send("EVAL", SPIN, "0");
            awaitBusy(admin, BUSY_EVAL);
            assertThat(admin.call("GET", "k")).isEqualTo(BUSY_EVAL);
            assertThat(admin.call("FUNCTION", "STATS")).isEqualTo(BUSY_EVAL);
            assertThat(admin.call("FUNCTION", "KILL")).isEqualTo(BUSY_EVAL);
            assertThat(admin.call("SCRIPT", "KILL")).isEqualTo("+OK\r\n");
            assertThat(runner.readReply()).startsWith("-ERR Script killed by user with SCRIPT KILL... script: ")
                    .endsWith(", on @user_script:1.\r\n");
            assertThat(admin.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
            assertThat(admin.call("SCRIPT", "KILL")).isEqualTo("-NOTBUSY No scripts in execution right now.\r\n");
            // The interpreter stopped by the kill runs the next script normally.
            assertThat(runner.call("EVAL", "return 1 + 1", "0")).isEqualTo(":2\r\n");
            assertThat(waiter.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    /** A command that already waits for the shards the script holds gets -BUSY once the threshold passes, not the script's end. */
    @Test
    void commandsWaitingForShardsGetBusy() throws Exception {
        try (RespConnection admin = conn(); RespConnection runner = conn(); RespConnection waiter = conn()) {
            admin.call("CONFIG", "SET", "busy-reply-threshold", "300");
            runner.send("EVAL", SPIN, "0");
            Thread.sleep(50);
            waiter.send("GET", "k"); // arrives before the threshold
            assertThat(waiter.readReply()).isEqualTo(BUSY_EVAL);
            assertThat(admin.call("SCRIPT", "KILL")).isEqualTo("+OK\r\n");
            assertThat(runner.readReply()).startsWith("-ERR Script killed by user with SCRIPT KILL...");
        }
    }

    /**
     * A script sent while a long one runs waits in the script thread's queue; once the long one
     * has gone past the threshold it gets -BUSY, as Redis answers it from inside that script,
     * and a script sent after the long one ended runs.
     */
    @Test
    void scriptsQueuedBehindABusyScriptGetBusy() throws Exception {
        try (RespConnection admin = conn(); RespConnection runner = conn(); RespConnection waiter = conn()) {
            admin.call("CONFIG", "SET", "busy-reply-threshold", "300");
            runner.send("EVAL", SPIN, "0");
            Thread.sleep(50);
            waiter.send("EVAL", "return 1", "0"); // queued before the threshold
            awaitBusy(admin, BUSY_EVAL);
            assertThat(admin.call("SCRIPT", "KILL")).isEqualTo("+OK\r\n");
            assertThat(runner.readReply()).startsWith("-ERR Script killed by user with SCRIPT KILL...");
            assertThat(waiter.readReply()).isEqualTo(BUSY_EVAL);
            assertThat(waiter.call("EVAL", "return 1", "0")).isEqualTo(":1\r\n");
        }
    }

    /**
     * A script short in its last three runs runs on its client's loop. Scripts and plain
     * commands from many clients interleave atomically either way: a read-modify-write script
     * and INCR on one key lose no increment. A run on the loop that turns long after writing
     * stays there; one that turns long before writing is moved to the script thread and run
     * again from the start, so clients of that loop (all clients here: one loop) get -BUSY and
     * can SCRIPT KILL it.
     */
    @Test
    void shortScriptsRunOnTheLoopAndALongOneMovesOff() throws Exception {
        String script = "if ARGV[1] == 'spin' then while true do end end"
                + " if ARGV[1] == 'write-then-spin' then redis.call('set', 'w', '1') local t = os.clock() while os.clock() - t < 0.4 do end end"
                + " local v = tonumber(redis.call('get', KEYS[1]) or '0') redis.call('set', KEYS[1], v + 1) return v + 1";
        try (TestServer one = TestServer.start("--io-threads", "1", "--busy-reply-threshold", "100");
                RespConnection admin = new RespConnection(one.port()); RespConnection runner = new RespConnection(one.port())) {
            String sha = admin.call("SCRIPT", "LOAD", script).split("\r\n")[1];
            java.util.List<Thread> threads = new java.util.ArrayList<>();
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            for (int t = 0; t < 4; t++) {
                boolean scripts = t % 2 == 0;
                Thread th = new Thread(() -> {
                    try (RespConnection c = new RespConnection(one.port())) {
                        for (int i = 0; i < 300; i++) {
                            if (scripts) c.call("EVALSHA", sha, "1", "counter", "fast");
                            else c.call("INCR", "counter");
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) th.join();
            assertThat(failure.get()).isNull();
            assertThat(admin.call("GET", "counter")).isEqualTo("$4\r\n1200\r\n");
            // Proven short, this run is on the loop; having written it cannot move off, so its
            // loop's clients wait for it (where Redis would answer them -BUSY).
            runner.send("EVALSHA", sha, "1", "counter", "write-then-spin");
            Thread.sleep(200);
            admin.send("PING");
            assertThat(runner.readReply()).isEqualTo(":1201\r\n");
            assertThat(admin.readReply()).isEqualTo("+PONG\r\n");
            for (int i = 0; i < 3; i++) runner.call("EVALSHA", sha, "1", "other", "fast"); // short again
            // This run starts on the loop, spins before writing, and moves off: the loop answers.
            runner.send("EVALSHA", sha, "1", "counter", "spin");
            awaitBusy(admin, BUSY_EVAL);
            assertThat(admin.call("SCRIPT", "KILL")).isEqualTo("+OK\r\n");
            assertThat(runner.readReply()).isEqualTo("-ERR Script killed by user with SCRIPT KILL... script: " + sha + ", on @user_script:1.\r\n");
            assertThat(admin.call("GET", "counter")).isEqualTo("$4\r\n1201\r\n");
            assertThat(runner.call("EVALSHA", sha, "1", "counter", "fast")).isEqualTo(":1202\r\n");
        }
    }

    @Test
    void aScriptThatWroteIsUnkillable() throws Exception {
        try (RespConnection admin = conn(); RespConnection runner = conn()) {
            admin.call("CONFIG", "SET", "busy-reply-threshold", "50");
            // It stops by itself after a second of CPU time (TIME stands still inside a script, os.clock does not).
            runner.send("EVAL", "redis.call('set', KEYS[1], 'x') local t = os.clock()"
                    + " while os.clock() - t < 1 do end return 'done'", "1", "w");
            awaitBusy(admin, BUSY_EVAL);
            assertThat(admin.call("SCRIPT", "KILL")).isEqualTo("-UNKILLABLE Sorry the script already executed write commands"
                    + " against the dataset. You can either wait the script termination or kill the server in a hard way using"
                    + " the SHUTDOWN NOSAVE command.\r\n");
            assertThat(runner.readReply()).isEqualTo("$4\r\ndone\r\n");
            assertThat(admin.call("GET", "w")).isEqualTo("$1\r\nx\r\n");
        }
    }

    @Test
    void functionKillAndStats() throws Exception {
        try (RespConnection admin = conn(); RespConnection runner = conn()) {
            admin.call("FUNCTION", "LOAD", "#!lua name=spin\nredis.register_function('spin', function() " + SPIN + " end)");
            assertThat(admin.call("FUNCTION", "STATS")).isEqualTo("*4\r\n$14\r\nrunning_script\r\n$-1\r\n$7\r\nengines\r\n*2\r\n"
                    + "$3\r\nLUA\r\n*4\r\n$15\r\nlibraries_count\r\n:1\r\n$15\r\nfunctions_count\r\n:1\r\n");
            admin.call("CONFIG", "SET", "busy-reply-threshold", "50");
            runner.send("FCALL", "spin", "0");
            awaitBusy(admin, BUSY_FUNCTION);
            String stats = admin.call("FUNCTION", "STATS");
            assertThat(stats).startsWith("*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$4\r\nspin\r\n$7\r\ncommand\r\n*3\r\n"
                    + "$5\r\nFCALL\r\n$4\r\nspin\r\n$1\r\n0\r\n$11\r\nduration_ms\r\n:");
            assertThat(admin.call("SCRIPT", "KILL")).isEqualTo(BUSY_FUNCTION);
            assertThat(admin.call("FUNCTION", "KILL")).isEqualTo("+OK\r\n");
            assertThat(runner.readReply()).isEqualTo("-ERR Script killed by user with FUNCTION KILL... script: spin, on @user_function:2.\r\n");
            assertThat(admin.call("FUNCTION", "KILL")).isEqualTo("-NOTBUSY No scripts in execution right now.\r\n");
        }
    }

    @Test
    void helpTexts() throws Exception {
        try (RespConnection r = conn()) {
            assertThat(r.call("SCRIPT", "HELP")).startsWith("*13\r\n+SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n")
                    .contains("+KILL\r\n").contains("+LOAD <script>\r\n").endsWith("+HELP\r\n+    Print this help.\r\n");
            assertThat(r.call("FUNCTION", "HELP")).startsWith("*22\r\n+FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n")
                    .contains("+LOAD [REPLACE] <FUNCTION CODE>\r\n").contains("+STATS\r\n").contains("+KILL\r\n");
        }
    }

    /** A message a script publishes to its own client's channel arrives after the script's reply, as in Redis. */
    @Test
    void publishToSelfArrivesAfterTheReply() throws Exception {
        try (RespConnection r = conn()) {
            r.call("HELLO", "3");
            r.call("SUBSCRIBE", "foo");
            assertThat(r.call("EVAL", "redis.call('publish', 'foo', 'bar') return 'bla'", "0")).isEqualTo("$3\r\nbla\r\n");
            assertThat(r.readReply()).isEqualTo(">3\r\n$7\r\nmessage\r\n$3\r\nfoo\r\n$3\r\nbar\r\n");
        }
    }

    /** Client-side caching: a read-only script's declared keys are not tracked, the keys its commands read are. */
    @Test
    void trackingFollowsWhatAScriptReads() throws Exception {
        try (RespConnection r = conn(); RespConnection w = conn()) {
            r.call("HELLO", "3");
            r.call("CLIENT", "TRACKING", "on");
            r.call("EVAL_RO", "redis.call('ping')", "1", "tk");
            w.call("SET", "tk", "1");
            assertThat(r.call("PING")).isEqualTo("+PONG\r\n"); // no invalidation came first
            r.call("EVAL_RO", "redis.call('get', KEYS[1])", "1", "tk");
            w.call("SET", "tk", "2");
            assertThat(r.readReply()).isEqualTo(">2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\ntk\r\n");
        }
    }

    /** Valkey 8's SCRIPT SHOW, and INFO's script and function counts. */
    @Test
    void scriptShowAndCounts() throws Exception {
        try (RespConnection r = conn()) {
            r.call("SCRIPT", "FLUSH");
            String sha = r.call("SCRIPT", "LOAD", "return 'shown'").substring(5, 45);
            assertThat(r.call("SCRIPT", "SHOW", sha)).isEqualTo("$14\r\nreturn 'shown'\r\n");
            assertThat(r.call("SCRIPT", "SHOW", sha.toUpperCase())).isEqualTo("-NOSCRIPT No matching script. Please use EVAL.\r\n");
            assertThat(r.call("SCRIPT", "SHOW", "nosuch")).isEqualTo("-NOSCRIPT No matching script. Please use EVAL.\r\n");
            r.call("FUNCTION", "LOAD", "#!lua name=counted\nredis.register_function('c1', function() return 1 end)"
                    + " redis.register_function('c2', function() return 2 end)");
            assertThat(r.call("INFO", "memory")).contains("number_of_cached_scripts:1\r\n").contains("number_of_functions:2\r\n")
                    .contains("number_of_libraries:1\r\n");
        }
    }

    /** Redis 7.2 also stops TIME inside a script (7.0 only stopped the clock keys expire by). */
    @Test
    void timeStandsStillInAScript() throws Exception {
        try (RespConnection r = conn()) {
            r.call("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "1");
            try {
                assertThat(r.call("EVAL", "local a = redis.call('TIME') redis.call('DEBUG', 'SLEEP', '0.01')"
                        + " local b = redis.call('TIME') return tostring(a[1] == b[1] and a[2] == b[2])", "0")).isEqualTo("$4\r\ntrue\r\n");
            } finally {
                r.call("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "0");
            }
        }
    }

    /** Where Redis 7.2 (and Valkey) differ from the 7.0 reference: the version, set_repl's message, the server alias. */
    @Test
    void redis72AndValkeyApi() throws Exception {
        try (RespConnection r = conn()) {
            assertThat(r.call("EVAL", "return redis.REDIS_VERSION", "0")).isEqualTo("$5\r\n7.2.4\r\n");
            assertThat(r.call("EVAL", "return redis.REDIS_VERSION_NUM", "0")).isEqualTo(":459268\r\n");
            assertThat(r.call("EVAL", "return redis.set_repl()", "0"))
                    .startsWith("-ERR redis.set_repl() requires one argument. script: ");
            assertThat(r.call("EVAL", "return server.call('ping')", "0")).isEqualTo("+PONG\r\n");
            r.call("FUNCTION", "LOAD", "#!lua name=alias\nserver.register_function('viaserver', function() return server.REDIS_VERSION end)");
            assertThat(r.call("FCALL", "viaserver", "0")).isEqualTo("$5\r\n7.2.4\r\n");
        }
    }
}
