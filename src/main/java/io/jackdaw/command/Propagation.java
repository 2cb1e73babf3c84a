package io.jackdaw.command;

import java.nio.charset.StandardCharsets;

/**
 * The writes of one execution unit (a command, an EXEC, a script) in the deterministic form
 * the AOF and replicas get, encoded as RESP arrays, each with the database it ran in. A
 * handler whose command must not be replayed as given (a relative TTL, a generated stream
 * ID, a random pop) writes its replacement here through {@link Call#propagateAs(int)};
 * everything else is copied from the arguments by the gate. The unit is handed to the
 * {@link WriteFeed} while the shard locks are still held. One instance per connection,
 * reused, so a write allocates nothing once the buffer has grown.
 */
public final class Propagation {
    private byte[] buf = new byte[256];
    private int len;
    private int[] starts = new int[4];
    private int[] dbs = new int[4];
    private int count;
    /** Whether anything listens (AOF on); when not, nothing is encoded. Set per execution unit by the gate. */
    boolean enabled;

    /** Commands in the unit. */
    public int count() { return count; }

    /** The database command {@code i} ran in. */
    public int db(int i) { return dbs[i]; }

    /** The encoded bytes of command {@code i}: {@code [start(i), end(i))} of {@link #buffer()}. */
    public int start(int i) { return starts[i]; }

    public int end(int i) { return i + 1 < count ? starts[i + 1] : len; }

    public byte[] buffer() { return buf; }

    void clear() {
        len = 0;
        count = 0;
    }

    /** Starts a command of {@code argc} arguments in database {@code db}; follow with exactly argc {@code arg} calls. */
    Propagation begin(int db, int argc) {
        if (!enabled) return this;
        if (count == starts.length) {
            starts = java.util.Arrays.copyOf(starts, count * 2);
            dbs = java.util.Arrays.copyOf(dbs, count * 2);
        }
        starts[count] = len;
        dbs[count++] = db;
        header('*', argc);
        return this;
    }

    /** The whole command as the client sent it. */
    void add(int db, CommandArgs a) {
        if (!enabled) return;
        int n = a.count();
        begin(db, n);
        for (int i = 0; i < n; i++) arg(a.data(), a.offset(i), a.length(i));
    }

    public Propagation arg(byte[] b, int off, int n) {
        if (!enabled) return this;
        header('$', n);
        ensure(n + 2);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        buf[len++] = '\r';
        buf[len++] = '\n';
        return this;
    }

    public Propagation arg(byte[] b) { return arg(b, 0, b.length); }

    /** Argument {@code i} of the client's command. */
    public Propagation arg(CommandArgs a, int i) { return arg(a.data(), a.offset(i), a.length(i)); }

    /** An ASCII token such as a command name or option. */
    public Propagation arg(String token) {
        if (!enabled) return this;
        return arg(token.getBytes(StandardCharsets.US_ASCII));
    }

    public Propagation arg(long v) {
        if (!enabled) return this;
        ensure(24);
        int digits = digits(v);
        header('$', digits);
        writeLong(v);
        buf[len++] = '\r';
        buf[len++] = '\n';
        return this;
    }

    private void header(char type, long n) {
        ensure(24);
        buf[len++] = (byte) type;
        writeLong(n);
        buf[len++] = '\r';
        buf[len++] = '\n';
    }

    private void writeLong(long v) {
        if (v == Long.MIN_VALUE) {
            byte[] s = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(s, 0, buf, len, s.length);
            len += s.length;
            return;
        }
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int d = digits(v);
        for (int i = len + d - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len += d;
    }

    /** Characters of {@code v} in decimal, sign included. */
    private static int digits(long v) {
        if (v == Long.MIN_VALUE) return 20;
        int n = v < 0 ? 2 : 1;
        v = Math.abs(v);
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }

    private void ensure(int more) {
        if (len + more > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
}
