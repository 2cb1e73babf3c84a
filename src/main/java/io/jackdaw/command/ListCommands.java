package io.jackdaw.command;

import io.jackdaw.store.ListOps;
import io.jackdaw.store.Waiter;
import io.jackdaw.store.ValueType;
import io.jackdaw.types.Quicklist;

/**
 * The list family (without the blocking commands): argument parsing and replies; encodings and
 * edits live in {@link ListOps}. The pop and move steps are generic ({@link #popAndReply},
 * {@link #move}) so that the blocking variants can serve a waiter with them.
 */
public final class ListCommands {
    private ListCommands() {}

    static void register(CommandTable t) {
        t.register("lpush", c -> push(c, true, false));
        t.register("rpush", c -> push(c, false, false));
        t.register("lpushx", c -> push(c, true, true));
        t.register("rpushx", c -> push(c, false, true));
        t.register("lpop", c -> pop(c, true));
        t.register("rpop", c -> pop(c, false));
        t.register("llen", ListCommands::llen);
        t.register("lrange", ListCommands::lrange);
        t.register("lindex", ListCommands::lindex);
        t.register("lset", ListCommands::lset);
        t.register("linsert", ListCommands::linsert);
        t.register("lrem", ListCommands::lrem);
        t.register("ltrim", ListCommands::ltrim);
        t.register("lpos", ListCommands::lpos);
        t.register("lmove", ListCommands::lmove);
        t.register("rpoplpush", c -> move(c, 1, 2, false, true));
        t.register("lmpop", c -> mpop(c, 1, false));
        t.register("blpop", c -> bpop(c, true));
        t.register("brpop", c -> bpop(c, false));
        t.register("blmpop", c -> mpop(c, 2, true));
        t.register("blmove", ListCommands::blmove);
        t.register("brpoplpush", c -> {
            long deadline = Blocking.deadline(c, 3);
            if (deadline >= 0) bmove(c, false, true, deadline);
        });
    }

    // ------------------------------------------------------------ look-ups

    private static final int ABSENT = TypedLookup.ABSENT, FOUND = TypedLookup.FOUND, REPLIED = TypedLookup.REPLIED;

    /** Redis's lookupKeyRead + checkType (see {@link TypedLookup#read}). */
    private static int lookupRead(Call c, int arg) { return TypedLookup.read(c, arg, ValueType::isList); }

    /** Opens the list at an argument for writing; null after replying WRONGTYPE. */
    static ListOps.Writer openWrite(Call c, int arg) {
        CommandArgs a = c.args;
        ListOps.Writer w = ListOps.open(c.db, a.data(), a.offset(arg), a.length(arg), c.server.listMaxListpackSize(),
                c.server.listCompressDepth());
        if (w == null) c.reply.error(Errors.WRONGTYPE);
        return w;
    }

    static void replyElement(Reply r, Quicklist.Element e) {
        if (e.isInt) r.bulkLong(e.num);
        else r.bulk(e.buf, e.off, e.len);
    }

    /** Parses LEFT or RIGHT (Redis's getListPositionFromObjectOrReply): 1 for LEFT, 0 for RIGHT, -1 after a syntax error. */
    private static int side(Call c, int arg) {
        if (c.args.is(arg, "LEFT")) return 1;
        if (c.args.is(arg, "RIGHT")) return 0;
        c.reply.error(Errors.SYNTAX);
        return -1;
    }

    /** Reads a long argument as getLongFromObjectOrReply; false after replying. */
    private static boolean longArg(Call c, int arg) {
        if (c.args.parseLong(arg)) return true;
        c.reply.error(Errors.NOT_INTEGER);
        return false;
    }

    /**
     * The end of a removal (Redis's listElementsRemoved): the key goes with its last element,
     * otherwise a quicklist may turn back into a listpack; the result is stored.
     */
    private static void removed(Call c, ListOps.Writer w, long count, int keyArg, String event) {
        if (w.length() > 0) w.shrunk();
        w.commit();
        c.dirty += count;
        // Redis's listElementsRemoved: the event, then "del" when the list is gone.
        KeyspaceEvents.notify(c, KeyspaceEvents.LIST, event, keyArg);
        if (w.length() == 0) KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", keyArg);
    }

    // ------------------------------------------------------------ push

    /** LPUSH, RPUSH, LPUSHX and RPUSHX ({@code onlyExisting}): the length after the push. */
    static void push(Call c, boolean head, boolean onlyExisting) {
        CommandArgs a = c.args;
        ListOps.Writer w = openWrite(c, 1);
        if (w == null) return;
        if (onlyExisting && !w.existed()) {
            c.reply.integer(0);
            return;
        }
        long bytes = 0;
        for (int i = 2; i < a.count(); i++) bytes += a.length(i);
        w.prepareGrowth(bytes, a.count() - 2);
        byte[] d = a.data();
        for (int i = 2; i < a.count(); i++) w.push(head, d, a.offset(i), a.length(i));
        long length = w.length();
        w.commit();
        c.dirty += a.count() - 2;
        KeyspaceEvents.notify(c, KeyspaceEvents.LIST, head ? "lpush" : "rpush", 1);
        c.reply.integer(length);
    }

