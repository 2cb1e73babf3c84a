package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.ConnectionScript;
import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.RespConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pub/sub replayed on Jackdaw and the reference server with two connections each: subscription
 * confirmations, the messages a subscriber receives (channel, pattern and shard), RESP2
 * subscribed mode's limits, RESP3 pushes and the PUBSUB introspection, byte for byte.
 */
class PubSubDifferentialTest extends DifferentialTestBase {

    /** Runs steps ("s" on the subscriber, "p" on the publisher) on one server; returns every reply and message read. */
    private static List<String> run(int port, String[][] steps) throws Exception {
        try (RespConnection s = new RespConnection(port); RespConnection p = new RespConnection(port)) {
            p.call("FLUSHALL");
            return ConnectionScript.run(java.util.Map.of("s", s, "p", p), steps, a -> a,
                    ConnectionDifferentialTest.HELLO_VERSION_AND_ID);
        }
    }

    private void compare(String[][] steps) throws Exception {
        differential();
        assertThat(run(ours.port(), steps)).isEqualTo(run(ref.port(), steps));
    }

    private static String[] s(int replies, String... cmd) { return ConnectionScript.step("s", replies, cmd); }

    private static String[] p(int replies, String... cmd) { return ConnectionScript.step("p", replies, cmd); }

    // Each subscriber step reads everything it is owed (waiting messages, then its reply): the
    // order of commands sent on two connections without waiting is not an order the server
    // promises, so the script never relies on it.

    @Test
    void subscribeUnsubscribeAndMessagesInResp2() throws Exception {
        compare(new String[][] {
            s(3, "SUBSCRIBE", "a", "b", "a"), s(2, "PSUBSCRIBE", "n*", "a?"), s(1, "SSUBSCRIBE", "sh"),
            p(1, "PUBLISH", "a", "one"), s(2, "PING"), s(1, "PING", "hi"),
            p(1, "PUBLISH", "news", "two"), s(2, "PING"),
            p(1, "PUBLISH", "ab", "three"), s(2, "PING"),
            p(1, "SPUBLISH", "sh", "four"), s(2, "PING"),
            p(1, "PUBLISH", "nobody", "five"), s(2, "GET", "k"), s(1, "SET", "k", "v"),
            p(1, "PUBLISH", "b", "six"), s(2, "PING"),
            p(1, "PUBSUB", "NUMSUB", "a", "b", "zz"), p(1, "PUBSUB", "NUMPAT"), p(1, "PUBSUB", "SHARDNUMSUB", "sh", "x"),
            p(1, "PUBSUB", "CHANNELS", "b*"), p(1, "PUBSUB", "SHARDCHANNELS"),
            s(2, "UNSUBSCRIBE", "b", "zz"), s(1, "PUNSUBSCRIBE", "a?"), s(1, "PUNSUBSCRIBE"), s(1, "SUNSUBSCRIBE"),
            s(1, "UNSUBSCRIBE"), s(1, "GET", "k"),
            p(1, "PUBSUB", "NUMPAT"), p(1, "PUBSUB", "CHANNELS"), p(1, "PUBSUB", "NOSUCH"), p(1, "PUBSUB", "NUMPAT", "x"),
        });
    }

    /**
     * Valkey 8 refuses (P|S)UNSUBSCRIBE from a client with no subscription (NOSUB), as its suite
     * checks; Redis 7.0/7.2 confirm with a null channel and count 0 (documented difference).
     */
    @Test
    void unsubscribingWithoutSubscriptionsIsRefusedAsValkey() throws Exception {
        try (RespConnection r = new RespConnection(ours.port())) {
            assertThat(r.call("UNSUBSCRIBE")).isEqualTo("-NOSUB 'unsubscribe' command executed not in subscribed mode\r\n");
            assertThat(r.call("PUNSUBSCRIBE", "p")).isEqualTo("-NOSUB 'punsubscribe' command executed not in subscribed mode\r\n");
            assertThat(r.call("SUNSUBSCRIBE")).isEqualTo("-NOSUB 'sunsubscribe' command executed not in subscribed mode\r\n");
            r.send("SUBSCRIBE", "a");
            r.readReply();
            // With a channel subscription, unsubscribing from patterns is allowed (and confirms nothing held).
            assertThat(r.call("PUNSUBSCRIBE")).isEqualTo("*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:1\r\n");
        }
    }

