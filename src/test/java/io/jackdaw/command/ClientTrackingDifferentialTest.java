package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.ConnectionScript;
import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.RespConnection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Client-side caching replayed on Jackdaw and the reference server, byte for byte: CLIENT
 * TRACKING's replies and errors, and the invalidations each connection receives (RESP3 pushes on
 * the tracking connection, {@code __redis__:invalidate} messages on a RESP2 redirect target, the
 * null of a flush, tracking-redir-broken), in the order they arrive among the replies.
 *
 * <p>Connections: "t" tracks, "w" writes, "r" is the redirect target. {@code $R} in a command
 * stands for r's client id on that server; r's id in replies reads {@code <R>}.
 */
class ClientTrackingDifferentialTest extends DifferentialTestBase {

    private static List<String> run(int port, String[][] steps) throws Exception {
        try (RespConnection t = new RespConnection(port); RespConnection w = new RespConnection(port);
             RespConnection r = new RespConnection(port)) {
            w.call("FLUSHALL");
            String id = r.call("CLIENT", "ID");
            String rid = id.substring(1, id.length() - 2);
            return ConnectionScript.run(Map.of("t", t, "w", w, "r", r), steps, a -> a.equals("$R") ? rid : a,
                    reply -> {
                        reply = ConnectionDifferentialTest.HELLO_VERSION_AND_ID.apply(reply);
                        // r's id, except in HELLO's map where a small id could equal the protocol number
                        return reply.startsWith("%7") ? reply : reply.replace(":" + rid + "\r\n", ":<R>\r\n");
                    });
        }
    }

    private void compare(String[]... steps) throws Exception {
        differential();
        assertThat(run(ours.port(), steps)).isEqualTo(run(ref.port(), steps));
    }

    private static String[] t(int replies, String... cmd) { return ConnectionScript.step("t", replies, cmd); }

    private static String[] w(int replies, String... cmd) { return ConnectionScript.step("w", replies, cmd); }

    private static String[] r(int replies, String... cmd) { return ConnectionScript.step("r", replies, cmd); }

    private static String[] pause(int ms) { return ConnectionScript.step(ConnectionScript.SLEEP, ms); }

    // A step reads every message it is owed: a write's invalidation is queued for its target
    // before the write answers, so the target's next reply comes after it on both servers.

    @Test
    void defaultModeInResp3() throws Exception {
        compare(
            t(1, "HELLO", "3"), t(1, "CLIENT", "TRACKING", "ON"),
            w(1, "MSET", "a", "1", "b", "2", "c", "3"),
            t(1, "GET", "a"), t(1, "MGET", "b", "c", "nokey"), t(1, "STRLEN", "c"),
            w(1, "SET", "a", "x"), t(2, "PING"),            // invalidate [a], then PONG
            w(1, "SET", "a", "y"), t(1, "PING"),            // a is no longer tracked
            w(1, "DEL", "b", "c"), t(3, "PING"),            // one message per key
            w(1, "SET", "nokey", "1"), t(2, "PING"),         // a missing key read is tracked too
            t(1, "GET", "a"), t(2, "SET", "a", "mine"),     // own write: reply, then the push
            t(1, "HSET", "h", "f", "v"), t(1, "HGET", "h", "f"), t(2, "HDEL", "h", "f"),
            t(1, "GET", "s"), t(1, "MULTI"), t(1, "INCR", "s"), t(1, "GET", "s"), t(2, "EXEC"),
            t(1, "CLIENT", "TRACKINGINFO"), t(1, "CLIENT", "GETREDIR"),
            t(1, "CLIENT", "TRACKING", "OFF"), t(1, "CLIENT", "TRACKINGINFO"), t(1, "CLIENT", "GETREDIR"));
    }

