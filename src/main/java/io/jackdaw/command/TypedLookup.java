package io.jackdaw.command;

import java.util.function.IntPredicate;

/**
 * Redis's lookupKeyRead + checkType, shared by the collection families: the key at an argument
 * is looked up (a hit or a miss counted; a key of another type is a hit) and WRONGTYPE replied
 * when it holds another type. Also the start every collection scan shares (HSCAN, SSCAN, ZSCAN).
 */
final class TypedLookup {
    private TypedLookup() {}

    static final int ABSENT = 0, FOUND = 1, REPLIED = -1;

    private static final byte[] ZERO_CURSOR = {'0'};

    /** {@link #FOUND} with the database view on the key, {@link #ABSENT}, or {@link #REPLIED} after WRONGTYPE. */
    static int read(Call c, int arg, IntPredicate isType) {
        CommandArgs a = c.args;
        if (!c.db.find(a.data(), a.offset(arg), a.length(arg))) {
            KeyspaceEvents.keyMiss(c, arg);
            return ABSENT;
        }
        c.server.stats().keyspaceHits.increment();
        if (!isType.test(c.db.type())) {
            c.reply.error(Errors.WRONGTYPE);
            return REPLIED;
        }
        return FOUND;
    }

    /**
     * The start of HSCAN, SSCAN and ZSCAN (key cursor [options]), in Redis's order: the cursor is
     * checked first, then the key (absent: an empty scan is replied and the options go
     * unchecked), then the options. Returns the options, the cursor in {@code c.scratch[0]} and
     * the view on the key; null when it has replied.
     */
    static ScanOptions beginScan(Call c, int target, IntPredicate isType) {
        CommandArgs a = c.args;
        if (!a.parseCursor(2)) {
            c.reply.error(Errors.INVALID_CURSOR);
            return null;
        }
        long cursor = a.lastLong();
        int r = read(c, 1, isType);
        if (r == REPLIED) return null;
        if (r == ABSENT) {
            c.reply.array(2);
            c.reply.bulk(ZERO_CURSOR);
            c.reply.array(0);
            return null;
        }
        ScanOptions opt = ScanOptions.parse(c, 3, target);
        if (opt != null) c.scratch[0] = cursor;
        return opt;
    }
}
