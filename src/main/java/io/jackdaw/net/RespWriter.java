package io.jackdaw.net;

import io.jackdaw.command.ConnectionCommands;
import io.jackdaw.command.Dispatcher;
import io.jackdaw.command.Errors;
import io.jackdaw.command.Reply;
import io.jackdaw.command.ServerStats;
import io.jackdaw.types.Bytes;
import io.jackdaw.types.DoubleFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Writes replies in RESP2 or RESP3 straight into the connection's outbound buffer. Fixed
 * replies are pre-encoded; numbers are written digit by digit; nothing allocates per reply.
 * The buffer is handed to the channel by the connection once per read batch.
 */
final class RespWriter implements Reply, Dispatcher.ErrorCounting, ConnectionCommands.ProtocolSwitch {
    private static final byte[] OK = Bytes.ascii("+OK\r\n");
    private static final byte[] CRLF = Bytes.ascii("\r\n");
    private static final byte[] NULL_BULK = Bytes.ascii("$-1\r\n");
    private static final byte[] NULL_ARRAY = Bytes.ascii("*-1\r\n");
    private static final byte[] NULL3 = Bytes.ascii("_\r\n");
    private static final byte[] TRUE3 = Bytes.ascii("#t\r\n");
    private static final byte[] FALSE3 = Bytes.ascii("#f\r\n");
    private static final byte[] ZERO = Bytes.ascii(":0\r\n");
    private static final byte[] ONE = Bytes.ascii(":1\r\n");
    static final int INITIAL_CAPACITY = 16 * 1024;

    private final ByteBufAllocator alloc;
    private final ServerStats stats;
    private ByteBuf out;
    private int protocol = 2;
    private int errors;
    private final byte[] digits = new byte[24];

    RespWriter(ByteBufAllocator alloc, ServerStats stats) {
        this.alloc = alloc;
        this.stats = stats;
    }

    void setProtocol(int p) { protocol = p; }

    @Override public void switchProtocol(int resp) { protocol = resp; }

    @Override public int protocol() { return protocol; }

    @Override public int errorCount() { return errors; }

    /** The buffer written so far (null when nothing is pending); the caller takes ownership. */
    ByteBuf take() {
        ByteBuf b = out;
        out = null;
        return b;
    }

    int writerIndex() { return out == null ? 0 : out.writerIndex(); }

    /** Drops what was written after {@code mark} (CLIENT REPLY OFF/SKIP). */
    void truncate(int mark) {
        if (out != null && out.writerIndex() > mark) out.writerIndex(mark);
    }

    @Override public long pendingBytes() { return out == null ? 0 : out.readableBytes(); }

    /** Appends bytes encoded elsewhere (a pub/sub message) and releases them. */
    void append(ByteBuf b) {
        try {
            buf().writeBytes(b);
        } finally {
            b.release();
        }
    }

    void release() {
        if (out != null) {
            out.release();
            out = null;
        }
    }

    private ByteBuf buf() {
        ByteBuf b = out;
        if (b == null) out = b = alloc.directBuffer(INITIAL_CAPACITY);
        return b;
    }

    private void number(ByteBuf b, long v) {
        if (v >= 0 && v < 10) {
            b.writeByte('0' + (int) v);
            return;
        }
        int end = Bytes.writeLong(digits, 0, v);
        b.writeBytes(digits, 0, end);
    }

    private void header(char type, long n) {
        ByteBuf b = buf();
        b.writeByte(type);
        number(b, n);
        b.writeBytes(CRLF);
    }

    // ------------------------------------------------------------ Reply

    @Override public void ok() { buf().writeBytes(OK); }

    @Override public void status(String text) {
        ByteBuf b = buf();
        b.writeByte('+');
        b.writeCharSequence(text, StandardCharsets.UTF_8);
        b.writeBytes(CRLF);
    }

    @Override public void errorCounted(String message) {
        errors++;
        ByteBuf b = buf();
        b.writeByte('-');
        b.writeCharSequence(Errors.sanitize(message), StandardCharsets.UTF_8);
        b.writeBytes(CRLF);
    }

    @Override public void error(String message) {
        errors++;
        if (stats != null) stats.error(message);
        ByteBuf b = buf();
        b.writeByte('-');
        b.writeCharSequence(Errors.sanitize(message), StandardCharsets.UTF_8);
        b.writeBytes(CRLF);
    }

    @Override public void error(byte[] message) {
        errors++;
        if (stats != null) stats.error(new String(message, 0, Math.min(message.length, 64), StandardCharsets.ISO_8859_1));
        ByteBuf b = buf();
        b.writeByte('-');
        for (byte c : message) b.writeByte(c == '\r' || c == '\n' ? ' ' : c);
        b.writeBytes(CRLF);
    }

    @Override public void integer(long value) {
        if (value == 0) buf().writeBytes(ZERO);
        else if (value == 1) buf().writeBytes(ONE);
        else header(':', value);
    }

    @Override public void bulk(byte[] data, int off, int len) {
        ByteBuf b = buf();
        b.ensureWritable(len + 16);
        b.writeByte('$');
        number(b, len);
        b.writeBytes(CRLF);
        b.writeBytes(data, off, len);
        b.writeBytes(CRLF);
    }

    @Override public void bulk(String s) {
        byte[] d = s.getBytes(StandardCharsets.UTF_8);
        bulk(d, 0, d.length);
    }

    @Override public void bulkLong(long value) {
        ByteBuf b = buf();
        b.writeByte('$');
        number(b, Bytes.longLength(value)); // the length first: number() reuses the digit scratch
        b.writeBytes(CRLF);
        int end = Bytes.writeLong(digits, 0, value);
        b.writeBytes(digits, 0, end);
        b.writeBytes(CRLF);
    }

    @Override public void nullBulk() { buf().writeBytes(protocol == 3 ? NULL3 : NULL_BULK); }

    @Override public void nullArray() { buf().writeBytes(protocol == 3 ? NULL3 : NULL_ARRAY); }

    @Override public void array(int count) { header('*', count); }

    @Override public void map(int count) {
        if (protocol == 3) header('%', count);
        else header('*', 2L * count);
    }

    @Override public void set(int count) { header(protocol == 3 ? '~' : '*', count); }

    @Override public void doubleValue(double d) { doubleText(DoubleFormat.shortest(d)); }

    @Override public void doubleText(String s) {
        if (protocol == 3) {
            ByteBuf b = buf();
            b.writeByte(',');
            b.writeCharSequence(s, StandardCharsets.US_ASCII);
            b.writeBytes(CRLF);
        } else {
            bulk(s);
        }
    }

    @Override public void bool(boolean v) {
        if (protocol == 3) buf().writeBytes(v ? TRUE3 : FALSE3);
        else integer(v ? 1 : 0);
    }

    @Override public void verbatim(String fmt, String text) {
        if (protocol != 3) {
            bulk(text);
            return;
        }
        byte[] d = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = buf();
        b.writeByte('=');
        number(b, d.length + 4);
        b.writeBytes(CRLF);
        b.writeCharSequence(fmt, StandardCharsets.US_ASCII);
        b.writeByte(':');
        b.writeBytes(d);
        b.writeBytes(CRLF);
    }

    @Override public void push(int count) { header(protocol == 3 ? '>' : '*', count); }

    @Override public void bigNumber(String digits) {
        if (protocol != 3) {
            bulk(digits);
            return;
        }
        ByteBuf b = buf();
        b.writeByte('(');
        b.writeCharSequence(digits, StandardCharsets.US_ASCII);
        b.writeBytes(CRLF);
    }

    @Override public void attribute(int count) { header('|', count); }
}
