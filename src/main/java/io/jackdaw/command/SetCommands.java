package io.jackdaw.command;

import io.jackdaw.store.SetOps;
import io.jackdaw.store.SetOps.Member;
import io.jackdaw.store.SetOps.SetValue;
import io.jackdaw.store.ValueType;
import io.jackdaw.types.Bytes;
import io.jackdaw.types.FieldMap;
import io.jackdaw.types.Glob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The set family: argument parsing and replies; encodings and the set algebra live in {@link SetOps}. */
public final class SetCommands {
    private SetCommands() {}

    static void register(CommandTable t) {
        t.register("sadd", SetCommands::sadd);
        t.register("srem", SetCommands::srem);
        t.register("smove", SetCommands::smove);
        t.register("sismember", SetCommands::sismember);
        t.register("smismember", SetCommands::smismember);
        t.register("scard", SetCommands::scard);
        t.register("spop", SetCommands::spop);
        t.register("srandmember", SetCommands::srandmember);
        t.register("smembers", c -> inter(c, 1, 1, -1, false, 0));
        t.register("sinter", c -> inter(c, 1, c.argc() - 1, -1, false, 0));
        t.register("sinterstore", c -> inter(c, 2, c.argc() - 2, 1, false, 0));
        t.register("sintercard", SetCommands::sintercard);
        t.register("sunion", c -> unionOrDiff(c, 1, c.argc() - 1, -1, false));
        t.register("sunionstore", c -> unionOrDiff(c, 2, c.argc() - 2, 1, false));
        t.register("sdiff", c -> unionOrDiff(c, 1, c.argc() - 1, -1, true));
        t.register("sdiffstore", c -> unionOrDiff(c, 2, c.argc() - 2, 1, true));
        t.register("sscan", SetCommands::sscan);
    }

    // ------------------------------------------------------------ look-ups

    private static final int ABSENT = 0, FOUND = 1, WRONG_TYPE = 2, REPLIED = -1;

    /**
     * Finds the key at an argument: absent, a set, or another type. {@code read} counts a hit or
     * a miss as Redis's lookupKeyRead does (a key of another type is a hit); writes count none.
     */
    private static int look(Call c, int arg, boolean read) {
        CommandArgs a = c.args;
        if (!c.db.find(a.data(), a.offset(arg), a.length(arg))) {
            if (read) KeyspaceEvents.keyMiss(c, arg);
            return ABSENT;
        }
        if (read) c.server.stats().keyspaceHits.increment();
        return ValueType.isSet(c.db.type()) ? FOUND : WRONG_TYPE;
    }

    /** As {@link #look}, replying WRONGTYPE (then {@link #REPLIED}). */
    private static int lookOrReply(Call c, int arg, boolean read) {
        int r = look(c, arg, read);
        if (r != WRONG_TYPE) return r;
        c.reply.error(Errors.WRONGTYPE);
        return REPLIED;
    }

    /** The set the database view has just found at an argument. */
    private static SetValue found(Call c, int arg) {
        CommandArgs a = c.args;
        return SetOps.found(c.db, c.server.setLimits(), a.data(), a.offset(arg), a.length(arg));
    }

    private static boolean sameKey(CommandArgs a, int i, int j) {
        return Bytes.equals(a.data(), a.offset(i), a.length(i), a.data(), a.offset(j), a.length(j));
    }

    private static void replyMember(Reply r, Member m) {
        if (m.isInt) r.bulkLong(m.num);
        else r.bulk(m.buf, m.off, m.len);
    }

    private static void propagateMember(Propagation p, Member m) {
        if (m.isInt) p.arg(m.num);
        else p.arg(m.buf, m.off, m.len);
    }

    /** Replies a whole set in its order as a set (RESP3 '~'). */
    private static void replySet(Reply r, SetValue s) {
        r.set(s.size());
        s.forEach(m -> replyMember(r, m));
    }

    // ------------------------------------------------------------ single-key writes

