package io.jackdaw.command;

import io.jackdaw.store.Database;
import io.jackdaw.store.KeyTable;
import io.jackdaw.store.Keyspace;
import io.jackdaw.store.Shard;
import io.jackdaw.store.ValueType;
import io.jackdaw.types.Glob;
import java.util.concurrent.ThreadLocalRandom;

/** Generic key commands: existence, deletion, expiry, type, renaming, enumeration. */
public final class KeyCommands {
    private KeyCommands() {}

    static void register(CommandTable t) {
        t.register("del", KeyCommands::del);
        t.register("unlink", KeyCommands::del);
        t.register("exists", KeyCommands::exists);
        t.register("touch", KeyCommands::touch);
        t.register("scan", KeyCommands::scan);
        t.register("copy", KeyCommands::copy);
        t.register("move", KeyCommands::move);
        t.register("swapdb", KeyCommands::swapdb);
        t.register("object|encoding", c -> object(c, OBJ_ENCODING));
        t.register("object|refcount", c -> object(c, OBJ_REFCOUNT));
        t.register("object|idletime", c -> object(c, OBJ_IDLETIME));
        t.register("object|freq", c -> object(c, OBJ_FREQ));
        t.register("object|help", c -> Help.reply(c, "OBJECT", OBJECT_HELP));
        t.register("type", KeyCommands::type);
        t.register("expire", c -> expire(c, 1000, true));
        t.register("pexpire", c -> expire(c, 1, true));
        t.register("expireat", c -> expire(c, 1000, false));
        t.register("pexpireat", c -> expire(c, 1, false));
        t.register("ttl", c -> ttl(c, false, false));
        t.register("pttl", c -> ttl(c, true, false));
        t.register("expiretime", c -> ttl(c, false, true));
        t.register("pexpiretime", c -> ttl(c, true, true));
        t.register("persist", KeyCommands::persist);
        t.register("rename", c -> rename(c, false));
        t.register("renamenx", c -> rename(c, true));
        t.register("keys", KeyCommands::keys);
        t.register("randomkey", KeyCommands::randomkey);
    }

    static void del(Call c) {
        CommandArgs a = c.args;
        long n = 0;
        for (int i = 1; i < a.count(); i++) {
            if (!c.db.delete(a.data(), a.offset(i), a.length(i))) continue;
            n++;
            KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", i);
        }
        c.dirty += n;
        c.reply.integer(n);
    }

    /**
     * A look-up for reading, as Redis's lookupKeyRead: counted in keyspace_hits/misses, and an
     * access unless {@code touch} is false (Redis's no-touch look-ups). Write look-ups (EXPIRE,
     * RENAME, ...) use the database directly and are not counted, as in Redis.
     */
    static boolean readLookup(Call c, boolean touch, byte[] k, int off, int len) {
        boolean found = touch ? c.db.find(k, off, len) : c.db.findNoTouch(k, off, len);
        if (found) c.server.stats().keyspaceHits.increment();
        else KeyspaceEvents.keyMiss(c, k, off, len);
        return found;
    }

    /** EXISTS: counts the named keys that exist, repeats counted each time; not an access. */
    static void exists(Call c) {
        CommandArgs a = c.args;
        long n = 0;
        for (int i = 1; i < a.count(); i++) if (readLookup(c, false, a.data(), a.offset(i), a.length(i))) n++;
        c.reply.integer(n);
    }

    /** TOUCH: as EXISTS, but each key found counts as accessed, even for a NO-TOUCH client. */
    static void touch(Call c) {
        CommandArgs a = c.args;
        c.db.noTouch(false);
        long n = 0;
        for (int i = 1; i < a.count(); i++) if (readLookup(c, true, a.data(), a.offset(i), a.length(i))) n++;
        c.reply.integer(n);
    }

    static void type(Call c) {
        CommandArgs a = c.args;
        c.reply.status(readLookup(c, false, a.data(), a.offset(1), a.length(1)) ? ValueType.typeName(c.db.type()) : "none");
    }

