package io.jackdaw.command;

import io.jackdaw.store.BitmapOps;
import io.jackdaw.store.StringOps;
import io.jackdaw.store.ValueType;
import io.jackdaw.types.Bits;
import io.jackdaw.types.Bytes;

/**
 * The bitmap family: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO.
 * Argument parsing, the order in which Redis reports errors, and replies; the bit work and
 * storage rules live in {@link BitmapOps}.
 */
public final class BitmapCommands {
    private BitmapCommands() {}

    static void register(CommandTable t) {
        t.register("setbit", BitmapCommands::setbit);
        t.register("getbit", BitmapCommands::getbit);
        t.register("bitcount", BitmapCommands::bitcount);
        t.register("bitpos", BitmapCommands::bitpos);
        t.register("bitop", BitmapCommands::bitop);
        t.register("bitfield", c -> bitfield(c, false));
        t.register("bitfield_ro", c -> bitfield(c, true));
    }

    /**
     * A bit offset argument, or -1 after replying with Redis's error. It must be a non-negative
     * integer addressing a byte below proto-max-bulk-len (and below what one Java array holds).
     * With {@code fieldBits} > 0 (BITFIELD) the form {@code #n} means n fields of that width;
     * the product wraps on overflow as Redis's does.
     */
    private static long bitOffset(Call c, int arg, int fieldBits) {
        CommandArgs a = c.args;
        byte[] d = a.data();
        int off = a.offset(arg), len = a.length(arg);
        int skip = fieldBits > 0 && len > 0 && d[off] == '#' ? 1 : 0;
        if (!Bytes.parseLong(d, off + skip, len - skip, c.scratch)) {
            c.reply.error(Errors.BIT_OFFSET);
            return -1;
        }
        long pos = c.scratch[0];
        if (skip == 1) pos *= fieldBits;
        // Room for the key, the record header and a 64-bit field past the offset's byte.
        long arrayBound = Integer.MAX_VALUE - 64L - a.length(1);
        if (pos < 0 || (pos >>> 3) >= Math.min(c.server.protoMaxBulkLen(), arrayBound)) {
            c.reply.error(Errors.BIT_OFFSET);
            return -1;
        }
        return pos;
    }

    /** Looks the key (argument 1) up for reading, counting the hit or miss as Redis does. */
    private static boolean findForRead(Call c) {
        CommandArgs a = c.args;
        boolean found = c.db.find(a.data(), a.offset(1), a.length(1));
        if (found) c.server.stats().keyspaceHits.increment();
        else KeyspaceEvents.keyMiss(c, 1);
        return found;
    }

    // ------------------------------------------------------------ SETBIT / GETBIT

    static void setbit(Call c) {
        long pos = bitOffset(c, 2, 0);
        if (pos < 0) return;
        CommandArgs a = c.args;
        if (!a.parseLong(3) || (a.lastLong() & ~1L) != 0) {
            c.reply.error(Errors.BIT_VALUE);
            return;
        }
        int bit = (int) a.lastLong();
        if (BitmapOps.setBit(c.db, a.data(), a.offset(1), a.length(1), pos, bit, c.scratch) != BitmapOps.OK) {
            c.reply.error(Errors.WRONGTYPE);
            return;
        }
        c.dirty += c.scratch[1];
        if (c.scratch[1] != 0) KeyspaceEvents.notify(c, KeyspaceEvents.STRING, "setbit", 1);
        c.reply.integer(c.scratch[0]);
    }

    static void getbit(Call c) {
        long pos = bitOffset(c, 2, 0);
        if (pos < 0) return;
        if (!findForRead(c)) {
            c.reply.integer(0);
        } else if (!ValueType.isString(c.db.type())) {
            c.reply.error(Errors.WRONGTYPE);
        } else {
            c.reply.integer(BitmapOps.getBit(c.db, pos));
        }
    }

    // ------------------------------------------------------------ BITCOUNT / BITPOS

    /** BYTE (false) or BIT (true) at argument i; null after a syntax error reply. */
    private static Boolean unit(Call c, int i) {
        if (c.args.is(i, "BIT")) return Boolean.TRUE;
        if (c.args.is(i, "BYTE")) return Boolean.FALSE;
        c.reply.error(Errors.SYNTAX);
        return null;
    }

