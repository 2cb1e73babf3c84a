package io.jackdaw.command;

import io.jackdaw.store.Database;
import io.jackdaw.store.StringOps;
import io.jackdaw.store.ValueType;
import io.jackdaw.types.Lcs;

/** The string family: argument parsing and replies; storage rules live in {@link StringOps}. */
public final class StringCommands {
    private StringCommands() {}

    static void register(CommandTable t) {
        t.register("get", StringCommands::get);
        t.register("set", StringCommands::set);
        t.register("setnx", c -> setGeneric(c, NX, -1, 1, 2, false));
        t.register("setex", c -> setWithTime(c, EX));
        t.register("psetex", c -> setWithTime(c, PX));
        t.register("getset", c -> setGeneric(c, GET, -1, 1, 2, true));
        t.register("getdel", StringCommands::getdel);
        t.register("getex", StringCommands::getex);
        t.register("mget", StringCommands::mget);
        t.register("mset", c -> mset(c, false));
        t.register("msetnx", c -> mset(c, true));
        t.register("incr", c -> incrBy(c, 1));
        t.register("decr", c -> incrBy(c, -1));
        t.register("incrby", c -> incrByArg(c, false));
        t.register("decrby", c -> incrByArg(c, true));
        t.register("incrbyfloat", StringCommands::incrByFloat);
        t.register("append", StringCommands::append);
        t.register("strlen", StringCommands::strlen);
        t.register("getrange", StringCommands::getrange);
        t.register("substr", StringCommands::getrange);
        t.register("setrange", StringCommands::setrange);
        t.register("lcs", StringCommands::lcs);
    }

    // SET option flags, as Redis names them.
    static final int NX = 1, XX = 1 << 1, GET = 1 << 2, KEEPTTL = 1 << 3, EX = 1 << 4, PX = 1 << 5, EXAT = 1 << 6,
            PXAT = 1 << 7, PERSIST = 1 << 8;
    private static final int ANY_TIME = EX | PX | EXAT | PXAT;

    // ------------------------------------------------------------ reading

    /** Replies with the found record's string value. */
    static void replyFound(Call c) {
        Database db = c.db;
        if (db.type() == ValueType.STRING_INT) c.reply.bulkLong(db.longValue());
        else c.reply.bulk(db.valuePage(), db.valueOffset(), db.valueLength());
    }

    /** Looks a key up for reading; false after replying nil (absent) or WRONGTYPE. */
    static boolean findString(Call c, int arg) {
        CommandArgs a = c.args;
        if (!c.db.find(a.data(), a.offset(arg), a.length(arg))) {
            KeyspaceEvents.keyMiss(c, arg);
            c.reply.nullBulk();
            return false;
        }
        // A key of another type is a hit all the same (Redis counts in lookupKeyRead, before checkType).
        c.server.stats().keyspaceHits.increment();
        if (!ValueType.isString(c.db.type())) {
            c.reply.error(Errors.WRONGTYPE);
            return false;
        }
        return true;
    }

    static void get(Call c) {
        if (findString(c, 1)) replyFound(c);
    }

    static void getdel(Call c) {
        if (findString(c, 1)) {
            replyFound(c);
            c.db.deleteFound();
            c.dirty++;
            KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", 1);
        }
    }

    static void mget(Call c) {
        CommandArgs a = c.args;
        c.reply.array(a.count() - 1);
        for (int i = 1; i < a.count(); i++) {
            if (!c.db.find(a.data(), a.offset(i), a.length(i))) {
                KeyspaceEvents.keyMiss(c, i);
                c.reply.nullBulk();
            } else {
                c.server.stats().keyspaceHits.increment(); // a key of another type too, as Redis counts it
                if (ValueType.isString(c.db.type())) replyFound(c);
                else c.reply.nullBulk();
            }
        }
    }

    static void strlen(Call c) {
        CommandArgs a = c.args;
        if (!c.db.find(a.data(), a.offset(1), a.length(1))) {
            KeyspaceEvents.keyMiss(c, 1);
            c.reply.integer(0);
            return;
        }
        c.server.stats().keyspaceHits.increment();
        if (!ValueType.isString(c.db.type())) {
            c.reply.error(Errors.WRONGTYPE);
        } else {
            c.reply.integer(StringOps.foundLength(c.db));
        }
    }

