package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.InfoFields;
import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BZPOPMIN, BZPOPMAX and BZMPOP over real sockets: immediate answers and their reply shapes
 * in both protocols, blocking until a ZADD, a waiter on a list key not served by a sorted
 * set and the other way round, timeouts and argument errors.
 */
class BlockingSortedSetTest {
    private static TestServer server;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { server.close(); }

    @BeforeEach
    void flush() throws Exception {
        try (RespConnection r = conn()) {
            r.call("FLUSHALL");
            awaitBlocked(r, 0);
        }
    }

    private static RespConnection conn() throws Exception { return new RespConnection(server.port()); }

    private static void awaitBlocked(RespConnection admin, int n) throws Exception { InfoFields.awaitBlockedClients(admin, n); }

    private static long blocked(RespConnection admin) throws Exception { return InfoFields.blockedClients(admin); }

    @Test
    void nonEmptySetsAnswerAtOnce() throws Exception {
        try (RespConnection r = conn()) {
            r.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
            assertThat(r.call("BZPOPMIN", "none", "z", "0")).isEqualTo("*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n");
            assertThat(r.call("BZPOPMAX", "z", "0")).isEqualTo("*3\r\n$1\r\nz\r\n$1\r\nd\r\n$1\r\n4\r\n");
            assertThat(r.call("BZMPOP", "0", "2", "none", "z", "MIN", "COUNT", "5"))
                    .isEqualTo("*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n");
            r.call("HELLO", "3");
            r.call("ZADD", "z", "1.5", "e");
            assertThat(r.call("BZPOPMIN", "z", "0")).isEqualTo("*3\r\n$1\r\nz\r\n$1\r\ne\r\n,1.5\r\n");
        }
    }

    @Test
    void waitersAreServedInOrderByZadd() throws Exception {
        try (RespConnection admin = conn(); RespConnection a = conn(); RespConnection b = conn()) {
            a.send("BZPOPMIN", "z", "0");
            awaitBlocked(admin, 1);
            b.send("BZMPOP", "0", "1", "z", "MAX", "COUNT", "2");
            awaitBlocked(admin, 2);
            admin.call("ZADD", "z", "1", "one", "2", "two", "3", "three");
            assertThat(a.readReply()).isEqualTo("*3\r\n$1\r\nz\r\n$3\r\none\r\n$1\r\n1\r\n");
            assertThat(b.readReply())
                    .isEqualTo("*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$5\r\nthree\r\n$1\r\n3\r\n*2\r\n$3\r\ntwo\r\n$1\r\n2\r\n");
            assertThat(admin.call("EXISTS", "z")).isEqualTo(":0\r\n");
        }
    }

    @Test
    void aWaiterForASortedSetIgnoresAListAndTheOtherWayRound() throws Exception {
        try (RespConnection admin = conn(); RespConnection zs = conn(); RespConnection ls = conn()) {
            zs.send("BZPOPMAX", "k", "0");
            awaitBlocked(admin, 1);
            ls.send("BLPOP", "k", "0");
            awaitBlocked(admin, 2);
            admin.call("RPUSH", "k", "elem");
            assertThat(ls.readReply()).isEqualTo("*2\r\n$1\r\nk\r\n$4\r\nelem\r\n");
            awaitBlocked(admin, 1);
            admin.call("ZADD", "k", "7", "m");
            assertThat(zs.readReply()).isEqualTo("*3\r\n$1\r\nk\r\n$1\r\nm\r\n$1\r\n7\r\n");
        }
    }

    @Test
    void timeoutsAndErrors() throws Exception {
        try (RespConnection r = conn()) {
            assertThat(r.call("BZPOPMIN", "z", "0.01")).isEqualTo("*-1\r\n");
            assertThat(r.call("BZMPOP", "0.01", "1", "z", "MIN")).isEqualTo("*-1\r\n");
            r.call("SET", "s", "v");
            assertThat(r.call("BZPOPMIN", "s", "0")).startsWith("-WRONGTYPE");
            assertThat(r.call("BZPOPMAX", "z", "-0.5")).isEqualTo("-ERR timeout is negative\r\n");
            assertThat(r.call("BZMPOP", "x", "1", "z", "MIN")).isEqualTo("-ERR timeout is not a float or out of range\r\n");
            assertThat(r.call("BZMPOP", "0", "0", "z", "MIN")).isEqualTo("-ERR numkeys should be greater than 0\r\n");
            assertThat(r.call("BZMPOP", "0", "1", "z", "MIDDLE")).isEqualTo("-ERR syntax error\r\n");
            assertThat(r.call("BZMPOP", "0", "1", "z", "MIN", "COUNT", "0")).isEqualTo("-ERR count should be greater than 0\r\n");
            r.call("HELLO", "3");
            assertThat(r.call("BZPOPMAX", "z", "0.01")).isEqualTo("_\r\n");
        }
    }
}
