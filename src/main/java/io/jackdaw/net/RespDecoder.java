package io.jackdaw.net;

import io.jackdaw.command.CommandArgs;
import io.jackdaw.command.Errors;
import io.netty.buffer.ByteBuf;

/**
 * Resumable RESP request parser. Multibulk requests ({@code *N\r\n$len\r\nbytes\r\n...}) and
 * inline requests (a text line, for telnet) are parsed straight into {@link CommandArgs}:
 * bulk payloads are copied once, as they arrive, so a 500 MB argument costs one pass, and
 * only unfinished header lines wait in the caller's buffer. Limits and error strings follow
 * Redis's networking.c.
 */
final class RespDecoder {
    /** Outcome of {@link #decode}. */
    static final int NEED_MORE = 0, COMMAND = 1, ERROR = 2;

    /** Longest header or inline line Redis accepts before calling it a protocol error. */
    static final int MAX_INLINE = 64 * 1024;

    private enum State { START, COUNT, BULK_HEADER, BULK_DATA, BULK_END, INLINE }

    private State state = State.START;
    private long multibulkLength;
    private long bulkRemaining;
    private String error;

    long protoMaxBulkLen = 512L * 1024 * 1024;
    boolean unauthenticated;
    private final byte[] line = new byte[32];
    private final long[] parsed = new long[1];

    String error() { return error; }

    /** True between the first byte of a request and its end. */
    boolean midRequest() { return state != State.START; }

    /** Bytes of bulk payload still expected for the current argument. */
    long pendingBulk() { return state == State.BULK_DATA ? bulkRemaining : 0; }

    int decode(ByteBuf in, CommandArgs args) {
        while (true) {
            switch (state) {
                case START -> {
                    if (!in.isReadable()) return NEED_MORE;
                    args.clear();
                    state = in.getByte(in.readerIndex()) == '*' ? State.COUNT : State.INLINE;
                }
                case COUNT -> {
                    int r = in.readerIndex();
                    int cr = in.indexOf(r, in.writerIndex(), (byte) '\r');
                    if (cr < 0) {
                        if (in.readableBytes() > MAX_INLINE) return fail(Errors.PROTO_TOO_BIG_MBULK);
                        return NEED_MORE;
                    }
                    if (cr + 1 >= in.writerIndex()) return NEED_MORE;
                    if (!parseNumber(in, r + 1, cr) || parsed[0] > Integer.MAX_VALUE) return fail(Errors.PROTO_INVALID_MBULK);
                    long n = parsed[0];
                    if (unauthenticated && n > 10) return fail(Errors.PROTO_UNAUTH_MBULK);
                    in.readerIndex(cr + 2);
                    if (n <= 0) { // "*0" and "*-1" are empty requests: nothing to run
                        state = State.START;
                        continue;
                    }
                    multibulkLength = n;
                    state = State.BULK_HEADER;
                }
                case BULK_HEADER -> {
                    int r = in.readerIndex();
                    int cr = in.indexOf(r, in.writerIndex(), (byte) '\r');
                    if (cr < 0) {
                        if (in.readableBytes() > MAX_INLINE) return fail(Errors.PROTO_TOO_BIG_BULK);
                        return NEED_MORE;
                    }
                    if (cr + 1 >= in.writerIndex()) return NEED_MORE;
                    byte first = in.getByte(r);
                    if (first != '$') return fail(Errors.protoExpectedDollar((char) (first & 0xFF)));
                    if (!parseNumber(in, r + 1, cr) || parsed[0] < 0 || parsed[0] > protoMaxBulkLen)
                        return fail(Errors.PROTO_INVALID_BULK);
                    if (unauthenticated && parsed[0] > 16384) return fail(Errors.PROTO_UNAUTH_BULK);
                    in.readerIndex(cr + 2);
                    bulkRemaining = parsed[0];
                    args.begin();
                    state = State.BULK_DATA;
                }
                case BULK_DATA -> {
                    int n = (int) Math.min(in.readableBytes(), bulkRemaining);
                    if (n > 0) {
                        int at = args.appendTarget(n);
                        in.readBytes(args.data(), at, n);
                        bulkRemaining -= n;
                    }
                    if (bulkRemaining > 0) return NEED_MORE;
                    state = State.BULK_END;
                }
                case BULK_END -> {
                    if (in.readableBytes() < 2) return NEED_MORE;
                    in.skipBytes(2); // Redis skips the CRLF without looking at it
                    if (args.count() == multibulkLength) {
                        state = State.START;
                        return COMMAND;
                    }
                    state = State.BULK_HEADER;
                }
                case INLINE -> {
                    int r = in.readerIndex();
                    int nl = in.indexOf(r, in.writerIndex(), (byte) '\n');
                    if (nl < 0) {
                        if (in.readableBytes() > MAX_INLINE) return fail(Errors.PROTO_TOO_BIG_INLINE);
                        return NEED_MORE;
                    }
                    int end = nl;
                    if (end > r && in.getByte(end - 1) == '\r') end--;
                    boolean ok = InlineSplitter.split(in, r, end, args);
                    in.readerIndex(nl + 1);
                    state = State.START;
                    if (!ok) return fail(Errors.PROTO_UNBALANCED);
                    if (args.count() == 0) continue; // a blank line is not a command
                    return COMMAND;
                }
            }
        }
    }

    private int fail(String message) {
        error = message;
        state = State.START;
        return ERROR;
    }

    /** Strict decimal (Redis string2ll) over in[from, to). */
    private boolean parseNumber(ByteBuf in, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > line.length) return false;
        in.getBytes(from, line, 0, len);
        return io.jackdaw.types.Bytes.parseLong(line, 0, len, parsed);
    }
}