    // ------------------------------------------------------------ pop

    /** LPOP and RPOP key [count]. */
    static void pop(Call c, boolean head) {
        CommandArgs a = c.args;
        if (a.count() > 3) {
            c.reply.error(Errors.wrongArity(c.spec.name));
            return;
        }
        boolean hasCount = a.count() == 3;
        long count = -1;
        if (hasCount) {
            if (!a.parseLong(2) || a.lastLong() < 0) {
                c.reply.error(Errors.MUST_BE_POSITIVE);
                return;
            }
            count = a.lastLong();
        }
        ListOps.Writer w = openWrite(c, 1);
        if (w == null) return;
        if (!w.existed()) {
            if (hasCount) c.reply.nullArray();
            else c.reply.nullBulk();
            return;
        }
        if (count == 0) {
            c.reply.array(0);
            return;
        }
        popAndReply(c, w, 1, head, count);
    }

    /**
     * Pops from a non-empty list and replies: one element as a bulk string ({@code count} &lt; 0),
     * or up to {@code count} elements as an array, in the order they were popped. Then the key
     * is stored or deleted and the changes counted.
     */
    static void popAndReply(Call c, ListOps.Writer w, int keyArg, boolean head, long count) {
        long length = w.length();
        long n = count < 0 ? 1 : Math.min(count, length);
        ListOps.Iter it = w.iterAt(head ? 0 : -1, new ListOps.Iter());
        Quicklist.Element e = new Quicklist.Element();
        if (count >= 0) c.reply.array((int) n);
        for (long i = 0; i < n; i++) {
            it.read(e);
            replyElement(c.reply, e);
            it.step(head);
        }
        w.deleteRange(head ? 0 : -n, n);
        removed(c, w, n, keyArg, head ? "lpop" : "rpop");
    }

