package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.InfoFields;
import io.jackdaw.testing.ManualClock;
import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CLIENT KILL with each filter over real sockets (argument errors are compared with the
 * reference in ConnectionDifferentialTest), client-output-buffer-limit, and the CLIENT LIST
 * fields that come from the connection's buffers.
 */
class ClientKillTest {
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private TestServer server;

    @BeforeEach
    void start() { server = TestServer.start(clock); }

    @AfterEach
    void stop() { server.close(); }

    private RespConnection connect() throws Exception { return new RespConnection(server.port()); }

    /**
     * Waits until the server lists exactly {@code n} clients: connections closed by earlier tests
     * leave the list a moment later, and new ones join it a moment after connecting.
     */
    private static void awaitClientCount(RespConnection c, int n) throws Exception {
        for (int i = 0; i < 1000; i++) {
            if (clientCount(c) == n) return;
            Thread.sleep(5);
        }
        assertThat(clientCount(c)).as("clients listed").isEqualTo(n);
    }

    private static int clientCount(RespConnection c) throws Exception {
        String list = c.call("CLIENT", "LIST");
        return (int) list.chars().filter(ch -> ch == '\n').count() - 2; // "$len\r\n", one line per client, "\r\n"
    }

    private static Map<String, String> fields(String infoLine) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String kv : infoLine.trim().split(" ")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    private static Map<String, String> self(RespConnection c) throws Exception {
        String raw = c.call("CLIENT", "INFO");
        return fields(raw.substring(raw.indexOf("id=")));
    }

    private static void assertClosed(RespConnection c) throws Exception { assertThat(c.closedByServer()).isTrue(); }

