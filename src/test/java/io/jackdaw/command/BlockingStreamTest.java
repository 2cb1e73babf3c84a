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
 * XREAD BLOCK over real sockets: woken by XADD in FIFO order, {@code $} meaning the last ID
 * when the client blocked, {@code +} waiting for the first entry, and what leaves it blocked.
 */
class BlockingStreamTest {
    private static TestServer server;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { server.close(); }

    @BeforeEach
    void flush() throws Exception {
        try (RespConnection r = conn()) {
            r.call("FLUSHALL");
            InfoFields.awaitBlockedClients(r, 0);
        }
    }

    private static RespConnection conn() throws Exception { return new RespConnection(server.port()); }

    private static String entry(String key, String id, String f, String v) {
        return "*1\r\n*2\r\n$" + key.length() + "\r\n" + key + "\r\n*1\r\n*2\r\n$" + id.length() + "\r\n" + id + "\r\n*2\r\n$"
                + f.length() + "\r\n" + f + "\r\n$" + v.length() + "\r\n" + v + "\r\n";
    }

    @Test
    void dollarWaitsForEntriesAddedAfterBlocking() throws Exception {
        try (RespConnection admin = conn(); RespConnection a = conn(); RespConnection b = conn()) {
            admin.call("XADD", "s", "1-0", "old", "x");
            a.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            InfoFields.awaitBlockedClients(admin, 1);
            b.send("XREAD", "BLOCK", "0", "STREAMS", "other", "s", "$", "$");
            InfoFields.awaitBlockedClients(admin, 2);
            assertThat(admin.call("XADD", "s", "2-0", "new", "y")).isEqualTo("$3\r\n2-0\r\n");
            assertThat(a.readReply()).isEqualTo(entry("s", "2-0", "new", "y"));
            assertThat(b.readReply()).isEqualTo(entry("s", "2-0", "new", "y"));
            InfoFields.awaitBlockedClients(admin, 0);
        }
    }

    @Test
    void aDeletedOrRetypedKeyLeavesTheReaderBlocked() throws Exception {
        try (RespConnection admin = conn(); RespConnection a = conn()) {
            admin.call("XADD", "s", "1-0", "f", "v");
            a.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            InfoFields.awaitBlockedClients(admin, 1);
            admin.call("DEL", "s");
            admin.call("SET", "s", "string");
            admin.call("DEL", "s");
            assertThat(InfoFields.blockedClients(admin)).isEqualTo(1);
            // The stream comes back with a lower ID than the one $ stood for: nothing above 1-0 yet.
            admin.call("XADD", "s", "1-0", "f", "v");
            assertThat(InfoFields.blockedClients(admin)).isEqualTo(1);
            admin.call("XADD", "s", "3-0", "g", "w");
            assertThat(a.readReply()).isEqualTo(entry("s", "3-0", "g", "w"));
        }
    }

    @Test
    void plusWaitsForTheFirstEntryOfAnEmptyStream() throws Exception {
        try (RespConnection admin = conn(); RespConnection a = conn()) {
            a.send("XREAD", "BLOCK", "0", "STREAMS", "s", "+");
            InfoFields.awaitBlockedClients(admin, 1);
            admin.call("XADD", "s", "1-0", "k1", "v1");
            assertThat(a.readReply()).isEqualTo(entry("s", "1-0", "k1", "v1"));
            admin.call("XADD", "s", "2-0", "k2", "v2");
            assertThat(a.call("XREAD", "BLOCK", "0", "STREAMS", "s", "+")).isEqualTo(entry("s", "2-0", "k2", "v2"));
            assertThat(a.call("XREAD", "STREAMS", "s", "+")).isEqualTo(entry("s", "2-0", "k2", "v2"));
            admin.call("XDEL", "s", "2-0");
            assertThat(a.call("XREAD", "STREAMS", "s", "+")).isEqualTo("*-1\r\n");
        }
    }

    @Test
    void aTimeoutRepliesNullAndClientUnblockWorks() throws Exception {
        try (RespConnection admin = conn(); RespConnection a = conn()) {
            assertThat(a.call("XREAD", "BLOCK", "1", "STREAMS", "s", "$")).isEqualTo("*-1\r\n");
            String id = a.call("CLIENT", "ID").substring(1).trim();
            a.send("XREAD", "BLOCK", "0", "STREAMS", "s", "0");
            InfoFields.awaitBlockedClients(admin, 1);
            assertThat(admin.call("CLIENT", "UNBLOCK", id, "ERROR")).isEqualTo(":1\r\n");
            assertThat(a.readReply()).startsWith("-UNBLOCKED");
        }
    }

    @Test
    void aWriteInsideMultiServesTheReaderAfterExec() throws Exception {
        try (RespConnection admin = conn(); RespConnection a = conn()) {
            a.send("XREAD", "BLOCK", "0", "COUNT", "1", "STREAMS", "s", "0");
            InfoFields.awaitBlockedClients(admin, 1);
            admin.call("MULTI");
            admin.call("XADD", "s", "1-0", "a", "1");
            admin.call("XADD", "s", "2-0", "b", "2");
            admin.call("EXEC");
            assertThat(a.readReply()).isEqualTo(entry("s", "1-0", "a", "1"));
        }
    }
}
