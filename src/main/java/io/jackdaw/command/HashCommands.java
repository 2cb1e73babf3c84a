package io.jackdaw.command;

import io.jackdaw.store.HashOps;
import io.jackdaw.store.ValueType;
import io.jackdaw.types.FieldMap;
import io.jackdaw.types.Glob;
import io.jackdaw.types.LongDouble;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The hash family: argument parsing and replies; encodings and edits live in {@link HashOps}. */
public final class HashCommands {
    private HashCommands() {}

    static void register(CommandTable t) {
        t.register("hset", c -> hset(c, false));
        t.register("hmset", c -> hset(c, true));
        t.register("hsetnx", HashCommands::hsetnx);
        t.register("hget", HashCommands::hget);
        t.register("hmget", HashCommands::hmget);
        t.register("hdel", HashCommands::hdel);
        t.register("hlen", HashCommands::hlen);
        t.register("hstrlen", HashCommands::hstrlen);
        t.register("hexists", HashCommands::hexists);
        t.register("hgetall", c -> hgetall(c, true, true));
        t.register("hkeys", c -> hgetall(c, true, false));
        t.register("hvals", c -> hgetall(c, false, true));
        t.register("hincrby", HashCommands::hincrby);
        t.register("hincrbyfloat", HashCommands::hincrbyfloat);
        t.register("hrandfield", HashCommands::hrandfield);
        t.register("hscan", HashCommands::hscan);
        t.register("hexpire", c -> hexpire(c, 1000, true));
        t.register("hpexpire", c -> hexpire(c, 1, true));
        t.register("hexpireat", c -> hexpire(c, 1000, false));
        t.register("hpexpireat", c -> hexpire(c, 1, false));
        t.register("httl", c -> httl(c, 1000, true));
        t.register("hpttl", c -> httl(c, 1, true));
        t.register("hexpiretime", c -> httl(c, 1000, false));
        t.register("hpexpiretime", c -> httl(c, 1, false));
        t.register("hpersist", HashCommands::hpersist);
    }

    // ------------------------------------------------------------ look-ups

    private static final int ABSENT = TypedLookup.ABSENT, FOUND = TypedLookup.FOUND, REPLIED = TypedLookup.REPLIED;

    /** Redis's lookupKeyRead + checkType (see {@link TypedLookup#read}). */
    private static int lookupRead(Call c, int arg) { return TypedLookup.read(c, arg, ValueType::isHash); }

    /** Opens the hash at argument 1 for writing; null after replying WRONGTYPE. */
    private static HashOps.Writer openWrite(Call c) {
        CommandArgs a = c.args;
        HashOps.Writer w = HashOps.open(c.db, a.data(), a.offset(1), a.length(1),
                c.server.hashMaxListpackEntries(), c.server.hashMaxListpackValue());
        if (w == null) c.reply.error(Errors.WRONGTYPE);
        return w;
    }

    static void replyValue(Reply r, HashOps.Value v) {
        if (v.isInt) r.bulkLong(v.num);
        else r.bulk(v.buf, v.off, v.len);
    }

    // ------------------------------------------------------------ writes

    /** HSET and HMSET key field value [field value ...]: the count of new fields, or +OK. */
    static void hset(Call c, boolean hmset) {
        CommandArgs a = c.args;
        if (a.count() % 2 == 1) {
            c.reply.error(Errors.wrongArity(c.spec.name));
            return;
        }
        HashOps.Writer w = openWrite(c);
        if (w == null) return;
        long longest = 0, total = 0;
        for (int i = 2; i < a.count(); i++) {
            longest = Math.max(longest, a.length(i));
            total += a.length(i);
        }
        w.prepare((a.count() - 2) / 2, longest, total);
        byte[] d = a.data();
        long created = 0;
        for (int i = 2; i < a.count(); i += 2) {
            if (w.set(d, a.offset(i), a.length(i), d, a.offset(i + 1), a.length(i + 1))) created++;
        }
        w.commit();
        c.dirty += (a.count() - 2) / 2;
        KeyspaceEvents.notify(c, KeyspaceEvents.HASH, "hset", 1);
        if (hmset) c.reply.ok();
        else c.reply.integer(created);
    }