    @Test
    void killById() throws Exception {
        try (RespConnection me = connect(); RespConnection victim = connect(); RespConnection other = connect()) {
            String id = self(victim).get("id");
            assertThat(me.call("CLIENT", "KILL", "ID", id)).isEqualTo(":1\r\n");
            assertClosed(victim);
            assertThat(me.call("CLIENT", "KILL", "ID", id)).isEqualTo(":0\r\n");
            assertThat(other.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void killByAddrOldAndNewForm() throws Exception {
        try (RespConnection me = connect(); RespConnection a = connect(); RespConnection b = connect()) {
            assertThat(me.call("CLIENT", "KILL", self(a).get("addr"))).isEqualTo("+OK\r\n");
            assertClosed(a);
            assertThat(me.call("CLIENT", "KILL", "ADDR", self(b).get("addr"))).isEqualTo(":1\r\n");
            assertClosed(b);
            assertThat(me.call("CLIENT", "KILL", "127.0.0.1:1")).isEqualTo("-ERR No such client\r\n");
        }
    }

    @Test
    void oldFormMayKillTheCallerAfterItsReply() throws Exception {
        try (RespConnection me = connect()) {
            assertThat(me.call("CLIENT", "KILL", self(me).get("addr"))).isEqualTo("+OK\r\n");
            assertClosed(me);
        }
    }

    @Test
    void killByLaddrTypeAndUserSkipMe() throws Exception {
        try (RespConnection me = connect(); RespConnection a = connect(); RespConnection b = connect()) {
            String laddr = self(me).get("laddr");
            awaitClientCount(me, 3);
            assertThat(me.call("CLIENT", "KILL", "LADDR", "127.0.0.1:1")).isEqualTo(":0\r\n");
            assertThat(me.call("CLIENT", "KILL", "TYPE", "pubsub")).isEqualTo(":0\r\n");
            assertThat(me.call("CLIENT", "KILL", "TYPE", "replica")).isEqualTo(":0\r\n");
            assertThat(me.call("CLIENT", "KILL", "TYPE", "master")).isEqualTo(":0\r\n");
            assertThat(me.call("CLIENT", "KILL", "LADDR", laddr, "TYPE", "normal", "USER", "default")).isEqualTo(":2\r\n");
            assertClosed(a);
            assertClosed(b);
            assertThat(me.call("PING")).isEqualTo("+PONG\r\n"); // SKIPME defaults to yes
        }
    }

    @Test
    void skipMeNoKillsTheCallerToo() throws Exception {
        try (RespConnection me = connect(); RespConnection a = connect()) {
            awaitClientCount(me, 2);
            assertThat(me.call("CLIENT", "KILL", "SKIPME", "no", "USER", "default")).isEqualTo(":2\r\n");
            assertClosed(a);
            assertClosed(me);
        }
    }

    @Test
    void killByMaxAgeTakesOnlyOlderClients() throws Exception {
        try (RespConnection old = connect()) {
            old.call("PING");
            clock.advance(10_000);
            try (RespConnection me = connect(); RespConnection young = connect()) {
                assertThat(me.call("CLIENT", "KILL", "MAXAGE", "5")).isEqualTo(":1\r\n");
                assertClosed(old);
                assertThat(young.call("PING")).isEqualTo("+PONG\r\n");
            }
        }
    }

    @Test
    void outputBufferLimitClosesAClientThatDoesNotRead() throws Exception {
        try (RespConnection admin = connect(); RespConnection slow = connect()) {
            assertThat(admin.call("CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0")).isEqualTo("+OK\r\n");
            admin.call("SET", "big", "x".repeat(1 << 20));
            String slowId = self(slow).get("id");
            // 64 MB of replies the client never reads: past the socket's buffers, the limit closes it.
            StringBuilder pipeline = new StringBuilder();
            for (int i = 0; i < 64; i++) pipeline.append("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n");
            slow.sendRaw(pipeline.toString());
            for (int i = 0; i < 2000 && admin.call("CLIENT", "LIST", "ID", slowId).contains("id=" + slowId); i++) Thread.sleep(5);
            assertThat(admin.call("CLIENT", "LIST", "ID", slowId)).doesNotContain("id=" + slowId);
            assertThat(InfoFields.parse(admin.call("INFO", "stats")).get("client_output_buffer_limit_disconnections"))
                    .isEqualTo("1");
        }
    }

    @Test
    void monitorThatDoesNotReadIsClosedByTheLimit() throws Exception {
        try (RespConnection admin = connect(); RespConnection mon = connect()) {
            admin.call("CONFIG", "SET", "client-output-buffer-limit", "normal 256kb 0 0");
            assertThat(mon.call("MONITOR")).isEqualTo("+OK\r\n");
            String value = "v".repeat(64 * 1024);
            for (int i = 0; i < 4000 && server.server().clients().monitors().active(); i++) admin.call("SET", "k", value);
            assertThat(server.server().clients().monitors().active()).isFalse();
            assertThat(InfoFields.parse(admin.call("INFO", "stats")).get("client_output_buffer_limit_disconnections"))
                    .isEqualTo("1");
        }
    }

    @Test
    void clientListShowsPendingOutputOfAClientThatDoesNotRead() throws Exception {
        try (RespConnection admin = connect(); RespConnection slow = connect()) {
            admin.call("SET", "big", "x".repeat(1 << 20));
            String slowId = self(slow).get("id");
            StringBuilder pipeline = new StringBuilder();
            for (int i = 0; i < 32; i++) pipeline.append("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n");
            slow.sendRaw(pipeline.toString());
            Map<String, String> f = Map.of();
            for (int i = 0; i < 2000; i++) {
                String raw = admin.call("CLIENT", "LIST", "ID", slowId);
                f = fields(raw.substring(raw.indexOf("id=")));
                if (Long.parseLong(f.get("omem")) > 0) break;
                Thread.sleep(5);
            }
            assertThat(Long.parseLong(f.get("omem"))).isPositive();
            assertThat(Long.parseLong(f.get("tot-mem"))).isGreaterThan(Long.parseLong(f.get("omem")));
        }
    }

    @Test
    void clientInfoFieldsInRedisOrder() throws Exception {
        try (RespConnection c = connect()) {
            c.call("CLIENT", "SETNAME", "me");
            c.call("CLIENT", "NO-EVICT", "on");
            c.call("CLIENT", "NO-TOUCH", "on");
            Map<String, String> f = self(c);
            assertThat(String.join(" ", f.keySet())).isEqualTo("id addr laddr fd name age idle flags db sub psub ssub multi"
                    + " watch qbuf qbuf-free argv-mem multi-mem rbs rbp obl oll omem tot-mem events cmd user redir resp"
                    + " lib-name lib-ver tot-net-in tot-net-out tot-cmds");
            assertThat(f.get("name")).isEqualTo("me");
            assertThat(f.get("flags")).isEqualTo("eT");
            assertThat(f.get("cmd")).isEqualTo("client|info");
        }
    }
}