    static void getrange(Call c) {
        CommandArgs a = c.args;
        if (!a.parseLong(2)) { c.reply.error(Errors.NOT_INTEGER); return; }
        long start = a.lastLong();
        if (!a.parseLong(3)) { c.reply.error(Errors.NOT_INTEGER); return; }
        long end = a.lastLong();
        if (!c.db.find(a.data(), a.offset(1), a.length(1))) {
            KeyspaceEvents.keyMiss(c, 1);
            c.reply.bulk(EMPTY);
            return;
        }
        c.server.stats().keyspaceHits.increment();
        if (!ValueType.isString(c.db.type())) { c.reply.error(Errors.WRONGTYPE); return; }
        byte[] src = c.db.stringBytes();
        int base = c.db.stringOffset(), len = c.db.stringLength();
        // Redis: both negative and start > end is empty; negatives count from the end.
        if (start < 0 && end < 0 && start > end) { c.reply.bulk(EMPTY); return; }
        if (start < 0) start = len + start;
        if (end < 0) end = len + end;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= len) end = len - 1;
        if (start > end || len == 0) { c.reply.bulk(EMPTY); return; }
        c.reply.bulk(src, base + (int) start, (int) (end - start + 1));
    }

    private static final byte[] EMPTY = new byte[0];

    // ------------------------------------------------------------ writing

    static void set(Call c) {
        int flags = parseOptions(c, 3, true);
        if (flags >= 0) setGeneric(c, flags, (int) c.scratch[1], 1, 2, true);
    }

    /**
     * The options of SET (from argument 3) and GETEX (from argument 2), with Redis's rules for
     * which may combine. Returns the flags, or -1 after replying with a syntax error; the
     * index of the time argument (or -1) is left in {@code c.scratch[1]}.
     */
    private static int parseOptions(Call c, int from, boolean set) {
        CommandArgs a = c.args;
        int flags = 0;
        c.scratch[1] = -1;
        for (int j = from; j < a.count(); j++) {
            boolean hasNext = j < a.count() - 1;
            int time = a.is(j, "EX") ? EX : a.is(j, "PX") ? PX : a.is(j, "EXAT") ? EXAT : a.is(j, "PXAT") ? PXAT : 0;
            if (set && a.is(j, "NX") && (flags & XX) == 0) flags |= NX;
            else if (set && a.is(j, "XX") && (flags & NX) == 0) flags |= XX;
            else if (set && a.is(j, "GET")) flags |= GET;
            else if (set && a.is(j, "KEEPTTL") && (flags & (PERSIST | ANY_TIME)) == 0) flags |= KEEPTTL;
            else if (!set && a.is(j, "PERSIST") && (flags & (KEEPTTL | ANY_TIME)) == 0) flags |= PERSIST;
            else if (time != 0 && (flags & (KEEPTTL | PERSIST | (ANY_TIME & ~time))) == 0 && hasNext) {
                flags |= time;
                c.scratch[1] = ++j;
            } else {
                c.reply.error(Errors.SYNTAX);
                return -1;
            }
        }
        return flags;
    }

    /** SETEX/PSETEX key time value. */
    private static void setWithTime(Call c, int unitFlag) {
        setGeneric(c, unitFlag, 2, 1, 3, true);
    }

    /**
     * The one SET: SET, SETNX, SETEX, PSETEX and GETSET all come here, as in Redis.
     *
     * @param timeArg    argument holding the expire time, or -1
     * @param valueArg   argument holding the value; 2 for SET/GETSET
     * @param okReply    true to answer +OK (SET family), false to answer :1/:0 (SETNX)
     */
    static void setGeneric(Call c, int flags, int timeArg, int keyArg, int valueArg, boolean okReply) {
        CommandArgs a = c.args;
        long expireAt = -1;
        if (timeArg >= 0) {
            expireAt = expireTime(c, timeArg, flags);
            if (expireAt == Long.MIN_VALUE) return;
        }
        byte[] d = a.data();
        int kOff = a.offset(keyArg), kLen = a.length(keyArg);
        boolean found = c.db.find(d, kOff, kLen);
        if ((flags & GET) != 0) {
            if (found && !ValueType.isString(c.db.type())) {
                c.reply.error(Errors.WRONGTYPE);
                return;
            }
            if (found) replyFound(c);
            else c.reply.nullBulk();
        }
        if (((flags & NX) != 0 && found) || ((flags & XX) != 0 && !found)) {
            if ((flags & GET) == 0) {
                if (okReply) c.reply.nullBulk();
                else c.reply.integer(0);
            }
            return;
        }
        if (timeArg >= 0 && expireAt <= c.now) {
            // Already in the past: the key simply ends up absent.
            if (found) c.db.deleteFound();
            c.dirty++;
            c.propagateAs(2).arg("DEL").arg(a, keyArg);
            if (found) KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", keyArg);
            if ((flags & GET) == 0) c.reply.ok();
            return;
        }
        if ((flags & KEEPTTL) != 0 && found) expireAt = c.db.expireAt();
        StringOps.set(c.db, d, kOff, kLen, d, a.offset(valueArg), a.length(valueArg), expireAt, c.scratch);
        c.dirty++;
        // A relative time is replayed as the instant it named (Redis's SET key value PXAT ms).
        if (timeArg >= 0 && (flags & PXAT) == 0) c.propagateAs(5).arg("SET").arg(a, keyArg).arg(a, valueArg).arg("PXAT").arg(expireAt);
        KeyspaceEvents.notify(c, KeyspaceEvents.STRING, "set", keyArg);
        if (timeArg >= 0) KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "expire", keyArg);
        if ((flags & GET) == 0) {
            if (okReply) c.reply.ok();
            else c.reply.integer(1);
        }
    }

    /**
     * Absolute expiry in ms from a SET/GETEX time argument, or Long.MIN_VALUE after replying
     * with Redis's error.
     */
    static long expireTime(Call c, int arg, int flags) {
        CommandArgs a = c.args;
        if (!a.parseLong(arg)) {
            c.reply.error(Errors.NOT_INTEGER);
            return Long.MIN_VALUE;
        }
        long v = a.lastLong();
        boolean seconds = (flags & (EX | EXAT)) != 0;
        if (v <= 0 || (seconds && v > Long.MAX_VALUE / 1000)) {
            c.reply.error(Errors.invalidExpire(c.spec.name));
            return Long.MIN_VALUE;
        }
        if (seconds) v *= 1000;
        if ((flags & (EX | PX)) != 0) v += c.now;
        if (v <= 0) {
            c.reply.error(Errors.invalidExpire(c.spec.name));
            return Long.MIN_VALUE;
        }
        return v;
    }

    static void getex(Call c) {
        int flags = parseOptions(c, 2, false);
        if (flags < 0) return;
        int timeArg = (int) c.scratch[1];
        // Redis's order: a missing key answers nil and a wrong type errs before the time is checked.
        if (!findString(c, 1)) return;
        long expireAt = -1;
        if (timeArg >= 0) {
            expireAt = expireTime(c, timeArg, flags);
            if (expireAt == Long.MIN_VALUE) return;
        }
        replyFound(c);
        // Replayed as what it did to the key: DEL, PEXPIREAT or PERSIST, as Redis propagates GETEX.
        if (timeArg >= 0 && expireAt <= c.now) {
            c.db.deleteFound();
            c.dirty++;
            c.propagateAs(2).arg("DEL").arg(c.args, 1);
            KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", 1);
        } else if (timeArg >= 0) {
            c.db.setExpireFound(expireAt);
            c.dirty++;
            c.propagateAs(3).arg("PEXPIREAT").arg(c.args, 1).arg(expireAt);
            KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "expire", 1);
        } else if ((flags & PERSIST) != 0 && c.db.expireAt() >= 0) {
            c.db.setExpireFound(-1);
            c.dirty++;
            c.propagateAs(2).arg("PERSIST").arg(c.args, 1);
            KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "persist", 1);
        }
    }

    static void mset(Call c, boolean nx) {
        CommandArgs a = c.args;
        if (a.count() % 2 == 0) {
            c.reply.error(Errors.wrongArity(c.spec.name));
            return;
        }
        byte[] d = a.data();
        if (nx) {
            for (int i = 1; i < a.count(); i += 2) {
                if (c.db.find(d, a.offset(i), a.length(i))) {
                    c.reply.integer(0);
                    return;
                }
            }
        }
        for (int i = 1; i < a.count(); i += 2) {
            StringOps.set(c.db, d, a.offset(i), a.length(i), d, a.offset(i + 1), a.length(i + 1), -1, c.scratch);
            KeyspaceEvents.notify(c, KeyspaceEvents.STRING, "set", i);
        }
        c.dirty += (a.count() - 1) / 2;
        if (nx) c.reply.integer(1);
        else c.reply.ok();
    }

    // ------------------------------------------------------------ counters

    private static void incrByArg(Call c, boolean negate) {
        CommandArgs a = c.args;
        if (!a.parseLong(2)) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long by = a.lastLong();
        if (negate) {
            if (by == Long.MIN_VALUE) {
                c.reply.error(Errors.DECR_OVERFLOW);
                return;
            }
            by = -by;
        }
        incrBy(c, by);
    }

    static void incrBy(Call c, long by) {
        CommandArgs a = c.args;
        switch (StringOps.incrBy(c.db, a.data(), a.offset(1), a.length(1), by, c.scratch)) {
            case StringOps.OK -> {
                c.dirty++;
                KeyspaceEvents.notify(c, KeyspaceEvents.STRING, "incrby", 1);
                c.reply.integer(c.scratch[0]);
            }
            case StringOps.WRONGTYPE -> c.reply.error(Errors.WRONGTYPE);
            case StringOps.NOT_INTEGER -> c.reply.error(Errors.NOT_INTEGER);
            default -> c.reply.error(Errors.OVERFLOW);
        }
    }

    static void incrByFloat(Call c) {
        CommandArgs a = c.args;
        String[] out = new String[1];
        switch (StringOps.incrByFloat(c.db, a.data(), a.offset(1), a.length(1), a.data(), a.offset(2), a.length(2), out)) {
            case StringOps.OK -> {
                c.dirty++;
                // Replayed as the value it produced, so no float arithmetic differs on replay (as Redis).
                c.propagateAs(4).arg("SET").arg(a, 1).arg(out[0].getBytes(java.nio.charset.StandardCharsets.US_ASCII)).arg("KEEPTTL");
                KeyspaceEvents.notify(c, KeyspaceEvents.STRING, "incrbyfloat", 1);
                c.reply.bulk(out[0]);
            }
            case StringOps.WRONGTYPE -> c.reply.error(Errors.WRONGTYPE);
            case StringOps.NOT_FLOAT -> c.reply.error(Errors.NOT_FLOAT);
            default -> c.reply.error(Errors.NAN_OR_INF);
        }
    }

    // ------------------------------------------------------------ in-place edits

    /**
     * The longest string APPEND and SETRANGE may build: proto-max-bulk-len, as in Redis (and
     * no more than one Java array holds).
     */
    private static long maxString(Call c) {
        return Math.min(c.server.protoMaxBulkLen(), Integer.MAX_VALUE - 64L - c.args.length(1));
    }

    static void append(Call c) {
        CommandArgs a = c.args;
        byte[] d = a.data();
        int kOff = a.offset(1), kLen = a.length(1);
        int vOff = a.offset(2), vLen = a.length(2);
        if (!c.db.find(d, kOff, kLen)) {
            // A new key is stored as SET would store it (Redis encodes it the same way).
            StringOps.set(c.db, d, kOff, kLen, d, vOff, vLen, -1, c.scratch);
            c.dirty++;
            KeyspaceEvents.notify(c, KeyspaceEvents.STRING, "append", 1);
            c.reply.integer(vLen);
            return;
        }
        if (!ValueType.isString(c.db.type())) {
            c.reply.error(Errors.WRONGTYPE);
            return;
        }
        byte[] old = StringOps.foundBytes(c.db);
        long total = (long) old.length + vLen;
        if (total > maxString(c)) {
            c.reply.error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
            return;
        }
        byte[] v = java.util.Arrays.copyOf(old, (int) total);
        System.arraycopy(d, vOff, v, old.length, vLen);
        c.db.put(d, kOff, kLen, ValueType.STRING_MODIFIED, v, 0, v.length, c.db.expireAt());
        c.dirty++;
        KeyspaceEvents.notify(c, KeyspaceEvents.STRING, "append", 1);
        c.reply.integer(total);
    }

    static void setrange(Call c) {
        CommandArgs a = c.args;
        if (!a.parseLong(2)) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long offset = a.lastLong();
        if (offset < 0) {
            c.reply.error("ERR offset is out of range");
            return;
        }
        byte[] d = a.data();
        int kOff = a.offset(1), kLen = a.length(1);
        int vLen = a.length(3);
        boolean found = c.db.find(d, kOff, kLen);
        if (found && !ValueType.isString(c.db.type())) {
            c.reply.error(Errors.WRONGTYPE);
            return;
        }
        byte[] old = found ? StringOps.foundBytes(c.db) : EMPTY;
        if (vLen == 0) {
            c.reply.integer(old.length);
            return;
        }
        if (offset > maxString(c) - vLen) { // not offset + vLen: that overflows for huge offsets
            c.reply.error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
            return;
        }
        int total = (int) Math.max(old.length, offset + vLen);
        byte[] v = java.util.Arrays.copyOf(old, total);
        System.arraycopy(d, a.offset(3), v, (int) offset, vLen);
        c.db.put(d, kOff, kLen, ValueType.STRING_MODIFIED, v, 0, v.length, found ? c.db.expireAt() : -1);
        c.dirty++;
        KeyspaceEvents.notify(c, KeyspaceEvents.STRING, "setrange", 1);
        c.reply.integer(total);
    }

    // ------------------------------------------------------------ LCS

    /** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN], checked in Redis's order. */
    static void lcs(Call c) {
        CommandArgs a = c.args;
        // Both keys are looked up before either is type-checked; a missing key reads as "".
        byte[] x = lcsOperand(c, 1), y = lcsOperand(c, 2);
        if (x == null || y == null) {
            c.reply.error(Errors.LCS_NOT_STRINGS);
            return;
        }
        boolean len = false, idx = false, withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < a.count(); j++) {
            if (a.is(j, "IDX")) idx = true;
            else if (a.is(j, "LEN")) len = true;
            else if (a.is(j, "WITHMATCHLEN")) withMatchLen = true;
            else if (a.is(j, "MINMATCHLEN") && j + 1 < a.count()) {
                if (!a.parseLong(++j)) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                minMatchLen = Math.max(0, a.lastLong());
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        if (len && idx) {
            c.reply.error(Errors.LCS_LEN_AND_IDX);
            return;
        }
        // Redis refuses when its table of 4-byte lengths would pass proto-max-bulk-len; the
        // same bound applies here, though our table needs a bit per cell (Lcs), not 4 bytes.
        if (Lcs.tableCells(x.length, y.length) * 4 > c.server.config().getLong("proto-max-bulk-len")) {
            c.reply.error(Errors.LCS_TOO_BIG);
            return;
        }
        if (len) {
            c.reply.integer(Lcs.length(x, y));
            return;
        }
        Lcs lcs = Lcs.compute(x, y);
        if (lcs == null) {
            c.reply.error(Errors.LCS_NO_MEMORY);
            return;
        }
        if (!idx) {
            c.reply.bulk(lcs.subsequence());
            return;
        }
        int[] m = lcs.matches(minMatchLen);
        c.reply.map(2);
        c.reply.bulk("matches");
        c.reply.array(m.length / 4);
        for (int k = 0; k < m.length; k += 4) {
            c.reply.array(withMatchLen ? 3 : 2);
            c.reply.array(2);
            c.reply.integer(m[k]);
            c.reply.integer(m[k + 1]);
            c.reply.array(2);
            c.reply.integer(m[k + 2]);
            c.reply.integer(m[k + 3]);
            if (withMatchLen) c.reply.integer(m[k + 1] - m[k] + 1);
        }
        c.reply.bulk("len");
        c.reply.integer(lcs.length());
    }

    /** The string at argument {@code arg} (empty when absent), or null when it holds another type. */
    private static byte[] lcsOperand(Call c, int arg) {
        CommandArgs a = c.args;
        if (!c.db.find(a.data(), a.offset(arg), a.length(arg))) {
            KeyspaceEvents.keyMiss(c, arg);
            return EMPTY;
        }
        c.server.stats().keyspaceHits.increment();
        return ValueType.isString(c.db.type()) ? StringOps.foundBytes(c.db) : null;
    }
}