    static void hsetnx(Call c) {
        CommandArgs a = c.args;
        HashOps.Writer w = openWrite(c);
        if (w == null) return;
        byte[] d = a.data();
        w.expireIfDue(d, a.offset(2), a.length(2)); // a field past its time is deleted first, as Redis does
        if (w.exists(d, a.offset(2), a.length(2))) {
            c.reply.integer(0);
            return;
        }
        w.prepare(1, Math.max(a.length(2), a.length(3)), (long) a.length(2) + a.length(3));
        w.set(d, a.offset(2), a.length(2), d, a.offset(3), a.length(3));
        w.commit();
        c.dirty++;
        KeyspaceEvents.notify(c, KeyspaceEvents.HASH, "hset", 1);
        c.reply.integer(1);
    }

    static void hdel(Call c) {
        CommandArgs a = c.args;
        HashOps.Writer w = openWrite(c);
        if (w == null) return;
        if (!w.existed()) {
            c.reply.integer(0);
            return;
        }
        long deleted = 0;
        for (int i = 2; i < a.count(); i++) {
            if (w.delete(a.data(), a.offset(i), a.length(i))) {
                deleted++;
                // Redis reads the length after every delete (and stops once the hash is empty).
                if (w.length() == 0) break;
            }
        }
        w.commit();
        c.dirty += deleted;
        if (deleted > 0) {
            KeyspaceEvents.notify(c, KeyspaceEvents.HASH, "hdel", 1);
            if (w.length() == 0) KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", 1);
        }
        c.reply.integer(deleted);
    }

    static void hincrby(Call c) {
        CommandArgs a = c.args;
        if (!a.parseLong(3)) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long by = a.lastLong();
        HashOps.Writer w = openWrite(c);
        if (w == null) return;
        w.expireIfDue(a.data(), a.offset(2), a.length(2));
        switch (w.incrBy(a.data(), a.offset(2), a.length(2), by, c.scratch)) {
            case HashOps.OK -> {
                w.commit();
                c.dirty++;
                KeyspaceEvents.notify(c, KeyspaceEvents.HASH, "hincrby", 1);
                c.reply.integer(c.scratch[0]);
            }
            case HashOps.NOT_INTEGER -> c.reply.error(Errors.HASH_NOT_INTEGER);
            default -> c.reply.error(Errors.OVERFLOW);
        }
    }