    /**
     * A client publishing to itself gets the message after that command's reply (Redis 7.2
     * defers pushes to the client being served; 7.0 wrote them first), and after EXEC's reply
     * for a PUBLISH inside MULTI.
     */
    @Test
    void publishingToYourselfDeliversAfterTheReply() throws Exception {
        try (RespConnection s = new RespConnection(ours.port())) {
            s.call("HELLO", "3");
            s.call("SUBSCRIBE", "self");
            assertThat(s.call("PUBLISH", "self", "one")).isEqualTo(":1\r\n");
            assertThat(s.readReply()).isEqualTo(">3\r\n$7\r\nmessage\r\n$4\r\nself\r\n$3\r\none\r\n");
            s.call("MULTI");
            s.call("PUBLISH", "self", "two");
            s.call("PING", "x");
            assertThat(s.call("EXEC")).isEqualTo("*2\r\n:1\r\n$1\r\nx\r\n");
            assertThat(s.readReply()).isEqualTo(">3\r\n$7\r\nmessage\r\n$4\r\nself\r\n$3\r\ntwo\r\n");
        }
    }

    /** CLIENT REPLY OFF does not silence pub/sub confirmations and messages (they are pushes in Redis). */
    @Test
    void replyOffStillDeliversPubSub() throws Exception {
        try (RespConnection s = new RespConnection(ours.port()); RespConnection p = new RespConnection(ours.port())) {
            s.call("HELLO", "3");
            s.send("CLIENT", "REPLY", "OFF");
            s.send("SUBSCRIBE", "c");
            assertThat(s.readReply()).isEqualTo(">3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n");
            assertThat(p.call("PUBLISH", "c", "m")).isEqualTo(":1\r\n");
            assertThat(s.readReply()).isEqualTo(">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n");
        }
    }

    /** PUBSUB HELP in our words, Redis's shape: a header, the subcommands, and HELP. */
    @Test
    void pubsubHelp() throws Exception {
        try (RespConnection r = new RespConnection(ours.port())) {
            String help = r.call("PUBSUB", "HELP");
            assertThat(help).startsWith("*14\r\n+PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n")
                    .contains("+NUMSUB [<channel> ...]\r\n").endsWith("+HELP\r\n+    Print this help.\r\n");
        }
    }

    @Test
    void resp3PushesAndAnyCommandWhileSubscribed() throws Exception {
        compare(new String[][] {
            s(1, "HELLO", "3"), s(2, "SUBSCRIBE", "a", "b"), s(1, "PSUBSCRIBE", "*"),
            p(1, "PUBLISH", "a", "x"), s(3, "GET", "k"), s(1, "SET", "k", "v"), s(1, "PING"),
            s(1, "RESET"), p(1, "PUBLISH", "a", "after-reset"), s(1, "PING"),
        });
    }

    @Test
    void channelListsAreSetsOfNames() throws Exception {
        differential();
        for (int port : new int[] {ours.port(), ref.port()}) {
            try (RespConnection s = new RespConnection(port); RespConnection p = new RespConnection(port)) {
                s.send("SUBSCRIBE", "x1", "x2", "y1");
                for (int i = 0; i < 3; i++) s.readReply();
                List<String> names = new ArrayList<>(List.of(p.call("PUBSUB", "CHANNELS", "x*").split("\r\n")));
                Collections.sort(names);
                assertThat(names).containsExactly("$2", "$2", "*2", "x1", "x2");
            }
        }
    }
}
