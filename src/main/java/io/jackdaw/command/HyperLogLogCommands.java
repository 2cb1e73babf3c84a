package io.jackdaw.command;

import io.jackdaw.store.HyperLogLogOps;
import io.jackdaw.types.Bytes;
import io.jackdaw.types.HyperLogLog;
import java.util.Locale;

/**
 * The HyperLogLog family: PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST. Look-ups (with
 * Redis's hit/miss accounting), error order and replies; the representation lives in
 * {@link HyperLogLog}, storage in {@link HyperLogLogOps}.
 */
public final class HyperLogLogCommands {
    private HyperLogLogCommands() {}

    static void register(CommandTable t) {
        t.register("pfadd", HyperLogLogCommands::pfadd);
        t.register("pfcount", HyperLogLogCommands::pfcount);
        t.register("pfmerge", HyperLogLogCommands::pfmerge);
        t.register("pfdebug", HyperLogLogCommands::pfdebug);
        t.register("pfselftest", HyperLogLogCommands::pfselftest);
    }

    /** Replies with the error for a found value that is no HLL; false then. */
    private static boolean checkOrReply(Call c) {
        switch (HyperLogLogOps.check(c.db)) {
            case HyperLogLogOps.OK: return true;
            case HyperLogLogOps.WRONGTYPE: c.reply.error(Errors.WRONGTYPE); return false;
            default: c.reply.error(Errors.HLL_NOT_VALID); return false;
        }
    }

    /** A read look-up of argument i, counting the hit or miss. */
    private static boolean findForRead(Call c, int i) {
        CommandArgs a = c.args;
        boolean found = c.db.find(a.data(), a.offset(i), a.length(i));
        if (found) c.server.stats().keyspaceHits.increment();
        else KeyspaceEvents.keyMiss(c, i);
        return found;
    }

    private static boolean findForWrite(Call c, int i) {
        CommandArgs a = c.args;
        return c.db.find(a.data(), a.offset(i), a.length(i));
    }

    // ------------------------------------------------------------ PFADD

    static void pfadd(Call c) {
        CommandArgs a = c.args;
        byte[] d = a.data();
        HyperLogLog h;
        int updated = 0;
        boolean existed = findForWrite(c, 1);
        if (!existed) {
            h = HyperLogLog.create();
            updated++;
        } else {
            if (!checkOrReply(c)) return;
            // Dense values are updated in place; a sparse one is edited on a copy and stored back.
            h = HyperLogLogOps.view(c.db);
            HyperLogLogOps.unshare(c.db);
        }
        long maxBytes = c.server.hllSparseMaxBytes();
        for (int j = 2; j < a.count(); j++) {
            int r = h.add(d, a.offset(j), a.length(j), maxBytes);
            if (r < 0) {
                // Registers set before the corruption was met stay set, as in Redis's in-place edit.
                if (updated > 0) save(c, h, existed);
                c.reply.error(Errors.HLL_CORRUPT);
                return;
            }
            updated += r;
        }
        if (updated > 0) {
            save(c, h, existed);
            c.dirty += updated;
            KeyspaceEvents.notify(c, KeyspaceEvents.STRING, "pfadd", 1);
        }
        c.reply.integer(updated > 0 ? 1 : 0);
    }

    /** Marks the cache stale and, unless the edit went into the stored bytes, stores the copy at argument 1. */
    private static void save(Call c, HyperLogLog h, boolean existed) {
        h.invalidateCache();
        if (h.inPlace()) return;
        CommandArgs a = c.args;
        if (existed) HyperLogLogOps.storeOverFound(c.db, a.data(), a.offset(1), a.length(1), h);
        else HyperLogLogOps.store(c.db, a.data(), a.offset(1), a.length(1), h, -1);
    }

    // ------------------------------------------------------------ PFCOUNT

    static void pfcount(Call c) {
        CommandArgs a = c.args;
        if (a.count() > 2) {
            // The union's cardinality, from registers held one per byte.
            byte[] max = new byte[HyperLogLog.REGISTERS];
            for (int j = 1; j < a.count(); j++) {
                if (!findForRead(c, j)) continue;
                if (!checkOrReply(c)) return;
                if (!HyperLogLogOps.view(c.db).mergeInto(max)) {
                    c.reply.error(Errors.HLL_CORRUPT);
                    return;
                }
            }
            c.reply.integer(HyperLogLog.countRaw(max));
            return;
        }
        if (!findForRead(c, 1)) {
            c.reply.integer(0);
            return;
        }
        if (!checkOrReply(c)) return;
        HyperLogLogOps.unshare(c.db);
        HyperLogLog h = HyperLogLogOps.view(c.db);
        if (h.cacheValid()) {
            c.reply.integer(h.cachedCard());
            return;
        }
        long card = h.count();
        if (card < 0) {
            c.reply.error(Errors.HLL_CORRUPT);
            return;
        }
        // Redis writes the cache back: a change to the string, so dirty and signalled, but no event.
        HyperLogLogOps.writeCachedCard(c.db, card);
        c.dirty++;
        c.reply.integer(card);
    }

    // ------------------------------------------------------------ PFMERGE

