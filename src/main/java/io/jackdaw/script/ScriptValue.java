package io.jackdaw.script;

/**
 * Replies as values, the currency between the script engine and the command layer in both
 * directions: a command's reply becomes a Lua value, a script's result becomes a reply.
 * Plain Java types stand for the common cases: {@code byte[]} a bulk string, {@link Long} an
 * integer, {@link Boolean} a RESP3 boolean, {@code Object[]} an array; the records below the rest.
 */
public final class ScriptValue {
    private ScriptValue() {}

    /** A status reply ({@code +OK}). */
    public record Status(String text) {}

    /**
     * An error reply; {@code text} starts with its code ("ERR ..."). {@code counted}: the error
     * stats already have it (it came from a command the script ran), so the reply that carries
     * it to the client must not count it again (Redis's ignore_error_stats_update).
     */
    public record Err(String text, boolean counted) {
        public Err(String text) { this(text, false); }
    }

    /** RESP3 map, as key, value, key, value. */
    public record MapValue(Object[] kv) {}

    /** RESP3 set. */
    public record SetValue(Object[] items) {}

    /** RESP3 double. */
    public record DoubleValue(double value) {}

    /** RESP3 big number, kept as its digits. */
    public record BigNumber(String digits) {}

    /** RESP3 verbatim string. */
    public record Verbatim(String format, String text) {}

    /** The null bulk string ({@code $-1}); RESP3 null. */
    public static final Object NULL = new Object() {
        @Override public String toString() { return "NULL"; }
    };

    /** The null array ({@code *-1}); RESP3 null. */
    public static final Object NULL_ARRAY = new Object() {
        @Override public String toString() { return "NULL_ARRAY"; }
    };
}
