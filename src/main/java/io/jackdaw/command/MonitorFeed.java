package io.jackdaw.command;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * MONITOR: every command that reaches execution is sent to the monitors as one status line,
 * {@code +<seconds>.<micros> [<db> <addr>] "arg" "arg"...}, arguments quoted as Redis's
 * sdscatrepr and passwords redacted, as Redis's replicationFeedMonitors. Lines are built once
 * on the executing thread and delivered on each monitor's own loop.
 */
public final class MonitorFeed {
    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);
    private final CopyOnWriteArrayList<ClientSession> monitors = new CopyOnWriteArrayList<>();

    public boolean active() { return !monitors.isEmpty(); }

    void add(ClientSession s) { monitors.addIfAbsent(s); }

    void remove(ClientSession s) { monitors.remove(s); }

    /** Feeds the command in {@code c.args}, run by {@code c.client} in its current database. */
    void feed(Call c) {
        byte[] line = line(Instant.now(), c.client.db, origin(c), c.args, redacted(c));
        for (ClientSession m : monitors) m.channel().deliver(line);
    }

    private static String origin(Call c) {
        if (c.fromScript) return "lua"; // a script's redis.call, as Redis prints it
        if (c.client.unixSocket) return "unix:" + c.server.config().get("unixsocket");
        return c.client.addr;
    }

    /** The line as Redis writes it, CRLF included. */
    static byte[] line(Instant when, int db, String origin, CommandArgs args, boolean[] redacted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + args.totalBytes());
        String head = "+" + when.getEpochSecond() + "." + String.format("%06d", when.getNano() / 1000)
                + " [" + db + " " + origin + "] ";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < args.count(); i++) {
            if (i > 0) out.write(' ');
            if (redacted != null && redacted[i]) repr(out, REDACTED, 0, REDACTED.length);
            else repr(out, args.data(), args.offset(i), args.length(i));
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    /** Redis's sdscatrepr: quoted, with C escapes for \\ " \n \r \t \a \b and \xHH for other non-printables. */
    static void repr(ByteArrayOutputStream out, byte[] b, int off, int len) {
        out.write('"');
        for (int i = off; i < off + len; i++) {
            int ch = b[i] & 0xff;
            switch (ch) {
                case '\\', '"' -> {
                    out.write('\\');
                    out.write(ch);
                }
                case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
                case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
                case '\t' -> out.writeBytes(new byte[] {'\\', 't'});
                case 7 -> out.writeBytes(new byte[] {'\\', 'a'});
                case '\b' -> out.writeBytes(new byte[] {'\\', 'b'});
                default -> {
                    if (ch >= 0x20 && ch < 0x7f) out.write(ch);
                    else out.writeBytes(String.format("\\x%02x", ch).getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
        out.write('"');
    }

    /**
     * The arguments Redis redacts before monitors see them: AUTH's, and HELLO's after AUTH (as far
     * as HELLO's option parsing gets). ACL SETUSER, CONFIG SET requirepass and the like are admin
     * commands, which monitors never see.
     */
    private static boolean[] redacted(Call c) {
        CommandArgs a = c.args;
        String name = c.spec.name;
        if (name.equals("auth")) {
            boolean[] r = new boolean[a.count()];
            for (int i = 1; i < a.count(); i++) r[i] = true;
            return r;
        }
        if (name.equals("hello")) {
            boolean[] r = new boolean[a.count()];
            for (int j = 2; j < a.count(); j++) {
                int more = a.count() - 1 - j;
                if (a.is(j, "AUTH") && more >= 2) {
                    r[j + 1] = r[j + 2] = true;
                    j += 2;
                } else if (a.is(j, "SETNAME") && more >= 1) {
                    j++;
                } else {
                    break;
                }
            }
            return r;
        }
        return null;
    }
}