    /** BITCOUNT key [start end [BYTE|BIT]]. The key is looked up before the range is read, as in Redis. */
    static void bitcount(Call c) {
        CommandArgs a = c.args;
        int argc = a.count();
        if (argc > 5) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        // The range is parsed before the key is looked up, so bad arguments are errors even for
        // an absent key (Redis 7.4 and Valkey 8; 7.2 answered 0 first). A lone start (Valkey 8)
        // runs to the end of the string.
        long start = 0, end = -1;
        boolean bitUnit = false;
        if (argc >= 3) {
            if (!a.parseLong(2)) { c.reply.error(Errors.NOT_INTEGER); return; }
            start = a.lastLong();
            if (argc == 5) {
                Boolean u = unit(c, 4);
                if (u == null) return;
                bitUnit = u;
            }
            if (argc >= 4) {
                if (!a.parseLong(3)) { c.reply.error(Errors.NOT_INTEGER); return; }
                end = a.lastLong();
            }
        }
        if (!findForRead(c)) {
            c.reply.integer(0);
            return;
        }
        if (!ValueType.isString(c.db.type())) {
            c.reply.error(Errors.WRONGTYPE);
            return;
        }
        if (argc == 2) {
            c.reply.integer(BitmapOps.bitCount(c.db));
            return;
        }
        if (argc == 3) end = StringOps.foundLength(c.db) - 1;
        // Both negative and crossed: empty, whatever the unit.
        if (start < 0 && end < 0 && start > end) {
            c.reply.integer(0);
            return;
        }
        c.reply.integer(BitmapOps.bitCount(c.db, start, end, bitUnit));
    }

    /** BITPOS key bit [start [end [BYTE|BIT]]]. */
    static void bitpos(Call c) {
        CommandArgs a = c.args;
        int argc = a.count();
        if (!a.parseLong(2)) { c.reply.error(Errors.NOT_INTEGER); return; }
        long bit = a.lastLong();
        if (bit != 0 && bit != 1) {
            c.reply.error(Errors.BITPOS_BIT);
            return;
        }
        if (argc > 6) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        // As BITCOUNT: the whole range is parsed before the key is looked up.
        long start = 0, end = 0;
        boolean bitUnit = false;
        if (argc >= 4) {
            if (!a.parseLong(3)) { c.reply.error(Errors.NOT_INTEGER); return; }
            start = a.lastLong();
            if (argc == 6) {
                Boolean u = unit(c, 5);
                if (u == null) return;
                bitUnit = u;
            }
            if (argc >= 5) {
                if (!a.parseLong(4)) { c.reply.error(Errors.NOT_INTEGER); return; }
                end = a.lastLong();
            }
        }
        if (!findForRead(c)) {
            // An absent key reads as endless zeros.
            c.reply.integer(bit == 1 ? -1 : 0);
            return;
        }
        if (!ValueType.isString(c.db.type())) {
            c.reply.error(Errors.WRONGTYPE);
            return;
        }
        if (argc == 3) c.reply.integer(BitmapOps.bitPos(c.db, (int) bit, false, 0, false, 0, false));
        else c.reply.integer(BitmapOps.bitPos(c.db, (int) bit, true, start, argc >= 5, end, bitUnit));
    }

    // ------------------------------------------------------------ BITOP