    static void hincrbyfloat(Call c) {
        CommandArgs a = c.args;
        LongDouble.Value by = LongDouble.parse(a.data(), a.offset(3), a.length(3));
        if (by == null) {
            c.reply.error(Errors.NOT_FLOAT);
            return;
        }
        if (by.isInfinite()) {
            c.reply.error(Errors.NAN_OR_INFINITY_VALUE);
            return;
        }
        HashOps.Writer w = openWrite(c);
        if (w == null) return;
        w.expireIfDue(a.data(), a.offset(2), a.length(2));
        String[] out = new String[1];
        switch (w.incrByFloat(a.data(), a.offset(2), a.length(2), by, out)) {
            case HashOps.OK -> {
                w.commit();
                c.dirty++;
                // Replayed as the value it produced (Redis's HSET), so no float arithmetic differs on replay.
                c.propagateAs(4).arg("HSET").arg(a, 1).arg(a, 2).arg(out[0].getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                KeyspaceEvents.notify(c, KeyspaceEvents.HASH, "hincrbyfloat", 1);
                c.reply.bulk(out[0]);
            }
            case HashOps.NOT_FLOAT -> c.reply.error(Errors.HASH_NOT_FLOAT);
            default -> c.reply.error(Errors.NAN_OR_INF);
        }
    }

    // ------------------------------------------------------------ reads

    /** Reads field argument {@code i} of the found hash at argument 1 with lazy expiry. */
    private static int getLive(Call c, int i, HashOps.Value v) {
        CommandArgs a = c.args;
        return HashOps.getLive(c.db, a.data(), a.offset(1), a.length(1), a.data(), a.offset(i), a.length(i), v);
    }

    static void hget(Call c) {
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        HashOps.Value v = new HashOps.Value();
        if (r == FOUND && getLive(c, 2, v) == HashOps.FIELD_FOUND) replyValue(c.reply, v);
        else c.reply.nullBulk();
    }

    static void hmget(Call c) {
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        CommandArgs a = c.args;
        HashOps.Value v = new HashOps.Value();
        c.reply.array(a.count() - 2);
        boolean present = r == FOUND;
        for (int i = 2; i < a.count(); i++) {
            int got = present ? getLive(c, i, v) : HashOps.FIELD_ABSENT;
            if (got == HashOps.FIELD_FOUND) replyValue(c.reply, v);
            else c.reply.nullBulk();
            if (got == HashOps.FIELD_EXPIRED_HASH) present = false; // its last field expired: the rest are null
        }
    }

    /** HLEN counts fields past their time until they are deleted, as Redis 7.4 does. */
    static void hlen(Call c) {
        int r = lookupRead(c, 1);
        if (r != REPLIED) c.reply.integer(r == FOUND ? HashOps.length(c.db) : 0);
    }

    static void hstrlen(Call c) {
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        HashOps.Value v = new HashOps.Value();
        c.reply.integer(r == FOUND && getLive(c, 2, v) == HashOps.FIELD_FOUND ? v.length() : 0);
    }

    static void hexists(Call c) {
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        HashOps.Value v = new HashOps.Value();
        c.reply.integer(r == FOUND && getLive(c, 2, v) == HashOps.FIELD_FOUND ? 1 : 0);
    }

    /** HGETALL (a map in RESP3), HKEYS and HVALS: fields past their time are skipped, not deleted. */
    static void hgetall(Call c, boolean fields, boolean values) {
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        int n = r == FOUND ? HashOps.liveLength(c.db) : 0;
        if (fields && values) c.reply.map(n);
        else c.reply.array(n);
        if (n == 0) return;
        Reply out = c.reply;
        HashOps.forEachLive(c.db, (f, v) -> {
            if (fields) replyValue(out, f);
            if (values) replyValue(out, v);
        });
    }

    // ------------------------------------------------------------ HRANDFIELD

    /** HRANDFIELD key [count [WITHVALUES]]. */
    static void hrandfield(Call c) {
        CommandArgs a = c.args;
        if (a.count() < 3) {
            int r = lookupRead(c, 1);
            if (r == REPLIED) return;
            if (r == ABSENT || expireAllDue(c)) {
                c.reply.nullBulk();
                return;
            }
            HashOps.Indexed h = HashOps.indexed(c.db);
            HashOps.Value f = new HashOps.Value();
            h.pair(ThreadLocalRandom.current().nextInt(h.size()), f, null);
            replyValue(c.reply, f);
            return;
        }
        if (!a.parseLong(2)) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long l = a.lastLong();
        if (l == Long.MIN_VALUE) {
            // Redis reads the count as a long within [-LONG_MAX, LONG_MAX].
            c.reply.error(Errors.LONG_RANGE);
            return;
        }
        boolean withValues = false;
        if (a.count() > 4 || (a.count() == 4 && !a.is(3, "WITHVALUES"))) {
            c.reply.error(Errors.SYNTAX);
            return;
        } else if (a.count() == 4) {
            withValues = true;
            if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
                c.reply.error(Errors.OUT_OF_RANGE);
                return;
            }
        }
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        if (r == ABSENT || expireAllDue(c) || l == 0) {
            c.reply.array(0);
            return;
        }
        HashOps.Indexed h = HashOps.indexed(c.db);
        int size = h.size();
        boolean unique = l > 0;
        long count = unique ? l : -l;
        boolean resp3Pairs = withValues && c.reply.protocol() > 2;
        HashOps.Value f = new HashOps.Value(), v = withValues ? new HashOps.Value() : null;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (!unique || count == 1) {
            // Repeats allowed: |count| independent picks, in random order. (Redis would go on past
            // 2^30 picks until its client output limit; one reply here holds at most that many.)
            int picks = (int) Math.min(count, 1 << 30);
            c.reply.array(withValues && !resp3Pairs ? picks * 2 : picks);
            for (int i = 0; i < picks; i++) replyPair(c.reply, h, rnd.nextInt(size), f, v, resp3Pairs);
            return;
        }
        int n = (int) Math.min(count, size);
        c.reply.array(withValues && !resp3Pairs ? n * 2 : n);
        if (n == size) {
            for (int i = 0; i < size; i++) replyPair(c.reply, h, i, f, v, resp3Pairs);
            return;
        }
        // Distinct picks (Floyd's sampling), given in the hash's order as Redis gives a listpack's.
        HashSet<Integer> chosen = new HashSet<>();
        for (int j = size - n; j < size; j++) {
            int t = rnd.nextInt(j + 1);
            if (!chosen.add(t)) chosen.add(j);
        }
        int[] picks = new int[n];
        int k = 0;
        for (int i : chosen) picks[k++] = i;
        Arrays.sort(picks);
        for (int i : picks) replyPair(c.reply, h, i, f, v, resp3Pairs);
    }

    /**
     * Redis 7.4 deletes every due field before HRANDFIELD picks (so no pick lands on one); true
     * when that deleted the hash.
     */
    private static boolean expireAllDue(Call c) {
        CommandArgs a = c.args;
        return HashOps.expireAllDue(c.db, a.data(), a.offset(1), a.length(1));
    }

