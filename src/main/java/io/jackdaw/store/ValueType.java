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

    // Collections: a compact encoding held in the record as Redis's own bytes, and a large one
    // held as a ValueObject (see KeyTable), for each type.
    /** A hash as a listpack of field, value, field, value... */
    public static final int HASH_LISTPACK = 10;
    /** A hash past hash-max-listpack-entries/value: a {@code types.FieldMap} object. */
    public static final int HASH_TABLE = 11;
    /**
     * A small hash on which a field expiry was ever set (Redis 7.4's listpackex): a listpack of
     * field, value, expiry triplets ({@code types.ListpackEx}). It never goes back to a plain listpack.
     */
    public static final int HASH_LISTPACK_EX = 12;
    public static final int LIST_LISTPACK = 20;
    public static final int LIST_QUICKLIST = 21;
    public static final int SET_INTSET = 30;
    public static final int SET_LISTPACK = 31;
    public static final int SET_TABLE = 32;
    public static final int ZSET_LISTPACK = 40;
    public static final int ZSET_SKIPLIST = 41;
    public static final int STREAM = 50;

    public static boolean isString(int type) { return type >= STRING_RAW && type <= STRING_MODIFIED; }

    public static boolean isHash(int type) { return type >= HASH_LISTPACK && type <= HASH_LISTPACK_EX; }

    public static boolean isList(int type) { return type == LIST_LISTPACK || type == LIST_QUICKLIST; }

    public static boolean isSet(int type) { return type >= SET_INTSET && type <= SET_TABLE; }

    public static boolean isZset(int type) { return type == ZSET_LISTPACK || type == ZSET_SKIPLIST; }

    public static boolean isStream(int type) { return type == STREAM; }

    public static String typeName(int type) {
        return switch (type) {
            case STRING_RAW, STRING_INT, STRING_MODIFIED -> "string";
            case HASH_LISTPACK, HASH_TABLE, HASH_LISTPACK_EX -> "hash";
            case LIST_LISTPACK, LIST_QUICKLIST -> "list";
            case SET_INTSET, SET_LISTPACK, SET_TABLE -> "set";
            case ZSET_LISTPACK, ZSET_SKIPLIST -> "zset";
            case STREAM -> "stream";
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
            case HASH_LISTPACK, LIST_LISTPACK, SET_LISTPACK, ZSET_LISTPACK -> "listpack";
            case HASH_LISTPACK_EX -> "listpackex";
            case HASH_TABLE, SET_TABLE -> "hashtable";
            case LIST_QUICKLIST -> "quicklist";
            case SET_INTSET -> "intset";
            case ZSET_SKIPLIST -> "skiplist";
            case STREAM -> "stream";
            default -> "unknown";
        };
    }
}