    static void sadd(Call c) {
        CommandArgs a = c.args;
        int r = lookOrReply(c, 1, false);
        if (r == REPLIED) return;
        int members = a.count() - 2;
        SetValue s;
        if (r == ABSENT) {
            s = SetOps.create(c.server.setLimits(), a.data(), a.offset(2), a.length(2), members);
        } else {
            s = found(c, 1);
            s.maybeConvert(members);
        }
        long added = 0;
        for (int i = 2; i < a.count(); i++) {
            if (s.add(a.data(), a.offset(i), a.length(i))) added++;
        }
        if (r == ABSENT) s.storeAs(c.db, a.data(), a.offset(1), a.length(1), -1);
        else s.save(c.db);
        c.dirty += added;
        if (added > 0) KeyspaceEvents.notify(c, KeyspaceEvents.SET, "sadd", 1);
        c.reply.integer(added);
    }

    static void srem(Call c) {
        CommandArgs a = c.args;
        int r = lookOrReply(c, 1, false);
        if (r == REPLIED) return;
        if (r == ABSENT) {
            c.reply.integer(0);
            return;
        }
        SetValue s = found(c, 1);
        long deleted = 0;
        for (int i = 2; i < a.count(); i++) {
            if (s.remove(a.data(), a.offset(i), a.length(i))) {
                deleted++;
                if (s.size() == 0) break;
            }
        }
        s.save(c.db);
        c.dirty += deleted;
        if (deleted > 0) {
            KeyspaceEvents.notify(c, KeyspaceEvents.SET, "srem", 1);
            if (s.size() == 0) KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", 1);
        }
        c.reply.integer(deleted);
    }

    /** SMOVE source destination member: the source is checked first, then both types. */
    static void smove(Call c) {
        CommandArgs a = c.args;
        int src = look(c, 1, false), dst = look(c, 2, false);
        if (src == ABSENT) {
            c.reply.integer(0);
            return;
        }
        if (src == WRONG_TYPE || dst == WRONG_TYPE) {
            c.reply.error(Errors.WRONGTYPE);
            return;
        }
        byte[] d = a.data();
        int mOff = a.offset(3), mLen = a.length(3);
        look(c, 1, false);
        SetValue from = found(c, 1);
        if (sameKey(a, 1, 2)) {
            c.reply.integer(from.contains(d, mOff, mLen) ? 1 : 0);
            return;
        }
        if (!from.remove(d, mOff, mLen)) {
            c.reply.integer(0);
            return;
        }
        from.save(c.db);
        c.dirty++;
        c.modified(1);
        KeyspaceEvents.notify(c, KeyspaceEvents.SET, "srem", 1);
        if (from.size() == 0) KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", 1);
        SetValue to;
        boolean added;
        if (dst == ABSENT) {
            to = SetOps.create(c.server.setLimits(), d, mOff, mLen, 1);
            added = to.add(d, mOff, mLen);
            to.storeAs(c.db, d, a.offset(2), a.length(2), -1);
        } else {
            look(c, 2, false);
            to = found(c, 2);
            added = to.add(d, mOff, mLen);
            to.save(c.db);
        }
        if (added) {
            c.dirty++;
            c.modified(2); // a member the destination had already leaves it unchanged
            KeyspaceEvents.notify(c, KeyspaceEvents.SET, "sadd", 2);
        }
        c.reply.integer(1);
    }

    // ------------------------------------------------------------ single-key reads

    static void sismember(Call c) {
        CommandArgs a = c.args;
        int r = lookOrReply(c, 1, true);
        if (r == REPLIED) return;
        c.reply.integer(r == FOUND && found(c, 1).contains(a.data(), a.offset(2), a.length(2)) ? 1 : 0);
    }

    static void smismember(Call c) {
        CommandArgs a = c.args;
        int r = lookOrReply(c, 1, true);
        if (r == REPLIED) return;
        SetValue s = r == FOUND ? found(c, 1) : null;
        c.reply.array(a.count() - 2);
        for (int i = 2; i < a.count(); i++) {
            c.reply.integer(s != null && s.contains(a.data(), a.offset(i), a.length(i)) ? 1 : 0);
        }
    }

    static void scard(Call c) {
        int r = lookOrReply(c, 1, true);
        if (r != REPLIED) c.reply.integer(r == FOUND ? found(c, 1).size() : 0);
    }

    // ------------------------------------------------------------ SPOP

