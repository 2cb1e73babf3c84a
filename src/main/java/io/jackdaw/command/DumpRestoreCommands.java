package io.jackdaw.command;

import io.jackdaw.store.AccessTracking;
import io.jackdaw.store.Database;
import io.jackdaw.store.RdbValues;
import io.jackdaw.types.Bytes;
import io.jackdaw.types.Crc64;
import io.jackdaw.types.RdbFormatException;
import io.jackdaw.types.RdbInput;
import io.jackdaw.types.RdbOutput;

/**
 * DUMP and RESTORE: one value in Redis's serialized form, interchangeable with Redis's own.
 *
 * <pre>
 * payload: type(1) object(...) | version(u16 LE) | crc64(u64 LE over everything before it)
 * </pre>
 */
public final class DumpRestoreCommands {
    private DumpRestoreCommands() {}

    /** The footer: two bytes of RDB version and eight of CRC-64. */
    static final int FOOTER = 10;

    static void register(CommandTable t) {
        t.register("dump", DumpRestoreCommands::dump);
        t.register("restore", DumpRestoreCommands::restore);
    }

    /** DUMP key: a read look-up (counted, an access); a missing key is a null bulk. */
    static void dump(Call c) {
        CommandArgs a = c.args;
        if (!KeyCommands.readLookup(c, true, a.data(), a.offset(1), a.length(1))) {
            c.reply.nullBulk();
            return;
        }
        byte[] payload = payload(c.db, c.server.rdbCompression());
        c.reply.bulk(payload);
    }

    /** The DUMP payload of the value the view is on. */
    static byte[] payload(Database db, boolean compress) {
        RdbOutput out = new RdbOutput(64, compress);
        int version = RdbValues.writeFound(db, out);
        out.writeByte(version & 0xFF);
        out.writeByte(version >>> 8);
        long crc = Crc64.update(0, out.buffer(), 0, out.size());
        out.writeLongLE(crc);
        return out.toByteArray();
    }

    /** Redis's verifyDumpPayload: a footer whose version we can read and whose checksum matches. */
    static boolean verify(byte[] p, int off, int len) {
        if (len < FOOTER) return false;
        int footer = off + len - FOOTER;
        int version = Bytes.getU16(p, footer);
        if (version > RdbValues.MAX_VERSION) return false;
        return Crc64.update(0, p, off, len - 8) == Bytes.getLong(p, footer + 2);
    }

    /** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency], as Redis 7.2. */
    static void restore(Call c) {
        CommandArgs a = c.args;
        boolean replace = false, absTtl = false;
        long idle = -1, freq = -1;
        for (int j = 4; j < a.count(); j++) {
            boolean hasValue = j + 1 < a.count();
            if (a.is(j, "REPLACE")) {
                replace = true;
            } else if (a.is(j, "ABSTTL")) {
                absTtl = true;
            } else if (a.is(j, "IDLETIME") && hasValue && freq == -1) {
                if (!a.parseLong(j + 1)) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                idle = a.lastLong();
                if (idle < 0) {
                    c.reply.error(Errors.INVALID_IDLETIME);
                    return;
                }
                j++;
            } else if (a.is(j, "FREQ") && hasValue && idle == -1) {
                if (!a.parseLong(j + 1)) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                freq = a.lastLong();
                if (freq < 0 || freq > 255) {
                    c.reply.error(Errors.INVALID_FREQ);
                    return;
                }
                j++;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        byte[] d = a.data();
        int kOff = a.offset(1), kLen = a.length(1);
        Database db = c.db;
        if (!replace && db.find(d, kOff, kLen)) {
            c.reply.error(Errors.BUSYKEY);
            return;
        }
        if (!a.parseLong(2)) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long ttl = a.lastLong();
        if (ttl < 0) {
            c.reply.error(Errors.INVALID_TTL);
            return;
        }
        int pOff = a.offset(3), pLen = a.length(3);
        if (!verify(d, pOff, pLen)) {
            c.reply.error(Errors.DUMP_PAYLOAD);
            return;
        }
        RdbValues.Limits limits = c.server.rdbLoadLimits();
        RdbValues.Loaded value;
        try {
            // Redis parses the object from the whole payload, footer included, and ignores
            // whatever follows it: a value may run into the footer's bytes, as there.
            RdbInput in = new RdbInput(d, pOff, pLen);
            value = RdbValues.read(in.readByte(), in, limits);
        } catch (RdbFormatException e) {
            c.reply.error(Errors.BAD_DATA_FORMAT);
            return;
        }

        boolean deleted = replace && db.delete(d, kOff, kLen);
        // Relative unless ABSTTL; the sum wraps as Redis's does, and a wrapped time has passed.
        long expireAt = ttl == 0 ? -1 : absTtl ? ttl : ttl + c.now;
        if (ttl != 0 && expireAt <= c.now) {
            if (deleted) {
                KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", 1);
                c.dirty++;
                c.propagateAs(2).arg("DEL").arg(a, 1);
            }
            c.reply.ok();
            return;
        }
        if (!value.store(db, d, kOff, kLen, limits, expireAt)) {
            // Nothing left to store (every hash field had expired): as if the key had expired.
            if (deleted) {
                KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", 1);
                c.dirty++;
                c.propagateAs(2).arg("DEL").arg(a, 1);
            }
            c.reply.ok();
            return;
        }
        if ((idle >= 0 || freq >= 0) && db.findNoTouch(d, kOff, kLen)) {
            AccessTracking access = c.server.keyspace().access();
            if (access.lfu()) {
                if (freq >= 0) db.setAccessFound(access.withFrequency((int) freq, c.now));
            } else if (idle >= 0) {
                db.setAccessFound(access.withIdle(idle, c.now));
            }
        }
        KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "restore", 1);
        c.dirty++;
        if (ttl != 0 && !absTtl) { // replayed with the instant the TTL named (as Redis: the time, then ABSTTL)
            Propagation p = c.propagateAs(a.count() + 1).arg(a, 0).arg(a, 1).arg(expireAt);
            for (int j = 3; j < a.count(); j++) p.arg(a, j);
            p.arg("ABSTTL");
        }
        c.reply.ok();
    }
}
