package io.jackdaw.command;

import io.jackdaw.store.HashOps;
import io.jackdaw.store.ListOps;
import io.jackdaw.store.SetOps;
import io.jackdaw.store.SortedSetOps;
import io.jackdaw.store.StringOps;
import io.jackdaw.store.ValueType;
import io.jackdaw.types.Quicklist;
import io.jackdaw.types.Strtod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SORT and SORT_RO: the elements of a list, set or sorted set, ordered numerically or
 * alphabetically, by themselves or by values found through a {@code BY} pattern, optionally
 * mapped through {@code GET} patterns, limited, and returned or stored as a list. Patterns
 * reach keys the command does not name, so both commands hold every shard ("lockAll").
 */
final class SortCommands {
    private SortCommands() {}

    static void register(CommandTable t) {
        t.register("sort", c -> sort(c, false));
        t.register("sort_ro", c -> sort(c, true));
    }

    /** One element to sort, with what it sorts by. */
    private static final class Item {
        final byte[] element;
        double score;
        byte[] by; // ALPHA with BY: the value found, or null when none

        Item(byte[] element) { this.element = element; }
    }

    static void sort(Call c, boolean readOnly) {
        CommandArgs a = c.args;
        boolean desc = false, alpha = false, dontSort = false;
        long limitStart = 0, limitCount = -1;
        byte[] by = null;
        int store = -1;
        List<byte[]> gets = new ArrayList<>();
        for (int j = 2; j < a.count(); j++) {
            int left = a.count() - j - 1;
            if (a.is(j, "ASC")) {
                desc = false;
            } else if (a.is(j, "DESC")) {
                desc = true;
            } else if (a.is(j, "ALPHA")) {
                alpha = true;
            } else if (a.is(j, "LIMIT") && left >= 2) {
                if (!a.parseLong(j + 1)) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                limitStart = a.lastLong();
                if (!a.parseLong(j + 2)) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                limitCount = a.lastLong();
                j += 2;
            } else if (!readOnly && a.is(j, "STORE") && left >= 1) {
                store = ++j;
            } else if (a.is(j, "BY") && left >= 1) {
                by = a.bytes(++j);
                // A pattern without '*' names no per-element key: nothing to sort by.
                dontSort = indexOf(by, (byte) '*', 0) < 0;
            } else if (a.is(j, "GET") && left >= 1) {
                gets.add(a.bytes(++j));
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }

        int type = -1;
        if (c.db.find(a.data(), a.offset(1), a.length(1))) {
            c.server.stats().keyspaceHits.increment();
            type = c.db.type();
            if (!ValueType.isList(type) && !ValueType.isSet(type) && !ValueType.isZset(type)) {
                c.reply.error(Errors.WRONGTYPE);
                return;
            }
        } else {
            KeyspaceEvents.keyMiss(c, 1);
        }
        // An unsorted set would come out in table order, which differs between a server and
        // its replicas: when storing, or for a script, sort it alphabetically instead.
        if (dontSort && type >= 0 && ValueType.isSet(type) && (store >= 0 || c.fromScript)) {
            dontSort = false;
            alpha = true;
            by = null;
        }
        long size = type < 0 ? 0 : size(c, type);
        long start = Math.min(Math.max(limitStart, 0), size);
        long count = Math.min(Math.max(limitCount, -1), size);
        long end = count < 0 ? size - 1 : start + count - 1;
        if (start >= size) {
            start = size - 1;
            end = size - 2;
        }
        if (end >= size) end = size - 1;

        List<Item> items = new ArrayList<>();
        if (type >= 0) {
            // Lists and sorted sets keep their own order when nothing is sorted; then only the
            // requested range is read.
            boolean ranged = dontSort && !ValueType.isSet(type);
            List<byte[]> elements = ranged ? range(c, type, start, end, desc) : all(c, type);
            for (byte[] e : elements) items.add(new Item(e));
            if (ranged) {
                end -= start;
                start = 0;
            }
        }

        if (!dontSort) {
            boolean conversionError = false;
            for (Item it : items) {
                byte[] value = by == null ? it.element : lookup(c, by, it.element);
                if (value == null) continue;
                if (alpha) {
                    if (by != null) it.by = value;
                } else {
                    double d = parseScore(value);
                    if (Double.isNaN(d)) conversionError = true;
                    else it.score = d;
                }
            }
            if (conversionError) {
                c.reply.error(Errors.SORT_SCORE_NOT_DOUBLE);
                return;
            }
            Comparator<Item> cmp = comparator(alpha, by != null);
            items.sort(desc ? cmp.reversed() : cmp);
        }

        int getCount = gets.size();
        long n = end - start + 1;
        long outputLen = getCount > 0 ? getCount * n : n;
        if (store < 0) {
            c.reply.array((int) outputLen);
            for (long j = start; j <= end; j++) {
                Item it = items.get((int) j);
                if (getCount == 0) c.reply.bulk(it.element, 0, it.element.length);
                for (byte[] g : gets) {
                    byte[] v = lookup(c, g, it.element);
                    if (v == null) c.reply.nullBulk();
                    else c.reply.bulk(v, 0, v.length);
                }
            }
            return;
        }
        List<byte[]> out = new ArrayList<>((int) Math.max(0, outputLen));
        for (long j = start; j <= end; j++) {
            Item it = items.get((int) j);
            if (getCount == 0) out.add(it.element);
            for (byte[] g : gets) {
                byte[] v = lookup(c, g, it.element);
                out.add(v == null ? new byte[0] : v);
            }
        }
        if (!out.isEmpty()) {
            storeList(c, store, out);
            c.dirty += out.size();
            c.modified(store);
            KeyspaceEvents.notify(c, KeyspaceEvents.LIST, "sortstore", store);
        } else if (c.db.delete(a.data(), a.offset(store), a.length(store))) {
            c.dirty++;
            c.modified(store);
            KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", store);
        }
        c.reply.integer(out.size());
    }

    /** Numeric order with ties broken by the element's bytes; ALPHA by bytes (by the BY value when given, a missing one first). */
    private static Comparator<Item> comparator(boolean alpha, boolean byPattern) {
        if (!alpha) {
            return (x, y) -> {
                int cmp = Double.compare(x.score == 0 ? 0.0 : x.score, y.score == 0 ? 0.0 : y.score);
                return cmp != 0 ? cmp : Arrays.compareUnsigned(x.element, y.element);
            };
        }
        if (byPattern) {
            return (x, y) -> {
                if (x.by == null || y.by == null) return x.by == y.by ? 0 : x.by == null ? -1 : 1;
                return Arrays.compareUnsigned(x.by, y.by);
            };
        }
        return (x, y) -> Arrays.compareUnsigned(x.element, y.element);
    }

    /**
     * The value a pattern names for an element, as Redis's lookupKeyByPattern: {@code #} is
     * the element itself; otherwise the first '*' is replaced by the element and the key read
     * as a string, or, with a non-empty {@code ->field} after the '*', as a hash field. Null
     * when there is no such value (or no '*').
     */
    static byte[] lookup(Call c, byte[] pattern, byte[] element) {
        if (pattern.length == 1 && pattern[0] == '#') return element;
        int star = indexOf(pattern, (byte) '*', 0);
        if (star < 0) return null;
        int arrow = -1;
        for (int i = star + 1; i + 1 < pattern.length; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        if (arrow >= 0 && arrow + 2 == pattern.length) arrow = -1; // "->" at the end names no field
        int postEnd = arrow >= 0 ? arrow : pattern.length;
        byte[] key = new byte[star + element.length + postEnd - star - 1];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, postEnd - star - 1);
        if (!c.db.find(key, 0, key.length)) {
            KeyspaceEvents.keyMiss(c, key, 0, key.length);
            return null;
        }
        c.server.stats().keyspaceHits.increment();
        int type = c.db.type();
        if (arrow >= 0) {
            if (!ValueType.isHash(type)) return null;
            HashOps.Value v = new HashOps.Value();
            if (!HashOps.get(c.db, pattern, arrow + 2, pattern.length - arrow - 2, v)) return null;
            return v.toBytes();
        }
        if (!ValueType.isString(type)) return null;
        return StringOps.foundBytes(c.db);
    }

    /**
     * A sort weight as Redis reads one with strtod: the whole string must be a number (leading
     * blanks allowed; empty reads as 0); NaN for what Redis rejects (garbage, NaN, overflow
     * and underflow).
     */
    static double parseScore(byte[] v) {
        Strtod.Result r = Strtod.parse(v, 0, v.length, new Strtod.Result());
        if ((r.end != v.length && v[r.end] != 0) || r.rangeError) return Double.NaN;
        return r.value;
    }

    // ------------------------------------------------------------ the elements, through each family's ops

    private static long size(Call c, int type) {
        if (ValueType.isList(type)) return ListOps.length(c.db);
        if (ValueType.isSet(type)) return found(c).size();
        return SortedSetOps.found(c.db).size();
    }

    private static SetOps.SetValue found(Call c) {
        CommandArgs a = c.args;
        return SetOps.found(c.db, c.server.setLimits(), a.data(), a.offset(1), a.length(1));
    }

    /** Every element in the key's own order (a set's: its encoding's). */
    private static List<byte[]> all(Call c, int type) {
        List<byte[]> out = new ArrayList<>();
        if (ValueType.isSet(type)) {
            found(c).forEach(m -> out.add(m.toBytes()));
        } else if (ValueType.isList(type)) {
            ListOps.Iter it = ListOps.iterAt(c.db, 0, new ListOps.Iter());
            Quicklist.Element e = new Quicklist.Element();
            while (it.valid()) {
                it.read(e);
                out.add(e.toBytes());
                it.step(true);
            }
        } else {
            SortedSetOps.ZSet z = SortedSetOps.found(c.db);
            SortedSetOps.Entry e = new SortedSetOps.Entry();
            for (int i = 0, n = z.size(); i < n; i++) {
                z.entry(i, e);
                out.add(e.toBytes());
            }
        }
        return out;
    }

    /** Elements start..end of a list or sorted set in its order, or counted from the tail when {@code desc}. */
    private static List<byte[]> range(Call c, int type, long start, long end, boolean desc) {
        List<byte[]> out = new ArrayList<>();
        if (end < start) return out;
        long size = size(c, type);
        if (ValueType.isList(type)) {
            ListOps.Iter it = ListOps.iterAt(c.db, desc ? size - start - 1 : start, new ListOps.Iter());
            Quicklist.Element e = new Quicklist.Element();
            for (long i = start; i <= end && it.valid(); i++) {
                it.read(e);
                out.add(e.toBytes());
                it.step(!desc);
            }
        } else {
            SortedSetOps.ZSet z = SortedSetOps.found(c.db);
            SortedSetOps.Entry e = new SortedSetOps.Entry();
            for (long i = start; i <= end; i++) {
                z.entry(desc ? size - 1 - i : i, e);
                out.add(e.toBytes());
            }
        }
        return out;
    }

    /** Stores the result as a new list under the STORE key (replacing whatever was there), encoded as a push-built list would be. */
    private static void storeList(Call c, int arg, List<byte[]> values) {
        CommandArgs a = c.args;
        c.db.delete(a.data(), a.offset(arg), a.length(arg));
        ListOps.Writer w = ListOps.open(c.db, a.data(), a.offset(arg), a.length(arg), c.server.listMaxListpackSize(),
                c.server.listCompressDepth());
        for (byte[] v : values) {
            w.prepareGrowth(v.length, 1);
            w.push(false, v, 0, v.length);
        }
        w.commit();
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == x) return i;
        return -1;
    }
}