    @Test
    void redirectToResp2Subscriber() throws Exception {
        compare(
            r(1, "SUBSCRIBE", "__redis__:invalidate"),
            t(1, "CLIENT", "TRACKING", "ON", "REDIRECT", "$R"),
            t(1, "CLIENT", "GETREDIR"), t(1, "CLIENT", "TRACKINGINFO"),
            w(1, "SET", "k", "1"), t(1, "GET", "k"), t(1, "INCR", "other"),
            w(1, "SET", "k", "2"), r(1),                      // message with [k]
            w(1, "SET", "other", "9"), r(1, "PING"),          // the INCR did not track "other"
            t(1, "GET", "k"), w(1, "FLUSHALL"), r(1),         // a flush: null in place of the keys
            t(1, "GET", "k"), w(1, "FLUSHDB"), r(1),
            t(1, "GET", "k"), w(1, "SWAPDB", "0", "1"), r(1, "PING"),    // SWAPDB invalidates nothing
            w(1, "SET", "k", "3"), r(1));
    }

    @Test
    void redirectToResp3Client() throws Exception {
        compare(
            r(1, "HELLO", "3"),
            t(1, "CLIENT", "TRACKING", "ON", "REDIRECT", "$R"),
            w(1, "SET", "k", "1"), t(1, "GET", "k"), w(1, "APPEND", "k", "2"), r(2, "PING"),
            t(1, "GET", "k"), w(1, "FLUSHALL"), r(2, "PING"));
    }

    @Test
    void resp2WithoutRedirectGetsNothing() throws Exception {
        compare(
            t(1, "CLIENT", "TRACKING", "ON"), t(1, "GET", "k"), w(1, "SET", "k", "1"), t(1, "PING"),
            t(1, "GET", "k"), t(1, "SET", "k", "2"), t(1, "PING"));
    }

    @Test
    void broadcastWithPrefixesAndNoloop() throws Exception {
        compare(
            r(1, "SUBSCRIBE", "__redis__:invalidate"),
            t(1, "CLIENT", "TRACKING", "ON", "BCAST", "REDIRECT", "$R", "PREFIX", "a:", "PREFIX", "b:"),
            t(1, "CLIENT", "TRACKINGINFO"),
            w(1, "MSET", "a:1", "x", "a:2", "y", "c:1", "z"), r(1),
            w(1, "SET", "b:1", "x"), r(1),
            w(1, "SET", "c:2", "x"), r(1, "PING"),
            t(1, "CLIENT", "TRACKING", "ON", "BCAST", "REDIRECT", "$R", "PREFIX", "c:"),
            w(1, "SET", "c:3", "x"), r(1),
            t(1, "CLIENT", "TRACKINGINFO"),
            t(1, "CLIENT", "TRACKING", "OFF"),
            t(1, "CLIENT", "TRACKING", "ON", "BCAST", "NOLOOP", "REDIRECT", "$R"),
            t(1, "SET", "mine", "1"), w(1, "SET", "theirs", "1"), r(1),
            t(1, "CLIENT", "TRACKING", "OFF"),
            t(1, "HELLO", "3"), t(1, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "p"),
            w(1, "SET", "p1", "1"), t(2, "PING"),
            t(2, "DEL", "p1"),
            t(1, "FLUSHALL"), t(1, "PING"));
    }

    @Test
    void optinAndOptout() throws Exception {
        compare(
            t(1, "HELLO", "3"),
            t(1, "CLIENT", "TRACKING", "ON", "OPTIN"), t(1, "CLIENT", "TRACKINGINFO"),
            t(1, "GET", "a"), w(1, "SET", "a", "1"), t(1, "PING"),          // not cached without CACHING YES
            t(1, "CLIENT", "CACHING", "YES"), t(1, "CLIENT", "TRACKINGINFO"), t(1, "GET", "a"),
            t(1, "GET", "b"), w(1, "MSET", "a", "2", "b", "2"), t(2, "PING"), // only a: CACHING covered one command
            t(1, "CLIENT", "CACHING", "YES"), t(1, "MULTI"), t(1, "GET", "c"), t(1, "GET", "d"), t(1, "EXEC"),
            w(1, "MSET", "c", "1", "d", "1"), t(3, "PING"),
            t(1, "CLIENT", "CACHING", "NO"),
            t(1, "CLIENT", "TRACKING", "OFF"), t(1, "CLIENT", "TRACKING", "ON", "OPTOUT"),
            t(1, "CLIENT", "CACHING", "YES"), t(1, "CLIENT", "CACHING", "NO"), t(1, "CLIENT", "TRACKINGINFO"),
            t(1, "GET", "a"), t(1, "GET", "b"), w(1, "MSET", "a", "3", "b", "3"), t(2, "PING"));
    }

