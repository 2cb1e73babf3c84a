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
    }

    // ------------------------------------------------------------ look-ups

    private static final int ABSENT = 0, FOUND = 1, REPLIED = -1;

    /**
     * Looks a key up for reading as Redis's lookupKeyRead + checkType: a hit or a miss is
     * counted (a key of another type is a hit), WRONGTYPE is replied here.
     */
    private static int lookupRead(Call c, int arg) {
        CommandArgs a = c.args;
        if (!c.db.find(a.data(), a.offset(arg), a.length(arg))) {
            c.server.stats().keyspaceMisses.increment();
            return ABSENT;
        }
        c.server.stats().keyspaceHits.increment();
        if (!ValueType.isHash(c.db.type())) {
            c.reply.error(Errors.WRONGTYPE);
            return REPLIED;
        }
        return FOUND;
    }

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
        if (hmset) c.reply.ok();
        else c.reply.integer(created);
    }

    static void hsetnx(Call c) {
        CommandArgs a = c.args;
        HashOps.Writer w = openWrite(c);
        if (w == null) return;
        byte[] d = a.data();
        if (w.exists(d, a.offset(2), a.length(2))) {
            c.reply.integer(0);
            return;
        }
        w.prepare(1, Math.max(a.length(2), a.length(3)), (long) a.length(2) + a.length(3));
        w.set(d, a.offset(2), a.length(2), d, a.offset(3), a.length(3));
        w.commit();
        c.dirty++;
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
        switch (w.incrBy(a.data(), a.offset(2), a.length(2), by, c.scratch)) {
            case HashOps.OK -> {
                w.commit();
                c.dirty++;
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
        String[] out = new String[1];
        switch (w.incrByFloat(a.data(), a.offset(2), a.length(2), by, out)) {
            case HashOps.OK -> {
                w.commit();
                c.dirty++;
                c.reply.bulk(out[0]);
            }
            case HashOps.NOT_FLOAT -> c.reply.error(Errors.HASH_NOT_FLOAT);
            default -> c.reply.error(Errors.NAN_OR_INF);
        }
    }

    // ------------------------------------------------------------ reads

    static void hget(Call c) {
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        CommandArgs a = c.args;
        HashOps.Value v = new HashOps.Value();
        if (r == FOUND && HashOps.get(c.db, a.data(), a.offset(2), a.length(2), v)) replyValue(c.reply, v);
        else c.reply.nullBulk();
    }

    static void hmget(Call c) {
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        CommandArgs a = c.args;
        HashOps.Value v = new HashOps.Value();
        c.reply.array(a.count() - 2);
        for (int i = 2; i < a.count(); i++) {
            if (r == FOUND && HashOps.get(c.db, a.data(), a.offset(i), a.length(i), v)) replyValue(c.reply, v);
            else c.reply.nullBulk();
        }
    }

    static void hlen(Call c) {
        int r = lookupRead(c, 1);
        if (r != REPLIED) c.reply.integer(r == FOUND ? HashOps.length(c.db) : 0);
    }

    static void hstrlen(Call c) {
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        CommandArgs a = c.args;
        HashOps.Value v = new HashOps.Value();
        c.reply.integer(r == FOUND && HashOps.get(c.db, a.data(), a.offset(2), a.length(2), v) ? v.length() : 0);
    }

    static void hexists(Call c) {
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        CommandArgs a = c.args;
        HashOps.Value v = new HashOps.Value();
        c.reply.integer(r == FOUND && HashOps.get(c.db, a.data(), a.offset(2), a.length(2), v) ? 1 : 0);
    }

    /** HGETALL (a map in RESP3), HKEYS and HVALS. */
    static void hgetall(Call c, boolean fields, boolean values) {
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        int n = r == FOUND ? HashOps.length(c.db) : 0;
        if (fields && values) c.reply.map(n);
        else c.reply.array(n);
        if (n == 0) return;
        Reply out = c.reply;
        HashOps.forEach(c.db, (f, v) -> {
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
            if (r == ABSENT) {
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
        if (r == ABSENT || l == 0) {
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

    private static void replyPair(Reply r, HashOps.Indexed h, int i, HashOps.Value f, HashOps.Value v,
                                  boolean resp3Pairs) {
        h.pair(i, f, v);
        if (resp3Pairs) r.array(2);
        replyValue(r, f);
        if (v != null) replyValue(r, v);
    }

    // ------------------------------------------------------------ HSCAN

    private static final byte[] ZERO_CURSOR = {'0'};

    /**
     * HSCAN key cursor [MATCH pattern] [COUNT count] [NOVALUES]. As in Redis: the cursor is
     * checked first, then the key (absent: an empty scan, options unchecked), then the options.
     * A listpack is returned whole with cursor 0; a table is walked bucket by bucket.
     */
    static void hscan(Call c) {
        CommandArgs a = c.args;
        if (!a.parseCursor(2)) {
            c.reply.error(Errors.INVALID_CURSOR);
            return;
        }
        long cursor = a.lastLong();
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        if (r == ABSENT) {
            c.reply.array(2);
            c.reply.bulk(ZERO_CURSOR);
            c.reply.array(0);
            return;
        }
        ScanOptions opt = ScanOptions.parse(c, 3, ScanOptions.HASH);
        if (opt == null) return;
        byte[] pattern = opt.pattern;
        List<byte[]> out = new ArrayList<>();
        long next = 0;
        if (c.db.type() == ValueType.HASH_LISTPACK) {
            HashOps.forEach(c.db, (f, v) -> {
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
}
