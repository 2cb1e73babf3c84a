package io.jackdaw.command;

/**
 * Where a handler writes its answer. The network layer implements it over the connection's
 * outbound buffer in RESP2 or RESP3; handlers never build protocol bytes themselves.
 * Aggregate headers are followed by exactly that many elements.
 */
public interface Reply {
    /** 2 or 3, as negotiated by HELLO. */
    int protocol();

    void ok();

    /** A status reply: {@code +text}. */
    void status(String text);

    /** An error reply; {@code message} starts with its code, e.g. {@code "ERR syntax error"}. */
    void error(String message);

    /**
     * An error the error stats already counted (a script passing on the error a command it ran
     * replied): written, and a failure of this call, but not counted again.
     */
    default void errorCounted(String message) { error(message); }

    /** An error whose text carries the client's raw bytes (newlines become spaces, as Redis sends them). */
    void error(byte[] message);

    void integer(long value);

    void bulk(byte[] b, int off, int len);

    default void bulk(byte[] b) { bulk(b, 0, b.length); }

    void bulk(String s);

    /** A bulk string holding the decimal form of an integer. */
    void bulkLong(long value);

    /** RESP2 {@code $-1}, RESP3 {@code _}. */
    void nullBulk();

    /** RESP2 {@code *-1}, RESP3 {@code _}. */
    void nullArray();

    void array(int count);

    /** RESP3 map of {@code count} pairs; RESP2 flat array of 2*count. */
    void map(int count);

    /** RESP3 set; RESP2 array. */
    void set(int count);

    /** RESP3 double; RESP2 bulk string, in Redis's shortest round-trip form. */
    void doubleValue(double d);

    /** A double already in its text form (Redis's addReplyHumanLongDouble): RESP3 double, RESP2 bulk string. */
    void doubleText(String text);

    /** RESP3 boolean; RESP2 integer 1/0. */
    void bool(boolean b);

    /** RESP3 verbatim string of format {@code fmt} ("txt"); RESP2 bulk string. */
    void verbatim(String fmt, String text);

    /** RESP3 push header; RESP2 array header. */
    void push(int count);

    /** RESP3 big number (digits, possibly signed); RESP2 bulk string. */
    void bigNumber(String digits);

    /** RESP3 attribute header: {@code count} key/value pairs that annotate the reply after them (RESP3 only). */
    void attribute(int count);

    /** Bytes written so far for this client that are not yet on the wire (for CLIENT LIST omem). */
    long pendingBytes();
}