    private static final int NX = 1, XX = 2, GT = 4, LT = 8;

    /** EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with NX/XX/GT/LT. */
    static void expire(Call c, long unitMs, boolean relative) {
        CommandArgs a = c.args;
        int flags = 0;
        for (int j = 3; j < a.count(); j++) {
            if (a.is(j, "NX")) flags |= NX;
            else if (a.is(j, "XX")) flags |= XX;
            else if (a.is(j, "GT")) flags |= GT;
            else if (a.is(j, "LT")) flags |= LT;
            else {
                c.reply.error("ERR Unsupported option " + a.string(j));
                return;
            }
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            c.reply.error("ERR NX and XX, GT or LT options at the same time are not compatible");
            return;
        }
        if ((flags & GT) != 0 && (flags & LT) != 0) {
            c.reply.error("ERR GT and LT options at the same time are not compatible");
            return;
        }
        if (!a.parseLong(2)) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long when = a.lastLong();
        if (unitMs == 1000) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                c.reply.error(Errors.invalidExpire(c.spec.name));
                return;
            }
            when *= 1000;
        }
        long base = relative ? c.now : 0;
        if (when > Long.MAX_VALUE - base) {
            c.reply.error(Errors.invalidExpire(c.spec.name));
            return;
        }
        when += base;
        if (!c.db.find(a.data(), a.offset(1), a.length(1))) {
            c.reply.integer(0);
            return;
        }
        long current = c.db.expireAt();
        if (((flags & NX) != 0 && current != -1) || ((flags & XX) != 0 && current == -1)
                || ((flags & GT) != 0 && (current == -1 || when <= current))
                || ((flags & LT) != 0 && current != -1 && when >= current)) {
            c.reply.integer(0);
            return;
        }
        if (when <= c.now) {
            c.db.deleteFound();
            c.propagateAs(2).arg("DEL").arg(a, 1);
        } else {
            c.db.setExpireFound(when);
            // Replayed as PEXPIREAT at the instant it named, its options kept (as Redis).
            Propagation p = c.propagateAs(a.count()).arg("PEXPIREAT").arg(a, 1).arg(when);
            for (int j = 3; j < a.count(); j++) p.arg(a, j);
        }
        c.dirty++;
        KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, when <= c.now ? "del" : "expire", 1);
        c.reply.integer(1);
    }

    static void ttl(Call c, boolean ms, boolean absolute) {
        CommandArgs a = c.args;
        if (!readLookup(c, false, a.data(), a.offset(1), a.length(1))) {
            c.reply.integer(-2);
            return;
        }
        long expire = c.db.expireAt();
        if (expire == -1) {
            c.reply.integer(-1);
            return;
        }
        long t = absolute ? expire : Math.max(0, expire - c.now);
        // Rounded to the nearest second as (t + 500) / 1000, without the sum: an expiry set near
        // 2^63 ms (PEXPIREAT) would overflow it, where Redis's build answers the true quotient.
        c.reply.integer(ms ? t : t / 1000 + (t % 1000 + 500) / 1000);
    }

    static void persist(Call c) {
        CommandArgs a = c.args;
        if (c.db.find(a.data(), a.offset(1), a.length(1)) && c.db.expireAt() != -1) {
            c.db.setExpireFound(-1);
            c.dirty++;
            KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "persist", 1);
            c.reply.integer(1);
        } else {
            c.reply.integer(0);
        }
    }

    static void rename(Call c, boolean nx) {
        CommandArgs a = c.args;
        byte[] d = a.data();
        Database db = c.db;
        if (!db.find(d, a.offset(1), a.length(1))) {
            c.reply.error("ERR no such key");
            return;
        }
        if (sameBytes(a, 1, 2)) {
            if (nx) c.reply.integer(0);
            else c.reply.ok();
            return;
        }
        Database.Detached value = db.detachFound(false);
        if (nx && db.find(d, a.offset(2), a.length(2))) {
            c.reply.integer(0);
            return;
        }
        db.delete(d, a.offset(1), a.length(1));
        // Redis deletes an existing target and adds the key anew, so even then "new" is announced.
        db.delete(d, a.offset(2), a.length(2));
        db.putDetached(d, a.offset(2), a.length(2), value, true);
        c.dirty++;
        KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "rename_from", 1);
        KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "rename_to", 2);
        if (nx) c.reply.integer(1);
        else c.reply.ok();
    }

    static void keys(Call c) {
        CommandArgs a = c.args;
        byte[] pat = a.bytes(1);
        boolean all = pat.length == 1 && pat[0] == '*';
        Keyspace ks = c.server.keyspace();
        java.util.ArrayList<byte[]> out = new java.util.ArrayList<>();
        long now = c.now;
        for (int i = 0; i < ks.shardCount(); i++) {
            KeyTable t = ks.shard(i).tableIfPresent(c.client.db);
            if (t == null) continue;
            t.forEach((page, ko, kl, exp) -> {
                if (KeyTable.isExpired(exp, now)) return;
                if (all || Glob.match(pat, 0, pat.length, page, ko, kl, false))
                    out.add(java.util.Arrays.copyOfRange(page, ko, ko + kl));
            });
        }
        c.reply.array(out.size());
        for (byte[] k : out) c.reply.bulk(k);
    }

    static void randomkey(Call c) {
        Keyspace ks = c.server.keyspace();
        int db = c.client.db;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            long total = ks.size(db);
            if (total == 0) break;
            long pick = rnd.nextLong(total);
            for (int i = 0; i < ks.shardCount(); i++) {
                Shard s = ks.shard(i);
                KeyTable t = s.tableIfPresent(db);
                if (t == null || t.size() == 0) continue;
                if (pick >= t.size()) {
                    pick -= t.size();
                    continue;
                }
                c.db.positionAt(t, t.randomSlot(rnd));
                byte[] key = c.db.foundKey();
                // Looked up again so that an expired pick goes through lazy expiry (and its listener).
                if (!c.db.findNoTouch(key, 0, key.length)) break; // gone: try again
                c.reply.bulk(key);
                return;
            }
        }
        c.reply.nullBulk();
    }

    // ------------------------------------------------------------ SCAN

    /**
     * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]. The cursor packs the shard in its
     * low bits and the shard table's reverse-binary bucket cursor above them, so one walk visits
     * the shards in order and each shard's buckets the way Redis visits a dict's; each shard is
     * locked only while its batch is collected.
     */
    static void scan(Call c) {
        CommandArgs a = c.args;
        if (!a.parseCursor(1)) {
            c.reply.error(Errors.INVALID_CURSOR);
            return;
        }
        long cursor = a.lastLong();
        ScanOptions opt = ScanOptions.parse(c, 2, ScanOptions.KEYSPACE);
        if (opt == null) return;
        long count = opt.count;
        byte[] pattern = opt.pattern;
        String typeName = opt.typeName;
        Keyspace ks = c.server.keyspace();
        int shardBits = Integer.numberOfTrailingZeros(ks.shardCount());
        int shard = (int) (cursor & (ks.shardCount() - 1));
        long bucket = cursor >>> shardBits;
        long budget = opt.budget();
        java.util.ArrayList<byte[]> found = new java.util.ArrayList<>();
        java.util.ArrayList<byte[]> out = new java.util.ArrayList<>();
        KeyTable.KeyVisitor collect = (page, ko, kl, exp) -> found.add(java.util.Arrays.copyOfRange(page, ko, ko + kl));
        long next;
        while (true) {
            Shard s = ks.shard(shard);
            s.lock.lock();
            try {
                KeyTable t = s.tableIfPresent(c.client.db);
                if (t == null || t.size() == 0) {
                    bucket = 0;
                } else {
                    int before = found.size();
                    do {
                        bucket = t.scanBucket(bucket, collect);
                    } while (bucket != 0 && budget-- > 0 && found.size() < count);
                    // Filter under the shard's lock: expired keys go (as a read would remove them),
                    // then the type and the pattern.
                    for (int i = before; i < found.size(); i++) {
                        byte[] k = found.get(i);
                        if (!c.db.findNoTouch(k, 0, k.length)) continue;
                        if (typeName != null && !typeName.equalsIgnoreCase(ValueType.typeName(c.db.type()))) continue;
                        if (pattern != null && !Glob.match(pattern, 0, pattern.length, k, 0, k.length, false)) continue;
                        out.add(k);
                    }
                }
            } finally {
                s.lock.unlock();
            }
            if (bucket == 0) {
                if (++shard == ks.shardCount()) {
                    next = 0;
                    break;
                }
            }
            if (found.size() >= count || budget <= 0) {
                next = (bucket << shardBits) | shard;
                break;
            }
        }
        c.reply.array(2);
        c.reply.bulk(Long.toUnsignedString(next));
        c.reply.array(out.size());
        for (byte[] k : out) c.reply.bulk(k);
    }

    // ------------------------------------------------------------ OBJECT

    private static final int OBJ_ENCODING = 0, OBJ_REFCOUNT = 1, OBJ_IDLETIME = 2, OBJ_FREQ = 3;

    /** Redis's refcount of shared objects (small integers), which never reaches zero. */
    private static final long SHARED_REFCOUNT = Integer.MAX_VALUE;
    private static final int SHARED_INTEGERS = 10_000;

    private static final java.util.List<String> OBJECT_HELP = java.util.List.of(
            "ENCODING <key>",
            "    Name the internal representation of the value stored at <key>.",
            "FREQ <key>",
            "    Report the logarithmic access-frequency counter of <key> (LFU policies only).",
            "IDLETIME <key>",
            "    Report the seconds since <key> was last read or written (not under LFU policies).",
            "REFCOUNT <key>",
            "    Report how many references the server holds to the value of <key>.");

    static void object(Call c, int what) {
        CommandArgs a = c.args;
        // Counted, but never a "keymiss" event: Redis looks OBJECT's key up with LOOKUP_NONOTIFY.
        boolean found = c.db.findNoTouch(a.data(), a.offset(2), a.length(2));
        (found ? c.server.stats().keyspaceHits : c.server.stats().keyspaceMisses).increment();
        if (!found) {
            c.reply.nullBulk();
            return;
        }
        Database db = c.db;
        switch (what) {
            case OBJ_ENCODING -> c.reply.bulk(ValueType.encodingName(db.type(), db.valueLength()));
            case OBJ_REFCOUNT -> {
                boolean shared = db.type() == ValueType.STRING_INT && !db.foundUnshared() && db.longValue() >= 0
                        && db.longValue() < SHARED_INTEGERS && c.server.keyspace().access().sharedIntegers();
                c.reply.integer(shared ? SHARED_REFCOUNT : 1);
            }
            case OBJ_IDLETIME -> {
                if (c.server.keyspace().access().lfu()) c.reply.error(Errors.OBJECT_IDLETIME_UNDER_LFU);
                else c.reply.integer(c.server.keyspace().access().idleSeconds(db.accessField(), c.now));
            }
            default -> {
                if (!c.server.keyspace().access().lfu()) c.reply.error(Errors.OBJECT_FREQ_WITHOUT_LFU);
                else c.reply.integer(c.server.keyspace().access().decayed(db.accessField(), c.now));
            }
        }
    }

    // ------------------------------------------------------------ COPY, MOVE, SWAPDB

    /** COPY source destination [DB destination-db] [REPLACE]. */
    static void copy(Call c) {
        CommandArgs a = c.args;
        int srcDb = c.client.db, dstDb = srcDb;
        boolean replace = false;
        for (int j = 3; j < a.count(); j++) {
            if (a.is(j, "REPLACE")) {
                replace = true;
            } else if (a.is(j, "DB") && j + 1 < a.count()) {
                if (!c.intArg(j + 1, null)) return;
                dstDb = (int) c.scratch[0];
                if (dstDb < 0 || dstDb >= c.server.keyspace().databases()) {
                    c.reply.error(Errors.DB_OUT_OF_RANGE);
                    return;
                }
                j++;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        byte[] d = a.data();
        if (srcDb == dstDb && sameBytes(a, 1, 2)) {
            c.reply.error(Errors.SAME_OBJECT);
            return;
        }
        Database db = c.db;
        if (!readLookup(c, true, d, a.offset(1), a.length(1))) {
            c.reply.integer(0);
            return;
        }
        Database.Detached value = db.detachFound(true);
        db.at(dstDb, c.now);
        try {
            if (db.find(d, a.offset(2), a.length(2))) {
                if (!replace) {
                    c.reply.integer(0);
                    return;
                }
                db.deleteFound();
            }
            db.putDetached(d, a.offset(2), a.length(2), value, false);
        } finally {
            db.at(srcDb, c.now);
        }
        c.dirty++;
        c.modifiedIn(2, dstDb);
        KeyspaceEvents.notify(c.server, KeyspaceEvents.GENERIC, "copy_to", d, a.offset(2), a.length(2), dstDb);
        c.reply.integer(1);
    }

    /** MOVE key db. */
    static void move(Call c) {
        CommandArgs a = c.args;
        if (!c.intArg(2, null)) return;
        int srcDb = c.client.db;
        long dst = c.scratch[0];
        if (dst < 0 || dst >= c.server.keyspace().databases()) {
            c.reply.error(Errors.DB_OUT_OF_RANGE);
            return;
        }
        if (dst == srcDb) {
            c.reply.error(Errors.SAME_OBJECT);
            return;
        }
        byte[] d = a.data();
        int kOff = a.offset(1), kLen = a.length(1);
        Database db = c.db;
        if (!db.find(d, kOff, kLen)) {
            c.reply.integer(0);
            return;
        }
        Database.Detached value = db.detachFound(false);
        db.at((int) dst, c.now);
        try {
            if (db.find(d, kOff, kLen)) {
                c.reply.integer(0);
                return;
            }
            db.putDetached(d, kOff, kLen, value, true); // the same object in Redis, access history and all
        } finally {
            db.at(srcDb, c.now);
        }
        db.delete(d, kOff, kLen);
        c.dirty++;
        c.modified(1); // in both databases, as Redis signals it
        c.modifiedIn(1, (int) dst);
        KeyspaceEvents.notify(c.server, KeyspaceEvents.GENERIC, "move_from", d, kOff, kLen, srcDb);
        KeyspaceEvents.notify(c.server, KeyspaceEvents.GENERIC, "move_to", d, kOff, kLen, (int) dst);
        c.reply.integer(1);
    }

    /** SWAPDB index1 index2: every shard is locked (lockAll), so the swap is atomic. */
    static void swapdb(Call c) {
        CommandArgs a = c.args;
        if (!c.intArg(1, "ERR invalid first DB index")) return;
        long x = c.scratch[0];
        if (!c.intArg(2, "ERR invalid second DB index")) return;
        long y = c.scratch[0];
        int n = c.server.keyspace().databases();
        if (x < 0 || x >= n || y < 0 || y >= n) {
            c.reply.error(Errors.DB_OUT_OF_RANGE);
            return;
        }
        if (x != y) {
            // Watched keys that exist on either side now change, as Redis's touchAllWatchedKeysInDb.
            c.server.keyspace().touchAllWatched((int) x, (int) y, c.now);
            c.server.keyspace().touchAllWatched((int) y, (int) x, c.now);
            c.server.keyspace().swap((int) x, (int) y);
            // No tracking invalidation: Redis's SWAPDB sends none (only its diskless-load swap does).
        }
        c.dirty++;
        c.reply.ok();
    }

    private static boolean sameBytes(CommandArgs a, int i, int j) {
        byte[] d = a.data();
        return a.length(i) == a.length(j)
                && java.util.Arrays.equals(d, a.offset(i), a.offset(i) + a.length(i), d, a.offset(j), a.offset(j) + a.length(j));
    }
}