    private static void replyPair(Reply r, HashOps.Indexed h, int i, HashOps.Value f, HashOps.Value v,
                                  boolean resp3Pairs) {
        h.pair(i, f, v);
        if (resp3Pairs) r.array(2);
        replyValue(r, f);
        if (v != null) replyValue(r, v);
    }

    // ------------------------------------------------------------ HSCAN

    /**
     * HSCAN key cursor [MATCH pattern] [COUNT count] [NOVALUES]. As in Redis: the cursor is
     * checked first, then the key (absent: an empty scan, options unchecked), then the options.
     * A listpack is returned whole with cursor 0; a table is walked bucket by bucket.
     */
    static void hscan(Call c) {
        ScanOptions opt = TypedLookup.beginScan(c, ScanOptions.HASH, ValueType::isHash);
        if (opt == null) return;
        long cursor = c.scratch[0];
        byte[] pattern = opt.pattern;
        List<byte[]> out = new ArrayList<>();
        long next = 0;
        long now = c.db.now();
        if (c.db.type() != ValueType.HASH_TABLE) {
            HashOps.forEachLive(c.db, (f, v) -> {
                byte[] fb = f.toBytes();
                if (pattern != null && !Glob.match(pattern, 0, pattern.length, fb, 0, fb.length, false)) return;
                out.add(fb);
                if (!opt.noValues) out.add(v.toBytes());
            });
        } else {
            FieldMap m = (FieldMap) c.db.foundObject();
            long budget = opt.budget();
            long[] sampled = {0};
            FieldMap.EntryVisitor visit = e -> {
                sampled[0]++;
                if (HashOps.isFieldExpired(m.expireAt(e), now)) return;
                byte[] fb = m.field(e);
                if (pattern != null && !Glob.match(pattern, 0, pattern.length, fb, 0, fb.length, false)) return;
                out.add(fb);
                if (!opt.noValues) out.add(m.value(e));
            };
            next = cursor;
            do {
                next = m.scanBucket(next, visit);
            } while (next != 0 && budget-- > 0 && sampled[0] < opt.count);
        }
        c.reply.array(2);
        c.reply.bulk(Long.toUnsignedString(next));
        c.reply.array(out.size());
        for (byte[] b : out) c.reply.bulk(b);
    }

    // ------------------------------------------------------------ hash-field expiry (Redis 7.4)

    /** Redis keeps field expiries below 2^46 ms (HFE_MAX_ABS_TIME_MSEC, two bits spared for later use). */
    static final long MAX_FIELD_EXPIRE_MS = ((1L << 48) - 1) >> 2;

    /** Hash-field expiry's keyspace events ("hexpire", "hpersist"), on the hash at argument 1. */
    private static void keyspaceEvent(Call c, String event) {
        KeyspaceEvents.notify(c, KeyspaceEvents.HASH, event, 1);
    }

    /**
     * Reads "FIELDS numfields" at {@code at}, checking numfields against the arguments left, as
     * Redis does (its error for a bad count differs between commands); -1 after replying an error.
     */
    private static int numFields(Call c, int at, String badCount) {
        CommandArgs a = c.args;
        if (!a.is(at, "FIELDS")) {
            c.reply.error(Errors.HFE_FIELDS_MISSING);
            return -1;
        }
        if (!a.parseLong(at + 1) || a.lastLong() < 1) {
            c.reply.error(badCount);
            return -1;
        }
        if (a.lastLong() != a.count() - at - 2) {
            c.reply.error(Errors.HFE_NUMFIELDS_MISMATCH);
            return -1;
        }
        return (int) a.lastLong();
    }

    /** A reply of one code per field, for a key that does not exist. */
    private static void replyForEachField(Call c, int n, int code) {
        c.reply.array(n);
        for (int i = 0; i < n; i++) c.reply.integer(code);
    }

