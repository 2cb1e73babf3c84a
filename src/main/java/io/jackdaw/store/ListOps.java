package io.jackdaw.store;

import io.jackdaw.types.Listpack;
import io.jackdaw.types.Quicklist;

/**
 * Typed list operations over a {@link Database}, with Redis 7.2's encoding rules: a list starts
 * as a listpack inside its record ({@link ValueType#LIST_LISTPACK}) and becomes a
 * {@link Quicklist} ({@link ValueType#LIST_QUICKLIST}) before a write would take it past
 * {@code list-max-listpack-size} (counting the raw bytes of the elements being added, as
 * listTypeTryConvertListpack does). A quicklist goes back to a listpack after a shrinking write
 * once it is a single packed node within half the limit (listTypeTryConvertQuicklist). A list
 * with no elements does not exist.
 *
 * <p>Readers work on the record the database view has found, through an {@link Iter}; writers
 * open a {@link Writer}, which edits a private copy of a listpack (or the quicklist where it
 * lives) and stores the result when the command commits.
 */
public final class ListOps {
    private ListOps() {}

    // ------------------------------------------------------------ reading

    /** Elements in the found list. */
    public static long length(Database db) {
        if (db.type() == ValueType.LIST_QUICKLIST) return ((Quicklist) db.foundObject()).count();
        return Listpack.countAndCache(db.valuePage(), db.valueOffset());
    }

    /**
     * A position in a list being read: an entry of a listpack (in a record or a writer's copy) or
     * a quicklist cursor. Valid until the list is edited.
     */
    public static final class Iter {
        private byte[] lp;
        private int base, p = Listpack.NONE;
        private final Quicklist.Cursor cursor = new Quicklist.Cursor();
        private boolean quick;

        /** Whether the iterator is on an element. */
        public boolean valid() { return quick ? cursor.valid() : p != Listpack.NONE; }

        public void read(Quicklist.Element e) {
            if (quick) cursor.read(e);
            else e.entry(lp, p);
        }

        /** Whether the element equals the needle ({@link Quicklist.Element#prepareNeedle}). */
        public boolean matches(Quicklist.Element needle) {
            return quick ? cursor.matches(needle) : needle.equalsEntry(lp, p);
        }

        /** Moves towards the tail ({@code forward}) or the head; false when it ran off the end. */
        public boolean step(boolean forward) {
            if (quick) return forward ? cursor.next() : cursor.prev();
            p = forward ? Listpack.next(lp, base, p) : Listpack.prev(lp, base, p);
            return p != Listpack.NONE;
        }

        Iter onListpack(byte[] buf, int at, long index) {
            quick = false;
            lp = buf;
            base = at;
            p = Listpack.seek(buf, at, index);
            return this;
        }

        Iter onQuicklist(Quicklist q, long index) {
            quick = true;
            q.seek(index, cursor);
            return this;
        }
    }

    /** An iterator on element {@code index} (negative from the tail) of the found list. */
    public static Iter iterAt(Database db, long index, Iter it) {
        if (db.type() == ValueType.LIST_QUICKLIST) return it.onQuicklist((Quicklist) db.foundObject(), index);
        return it.onListpack(db.valuePage(), db.valueOffset(), index);
    }

    /**
     * LPOS's search of the found list: visits the indexes of matches from the {@code rank}-th one
     * (1-based), walking from the head, or from the tail when {@code fromTail}, over at most
     * {@code maxlen} elements (0: all) and stopping after {@code count} hits (0: no limit).
     */
    public static void positions(Database db, Quicklist.Element needle, long rank, boolean fromTail, long count,
                                 long maxlen, java.util.function.LongConsumer hit) {
        long len = length(db);
        Iter it = iterAt(db, fromTail ? -1 : 0, new Iter());
        long matches = 0, hits = 0;
        for (long index = 0; it.valid() && (maxlen == 0 || index < maxlen); index++) {
            if (it.matches(needle) && ++matches >= rank) {
                hit.accept(fromTail ? len - index - 1 : index);
                if (count != 0 && ++hits >= count) return;
            }
            it.step(!fromTail);
        }
    }