    @Test
    void trackingErrors() throws Exception {
        compare(
            t(1, "CLIENT", "TRACKING"), t(1, "CLIENT", "TRACKING", "MAYBE"),
            t(1, "CLIENT", "TRACKING", "ON", "BOGUS"), t(1, "CLIENT", "TRACKING", "ON", "REDIRECT"),
            t(1, "CLIENT", "TRACKING", "ON", "REDIRECT", "x"), t(1, "CLIENT", "TRACKING", "ON", "REDIRECT", "999999"),
            t(1, "CLIENT", "TRACKING", "ON", "REDIRECT", "$R", "REDIRECT", "$R"),
            t(1, "CLIENT", "TRACKING", "ON", "PREFIX", "a"),
            t(1, "CLIENT", "TRACKING", "ON", "BCAST", "OPTIN"),
            t(1, "CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT"),
            t(1, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "FOOBAR", "PREFIX", "FOO"),
            t(1, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "FOO", "PREFIX", "BAR"),
            t(1, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "FO"),
            t(1, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "BARB"),
            t(1, "CLIENT", "TRACKING", "ON"),
            t(1, "CLIENT", "TRACKING", "OFF"), t(1, "CLIENT", "TRACKING", "ON", "OPTIN"),
            t(1, "CLIENT", "TRACKING", "ON", "OPTOUT"), t(1, "CLIENT", "CACHING", "NO"),
            t(1, "CLIENT", "CACHING", "MAYBE"), t(1, "CLIENT", "CACHING"),
            t(1, "CLIENT", "TRACKING", "OFF"), t(1, "CLIENT", "CACHING", "YES"),
            t(1, "CLIENT", "TRACKING", "OFF", "OPTIN"), t(1, "CLIENT", "TRACKINGINFO"),
            t(1, "CLIENT", "GETREDIR", "x"), t(1, "CLIENT", "TRACKINGINFO", "x"));
    }

    @Test
    void brokenRedirectIsReportedInResp3() throws Exception {
        compare(
            t(1, "HELLO", "3"), t(1, "CLIENT", "TRACKING", "ON", "REDIRECT", "$R"),
            w(1, "SET", "k", "1"), t(1, "GET", "k"),
            r(1, "QUIT"), pause(200),
            w(1, "SET", "k", "2"), t(2, "PING"),
            t(1, "CLIENT", "TRACKINGINFO"), t(1, "CLIENT", "GETREDIR"));
    }

    @Test
    void expiredKeysAreInvalidated() throws Exception {
        compare(
            t(1, "HELLO", "3"), t(1, "CLIENT", "TRACKING", "ON"),
            w(1, "DEBUG", "SET-ACTIVE-EXPIRE", "0"),
            w(1, "SET", "k", "v", "PX", "50"), w(1, "SET", "j", "v"), t(1, "MGET", "k", "j"),
            pause(120),
            t(2, "MGET", "k", "j"),                           // the reply, then the lazy expiry's push
            w(1, "DEBUG", "SET-ACTIVE-EXPIRE", "1"),
            w(1, "SET", "k", "v", "PX", "50"), t(1, "GET", "k"),
            pause(400), t(2, "PING"));          // the active cycle's push, then PONG
    }

    /** A blocked BLMOVE served by a client that does not track: the reply first, then the invalidation of what it wrote. */
    @Test
    void servedBlockedCommandGetsItsInvalidationAfterItsReply() throws Exception {
        compare(
            t(1, "HELLO", "3"), t(1, "CLIENT", "TRACKING", "ON"), t(1, "LRANGE", "list2", "0", "-1"),
            t(0, "BLMOVE", "list1", "list2", "LEFT", "LEFT", "0"), pause(100), // blocked by now
            w(1, "RPUSH", "list1", "foo"),
            t(2), t(1, "PING"));
    }
}
