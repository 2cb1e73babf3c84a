package io.jackdaw.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The protocol as a client sees it on a raw socket: exact reply bytes, closes, limits, RESP3. */
@Timeout(120)
class ProtocolWireTest {
    static TestServer server;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { if (server != null) server.close(); }

    private static RespConnection connect() throws IOException { return new RespConnection(server.port()); }

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    // ------------------------------------------------------------ protocol errors

    /** Sends raw bytes and asserts the exact error reply, then that the server closed the connection. */
    private static void assertProtocolError(String raw, String expectedReply) throws IOException {
        try (RespConnection c = connect()) {
            c.sendRaw(b(raw));
            assertThat(c.readReply()).as("reply to %s", printable(raw)).isEqualTo(expectedReply);
            assertThat(c.closedByServer()).as("closed after %s", printable(raw)).isTrue();
        }
    }

    private static String printable(String s) {
        return io.jackdaw.testing.Differential.printable(s.length() > 60 ? s.substring(0, 60) + "..." : s);
    }

    @Test
    void protocolErrorsReplyThenClose() throws IOException {
        assertProtocolError("*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
        assertProtocolError("*3000000000\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
        assertProtocolError("*1\r\nxyz\r\n", "-ERR Protocol error: expected '$', got 'x'\r\n");
        assertProtocolError("*1\r\n\r\n", "-ERR Protocol error: expected '$', got ' '\r\n"); // CR shown as a space
        assertProtocolError("*1\r\n$-5\r\n", "-ERR Protocol error: invalid bulk length\r\n");
        assertProtocolError("*1\r\n$abc\r\n", "-ERR Protocol error: invalid bulk length\r\n");
        assertProtocolError("*1\r\n$600000000\r\n", "-ERR Protocol error: invalid bulk length\r\n");
        assertProtocolError("*" + "1".repeat(70_000), "-ERR Protocol error: too big mbulk count string\r\n");
        assertProtocolError("*1\r\n$" + "1".repeat(70_000), "-ERR Protocol error: too big bulk count string\r\n");
        assertProtocolError("a".repeat(70_000), "-ERR Protocol error: too big inline request\r\n");
        assertProtocolError("SET \"a b\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n");
        assertProtocolError("SET 'a'b c\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n");
    }

    @Test
    void repliesBeforeAProtocolErrorStillArrive() throws IOException {
        try (RespConnection c = connect()) {
            c.sendRaw("PING\r\n*1\r\n$4\r\nPING\r\n*x\r\nPING\r\n");
            assertThat(c.readReply()).isEqualTo("+PONG\r\n");
            assertThat(c.readReply()).isEqualTo("+PONG\r\n");
            assertThat(c.readReply()).isEqualTo("-ERR Protocol error: invalid multibulk length\r\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    // ------------------------------------------------------------ inline and pipelining

    @Test
    void inlineCommandsTelnetStyle() throws IOException {
        try (RespConnection c = connect()) {
            // Typed one key at a time, as telnet sends it.
            for (char ch : "PING\r\n".toCharArray()) c.sendRaw(String.valueOf(ch));
            assertThat(c.readReply()).isEqualTo("+PONG\r\n");
            c.sendRaw("SET inline:a b\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            c.sendRaw("GET inline:a\n");
            assertThat(c.readReply()).isEqualTo("$1\r\nb\r\n");
            c.sendRaw("\r\n\r\n   \r\nMSET inline:q \"x y\\x41\" inline:r 'it\\'s'\r\nGET inline:q\r\nGET inline:r\r\nPING hi\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.readReply()).isEqualTo("$4\r\nx yA\r\n");
            assertThat(c.readReply()).isEqualTo("$4\r\nit's\r\n");
            assertThat(c.readReply()).isEqualTo("$2\r\nhi\r\n");
            c.sendRaw("ECHO a\u000bb\r\n"); // a vertical tab does not split a bare word
            assertThat(c.readReply()).isEqualTo("$3\r\na\u000bb\r\n");
        }
    }

    @Test
    void thousandPipelinedCommandsInOneWrite() throws IOException {
        try (RespConnection c = connect()) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.writeBytes(RespConnection.encode(b("DEL"), b("pipe:n")));
            for (int i = 0; i < 1000; i++) {
                if (i % 2 == 0) o.writeBytes(RespConnection.encode(b("INCR"), b("pipe:n")));
                else o.writeBytes(b("ECHO e" + i + "\r\n"));
            }
            c.sendRaw(o.toByteArray());
            assertThat(c.readReply()).matches(":[01]\r\n");
            long n = 0;
            for (int i = 0; i < 1000; i++) {
                if (i % 2 == 0) assertThat(c.readReply()).as("reply %d", i).isEqualTo(":" + (++n) + "\r\n");
                else assertThat(c.readReply()).as("reply %d", i).isEqualTo("$" + ("e" + i).length() + "\r\ne" + i + "\r\n");
            }
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void twentyMegabyteValueInSmallChunks() throws IOException {
        byte[] value = new byte[20 * 1024 * 1024];
        new Random(20L).nextBytes(value);
        byte[] req = RespConnection.encode(b("SET"), b("big:20mb"), value);
        try (RespConnection c = connect()) {
            for (int off = 0; off < req.length; off += 7919) {
                c.sendRaw(Arrays.copyOfRange(req, off, Math.min(req.length, off + 7919)));
            }
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.call("STRLEN", "big:20mb")).isEqualTo(":" + value.length + "\r\n");
            String got = c.call("GET", "big:20mb");
            String header = "$" + value.length + "\r\n";
            assertThat(got).startsWith(header).endsWith("\r\n");
            byte[] body = got.substring(header.length(), got.length() - 2).getBytes(StandardCharsets.ISO_8859_1);
            assertThat(Arrays.equals(body, value)).as("20 MB value round-trips byte for byte").isTrue();
            assertThat(c.call("DEL", "big:20mb")).isEqualTo(":1\r\n");
        }
    }

    // ------------------------------------------------------------ limits

    @Test
    void queryBufferLimitClosesWithoutReply() throws IOException {
        try (TestServer s = TestServer.start("--client-query-buffer-limit", "1mb");
             Socket sock = new Socket("127.0.0.1", s.port())) {
            sock.setSoTimeout(10_000);
            OutputStream out = sock.getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            try {
                out.write(b("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2097152\r\n"));
                for (int sent = 0; sent < 1536 * 1024; sent += chunk.length) out.write(chunk);
                out.flush();
            } catch (SocketException closedWhileWriting) {
                // The server may close before everything is written: that is the behaviour under test.
            }
            int first;
            try {
                first = sock.getInputStream().read();
            } catch (SocketException reset) {
                first = -1;
            }
            assertThat(first).as("no reply, just the close").isEqualTo(-1);
            // The server itself is fine.
            try (RespConnection c = new RespConnection(s.port())) {
                assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
            }
        }
    }

    @Test
    void protoMaxBulkLen() throws IOException {
        try (TestServer s = TestServer.start("--proto-max-bulk-len", "1mb")) {
            try (RespConnection c = new RespConnection(s.port())) {
                byte[] ok = new byte[1024 * 1024];
                Arrays.fill(ok, (byte) 'v');
                c.send(b("SET"), b("k"), ok);
                assertThat(c.readReply()).isEqualTo("+OK\r\n");
                assertThat(c.call("STRLEN", "k")).isEqualTo(":1048576\r\n");
                c.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n");
                assertThat(c.readReply()).isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
                assertThat(c.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void maxClients() throws Exception {
        try (TestServer s = TestServer.start("--maxclients", "2")) {
            RespConnection c1 = new RespConnection(s.port());
            assertThat(c1.call("PING")).isEqualTo("+PONG\r\n");
            try (RespConnection c2 = new RespConnection(s.port())) {
                assertThat(c2.call("PING")).isEqualTo("+PONG\r\n");
                try (RespConnection c3 = new RespConnection(s.port())) {
                    assertThat(c3.readReply()).isEqualTo("-ERR max number of clients reached\r\n");
                    assertThat(c3.closedByServer()).isTrue();
                }
                assertThat(c2.call("INFO", "stats")).contains("rejected_connections:1\r\n");
                c1.close();
                // Once a slot frees up, a new client gets in.
                String reply = null;
                for (int i = 0; i < 100 && !"+PONG\r\n".equals(reply); i++) {
                    try (RespConnection c4 = new RespConnection(s.port())) {
                        c4.send("PING");
                        reply = c4.readReply();
                    }
                    if (!"+PONG\r\n".equals(reply)) Thread.sleep(50);
                }
                assertThat(reply).isEqualTo("+PONG\r\n");
            }
        }
    }

    /** Connections arriving together on several event loops must not slip past maxclients. */
    @Test
    void maxClientsHoldsUnderConcurrentConnects() throws Exception {
        for (int round = 0; round < 5; round++) {
            try (TestServer s = TestServer.start("--maxclients", "4", "--io-threads", "4")) {
                int n = 40;
                java.util.List<Socket> sockets = new java.util.ArrayList<>();
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
                try {
                    java.util.List<java.util.concurrent.Future<Socket>> futures = new java.util.ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        futures.add(pool.submit(() -> {
                            go.await();
                            return new Socket("127.0.0.1", s.port());
                        }));
                    }
                    go.countDown();
                    for (var f : futures) sockets.add(f.get());
                    int accepted = 0, rejected = 0;
                    for (Socket sock : sockets) {
                        sock.setSoTimeout(10_000);
                        sock.getOutputStream().write(b("PING\r\n"));
                        byte[] buf = new byte[64];
                        int len = sock.getInputStream().read(buf);
                        String reply = len < 0 ? "<closed>" : new String(buf, 0, len, StandardCharsets.ISO_8859_1);
                        if (reply.equals("+PONG\r\n")) accepted++;
                        else if (reply.equals("-ERR max number of clients reached\r\n")) rejected++;
                    }
                    assertThat(accepted).as("round %d: clients admitted", round).isEqualTo(4);
                    assertThat(rejected).isEqualTo(n - 4);
                } finally {
                    for (Socket sock : sockets) sock.close();
                    pool.shutdownNow();
                }
            }
        }
    }

    // ------------------------------------------------------------ command-level replies

    @Test
    void quitRepliesOkAndCloses() throws IOException {
        try (RespConnection c = connect()) {
            c.sendRaw("QUIT\r\nPING\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.closedByServer()).as("nothing after QUIT runs").isTrue();
        }
        try (RespConnection c = connect()) {
            assertThat(c.call("QUIT", "with", "args")).isEqualTo("+OK\r\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void unknownCommandAndArityErrors() throws IOException {
        try (RespConnection c = connect()) {
            assertThat(c.call("NOSUCH")).isEqualTo("-ERR unknown command 'NOSUCH', with args beginning with: \r\n");
            assertThat(c.call("nosuch", "a", "b c")).isEqualTo("-ERR unknown command 'nosuch', with args beginning with: 'a' 'b c' \r\n");
            String x200 = "x".repeat(200);
            assertThat(c.call("FOO", x200, "y"))
                    .isEqualTo("-ERR unknown command 'FOO', with args beginning with: '" + "x".repeat(128) + "' \r\n");
            assertThat(c.call("FOO", "x".repeat(100), "y".repeat(50), "z"))
                    .isEqualTo("-ERR unknown command 'FOO', with args beginning with: '" + "x".repeat(100) + "' '"
                            + "y".repeat(25) + "' \r\n");
            assertThat(c.call("F".repeat(200)))
                    .isEqualTo("-ERR unknown command '" + "F".repeat(128) + "', with args beginning with: \r\n");
            assertThat(c.call("FOO", "a\r\nb")).isEqualTo("-ERR unknown command 'FOO', with args beginning with: 'a  b' \r\n");
            assertThat(c.call("CLIENT", "NOPE")).isEqualTo("-ERR unknown subcommand 'NOPE'. Try CLIENT HELP.\r\n");
            assertThat(c.call("CONFIG", "x".repeat(200)))
                    .isEqualTo("-ERR unknown subcommand '" + "x".repeat(128) + "'. Try CONFIG HELP.\r\n");
            assertThat(c.call("GET")).isEqualTo("-ERR wrong number of arguments for 'get' command\r\n");
            assertThat(c.call("GET", "a", "b")).isEqualTo("-ERR wrong number of arguments for 'get' command\r\n");
            assertThat(c.call("CLIENT", "GETNAME", "x")).isEqualTo("-ERR wrong number of arguments for 'client|getname' command\r\n");
            assertThat(c.call("CONFIG")).isEqualTo("-ERR wrong number of arguments for 'config' command\r\n");
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void clientReplyOffSkipOn() throws IOException {
        try (RespConnection c = connect()) {
            c.sendRaw("CLIENT REPLY OFF\r\nSET reply:k v\r\nPING\r\nNOSUCH\r\nCLIENT REPLY ON\r\nGET reply:k\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n"); // CLIENT REPLY ON answers; everything before is silent
            assertThat(c.readReply()).isEqualTo("$1\r\nv\r\n");

            c.sendRaw("CLIENT REPLY SKIP\r\nECHO skipped\r\nECHO shown\r\n");
            assertThat(c.readReply()).isEqualTo("$5\r\nshown\r\n");

            // SKIP twice still skips only the one next command.
            c.sendRaw("CLIENT REPLY SKIP\r\nCLIENT REPLY SKIP\r\nECHO a\r\nECHO b\r\n");
            assertThat(c.readReply()).isEqualTo("$1\r\nb\r\n");

            // SKIP while OFF changes nothing; ON turns replies back on.
            c.sendRaw("CLIENT REPLY OFF\r\nCLIENT REPLY SKIP\r\nPING\r\nCLIENT REPLY ON\r\nECHO c\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.readReply()).isEqualTo("$1\r\nc\r\n");

            // CLIENT REPLY ON right after SKIP is not the skipped command: it replies, as in Redis.
            c.sendRaw("CLIENT REPLY SKIP\r\nCLIENT REPLY ON\r\nECHO d\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.readReply()).isEqualTo("$1\r\nd\r\n");

            // Errors are silenced too.
            c.sendRaw("CLIENT REPLY SKIP\r\nGET\r\nECHO e\r\n");
            assertThat(c.readReply()).isEqualTo("$1\r\ne\r\n");
            assertThat(c.call("CLIENT", "REPLY", "maybe")).isEqualTo("-ERR syntax error\r\n");
        }
    }

    @Test
    void requirepass() throws IOException {
        try (TestServer s = TestServer.start("--requirepass", "s3cret")) {
            try (RespConnection c = new RespConnection(s.port())) {
                assertThat(c.call("PING")).isEqualTo("-NOAUTH Authentication required.\r\n");
                assertThat(c.call("GET", "a")).isEqualTo("-NOAUTH Authentication required.\r\n");
                assertThat(c.call("CLIENT", "ID")).isEqualTo("-NOAUTH Authentication required.\r\n");
                // Unknown commands and arity are checked before authentication, as in Redis.
                assertThat(c.call("NOSUCH")).isEqualTo("-ERR unknown command 'NOSUCH', with args beginning with: \r\n");
                assertThat(c.call("AUTH", "wrong"))
                        .isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
                assertThat(c.call("AUTH", "default", "wrong"))
                        .isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
                assertThat(c.call("AUTH", "bob", "s3cret"))
                        .isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
                assertThat(c.call("HELLO", "3")).isEqualTo("-NOAUTH HELLO must be called with the client already "
                        + "authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to "
                        + "authenticate the client and select the RESP protocol version at the same time\r\n");
                assertThat(c.call("AUTH", "s3cret")).isEqualTo("+OK\r\n");
                assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
                // RESET drops the authentication.
                assertThat(c.call("RESET")).isEqualTo("+RESET\r\n");
                assertThat(c.call("PING")).isEqualTo("-NOAUTH Authentication required.\r\n");
                assertThat(c.call("AUTH", "default", "s3cret")).isEqualTo("+OK\r\n");
            }
            try (RespConnection c = new RespConnection(s.port())) {
                assertThat(c.call("HELLO", "3", "AUTH", "default", "wrong"))
                        .isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
                String hello = c.call("HELLO", "3", "AUTH", "default", "s3cret", "SETNAME", "me");
                String id = c.call("CLIENT", "ID");
                assertThat(id).matches(":\\d+\r\n");
                assertThat(hello).isEqualTo(helloMap3(id.substring(1, id.length() - 2)));
                assertThat(c.call("CLIENT", "GETNAME")).isEqualTo("$2\r\nme\r\n");
                assertThat(c.call("GET", "nokey")).isEqualTo("_\r\n");
            }
            // Before authenticating, Redis caps request sizes.
            try (RespConnection c = new RespConnection(s.port())) {
                c.sendRaw("*11\r\n");
                assertThat(c.readReply()).isEqualTo("-ERR Protocol error: unauthenticated multibulk length\r\n");
                assertThat(c.closedByServer()).isTrue();
            }
            try (RespConnection c = new RespConnection(s.port())) {
                c.sendRaw("*2\r\n$4\r\nECHO\r\n$16385\r\n");
                assertThat(c.readReply()).isEqualTo("-ERR Protocol error: unauthenticated bulk length\r\n");
                assertThat(c.closedByServer()).isTrue();
            }
            try (RespConnection c = new RespConnection(s.port())) {
                assertThat(c.call("AUTH", "s3cret")).isEqualTo("+OK\r\n");
                String big = "z".repeat(16385);
                String[] many = new String[12];
                Arrays.fill(many, "k");
                many[0] = "EXISTS";
                assertThat(c.call(many)).isEqualTo(":0\r\n");
                assertThat(c.call("ECHO", big)).isEqualTo("$16385\r\n" + big + "\r\n");
            }
        }
    }

    private static String helloMap3(String id) {
        return "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.2.4\r\n$5\r\nproto\r\n:3\r\n"
                + "$2\r\nid\r\n:" + id + "\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
                + "$7\r\nmodules\r\n*0\r\n";
    }

    @Test
    void resp3Replies() throws IOException {
        try (RespConnection c = connect()) {
            String id = c.call("CLIENT", "ID");
            String idNum = id.substring(1, id.length() - 2);
            String hello2 = c.call("HELLO");
            assertThat(hello2).startsWith("*14\r\n$6\r\nserver\r\n").contains("$5\r\nproto\r\n:2\r\n");
            assertThat(c.call("HELLO", "3")).isEqualTo(helloMap3(idNum));
            assertThat(c.call("GET", "resp3:nokey")).isEqualTo("_\r\n");
            assertThat(c.call("MGET", "resp3:nokey", "resp3:nokey2")).isEqualTo("*2\r\n_\r\n_\r\n");
            assertThat(c.call("CLIENT", "GETNAME")).isEqualTo("_\r\n");
            assertThat(c.call("COMMAND", "INFO", "nosuchcommand")).isEqualTo("*1\r\n_\r\n");
            assertThat(c.call("CONFIG", "GET", "maxmemory")).isEqualTo("%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n");
            assertThat(c.call("CLIENT", "TRACKINGINFO"))
                    .isEqualTo("%3\r\n$5\r\nflags\r\n~1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n");
            assertThat(c.call("INCRBYFLOAT", "resp3:f", "1.5")).isEqualTo("$3\r\n1.5\r\n");
            assertThat(c.call("DEL", "resp3:f")).isEqualTo(":1\r\n");

            String info = c.call("INFO", "server");
            assertThat(info).matches("(?s)=\\d+\r\ntxt:# Server\r\n.*redis_version:7\\.2\\.4\r\n.*\r\n");
            assertVerbatimLength(info);
            String clientInfo = c.call("CLIENT", "INFO");
            assertThat(clientInfo).matches("(?s)=\\d+\r\ntxt:id=" + idNum + " addr=.* resp=3 .*\n\r\n");
            assertVerbatimLength(clientInfo);
            String list = c.call("CLIENT", "LIST", "ID", idNum);
            assertThat(list).startsWith("=").contains("txt:id=" + idNum + " ");
            assertVerbatimLength(list);
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");

            // Back to RESP2: nulls and maps change shape again.
            assertThat(c.call("HELLO", "2")).startsWith("*14\r\n");
            assertThat(c.call("GET", "resp3:nokey")).isEqualTo("$-1\r\n");
            assertThat(c.call("CONFIG", "GET", "maxmemory")).isEqualTo("*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n");
            assertThat(c.call("INFO", "server")).startsWith("$").contains("# Server\r\n").doesNotContain("txt:");
        }
    }

    /** The declared length of a verbatim string covers "txt:" and the text exactly. */
    private static void assertVerbatimLength(String reply) {
        int crlf = reply.indexOf("\r\n");
        int declared = Integer.parseInt(reply.substring(1, crlf));
        assertThat(reply.length() - crlf - 2 - 2).isEqualTo(declared);
        assertThat(reply.substring(crlf + 2, crlf + 6)).isEqualTo("txt:");
    }

    @Test
    void helloErrors() throws IOException {
        try (RespConnection c = connect()) {
            assertThat(c.call("HELLO", "4")).isEqualTo("-NOPROTO unsupported protocol version\r\n");
            assertThat(c.call("HELLO", "1")).isEqualTo("-NOPROTO unsupported protocol version\r\n");
            assertThat(c.call("HELLO", "x")).isEqualTo("-ERR Protocol version is not an integer or out of range\r\n");
            assertThat(c.call("HELLO", "3", "FOO")).isEqualTo("-ERR Syntax error in HELLO option 'FOO'\r\n");
            assertThat(c.call("HELLO", "3", "AUTH", "default")).isEqualTo("-ERR Syntax error in HELLO option 'AUTH'\r\n");
            // A failed HELLO leaves the protocol alone.
            assertThat(c.call("GET", "hello:nokey")).isEqualTo("$-1\r\n");
        }
    }
}