    // ------------------------------------------------------------ writing

    /**
     * Opens the list at a key for writing, as Redis's lookupKeyWrite: an absent key is a new empty
     * listpack (stored only if it gets an element). Null when the key holds another type.
     * {@code fill} and {@code compressDepth} are list-max-listpack-size and list-compress-depth now.
     */
    public static Writer open(Database db, byte[] k, int off, int len, int fill, int compressDepth) {
        Writer w = new Writer(db, k, off, len, fill);
        w.compressDepth = compressDepth;
        if (db.find(k, off, len)) {
            int type = db.type();
            if (!ValueType.isList(type)) return null;
            w.exists = true;
            w.expireAt = db.expireAt();
            if (type == ValueType.LIST_QUICKLIST) w.ql = (Quicklist) db.foundObject();
            else w.lp = Quicklist.Node.ofListpack(db.valuePage(), db.valueOffset());
        } else {
            w.lp = Quicklist.Node.emptyPacked();
        }
        return w;
    }

    /**
     * One command's edits to one list. A listpack is edited in a private copy and stored back by
     * {@link #commit}; a quicklist is edited where it lives. Other keys may be looked up between
     * {@link ListOps#open} and {@link #commit} (LMOVE holds two writers).
     */
    public static final class Writer {
        private final Database db;
        private final byte[] key;
        private final int kOff, kLen;
        private final int fill;
        private int compressDepth;
        private Quicklist.Node lp;     // listpack encoding: a private copy, or null
        private Quicklist ql;          // quicklist encoding, or null
        private boolean exists, converted, changed;
        private long expireAt = -1;
        private boolean poppedQuicklistInt;

        Writer(Database db, byte[] key, int kOff, int kLen, int fill) {
            this.db = db;
            this.key = key;
            this.kOff = kOff;
            this.kLen = kLen;
            this.fill = fill;
        }

        /** Whether the key held a list when opened. */
        public boolean existed() { return exists; }

        public boolean isListpack() { return lp != null; }

        public long length() { return lp != null ? lp.count() : ql.count(); }

        /** An iterator on element {@code index} of the list as it is now. */
        public Iter iterAt(long index, Iter it) {
            return lp != null ? it.onListpack(lp.buffer(), 0, index) : it.onQuicklist(ql, index);
        }

        /**
         * Redis's listTypeTryConvertListpack before adding {@code entries} elements of
         * {@code bytes} raw bytes in all: a listpack that would pass the limit becomes a quicklist.
         */
        public void prepareGrowth(long bytes, long entries) {
            if (lp == null || !Quicklist.exceedsLimit(fill, lp.size() + bytes, lp.count() + entries)) return;
            ql = Quicklist.adopt(fill, compressDepth, lp);
            lp = null;
            converted = changed = true;
        }

        /**
         * Redis's listTypeTryConvertQuicklist after a shrinking write: a quicklist of one packed
         * node within half the limit (bytes and entries) becomes a listpack again.
         */
        public void shrunk() {
            if (ql == null || ql.nodeCount() != 1 || ql.headNode().isPlain()) return;
            if (ql.headNode().size() > Quicklist.sizeLimit(fill) / 2 || ql.count() > Quicklist.countLimit(fill) / 2) return;
            lp = ql.detachOnlyNode();
            ql = null;
            converted = changed = true;
        }

        /** Pushes a value at the head or the tail. */
        public void push(boolean head, byte[] v, int off, int len) {
            changed = true;
            if (lp != null) lp.push(head, v, off, len);
            else ql.push(head, v, off, len);
        }

        /**
         * Removes the element at the head or the tail and returns its bytes. Remembers whether it
         * was an integer entry of a quicklist, which Redis hands on as an integer object (its bytes
         * then do not count in the destination's conversion check, see {@link #poppedQuicklistInt}).
         */
        public byte[] pop(boolean head) {
            Iter it = iterAt(head ? 0 : -1, new Iter());
            Quicklist.Element e = new Quicklist.Element();
            it.read(e);
            poppedQuicklistInt = ql != null && e.isInt;
            byte[] v = e.toBytes();
            deleteRange(head ? 0 : -1, 1);
            return v;
        }

