package io.jackdaw.store;

/** Record type codes (byte 0 of a record) and the names TYPE and OBJECT ENCODING answer with. */
public final class ValueType {
    private ValueType() {}

    /** A string kept as its bytes. */
    public static final int STRING_RAW = 0;
    /** A string that is the canonical decimal form of a 64-bit integer, kept as 8 bytes. */
    public static final int STRING_INT = 1;
    /**
     * A string changed in place (APPEND, SETRANGE, SETBIT, BITFIELD, BITOP's result): Redis
     * keeps such values in a growable buffer and reports "raw" whatever their length.
     */
    public static final int STRING_MODIFIED = 2;

    public static boolean isString(int type) { return type >= STRING_RAW && type <= STRING_MODIFIED; }

    public static String typeName(int type) {
        return switch (type) {
            case STRING_RAW, STRING_INT, STRING_MODIFIED -> "string";
            default -> "none";
        };
    }

    /** Whether a name is one TYPE can answer for a key (SCAN's TYPE filter accepts only these). */
    public static boolean isTypeName(String name) {
        return switch (name) {
            case "string", "list", "set", "zset", "hash", "stream" -> true;
            default -> false;
        };
    }

    /** Redis's names: ints are "int"; strings up to 44 bytes fit an embedded object ("embstr"). */
    public static String encodingName(int type, int length) {
        return switch (type) {
            case STRING_INT -> "int";
            case STRING_RAW -> length <= 44 ? "embstr" : "raw";
            case STRING_MODIFIED -> "raw";
            default -> "unknown";
        };
    }
}