    /**
     * HEXPIRE, HPEXPIRE, HEXPIREAT and HPEXPIREAT key time [NX|XX|GT|LT] FIELDS numfields field...:
     * one code per field (-2 no such field, 0 condition not met, 1 set, 2 deleted because the time
     * is not in the future). As in Redis the key is looked up first (WRONGTYPE before any argument
     * error), then the time, the condition and the fields are read.
     */
    static void hexpire(Call c, long unitMs, boolean relative) {
        CommandArgs a = c.args;
        byte[] d = a.data();
        boolean found = c.db.find(d, a.offset(1), a.length(1));
        if (found && !ValueType.isHash(c.db.type())) {
            c.reply.error(Errors.WRONGTYPE);
            return;
        }
        if (!a.parseLong(2)) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long when = a.lastLong();
        if (when < 0) {
            c.reply.error(Errors.HFE_NEGATIVE_TIME);
            return;
        }
        if (unitMs == 1000) {
            if (when > MAX_FIELD_EXPIRE_MS / 1000) {
                c.reply.error(Errors.invalidExpire(c.spec.name));
                return;
            }
            when *= 1000;
        }
        long base = relative ? c.now : 0;
        if (when > MAX_FIELD_EXPIRE_MS - base) {
            c.reply.error(Errors.invalidExpire(c.spec.name));
            return;
        }
        when += base;
        int cond = a.is(3, "NX") ? HashOps.COND_NX : a.is(3, "XX") ? HashOps.COND_XX
                : a.is(3, "GT") ? HashOps.COND_GT : a.is(3, "LT") ? HashOps.COND_LT : HashOps.COND_NONE;
        int fieldsAt = cond == HashOps.COND_NONE ? 3 : 4;
        int n = numFields(c, fieldsAt, Errors.HFE_EXPIRE_NUMFIELDS);
        if (n < 0) return;
        if (!found) {
            replyForEachField(c, n, HashOps.EXPIRE_NO_FIELD);
            return;
        }
        HashOps.Writer w = openWrite(c);
        w.enableFieldExpiry();
        c.reply.array(n);
        long changed = 0;
        for (int i = fieldsAt + 2; i < a.count(); i++) {
            int res = w.setFieldExpiry(d, a.offset(i), a.length(i), when, cond);
            if (res == HashOps.EXPIRE_SET || res == HashOps.EXPIRE_DELETED) changed++;
            c.reply.integer(res);
        }
        w.commit();
        // Redis's dirty counts every field set or deleted.
        c.dirty += changed;
        if (changed > 0 && (relative || unitMs != 1)) { // replayed as HPEXPIREAT at the instant it named
            Propagation p = c.propagateAs(a.count()).arg("HPEXPIREAT").arg(a, 1).arg(when);
            for (int j = 3; j < a.count(); j++) p.arg(a, j);
        }
        if (changed > 0) keyspaceEvent(c, "hexpire");
    }

    /**
     * HTTL, HPTTL (time left, in s rounded up or in ms), HEXPIRETIME and HPEXPIRETIME (the Unix
     * time, likewise) key FIELDS numfields field...: per field -2 when absent (or past its time),
     * -1 without an expiry.
     */
    static void httl(Call c, long unitMs, boolean relative) {
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        int n = numFields(c, 2, Errors.HFE_NUMFIELDS);
        if (n < 0) return;
        if (r == ABSENT) {
            replyForEachField(c, n, HashOps.EXPIRE_NO_FIELD);
            return;
        }
        CommandArgs a = c.args;
        long base = relative ? c.now : 0;
        c.reply.array(n);
        for (int i = 4; i < a.count(); i++) {
            long t = HashOps.fieldExpireAt(c.db, a.data(), a.offset(i), a.length(i));
            if (t < 0) c.reply.integer(t);
            else if (unitMs == 1000) c.reply.integer((t + 999 - base) / 1000);
            else c.reply.integer(t - base);
        }
    }

    /** HPERSIST key FIELDS numfields field...: per field -2 absent (or past its time), -1 no expiry, 1 removed. */
    static void hpersist(Call c) {
        CommandArgs a = c.args;
        boolean found = c.db.find(a.data(), a.offset(1), a.length(1));
        if (found && !ValueType.isHash(c.db.type())) {
            c.reply.error(Errors.WRONGTYPE);
            return;
        }
        int n = numFields(c, 2, Errors.HFE_NUMFIELDS);
        if (n < 0) return;
        if (!found) {
            replyForEachField(c, n, HashOps.PERSIST_NO_FIELD);
            return;
        }
        HashOps.Writer w = openWrite(c);
        c.reply.array(n);
        boolean changed = false;
        for (int i = 4; i < a.count(); i++) {
            int res = w.persistField(a.data(), a.offset(i), a.length(i));
            changed |= res == HashOps.PERSIST_DONE;
            c.reply.integer(res);
        }
        w.commit();
        if (changed) {
            c.dirty++; // one for the command, as Redis counts it
            keyspaceEvent(c, "hpersist");
        }
    }
}