    static void pfmerge(Call c) {
        CommandArgs a = c.args;
        byte[] d = a.data();
        byte[] max = new byte[HyperLogLog.REGISTERS];
        boolean dense = false;
        for (int j = 1; j < a.count(); j++) {
            if (!findForRead(c, j)) continue;
            if (!checkOrReply(c)) return;
            HyperLogLog h = HyperLogLogOps.view(c.db);
            if (h.encoding() == HyperLogLog.DENSE) dense = true;
            if (!h.mergeInto(max)) {
                c.reply.error(Errors.HLL_CORRUPT);
                return;
            }
        }
        HyperLogLog h;
        boolean existed = findForWrite(c, 1);
        if (existed) {
            // The destination was one of the sources, so it is known to be an HLL.
            h = HyperLogLogOps.load(c.db);
        } else {
            h = HyperLogLog.create();
        }
        if (dense && !h.toDense()) {
            c.reply.error(Errors.HLL_CORRUPT);
            return;
        }
        long maxBytes = c.server.hllSparseMaxBytes();
        for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
            if (max[j] != 0) h.set(j, max[j], maxBytes);
        }
        h.invalidateCache();
        if (existed) HyperLogLogOps.storeOverFound(c.db, d, a.offset(1), a.length(1), h);
        else HyperLogLogOps.store(c.db, d, a.offset(1), a.length(1), h, -1);
        // Redis sends "pfadd" for a merge: in effect a mass add.
        KeyspaceEvents.notify(c, KeyspaceEvents.STRING, "pfadd", 1);
        c.dirty++;
        c.reply.ok();
    }

    // ------------------------------------------------------------ PFDEBUG

    static void pfdebug(Call c) {
        CommandArgs a = c.args;
        byte[] d = a.data();
        String sub = a.string(1);
        if (!findForWrite(c, 2)) {
            c.reply.error(Errors.HLL_NO_KEY);
            return;
        }
        if (!checkOrReply(c)) return;
        HyperLogLogOps.unshare(c.db);
        HyperLogLog h = HyperLogLogOps.view(c.db);
        switch (sub.toLowerCase(Locale.ROOT)) {
            case "getreg" -> {
                if (a.count() != 3) { c.reply.error(Errors.pfdebugArity(sub)); return; }
                if (h.encoding() == HyperLogLog.SPARSE) {
                    if (!h.toDense()) { c.reply.error(Errors.HLL_CORRUPT); return; }
                    HyperLogLogOps.storeOverFound(c.db, d, a.offset(2), a.length(2), h);
                    c.dirty++;
                }
                c.reply.array(HyperLogLog.REGISTERS);
                for (int j = 0; j < HyperLogLog.REGISTERS; j++) c.reply.integer(h.register(j));
            }
            case "decode" -> {
                if (a.count() != 3) { c.reply.error(Errors.pfdebugArity(sub)); return; }
                if (h.encoding() != HyperLogLog.SPARSE) { c.reply.error(Errors.HLL_NOT_SPARSE); return; }
                c.reply.bulk(Bytes.ascii(h.decodeSparse()));
            }
            case "encoding" -> {
                if (a.count() != 3) { c.reply.error(Errors.pfdebugArity(sub)); return; }
                c.reply.status(h.encoding() == HyperLogLog.DENSE ? "dense" : "sparse");
            }
            case "todense" -> {
                if (a.count() != 3) { c.reply.error(Errors.pfdebugArity(sub)); return; }
                boolean conv = false;
                if (h.encoding() == HyperLogLog.SPARSE) {
                    if (!h.toDense()) { c.reply.error(Errors.HLL_CORRUPT); return; }
                    HyperLogLogOps.storeOverFound(c.db, d, a.offset(2), a.length(2), h);
                    conv = true;
                    c.dirty++;
                }
                c.reply.integer(conv ? 1 : 0);
            }
            default -> c.reply.error(Errors.pfdebugUnknown(sub));
        }
    }

    // ------------------------------------------------------------ PFSELFTEST

    private static final int TEST_CYCLES = 1000;

    /** Redis's self test: register access, then estimate error and dense/sparse agreement up to 10M elements. */
    static void pfselftest(Call c) {
        java.util.Random rnd = new java.util.Random();
        HyperLogLog dense = HyperLogLog.create();
        dense.toDense();
        byte[] expect = new byte[HyperLogLog.REGISTERS];
        for (int j = 0; j < TEST_CYCLES; j++) {
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                int r = rnd.nextInt() & HyperLogLog.REGISTER_MAX;
                expect[i] = (byte) r;
                dense.setRegister(i, r);
            }
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                int v = dense.register(i);
                if (v != expect[i]) {
                    c.reply.error("ERR TESTFAILED Register " + i + " should be " + expect[i] + " but is " + v);
                    return;
                }
            }
        }
        dense = HyperLogLog.create();
        dense.toDense();
        HyperLogLog sparse = HyperLogLog.create();
        long maxBytes = c.server.hllSparseMaxBytes();
        double relerr = 1.04 / Math.sqrt(HyperLogLog.REGISTERS);
        long checkpoint = 1, seed = rnd.nextLong();
        byte[] ele = new byte[8];
        for (long j = 1; j <= 10_000_000L; j++) {
            Bytes.putLong(ele, 0, j ^ seed);
            dense.add(ele, 0, 8, maxBytes);
            sparse.add(ele, 0, 8, maxBytes);
            if (j != checkpoint) continue;
            if (j < maxBytes / 2 && sparse.encoding() != HyperLogLog.SPARSE) {
                c.reply.error("ERR TESTFAILED sparse encoding not used");
                return;
            }
            long dc = dense.count();
            if (dc != sparse.count()) {
                c.reply.error("ERR TESTFAILED dense/sparse disagree");
                return;
            }
            long abserr = Math.abs(checkpoint - dc);
            long maxerr = (long) Math.ceil(relerr * 6 * checkpoint);
            // Collisions make cardinality 10 noisy; Redis allows an error of 1 there.
            if (j == 10) maxerr = 1;
            if (abserr > maxerr) {
                c.reply.error("ERR TESTFAILED Too big error. card:" + checkpoint + " abserr:" + abserr);
                return;
            }
            checkpoint *= 10;
        }
        c.reply.ok();
    }
}
