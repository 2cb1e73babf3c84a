package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jackdaw.testing.Differential;
import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.ReferenceServer;
import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connection commands and the request protocol replayed on Jackdaw and the reference
 * redis-server 7.0, compared byte for byte. Jackdaw targets 7.2; where 7.2 differs from 7.0
 * the difference is named where it is normalised, and 7.2-only commands are checked against
 * the texts of the 7.2 sources, on Jackdaw alone.
 */
class ConnectionDifferentialTest extends DifferentialTestBase {

    /**
     * HELLO's map carries the server version (7.2.4 for Jackdaw, 7.0.15 for the reference) and
     * the connection id, which differ by design; everything else in it is compared.
     */
    static final UnaryOperator<String> HELLO_VERSION_AND_ID = s -> s
            .replaceAll("\\$7\r\nversion\r\n\\$\\d+\r\n[0-9.]+\r\n", "\\$7\r\nversion\r\n<version>\r\n")
            .replaceAll("\\$2\r\nid\r\n:\\d+\r\n", "\\$2\r\nid\r\n:<id>\r\n");

    @Test
    void pingEchoSelect() throws Exception {
        differential().runAll(List.of(
                c("PING"), c("PING", "hello"), c("PING", "a", "b"), c("ping", ""), c("ECHO"), c("ECHO", "hi"),
                c("ECHO", "a", "b"), c("ECHO", ""), c("ECHO", "bin\r\n\u0001"),
                c("SELECT", "16"), c("SELECT", "x"), c("SELECT", "-1"), c("SELECT", "2147483648"),
                c("SELECT", "-2147483649"), c("SELECT", "9223372036854775808"), c("SELECT", "1.5"), c("SELECT", ""),
                c("SELECT", "01"), c("SELECT", " 1"), c("SELECT"), c("SELECT", "1", "2"),
                c("SELECT", "15"), c("SET", "k", "db15"), c("SELECT", "0"), c("GET", "k"), c("SET", "k", "db0"),
                c("SELECT", "15"), c("GET", "k"), c("DBSIZE"), c("SELECT", "0"), c("GET", "k"), c("DBSIZE")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void helloAndItsErrors() throws Exception {
        differential().normalize(HELLO_VERSION_AND_ID).runAll(List.of(
                c("HELLO", "4"), c("HELLO", "x"), c("HELLO", "3", "FOO"), c("HELLO", "1"), c("HELLO", "0"),
                c("HELLO", "-1"), c("HELLO", "99999999999999999999"), c("HELLO", "2", "AUTH"),
                c("HELLO", "2", "AUTH", "default"), c("HELLO", "2", "SETNAME"), c("HELLO", "2", "SETNAME", "a b"),
                c("HELLO", "3", "AUTH", "foo", "bar"), c("HELLO", "2", "auth", "default", "anything"), c("HELLO"),
                c("GET", "nokey"), c("HELLO", "3"), c("GET", "nokey"), c("MGET", "a", "b"),
                c("CONFIG", "GET", "maxmemory"), c("HELLO", "3", "FOO"), c("GET", "nokey"),
                c("HELLO", "2", "SETNAME", "myname"), c("CLIENT", "GETNAME"), c("HELLO", "3", "SETNAME", ""),
                c("CLIENT", "GETNAME"), c("HELLO", "2", "SETNAME", "x", "SETNAME", "y"), c("CLIENT", "GETNAME"),
                c("RESET"), c("GET", "nokey")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void authWithoutRequirepass() throws Exception {
        differential().runAll(List.of(
                c("AUTH"), c("AUTH", "x"), c("AUTH", "default", "x"), c("AUTH", "default", ""), c("AUTH", "foo", "bar"),
                c("AUTH", "a", "b", "c"), c("PING")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void clientSetnameGetname() throws Exception {
        differential().runAll(List.of(
                c("CLIENT", "GETNAME"), c("CLIENT", "SETNAME", "worker-1"), c("CLIENT", "GETNAME"),
                c("CLIENT", "SETNAME", "a b"), c("CLIENT", "SETNAME", "a\nb"), c("CLIENT", "SETNAME", "tab\there"),
                c("CLIENT", "SETNAME", "\u007f"), c("CLIENT", "SETNAME", "\u0001"), c("CLIENT", "GETNAME"),
                c("CLIENT", "SETNAME", "~!@#$%^&*()_+{}|:<>?"), c("CLIENT", "GETNAME"), c("CLIENT", "SETNAME", ""),
                c("CLIENT", "GETNAME"), c("CLIENT", "SETNAME"), c("CLIENT", "SETNAME", "a", "b"),
                c("CLIENT", "GETNAME", "x"), c("client", "setname", "lower"), c("CLIENT", "GETNAME")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void clientKillErrors() throws Exception {
        // MAXAGE is left out: it arrived after 7.0 (Jackdaw follows Valkey 8 there).
        differential().runAll(List.of(
                c("CLIENT", "KILL", "1.1.1.1:1"), c("CLIENT", "KILL", "ID", "0"), c("CLIENT", "KILL", "ID", "-1"),
                c("CLIENT", "KILL", "ID", "x"), c("CLIENT", "KILL", "ID", "99999"), c("CLIENT", "KILL", "TYPE", "foo"),
                c("CLIENT", "KILL", "TYPE", "pubsub"), c("CLIENT", "KILL", "TYPE", "master"),
                c("CLIENT", "KILL", "TYPE", "replica"), c("CLIENT", "KILL", "TYPE", "slave"),
                c("CLIENT", "KILL", "foo", "bar"), c("CLIENT", "KILL", "USER", "nobody"),
                c("CLIENT", "KILL", "USER", "default", "ID", "99999"), c("CLIENT", "KILL", "SKIPME", "maybe"),
                c("CLIENT", "KILL", "SKIPME", "yes", "ID", "99999"), c("CLIENT", "KILL", "ADDR", "1.1.1.1:1"),
                c("CLIENT", "KILL", "LADDR", "1.1.1.1:1"), c("CLIENT", "KILL", "ADDR", "1.1.1.1:1", "ID"),
                c("CLIENT", "KILL", "ID"), c("CLIENT", "KILL"), c("PING")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void clientMiscellany() throws Exception {
        differential().runAll(List.of(
                c("CLIENT", "NO-EVICT", "maybe"), c("CLIENT", "NO-EVICT", "on"), c("CLIENT", "NO-EVICT", "OFF"),
                c("CLIENT", "NO-EVICT"), c("CLIENT", "REPLY", "maybe"), c("CLIENT", "LIST", "TYPE", "foo"),
                c("CLIENT", "LIST", "ID", "x"), c("CLIENT", "LIST", "ID", "999999"), c("CLIENT", "LIST", "foo"),
                c("CLIENT", "LIST", "TYPE", "pubsub"), c("CLIENT", "LIST", "ID"), c("CLIENT", "UNBLOCK", "x"),
                c("CLIENT", "UNBLOCK", "1", "FOO"), c("CLIENT", "UNBLOCK", "99999"),
                c("CLIENT", "UNBLOCK", "99999", "TIMEOUT"), c("CLIENT", "UNBLOCK", "99999", "error"),
                c("CLIENT", "GETREDIR"), c("CLIENT", "TRACKINGINFO"), c("CLIENT", "ID", "x"), c("CLIENT", "FOO"),
                c("CLIENT"), c("RESET"), c("RESET", "x"), c("QUIT", "x")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void lastCommandShownByClientList() throws Exception {
        assumeTrue(ref != null, "no reference redis-server installed");
        List<String[]> commands = List.of(c("PING"), c("NOSUCH", "x"), c("GET"), c("CLIENT", "NOPE"), c("CLIENT"),
                c("CONFIG", "GET", "hz"), c("SELECT", "99"));
        for (String[] cmd : commands) {
            // What another client sees as this one's last command: Redis records it at look-up,
            // so rejected commands count, and unknown ones show as NULL.
            String seen = null, seenRef = null;
            for (int side = 0; side < 2; side++) {
                int port = side == 0 ? ours.port() : ref.port();
                try (RespConnection w = new RespConnection(port); RespConnection o = new RespConnection(port)) {
                    String id = w.call("CLIENT", "ID");
                    w.call(cmd);
                    String list = o.call("CLIENT", "LIST", "ID", id.substring(1, id.length() - 2));
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile(" cmd=(\\S+) ").matcher(list);
                    assertThat(m.find()).as("cmd= in %s", list).isTrue();
                    if (side == 0) seen = m.group(1);
                    else seenRef = m.group(1);
                }
            }
            assertThat(seen).as("cmd= after %s", String.join(" ", cmd)).isEqualTo(seenRef);
        }
        try (RespConnection w = new RespConnection(ours.port())) {
            // The caller's own line names the command that is asking.
            assertThat(w.call("CLIENT", "INFO")).contains(" cmd=client|info ");
            assertThat(w.call("CLIENT", "LIST")).contains(" cmd=client|list ");
        }
    }

    // ------------------------------------------------------------ the request protocol

    /** Sends raw bytes on a fresh connection and returns everything that comes back up to the close. */
    private static String rawExchange(int port, byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) o.write(buf, 0, n);
                o.writeBytes("<closed>".getBytes(StandardCharsets.US_ASCII));
            } catch (SocketTimeoutException stillOpen) {
                o.writeBytes("<open>".getBytes(StandardCharsets.US_ASCII));
            } catch (java.net.SocketException reset) {
                o.writeBytes("<closed>".getBytes(StandardCharsets.US_ASCII));
            }
            return o.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void protocolErrorsMatchRedis() throws Exception {
        assumeTrue(ref != null, "no reference redis-server installed");
        List<String> inputs = List.of(
                "*abc\r\n", "*3000000000\r\n", "*1\r\nxyz\r\n", "*1\r\n\r\n", "*1\r\n$-5\r\n", "*1\r\n$abc\r\n",
                "*1\r\n$-0\r\n", "*1\r\n$600000000\r\n", "*" + "1".repeat(70_000), "*1\r\n$" + "1".repeat(70_000),
                "a".repeat(70_000), "PING \"abc\r\n", "PING 'abc\r\n", "PING \"a\"b\r\n", "ECHO \"a\\\"\r\n",
                "PING\r\n\r\n\n   \r\nPING\nQUIT\r\n", "*0\r\n*-1\r\n*-7\r\nPING\r\nQUIT\r\n",
                "*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n*x\r\n", "PING\r\n*1\r\nfoo\r\n",
                "*2\r\n$4\r\nECHO\r\n$3\r\na\r\n\r\nQUIT\r\n", "SET a b\r\nGET a\r\nDEL a\r\nQUIT\r\n",
                "ECHO \"\\x41\\x4a\\n\\t\\\\\\\"q\"\r\nECHO 'it\\'s'\r\nECHO 'a\\nb'\r\nQUIT\r\n",
                "ECHO a\u000bb\r\nECHO a\u000cb\r\n\u000bECHO\u000ba\r\nQUIT\r\n", "foo bar baz\r\nQUIT\r\n");
        List<String> mismatches = new ArrayList<>();
        for (String in : inputs) {
            byte[] req = in.getBytes(StandardCharsets.ISO_8859_1);
            String a = rawExchange(ours.port(), req), b = rawExchange(ref.port(), req);
            if (!a.equals(b)) {
                mismatches.add(Differential.printable(in.length() > 60 ? in.substring(0, 60) + "..." : in)
                        + "\n    jackdaw: " + Differential.printable(a) + "\n    redis:   " + Differential.printable(b));
            }
            assertThat(a).as("every case ends with a close").endsWith("<closed>");
        }
        assertThat(mismatches).isEmpty();
    }

    /** A token made of the characters sdssplitargs treats specially. */
    private static String randomToken(Random rnd, boolean highBytes) {
        String plain = "abcxyzXAF019 \t\u000b\u000c\"'\\";
        StringBuilder sb = new StringBuilder();
        int len = 1 + rnd.nextInt(10);
        for (int i = 0; i < len; i++) {
            int k = rnd.nextInt(20);
            if (k == 0) {
                // a \xHH escape (high bytes only where the reply carries the argument verbatim)
                int v = highBytes ? rnd.nextInt(256) : 1 + rnd.nextInt(127);
                sb.append("\\x").append(String.format(rnd.nextBoolean() ? "%02x" : "%02X", v));
            } else if (k == 1) {
                sb.append("\\").append("nrtbaq\"'\\".charAt(rnd.nextInt(9)));
            } else {
                sb.append(plain.charAt(rnd.nextInt(plain.length())));
            }
        }
        return sb.toString();
    }

    @Test
    void inlineSplittingMatchesRedis() throws Exception {
        assumeTrue(ref != null, "no reference redis-server installed");
        Random rnd = new Random(7_2_4L);
        List<String> mismatches = new ArrayList<>();
        RespConnection a = new RespConnection(ours.port()), b = new RespConnection(ref.port());
        int protocolErrors = 0, replies = 0;
        try {
            for (int i = 0; i < 2500; i++) {
                // Unknown commands echo their arguments back; ECHO returns one argument verbatim.
                boolean echo = rnd.nextInt(3) == 0;
                StringBuilder line = new StringBuilder(echo ? "ECHO " : "XYZZY ");
                int tokens = echo ? 1 : 1 + rnd.nextInt(4);
                for (int t = 0; t < tokens; t++) {
                    int quote = rnd.nextInt(4);
                    String tok = randomToken(rnd, echo);
                    if (quote == 1) line.append('"').append(tok).append('"');
                    else if (quote == 2) line.append('\'').append(tok).append('\'');
                    else line.append(tok);
                    line.append(rnd.nextInt(5) == 0 ? "\t" : " ");
                }
                line.append(rnd.nextBoolean() ? "\r\n" : "\n");
                byte[] req = line.toString().getBytes(StandardCharsets.ISO_8859_1);
                a.sendRaw(req);
                b.sendRaw(req);
                String ra = a.readReply(), rb = b.readReply();
                replies++;
                if (!ra.equals(rb)) {
                    mismatches.add(Differential.printable(line.toString()) + "\n    jackdaw: " + Differential.printable(ra)
                            + "\n    redis:   " + Differential.printable(rb));
                }
                if (rb.startsWith("-ERR Protocol error")) {
                    protocolErrors++;
                    assertThat(a.closedByServer()).isTrue();
                    a.close();
                    b.close();
                    a = new RespConnection(ours.port());
                    b = new RespConnection(ref.port());
                }
            }
        } finally {
            a.close();
            b.close();
        }
        assertThat(mismatches).as("inline lines split differently").isEmpty();
        assertThat(protocolErrors).as("the generator also produces unbalanced quotes").isPositive();
        assertThat(replies - protocolErrors).isPositive();
    }

    @Test
    void unknownCommandEchoesRawBytesLikeRedis() throws Exception {
        assumeTrue(ref != null, "no reference redis-server installed");
        List<String> inputs = List.of(
                "*2\r\n$3\r\nFOO\r\n$2\r\n\u00ff\u00fe\r\nQUIT\r\n",
                "*2\r\n$3\r\nFOO\r\n$200\r\n" + "\u00c3\u00a9".repeat(100) + "\r\nQUIT\r\n",
                "*2\r\n$3\r\nFOO\r\n$3\r\na\u0000b\r\nQUIT\r\n",
                "*2\r\n$6\r\nCLIENT\r\n$3\r\n\u00ff\u00feA\r\nQUIT\r\n",
                "*3\r\n$6\r\nCONFIG\r\n$4\r\na\u0000\u00ffb\r\n$1\r\nx\r\nQUIT\r\n",
                "*2\r\n$3\r\nF\u0000O\r\n$4\r\nx\ny\r\r\nQUIT\r\n",
                "*2\r\n$130\r\n" + "\u00e9".repeat(130) + "\r\n$1\r\nz\r\nQUIT\r\n");
        for (String in : inputs) {
            byte[] req = in.getBytes(StandardCharsets.ISO_8859_1);
            assertThat(Differential.printable(rawExchange(ours.port(), req)))
                    .isEqualTo(Differential.printable(rawExchange(ref.port(), req)));
        }
    }

    // ------------------------------------------------------------ 7.2-only subcommands (absent from 7.0)

    @Test
    void clientSetinfoAsRedis72() throws Exception {
        try (RespConnection c = new RespConnection(ours.port())) {
            assertThat(c.call("CLIENT", "SETINFO", "lib-name", "jedis")).isEqualTo("+OK\r\n");
            assertThat(c.call("CLIENT", "SETINFO", "LIB-VER", "6.2.0")).isEqualTo("+OK\r\n");
            assertThat(c.call("CLIENT", "INFO")).contains(" lib-name=jedis lib-ver=6.2.0 ");
            assertThat(c.call("CLIENT", "SETINFO", "foo", "bar")).isEqualTo("-ERR Unrecognized option 'foo'\r\n");
            assertThat(c.call("CLIENT", "SETINFO", "lib-name", "a b"))
                    .isEqualTo("-ERR lib-name cannot contain spaces, newlines or special characters.\r\n");
            // The attribute is echoed as the client spelled it.
            assertThat(c.call("CLIENT", "SETINFO", "LIB-Ver", "1\n2"))
                    .isEqualTo("-ERR LIB-Ver cannot contain spaces, newlines or special characters.\r\n");
            assertThat(c.call("CLIENT", "SETINFO", "lib-name"))
                    .isEqualTo("-ERR wrong number of arguments for 'client|setinfo' command\r\n");
            assertThat(c.call("CLIENT", "SETINFO", "lib-name", "")).isEqualTo("+OK\r\n");
            assertThat(c.call("CLIENT", "INFO")).contains(" lib-name= lib-ver=6.2.0 ");
        }
    }

    @Test
    void clientNoTouchAsRedis72() throws Exception {
        try (RespConnection c = new RespConnection(ours.port())) {
            assertThat(c.call("CLIENT", "NO-TOUCH", "maybe")).isEqualTo("-ERR syntax error\r\n");
            assertThat(c.call("CLIENT", "NO-TOUCH")).isEqualTo("-ERR wrong number of arguments for 'client|no-touch' command\r\n");
            assertThat(c.call("CLIENT", "NO-TOUCH", "on")).isEqualTo("+OK\r\n");
            assertThat(c.call("CLIENT", "INFO")).contains(" flags=T ");
            assertThat(c.call("CLIENT", "NO-TOUCH", "OFF")).isEqualTo("+OK\r\n");
            assertThat(c.call("CLIENT", "INFO")).contains(" flags=N ");
        }
    }
}