        /** Whether the last {@link #pop} took an integer from a quicklist. */
        public boolean poppedQuicklistInt() { return poppedQuicklistInt; }

        /** Deletes {@code num} elements from {@code start} (negative from the tail), clamped to the list. */
        public void deleteRange(long start, long num) {
            if (num <= 0) return;
            changed = true;
            if (ql != null) {
                ql.deleteRange(start, num);
                return;
            }
            long n = lp.count();
            if (start < 0) start += n;
            if (start < 0 || start >= n) return;
            lp.deleteRange((int) start, (int) Math.min(num, n - start));
        }

        /**
         * LINSERT: inserts the value before or after the first element (from the head) equal to
         * the pivot; false when there is none.
         */
        public boolean insert(Quicklist.Element pivot, boolean after, byte[] v, int off, int len) {
            if (ql != null) {
                Quicklist.Cursor c = ql.seek(0, new Quicklist.Cursor());
                while (c.valid() && !c.matches(pivot)) c.next();
                if (!c.valid()) return false;
                ql.insert(c, after, v, off, len);
            } else {
                int p = Listpack.first(lp.buffer(), 0);
                while (p != Listpack.NONE && !pivot.equalsEntry(lp.buffer(), p)) p = Listpack.next(lp.buffer(), 0, p);
                if (p == Listpack.NONE) return false;
                lp.insert(p, after ? Listpack.AFTER : Listpack.BEFORE, v, off, len);
            }
            changed = true;
            return true;
        }

        /** LSET: replaces the element at {@code index}; false when out of range. */
        public boolean set(long index, byte[] v, int off, int len) {
            if (ql != null) {
                if (!ql.replace(index, v, off, len)) return false;
            } else {
                int p = Listpack.seek(lp.buffer(), 0, index);
                if (p == Listpack.NONE) return false;
                lp.replace(p, v, off, len);
            }
            changed = true;
            return true;
        }

        /**
         * LREM: removes up to {@code count} elements equal to the needle, from the head (count
         * &gt;= 0; 0 removes all) or from the tail (count &lt; 0). Returns how many went.
         */
        public long remove(long count, Quicklist.Element needle) {
            boolean forward = count >= 0;
            long limit = forward ? count : -count, removed = 0;
            if (ql != null) {
                Quicklist.Cursor c = ql.seek(forward ? 0 : -1, new Quicklist.Cursor());
                while (c.valid()) {
                    if (c.matches(needle)) {
                        ql.deleteAt(c, forward);
                        if (++removed == limit) break;
                    } else if (forward) {
                        c.next();
                    } else {
                        c.prev();
                    }
                }
            } else {
                int p = forward ? Listpack.first(lp.buffer(), 0) : Listpack.last(lp.buffer(), 0);
                while (p != Listpack.NONE) {
                    if (needle.equalsEntry(lp.buffer(), p)) {
                        int after = lp.delete(p, 1);
                        if (++removed == limit) break;
                        if (forward) p = after;
                        else p = after == Listpack.NONE ? Listpack.last(lp.buffer(), 0) : Listpack.prev(lp.buffer(), 0, after);
                    } else {
                        p = forward ? Listpack.next(lp.buffer(), 0, p) : Listpack.prev(lp.buffer(), 0, p);
                    }
                }
            }
            if (removed > 0) changed = true;
            return removed;
        }

        /** Stores the result: the listpack or the quicklist under the key, or no key when the list is empty. */
        public void commit() {
            if (!changed) return;
            if (length() == 0) {
                if (exists && db.findNoTouch(key, kOff, kLen)) db.deleteFound();
                exists = false;
                return;
            }
            if (lp != null) {
                db.put(key, kOff, kLen, ValueType.LIST_LISTPACK, lp.buffer(), 0, lp.size(), expireAt);
            } else if (converted || !exists) {
                db.putObject(key, kOff, kLen, ValueType.LIST_QUICKLIST, ql, expireAt);
            } else if (db.findNoTouch(key, kOff, kLen)) {
                db.foundObjectResized();
            }
            exists = true;
            converted = changed = false;
        }
    }
}