    /** How much larger than the count what stays must be for SPOP to pick members one by one (Redis's 5). */
    private static final int SPOP_MOVE_STRATEGY_MUL = 5;

    static void spop(Call c) {
        CommandArgs a = c.args;
        if (a.count() == 3) {
            spopCount(c);
            return;
        }
        if (a.count() > 3) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        int r = lookOrReply(c, 1, false);
        if (r == REPLIED) return;
        if (r == ABSENT) {
            c.reply.nullBulk();
            return;
        }
        SetValue s = found(c, 1);
        Member m = new Member();
        int i = ThreadLocalRandom.current().nextInt(s.size());
        s.at(i, m);
        replyMember(c.reply, m);
        // A random pick is replayed as the member it took (Redis's SREM).
        propagateMember(c.propagateAs(3).arg("SREM").arg(a, 1), m);
        s.removeIndexes(new int[] {i});
        s.save(c.db);
        c.dirty++;
        KeyspaceEvents.notify(c, KeyspaceEvents.SET, "spop", 1);
        if (s.size() == 0) KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", 1);
    }

    /**
     * SPOP key count, with Redis's three ways: the whole set (reply as SUNION of it, key deleted),
     * few members picked and removed, or, when most go, the few that stay picked into a new set
     * that replaces the key (so a table can come back as a listpack or intset, as in Redis).
     */
    private static void spopCount(Call c) {
        CommandArgs a = c.args;
        // Redis reads it in [0, LONG_MAX]: junk and negatives get the same error.
        if (!a.parseLong(2) || a.lastLong() < 0) {
            c.reply.error(Errors.MUST_BE_POSITIVE);
            return;
        }
        long count = a.lastLong();
        int r = lookOrReply(c, 1, false);
        if (r == REPLIED) return;
        if (r == ABSENT || count == 0) {
            c.reply.set(0);
            return;
        }
        SetValue s = found(c, 1);
        int size = s.size();
        c.dirty += Math.min(count, size);
        KeyspaceEvents.notify(c, KeyspaceEvents.SET, "spop", 1);
        if (count >= size) {
            // Redis answers with SUNION of the key, whose look-up counts a hit.
            c.server.stats().keyspaceHits.increment();
            replySet(c.reply, SetOps.unionOrDiff(new SetValue[] {s}, false, c.server.setLimits()));
            c.db.delete(a.data(), a.offset(1), a.length(1));
            c.propagateAs(2).arg("DEL").arg(a, 1);
            KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", 1);
            return;
        }
        int n = (int) count, remaining = size - n;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Member m = new Member();
        c.reply.set(n);
        // Replayed as SREM of the members it took (Redis sends them in SREMs of up to 1024; one is the same).
        Propagation srem = c.propagateAs(2 + n).arg("SREM").arg(a, 1);
        if ((long) remaining * SPOP_MOVE_STRATEGY_MUL > count) {
            if (s.encoding() == ValueType.SET_LISTPACK) {
                // One walk: a random subset, given and removed in the listpack's order.
                int[] picked = SetOps.sampleIndexes(size, n, rnd);
                for (int i : picked) {
                    s.at(i, m);
                    replyMember(c.reply, m);
                    propagateMember(srem, m);
                }
                s.removeIndexes(picked);
            } else {
                for (int k = 0; k < n; k++) {
                    int i = rnd.nextInt(s.size());
                    s.at(i, m);
                    replyMember(c.reply, m);
                    propagateMember(srem, m);
                    s.removeIndexes(new int[] {i});
                }
            }
            s.save(c.db);
            return;
        }
        SetValue kept = null;
        if (s.encoding() == ValueType.SET_LISTPACK) {
            kept = SetOps.newListpack(c.server.setLimits());
            int[] picked = SetOps.sampleIndexes(size, remaining, rnd);
            for (int i : picked) {
                s.at(i, m);
                kept.add(m);
            }
            s.removeIndexes(picked);
        } else {
            for (int k = 0; k < remaining; k++) {
                int i = rnd.nextInt(s.size());
                s.at(i, m);
                if (kept == null) kept = m.isInt ? SetOps.newIntset(c.server.setLimits()) : SetOps.newListpack(c.server.setLimits());
                kept.add(m);
                s.removeIndexes(new int[] {i});
            }
        }
        s.forEach(x -> {
            replyMember(c.reply, x);
            propagateMember(srem, x);
        });
        kept.storeAs(c.db, a.data(), a.offset(1), a.length(1), s.expireAt());
    }