    /** BITOP AND|OR|XOR|NOT destkey key [key ...]. */
    static void bitop(Call c) {
        CommandArgs a = c.args;
        int op;
        if (a.is(1, "AND")) op = BitmapOps.AND;
        else if (a.is(1, "OR")) op = BitmapOps.OR;
        else if (a.is(1, "XOR")) op = BitmapOps.XOR;
        else if (a.is(1, "NOT")) op = BitmapOps.NOT;
        else {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        if (op == BitmapOps.NOT && a.count() != 4) {
            c.reply.error(Errors.BITOP_NOT_SINGLE);
            return;
        }
        int n = a.count() - 3;
        int[] off = new int[n], len = new int[n];
        for (int i = 0; i < n; i++) {
            off[i] = a.offset(3 + i);
            len[i] = a.length(3 + i);
        }
        if ((c.server.notifyKeyspaceEvents() & KeyspaceEvents.KEY_MISS) != 0) {
            // BitmapOps counts the misses; the "keymiss" events come first, as Redis's look-ups send them.
            for (int i = 0; i < n; i++) {
                if (!c.db.findNoTouch(a.data(), off[i], len[i])) KeyspaceEvents.notify(c, KeyspaceEvents.KEY_MISS, "keymiss", 3 + i);
                else if (!ValueType.isString(c.db.type())) break;
            }
        }
        long result = BitmapOps.bitop(c.db, op, a.data(), a.offset(2), a.length(2), off, len, n, c.scratch);
        c.server.stats().keyspaceHits.add(c.scratch[0]);
        c.server.stats().keyspaceMisses.add(c.scratch[1]);
        if (result < 0) {
            c.reply.error(Errors.WRONGTYPE);
        } else {
            c.dirty++;
            if (result > 0) KeyspaceEvents.notify(c, KeyspaceEvents.STRING, "set", 2);
            c.reply.integer(result);
        }
    }

    // ------------------------------------------------------------ BITFIELD / BITFIELD_RO

    private static final int GET = 0, SET = 1, INCRBY = 2;

    /**
     * A field type ({@code i1}..{@code i64}, {@code u1}..{@code u63}) at argument i: the width,
     * negated for signed types; 0 after replying with Redis's error. As in Redis the width's
     * digits end at a NUL byte, if there is one.
     */
    private static int fieldType(Call c, int i) {
        CommandArgs a = c.args;
        byte[] d = a.data();
        int off = a.offset(i), len = a.length(i);
        boolean signed = len > 0 && d[off] == 'i';
        if (len == 0 || (!signed && d[off] != 'u')) {
            c.reply.error(Errors.BITFIELD_TYPE);
            return 0;
        }
        int digits = 0;
        while (1 + digits < len && d[off + 1 + digits] != 0) digits++;
        if (!Bytes.parseLong(d, off + 1, digits, c.scratch) || c.scratch[0] < 1 || c.scratch[0] > (signed ? 64 : 63)) {
            c.reply.error(Errors.BITFIELD_TYPE);
            return 0;
        }
        int bits = (int) c.scratch[0];
        return signed ? -bits : bits;
    }

    /**
     * BITFIELD key [GET type offset | [OVERFLOW WRAP|SAT|FAIL] SET type offset value |
     * [OVERFLOW ...] INCRBY type offset increment ...]; BITFIELD_RO takes GETs only. Every
     * operation is parsed (and any error reported) before the key is touched; then a write
     * creates or pads the key to the farthest bit any operation writes, and the operations run
     * in order, each replying with its value, or nil where OVERFLOW FAIL refused it.
     */
    static void bitfield(Call c, boolean readOnlyCommand) {
        CommandArgs a = c.args;
        int argc = a.count();
        int cap = argc / 3 + 1;
        int[] opcode = new int[cap], width = new int[cap], mode = new int[cap];
        long[] offset = new long[cap], arg = new long[cap];
        int ops = 0, overflow = Bits.WRAP;
        boolean writes = false;
        long lastBit = 0;
        for (int j = 2; j < argc; j++) {
            int remaining = argc - j - 1;
            int code;
            if (a.is(j, "GET") && remaining >= 2) code = GET;
            else if (a.is(j, "SET") && remaining >= 3) code = SET;
            else if (a.is(j, "INCRBY") && remaining >= 3) code = INCRBY;
            else if (a.is(j, "OVERFLOW") && remaining >= 1) {
                j++;
                if (a.is(j, "WRAP")) overflow = Bits.WRAP;
                else if (a.is(j, "SAT")) overflow = Bits.SAT;
                else if (a.is(j, "FAIL")) overflow = Bits.FAIL;
                else {
                    c.reply.error(Errors.BITFIELD_OVERFLOW_TYPE);
                    return;
                }
                continue;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
            int type = fieldType(c, j + 1);
            if (type == 0) return;
            int bits = Math.abs(type);
            long pos = bitOffset(c, j + 2, bits);
            if (pos < 0) return;
            long value = 0;
            if (code != GET) {
                writes = true;
                lastBit = Math.max(lastBit, pos + bits - 1);
                if (!a.parseLong(j + 3)) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                value = a.lastLong();
            }
            opcode[ops] = code;
            width[ops] = type;
            mode[ops] = overflow;
            offset[ops] = pos;
            arg[ops] = value;
            ops++;
            j += code == GET ? 2 : 3;
        }

        boolean found, grew = false;
        if (!writes) {
            found = findForRead(c);
            if (found && !ValueType.isString(c.db.type())) {
                c.reply.error(Errors.WRONGTYPE);
                return;
            }
        } else if (readOnlyCommand) {
            c.reply.error(Errors.BITFIELD_RO_GET_ONLY);
            return;
        } else {
            int opened = BitmapOps.openForWrite(c.db, a.data(), a.offset(1), a.length(1), lastBit);
            if (opened == BitmapOps.WRONGTYPE) {
                c.reply.error(Errors.WRONGTYPE);
                return;
            }
            grew = opened == BitmapOps.OK_GREW;
            found = true;
        }

        c.reply.array(ops);
        long dirtyBefore = c.dirty;
        for (int i = 0; i < ops; i++) {
            boolean signed = width[i] < 0;
            int bits = Math.abs(width[i]);
            if (opcode[i] == GET) {
                c.reply.integer(found ? BitmapOps.fieldGet(c.db, offset[i], bits, signed) : 0);
            } else if (BitmapOps.fieldWrite(c.db, opcode[i] == INCRBY, offset[i], bits, signed, arg[i], mode[i],
                    c.scratch)) {
                // Each write counts when the key was created or lengthened, as in Redis, or when it changed bits.
                if (grew || c.scratch[1] != 0) c.dirty++;
                c.reply.integer(c.scratch[0]);
            } else {
                c.reply.nullBulk();
            }
        }
        if (c.dirty != dirtyBefore) KeyspaceEvents.notify(c, KeyspaceEvents.STRING, "setbit", 1);
    }
}