    /**
     * LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count] and BLMPOP timeout numkeys ...: pops
     * from the first non-empty list and replies with its name and the elements; BLMPOP blocks
     * when all are empty.
     */
    static void mpop(Call c, int numkeysArg, boolean block) {
        CommandArgs a = c.args;
        long deadline = 0;
        if (block && (deadline = Blocking.deadline(c, 1)) < 0) return;
        if (!a.parseLong(numkeysArg) || a.lastLong() < 1) {
            c.reply.error(Errors.NUMKEYS_POSITIVE);
            return;
        }
        long numkeys = a.lastLong();
        long whereAt = numkeys + numkeysArg + 1;
        if (whereAt >= a.count() || whereAt < 0) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        int head = side(c, (int) whereAt);
        if (head < 0) return;
        long count = -1;
        for (int j = (int) whereAt + 1; j < a.count(); j++) {
            if (count == -1 && a.is(j, "COUNT") && j + 1 < a.count()) {
                j++;
                if (!a.parseLong(j) || a.lastLong() < 1) {
                    c.reply.error(Errors.COUNT_POSITIVE);
                    return;
                }
                count = a.lastLong();
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        if (count == -1) count = 1;
        for (int k = numkeysArg + 1; k < whereAt; k++) {
            ListOps.Writer w = openWrite(c, k);
            if (w == null) return;
            if (!w.existed() || w.length() == 0) continue;
            c.reply.array(2);
            c.reply.bulk(a.data(), a.offset(k), a.length(k));
            popAndReply(c, w, k, head == 1, count);
            return;
        }
        if (!block || Blocking.denied(c)) c.reply.nullArray();
        else Blocking.block(c, Waiter.Kind.LIST, numkeysArg + 1, (int) numkeys, deadline);
    }

    /** BLPOP and BRPOP key [key ...] timeout: [key, element] from the first non-empty list, else block. */
    static void bpop(Call c, boolean head) {
        CommandArgs a = c.args;
        long deadline = Blocking.deadline(c, a.count() - 1);
        if (deadline < 0) return;
        for (int k = 1; k < a.count() - 1; k++) {
            ListOps.Writer w = openWrite(c, k);
            if (w == null) return;
            if (!w.existed() || w.length() == 0) continue;
            c.reply.array(2);
            c.reply.bulk(a.data(), a.offset(k), a.length(k));
            popAndReply(c, w, k, head, -1);
            return;
        }
        if (Blocking.denied(c)) c.reply.nullArray();
        else Blocking.block(c, Waiter.Kind.LIST, 1, a.count() - 2, deadline);
    }

    // ------------------------------------------------------------ move

    /** LMOVE source destination LEFT|RIGHT LEFT|RIGHT. */
    static void lmove(Call c) {
        int from = side(c, 3);
        if (from < 0) return;
        int to = side(c, 4);
        if (to < 0) return;
        move(c, 1, 2, from == 1, to == 1);
    }

    /**
     * Moves one element from an end of the source list to an end of the destination (the same
     * list when the keys are equal) and replies with it, or with a null when the source is
     * absent. Redis's lmoveGenericCommand: the destination's type is checked before the pop.
     */
    static void move(Call c, int srcArg, int dstArg, boolean fromHead, boolean toHead) {
        CommandArgs a = c.args;
        ListOps.Writer src = openWrite(c, srcArg);
        if (src == null) return;
        if (!src.existed() || src.length() == 0) {
            c.reply.nullBulk();
            return;
        }
        byte[] d = a.data();
        boolean same = java.util.Arrays.equals(d, a.offset(srcArg), a.offset(srcArg) + a.length(srcArg),
                d, a.offset(dstArg), a.offset(dstArg) + a.length(dstArg));
        ListOps.Writer dst = same ? src : openWrite(c, dstArg);
        if (dst == null) return;
        byte[] value = src.pop(fromHead);
        // An integer out of a quicklist travels as an integer object, whose bytes Redis does not count.
        dst.prepareGrowth(src.poppedQuicklistInt() ? 0 : value.length, 1);
        dst.push(toHead, value, 0, value.length);
        if (!same) dst.commit();
        c.reply.bulk(value);
        KeyspaceEvents.notify(c, KeyspaceEvents.LIST, toHead ? "lpush" : "rpush", dstArg);
        removed(c, src, 1, srcArg, fromHead ? "lpop" : "rpop");
    }

    /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout. */
    static void blmove(Call c) {
        int from = side(c, 3);
        if (from < 0) return;
        int to = side(c, 4);
        if (to < 0) return;
        long deadline = Blocking.deadline(c, 5);
        if (deadline >= 0) bmove(c, from == 1, to == 1, deadline);
    }

    /** LMOVE when the source has elements; otherwise blocks on the source (a null bulk where blocking is denied). */
    private static void bmove(Call c, boolean fromHead, boolean toHead, long deadline) {
        ListOps.Writer src = openWrite(c, 1);
        if (src == null) return;
        if (src.existed() && src.length() > 0) {
            move(c, 1, 2, fromHead, toHead);
        } else if (Blocking.denied(c)) {
            c.reply.nullBulk();
        } else {
            Blocking.block(c, Waiter.Kind.LIST, 1, 1, deadline);
        }
    }

    // ------------------------------------------------------------ reads

    static void llen(Call c) {
        int r = lookupRead(c, 1);
        if (r != REPLIED) c.reply.integer(r == FOUND ? ListOps.length(c.db) : 0);
    }

    static void lindex(Call c) {
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        if (r == ABSENT) {
            c.reply.nullBulk();
            return;
        }
        if (!longArg(c, 2)) return;
        ListOps.Iter it = ListOps.iterAt(c.db, c.args.lastLong(), new ListOps.Iter());
        if (!it.valid()) {
            c.reply.nullBulk();
            return;
        }
        Quicklist.Element e = new Quicklist.Element();
        it.read(e);
        replyElement(c.reply, e);
    }

    static void lrange(Call c) {
        if (!longArg(c, 2)) return;
        long start = c.args.lastLong();
        if (!longArg(c, 3)) return;
        long end = c.args.lastLong();
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        if (r == ABSENT) {
            c.reply.array(0);
            return;
        }
        long length = ListOps.length(c.db);
        if (start < 0) start += length;
        if (end < 0) end += length;
        if (start < 0) start = 0;
        if (start > end || start >= length) {
            c.reply.array(0);
            return;
        }
        if (end >= length) end = length - 1;
        long n = end - start + 1;
        c.reply.array((int) n);
        ListOps.Iter it = ListOps.iterAt(c.db, start, new ListOps.Iter());
        Quicklist.Element e = new Quicklist.Element();
        for (long i = 0; i < n; i++) {
            it.read(e);
            replyElement(c.reply, e);
            it.step(true);
        }
    }

    /** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]. */
    static void lpos(Call c) {
        CommandArgs a = c.args;
        long rank = 1, count = -1, maxlen = 0;
        for (int j = 3; j < a.count(); j++) {
            boolean more = j + 1 < a.count();
            if (a.is(j, "RANK") && more) {
                j++;
                if (!longArg(c, j)) return;
                rank = a.lastLong();
                if (rank == Long.MIN_VALUE) {
                    c.reply.error(Errors.LONG_RANGE);
                    return;
                }
                if (rank == 0) {
                    c.reply.error(Errors.LPOS_RANK_ZERO);
                    return;
                }
            } else if (a.is(j, "COUNT") && more) {
                j++;
                if (!a.parseLong(j) || a.lastLong() < 0) {
                    c.reply.error(Errors.LPOS_COUNT_NEGATIVE);
                    return;
                }
                count = a.lastLong();
            } else if (a.is(j, "MAXLEN") && more) {
                j++;
                if (!a.parseLong(j) || a.lastLong() < 0) {
                    c.reply.error(Errors.LPOS_MAXLEN_NEGATIVE);
                    return;
                }
                maxlen = a.lastLong();
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        if (r == ABSENT) {
            if (count != -1) c.reply.array(0);
            else c.reply.nullBulk();
            return;
        }
        Quicklist.Element needle = new Quicklist.Element().prepareNeedle(a.data(), a.offset(2), a.length(2));
        boolean fromTail = rank < 0;
        long[] first = {-1};
        if (count == -1) {
            ListOps.positions(c.db, needle, Math.abs(rank), fromTail, 1, maxlen, i -> first[0] = i);
            if (first[0] >= 0) c.reply.integer(first[0]);
            else c.reply.nullBulk();
            return;
        }
        java.util.ArrayList<Long> hits = new java.util.ArrayList<>();
        ListOps.positions(c.db, needle, Math.abs(rank), fromTail, count, maxlen, hits::add);
        c.reply.array(hits.size());
        for (long i : hits) c.reply.integer(i);
    }

    // ------------------------------------------------------------ edits

    /** LSET key index element. */
    static void lset(Call c) {
        CommandArgs a = c.args;
        ListOps.Writer w = openWrite(c, 1);
        if (w == null) return;
        if (!w.existed()) {
            c.reply.error(Errors.NO_SUCH_KEY);
            return;
        }
        if (!longArg(c, 2)) return;
        long index = a.lastLong();
        w.prepareGrowth(a.length(3), 1);
        if (w.set(index, a.data(), a.offset(3), a.length(3))) {
            w.shrunk();
            w.commit();
            c.dirty++;
            KeyspaceEvents.notify(c, KeyspaceEvents.LIST, "lset", 1);
            c.reply.ok();
        } else {
            w.commit(); // a conversion before the failed replace stays, as in Redis
            c.reply.error(Errors.INDEX_OUT_OF_RANGE);
        }
    }

    /** LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot, 0 without the key. */
    static void linsert(Call c) {
        CommandArgs a = c.args;
        boolean after;
        if (a.is(2, "AFTER")) after = true;
        else if (a.is(2, "BEFORE")) after = false;
        else {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        ListOps.Writer w = openWrite(c, 1);
        if (w == null) return;
        if (!w.existed()) {
            c.reply.integer(0);
            return;
        }
        w.prepareGrowth(a.length(4), 1);
        Quicklist.Element pivot = new Quicklist.Element().prepareNeedle(a.data(), a.offset(3), a.length(3));
        boolean inserted = w.insert(pivot, after, a.data(), a.offset(4), a.length(4));
        long length = w.length();
        w.commit();
        if (!inserted) {
            c.reply.integer(-1);
            return;
        }
        c.dirty++;
        KeyspaceEvents.notify(c, KeyspaceEvents.LIST, "linsert", 1);
        c.reply.integer(length);
    }

    /** LREM key count element. */
    static void lrem(Call c) {
        CommandArgs a = c.args;
        if (!longArg(c, 2)) return;
        long count = a.lastLong();
        if (count == Long.MIN_VALUE) {
            c.reply.error(Errors.LONG_RANGE);
            return;
        }
        ListOps.Writer w = openWrite(c, 1);
        if (w == null) return;
        if (!w.existed()) {
            c.reply.integer(0);
            return;
        }
        long removed = w.remove(count, new Quicklist.Element().prepareNeedle(a.data(), a.offset(3), a.length(3)));
        if (removed > 0) removed(c, w, removed, 1, "lrem");
        c.reply.integer(removed);
    }

    /** LTRIM key start stop. */
    static void ltrim(Call c) {
        if (!longArg(c, 2)) return;
        long start = c.args.lastLong();
        if (!longArg(c, 3)) return;
        long end = c.args.lastLong();
        ListOps.Writer w = openWrite(c, 1);
        if (w == null) return;
        if (!w.existed()) {
            c.reply.ok();
            return;
        }
        long length = w.length(), ltrim, rtrim;
        if (start < 0) start += length;
        if (end < 0) end += length;
        if (start < 0) start = 0;
        if (start > end || start >= length) {
            ltrim = length;
            rtrim = 0;
        } else {
            if (end >= length) end = length - 1;
            ltrim = start;
            rtrim = length - end - 1;
        }
        w.deleteRange(0, ltrim);
        w.deleteRange(-rtrim, rtrim);
        removed(c, w, ltrim + rtrim, 1, "ltrim");
        c.reply.ok();
    }
}