    // ------------------------------------------------------------ SRANDMEMBER

    /** Up to this many picks with repeats per reply (Redis goes on until the client's output limit). */
    private static final int MAX_REPEATED_PICKS = 1 << 30;

    static void srandmember(Call c) {
        CommandArgs a = c.args;
        if (a.count() == 3) {
            srandmemberCount(c);
            return;
        }
        if (a.count() > 3) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        int r = lookOrReply(c, 1, true);
        if (r == REPLIED) return;
        if (r == ABSENT) {
            c.reply.nullBulk();
            return;
        }
        SetValue s = found(c, 1);
        Member m = new Member();
        s.random(ThreadLocalRandom.current(), m);
        replyMember(c.reply, m);
    }

    /**
     * SRANDMEMBER key count: a negative count picks with repeats, in random order; a positive one
     * distinct members, the whole set when it asks for as many (in the set's order), else a
     * random subset.
     */
    private static void srandmemberCount(Call c) {
        CommandArgs a = c.args;
        if (!a.parseLong(2)) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long l = a.lastLong();
        if (l == Long.MIN_VALUE) {
            c.reply.error(Errors.LONG_RANGE);
            return;
        }
        int r = lookOrReply(c, 1, true);
        if (r == REPLIED) return;
        if (r == ABSENT || l == 0) {
            c.reply.array(0);
            return;
        }
        SetValue s = found(c, 1);
        int size = s.size();
        boolean unique = l > 0;
        long count = unique ? l : -l;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Member m = new Member();
        if (!unique || count == 1) {
            int picks = (int) Math.min(count, MAX_REPEATED_PICKS);
            c.reply.array(picks);
            for (int k = 0; k < picks; k++) {
                s.random(rnd, m);
                replyMember(c.reply, m);
            }
            return;
        }
        if (count >= size) {
            c.reply.array(size);
            s.forEach(x -> replyMember(c.reply, x));
            return;
        }
        int[] picked = SetOps.sampleIndexes(size, (int) count, rnd);
        c.reply.array(picked.length);
        for (int i : picked) {
            s.at(i, m);
            replyMember(c.reply, m);
        }
    }

    // ------------------------------------------------------------ SINTER, SMEMBERS, SINTERCARD, SINTERSTORE

    /**
     * Looks up the sets at {@code n} arguments from {@code first} as lookupKeyRead does (absent:
     * null). A key named twice yields the same object, as in Redis. False after replying WRONGTYPE.
     */
    private static boolean readSets(Call c, int first, int n, SetValue[] out) {
        for (int j = 0; j < n; j++) {
            int r = lookOrReply(c, first + j, true);
            if (r == REPLIED) return false;
            if (r == ABSENT) continue;
            for (int k = 0; k < j && out[j] == null; k++) {
                if (out[k] != null && sameKey(c.args, first + k, first + j)) out[j] = out[k];
            }
            if (out[j] == null) out[j] = found(c, first + j);
        }
        return true;
    }

    /**
     * The one core of SINTER, SMEMBERS (a one-key SINTER in Redis), SINTERCARD (cardinality only,
     * up to {@code limit}) and SINTERSTORE (into the key at {@code dstArg}).
     */
    private static void inter(Call c, int first, int n, int dstArg, boolean cardinalityOnly, long limit) {
        CommandArgs a = c.args;
        SetValue[] sets = new SetValue[n];
        if (!readSets(c, first, n, sets)) return;
        boolean anyAbsent = false;
        for (SetValue s : sets) anyAbsent |= s == null;
        if (anyAbsent) {
            if (dstArg >= 0) {
                if (c.db.delete(a.data(), a.offset(dstArg), a.length(dstArg))) {
                    c.dirty++;
                    KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", dstArg);
                }
                c.reply.integer(0);
            } else if (cardinalityOnly) {
                c.reply.integer(0);
            } else {
                c.reply.set(0);
            }
            return;
        }
        if (dstArg >= 0) {
            store(c, dstArg, SetOps.intersectStore(sets, c.server.setLimits()), "sinterstore");
        } else if (cardinalityOnly) {
            c.reply.integer(SetOps.intersect(sets, limit, m -> {}));
        } else {
            List<byte[]> members = new ArrayList<>();
            SetOps.intersect(sets, 0, m -> members.add(m.toBytes()));
            c.reply.set(members.size());
            for (byte[] b : members) c.reply.bulk(b);
        }
    }

    /** SINTERCARD numkeys key [key ...] [LIMIT limit]. */
    static void sintercard(Call c) {
        CommandArgs a = c.args;
        if (!a.parseLong(1) || a.lastLong() < 1) {
            c.reply.error(Errors.NUMKEYS_POSITIVE);
            return;
        }
        long numKeys = a.lastLong();
        if (numKeys > a.count() - 2) {
            c.reply.error(Errors.NUMKEYS_TOO_MANY);
            return;
        }
        long limit = 0;
        for (int j = 2 + (int) numKeys; j < a.count(); j++) {
            if (a.is(j, "LIMIT") && j + 1 < a.count()) {
                j++;
                if (!a.parseLong(j) || a.lastLong() < 0) {
                    c.reply.error(Errors.LIMIT_NEGATIVE);
                    return;
                }
                limit = a.lastLong();
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        inter(c, 2, (int) numKeys, -1, true, limit);
    }

    /** A STORE form's result replaces the destination of any type; an empty one deletes it. */
    private static void store(Call c, int dstArg, SetValue result, String event) {
        CommandArgs a = c.args;
        int size = result.size();
        if (size > 0) {
            result.storeAs(c.db, a.data(), a.offset(dstArg), a.length(dstArg), -1);
            c.dirty++;
            KeyspaceEvents.notify(c, KeyspaceEvents.SET, event, dstArg);
        } else if (c.db.delete(a.data(), a.offset(dstArg), a.length(dstArg))) {
            c.dirty++;
            KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", dstArg);
        }
        c.reply.integer(size);
    }

    // ------------------------------------------------------------ SUNION, SDIFF and their STORE forms

    private static void unionOrDiff(Call c, int first, int n, int dstArg, boolean diff) {
        SetValue[] sets = new SetValue[n];
        if (!readSets(c, first, n, sets)) return;
        SetValue result = SetOps.unionOrDiff(sets, diff, c.server.setLimits());
        if (dstArg >= 0) store(c, dstArg, result, diff ? "sdiffstore" : "sunionstore");
        else replySet(c.reply, result);
    }

    // ------------------------------------------------------------ SSCAN

    /**
     * SSCAN key cursor [MATCH pattern] [COUNT count]: the cursor is checked first, then the key
     * (absent: an empty scan, options unchecked), then the options. An intset or listpack is
     * returned whole with cursor 0; a table is walked bucket by bucket.
     */
    static void sscan(Call c) {
        ScanOptions opt = TypedLookup.beginScan(c, ScanOptions.SET, ValueType::isSet);
        if (opt == null) return;
        long cursor = c.scratch[0];
        SetValue s = found(c, 1);
        byte[] pattern = opt.pattern;
        List<byte[]> out = new ArrayList<>();
        long next = 0;
        if (s.encoding() != ValueType.SET_TABLE) {
            s.forEach(m -> {
                byte[] b = m.toBytes();
                if (pattern == null || Glob.match(pattern, 0, pattern.length, b, 0, b.length, false)) out.add(b);
            });
        } else {
            FieldMap t = s.table();
            long budget = opt.budget();
            long[] sampled = {0};
            FieldMap.EntryVisitor visit = e -> {
                sampled[0]++;
                byte[] b = t.field(e);
                if (pattern == null || Glob.match(pattern, 0, pattern.length, b, 0, b.length, false)) out.add(b);
            };
            next = cursor;
            do {
                next = t.scanBucket(next, visit);
            } while (next != 0 && budget-- > 0 && sampled[0] < opt.count);
        }
        c.reply.array(2);
        c.reply.bulk(Long.toUnsignedString(next));
        c.reply.array(out.size());
        for (byte[] b : out) c.reply.bulk(b);
    }
}
