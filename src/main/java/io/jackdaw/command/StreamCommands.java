package io.jackdaw.command;

import io.jackdaw.store.StreamOps;
import io.jackdaw.store.ValueType;
import io.jackdaw.types.Stream;
import io.jackdaw.types.StreamGroup;

/**
 * The stream family: argument parsing and replies; the stream lives in {@link Stream} and is
 * found or created through {@link StreamOps}.
 */
public final class StreamCommands {
    private StreamCommands() {}

    static void register(CommandTable t) {
        t.register("xadd", StreamCommands::xadd);
        t.register("xlen", StreamCommands::xlen);
        t.register("xrange", c -> range(c, false));
        t.register("xrevrange", c -> range(c, true));
        t.register("xdel", StreamCommands::xdel);
        t.register("xtrim", StreamCommands::xtrim);
        t.register("xread", c -> read(c, false));
        t.register("xreadgroup", c -> read(c, true));
        t.register("xsetid", StreamCommands::xsetid);
    }

    private static final int ABSENT = TypedLookup.ABSENT, REPLIED = TypedLookup.REPLIED;

    // ------------------------------------------------------------ IDs

    /**
     * Redis's streamGenericParseIDOrReply: {@code ms[-seq]}, with {@code -} and {@code +}
     * unless strict; a missing seq is {@code missingSeq}. With {@code seqGiven} non-null the
     * {@code ms-*} form is accepted and seqGiven[0] tells whether the seq was given. Null after
     * replying.
     */
    static Stream.Id parseId(Call c, int arg, long missingSeq, boolean strict, boolean[] seqGiven) {
        CommandArgs a = c.args;
        Stream.Id id = parseId(a.data(), a.offset(arg), a.length(arg), missingSeq, strict, seqGiven);
        if (id == null) c.reply.error(Errors.STREAM_INVALID_ID);
        return id;
    }

    private static Stream.Id parseId(byte[] d, int off, int len, long missingSeq, boolean strict, boolean[] seqGiven) {
        if (len > 127) return null;
        if (len == 1 && (d[off] == '-' || d[off] == '+')) {
            if (strict) return null;
            return d[off] == '-' ? Stream.Id.MIN : Stream.Id.MAX;
        }
        if (seqGiven != null) seqGiven[0] = true;
        int dash = -1;
        for (int i = 0; i < len; i++) {
            if (d[off + i] == '-') {
                dash = i;
                break;
            }
        }
        long[] v = new long[1];
        if (!parseUnsigned(d, off, dash < 0 ? len : dash, v)) return null;
        long ms = v[0], seq;
        if (dash >= 0) {
            int sOff = off + dash + 1, sLen = len - dash - 1;
            if (seqGiven != null && sLen == 1 && d[sOff] == '*') {
                seq = 0;
                seqGiven[0] = false;
            } else if (parseUnsigned(d, sOff, sLen, v)) {
                seq = v[0];
            } else {
                return null;
            }
        } else {
            seq = missingSeq;
        }
        return new Stream.Id(ms, seq);
    }

    /** A strict ID (no {@code -}/{@code +}), or null without replying (XCLAIM's IDs end at the first that is not one). */
    static Stream.Id parseIdQuiet(CommandArgs a, int arg) {
        return parseId(a.data(), a.offset(arg), a.length(arg), 0, true, null);
    }

    /** Redis's string2ull: a non-negative long, else what strtoull accepts in full (sign and leading spaces allowed). */
    private static boolean parseUnsigned(byte[] d, int off, int len, long[] out) {
        if (io.jackdaw.types.Bytes.parseLong(d, off, len, out)) return out[0] >= 0;
        int p = off, end = off + len;
        while (p < end && (d[p] == ' ' || (d[p] >= '\t' && d[p] <= '\r'))) p++;
        boolean negative = false;
        if (p < end && (d[p] == '+' || d[p] == '-')) negative = d[p++] == '-';
        if (p == end) return false;
        long v = 0;
        for (; p < end; p++) {
            int digit = d[p] - '0';
            if (digit < 0 || digit > 9) return false;
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) return false;
            long next = v * 10 + digit;
            if (Long.compareUnsigned(next, v * 10) < 0) return false;
            v = next;
        }
        out[0] = negative ? -v : v;
        return true;
    }

    static void replyId(Reply r, Stream.Id id) { r.bulk(id.toString()); }

    static void replyEntry(Reply r, Stream.Entry e) {
        r.array(2);
        replyId(r, e.id());
        byte[][] fv = e.fieldsAndValues();
        if (fv == null) { // a pending entry deleted from the stream
            r.nullArray();
            return;
        }
        r.array(fv.length);
        for (byte[] b : fv) r.bulk(b);
    }

    // ------------------------------------------------------------ trimming options

    /** XADD's and XTRIM's options (Redis's streamAddTrimArgs). */
    static final class TrimArgs {
        static final int NONE = 0, MAXLEN = 1, MINID = 2;
        int strategy = NONE;
        boolean approx, noMkStream, idGiven;
        boolean[] seqGiven = {true};
        long maxLen, limit;
        Stream.Id minId, id;
        /** The ID's argument (XADD), or -1 after replying. */
        int idArg;
    }

    /** MAXLEN's and LIMIT's count: the value, or -1 after replying NOT_INTEGER or the given error. */
    private static long nonNegative(Call c, int arg, String negativeError) {
        if (!c.args.parseLong(arg)) {
            c.reply.error(Errors.NOT_INTEGER);
            return -1;
        }
        if (c.args.lastLong() < 0) {
            c.reply.error(negativeError);
            return -1;
        }
        return c.args.lastLong();
    }

    /** Redis's streamParseAddOrTrimArgsOrReply; null after replying. */
    static TrimArgs parseTrimArgs(Call c, boolean xadd) {
        CommandArgs a = c.args;
        TrimArgs t = new TrimArgs();
        boolean limitGiven = false;
        int i = 2;
        for (; i < a.count(); i++) {
            int more = a.count() - 1 - i;
            if (xadd && a.length(i) == 1 && a.data()[a.offset(i)] == '*') {
                break;
            } else if (a.is(i, "MAXLEN") && more > 0 || a.is(i, "MINID") && more > 0) {
                boolean maxlen = a.is(i, "MAXLEN");
                if (t.strategy != TrimArgs.NONE) {
                    c.reply.error(Errors.STREAM_MAXLEN_AND_MINID);
                    return null;
                }
                t.approx = false;
                if (more >= 2 && a.length(i + 1) == 1 && a.data()[a.offset(i + 1)] == '~') {
                    t.approx = true;
                    i++;
                } else if (more >= 2 && a.length(i + 1) == 1 && a.data()[a.offset(i + 1)] == '=') {
                    i++;
                }
                if (maxlen) {
                    t.maxLen = nonNegative(c, i + 1, Errors.STREAM_MAXLEN_NEGATIVE);
                    if (t.maxLen < 0) return null;
                    t.strategy = TrimArgs.MAXLEN;
                } else {
                    t.minId = parseId(c, i + 1, 0, true, null);
                    if (t.minId == null) return null;
                    t.strategy = TrimArgs.MINID;
                }
                i++;
            } else if (a.is(i, "LIMIT") && more > 0) {
                t.limit = nonNegative(c, i + 1, Errors.STREAM_LIMIT_NEGATIVE);
                if (t.limit < 0) return null;
                limitGiven = true;
                i++;
            } else if (xadd && a.is(i, "NOMKSTREAM")) {
                t.noMkStream = true;
            } else if (xadd) {
                t.id = parseId(c, i, 0, true, t.seqGiven);
                if (t.id == null) return null;
                t.idGiven = true;
                break;
            } else {
                c.reply.error(Errors.SYNTAX);
                return null;
            }
        }
        t.idArg = i;
        if (t.limit != 0 && t.strategy == TrimArgs.NONE) {
            c.reply.error(Errors.STREAM_LIMIT_WITHOUT_STRATEGY);
            return null;
        }
        if (!xadd && t.strategy == TrimArgs.NONE) {
            c.reply.error(Errors.STREAM_XTRIM_NEEDS_STRATEGY);
            return null;
        }
        if (limitGiven) {
            if (!t.approx) {
                c.reply.error(Errors.STREAM_LIMIT_WITHOUT_APPROX);
                return null;
            }
        } else if (t.approx) {
            // Redis bounds the work of an approximate trim when no LIMIT is given.
            t.limit = 100 * c.server.config().getLong("stream-node-max-entries");
            if (t.limit <= 0) t.limit = 10_000;
            if (t.limit > 1_000_000) t.limit = 1_000_000;
        }
        return t;
    }

    private static long trim(Stream s, TrimArgs t) {
        return t.strategy == TrimArgs.MAXLEN ? s.trim(t.maxLen, null, t.approx, t.limit)
                : s.trim(0, t.minId, t.approx, t.limit);
    }

    // ------------------------------------------------------------ commands

    /** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
    static void xadd(Call c) {
        CommandArgs a = c.args;
        TrimArgs t = parseTrimArgs(c, true);
        if (t == null) return;
        int fieldsAt = t.idArg + 1;
        int n = a.count() - fieldsAt;
        if (n < 2 || n % 2 == 1) {
            c.reply.error(Errors.wrongArity(c.spec.name));
            return;
        }
        if (t.idGiven && t.seqGiven[0] && t.id.ms() == 0 && t.id.seq() == 0) {
            c.reply.error(Errors.STREAM_ID_ZERO);
            return;
        }
        StreamOps.Handle h = StreamOps.openWrite(c.db, a.data(), a.offset(1), a.length(1));
        if (h == null) {
            c.reply.error(Errors.WRONGTYPE);
            return;
        }
        if (h.stream == null) {
            if (t.noMkStream) {
                c.reply.nullBulk();
                return;
            }
            h.stream = new Stream();
        }
        Stream s = h.stream;
        if (s.lastId().equals(Stream.Id.MAX)) {
            c.reply.error(Errors.STREAM_EXHAUSTED);
            return;
        }
        Stream.Id id;
        if (!t.idGiven) {
            id = s.nextAutoId(c.now);
        } else if (!t.seqGiven[0]) {
            // ms-*: the next seq within ms, or 0 when ms is past the last ID's.
            int cmp = Long.compareUnsigned(t.id.ms(), s.lastId().ms());
            if (cmp == 0) id = s.lastId().seq() == -1L ? null : new Stream.Id(t.id.ms(), s.lastId().seq() + 1);
            else id = cmp > 0 ? new Stream.Id(t.id.ms(), 0) : null;
        } else {
            id = t.id.compareTo(s.lastId()) > 0 ? t.id : null;
        }
        if (id == null) {
            c.reply.error(Errors.STREAM_ID_TOO_SMALL);
            return;
        }
        int[] offs = new int[n], lens = new int[n];
        for (int i = 0; i < n; i++) {
            offs[i] = a.offset(fieldsAt + i);
            lens[i] = a.length(fieldsAt + i);
        }
        s.append(id, a.data(), offs, lens, 0, n, c.server.config().getLong("stream-node-max-bytes"),
                c.server.config().getLong("stream-node-max-entries"));
        replyId(c.reply, id);
        c.dirty++;
        KeyspaceEvents.notify(c, KeyspaceEvents.STREAM, "xadd", 1);
        if (t.strategy != TrimArgs.NONE && trim(s, t) > 0) {
            KeyspaceEvents.notify(c, KeyspaceEvents.STREAM, "xtrim", 1);
        }
        if (c.propagating() && (!t.idGiven || !t.seqGiven[0] || t.approx)) {
            // Replayed with the ID it generated and, after an approximate trim, the exact result
            // (Redis's rewrite): XADD key [MAXLEN|MINID = threshold] id field value ...
            Propagation p = c.propagateAs(2 + (t.strategy != TrimArgs.NONE ? 3 : 0) + 1 + n).arg(a, 0).arg(a, 1);
            if (t.strategy != TrimArgs.NONE) exactTrim(p, s, t);
            p.arg(id.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (int i = 0; i < n; i++) p.arg(a, fieldsAt + i);
        }
        h.save(c.db, true);
    }

    /** MAXLEN|MINID = threshold, what an approximate trim left: the length, or the first ID (as Redis's streamRewriteTrimArgument). */
    private static void exactTrim(Propagation p, Stream s, TrimArgs t) {
        p.arg(t.strategy == TrimArgs.MAXLEN ? "MAXLEN" : "MINID").arg("=");
        if (!t.approx) {
            if (t.strategy == TrimArgs.MAXLEN) p.arg(t.maxLen);
            else p.arg(t.minId.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } else if (t.strategy == TrimArgs.MAXLEN) {
            p.arg(s.length());
        } else {
            Stream.Id first = s.length() == 0 ? t.minId : s.firstId();
            p.arg(first.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    /** XLEN key */
    static void xlen(Call c) {
        int r = TypedLookup.read(c, 1, ValueType::isStream);
        if (r == REPLIED) return;
        c.reply.integer(r == ABSENT ? 0 : ((Stream) c.db.foundObject()).length());
    }

    /** XRANGE key start end [COUNT n] and XREVRANGE key end start [COUNT n]. */
    static void range(Call c, boolean reverse) {
        CommandArgs a = c.args;
        int startArg = reverse ? 3 : 2, endArg = reverse ? 2 : 3;
        boolean[] ex = new boolean[1];
        Stream.Id start = intervalId(c, startArg, 0, ex);
        if (start == null) return;
        if (ex[0] && (start = start.next()) == null) {
            c.reply.error(Errors.STREAM_INVALID_START);
            return;
        }
        Stream.Id end = intervalId(c, endArg, -1L, ex);
        if (end == null) return;
        if (ex[0] && (end = end.previous()) == null) {
            c.reply.error(Errors.STREAM_INVALID_END);
            return;
        }
        long count = -1;
        for (int j = 4; j < a.count(); j++) {
            if (a.is(j, "COUNT") && j + 1 < a.count()) {
                if (!a.parseLong(j + 1)) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                count = Math.max(0, a.lastLong());
                j++;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        int r = TypedLookup.read(c, 1, ValueType::isStream);
        if (r == REPLIED) return;
        if (r == ABSENT) {
            c.reply.array(0);
            return;
        }
        if (count == 0) {
            c.reply.nullArray();
            return;
        }
        Stream s = (Stream) c.db.foundObject();
        java.util.ArrayList<Stream.Entry> out = new java.util.ArrayList<>();
        long limit = count;
        s.range(start, end, reverse, e -> {
            out.add(e);
            return limit < 0 || out.size() < limit;
        });
        c.reply.array(out.size());
        for (Stream.Entry e : out) replyEntry(c.reply, e);
    }

    /** Redis's streamParseIntervalIDOrReply: an ID, {@code -}, {@code +}, or {@code (id} (exclusive, ex[0] set). */
    static Stream.Id intervalId(Call c, int arg, long missingSeq, boolean[] ex) {
        CommandArgs a = c.args;
        int len = a.length(arg);
        ex[0] = len > 1 && a.data()[a.offset(arg)] == '(';
        Stream.Id id = ex[0] ? parseId(a.data(), a.offset(arg) + 1, len - 1, missingSeq, true, null)
                : parseId(a.data(), a.offset(arg), len, missingSeq, false, null);
        if (id == null) c.reply.error(Errors.STREAM_INVALID_ID);
        return id;
    }

    /** XDEL key id [id ...]: IDs are all checked before anything is deleted. */
    static void xdel(Call c) {
        CommandArgs a = c.args;
        StreamOps.Handle h = StreamOps.openWrite(c.db, a.data(), a.offset(1), a.length(1));
        if (h == null) {
            c.reply.error(Errors.WRONGTYPE);
            return;
        }
        if (h.stream == null) {
            c.reply.integer(0);
            return;
        }
        Stream.Id[] ids = new Stream.Id[a.count() - 2];
        for (int j = 2; j < a.count(); j++) {
            if ((ids[j - 2] = parseId(c, j, 0, true, null)) == null) return;
        }
        long deleted = 0;
        for (Stream.Id id : ids) if (h.stream.delete(id)) deleted++;
        if (deleted > 0) {
            c.dirty += deleted;
            KeyspaceEvents.notify(c, KeyspaceEvents.STREAM, "xdel", 1);
            h.save(c.db);
        }
        c.reply.integer(deleted);
    }

    /** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
    static void xtrim(Call c) {
        CommandArgs a = c.args;
        TrimArgs t = parseTrimArgs(c, false);
        if (t == null) return;
        StreamOps.Handle h = StreamOps.openWrite(c.db, a.data(), a.offset(1), a.length(1));
        if (h == null) {
            c.reply.error(Errors.WRONGTYPE);
            return;
        }
        if (h.stream == null) {
            c.reply.integer(0);
            return;
        }
        long removed = trim(h.stream, t);
        if (removed > 0) {
            c.dirty += removed;
            if (t.approx) exactTrim(c.propagateAs(5).arg(a, 0).arg(a, 1), h.stream, t);
            KeyspaceEvents.notify(c, KeyspaceEvents.STREAM, "xtrim", 1);
            h.save(c.db);
        }
        c.reply.integer(removed);
    }

    /**
     * XREAD [COUNT count] [BLOCK ms] STREAMS key [key ...] id [id ...] and
     * XREADGROUP GROUP group consumer [COUNT count] [BLOCK ms] [NOACK] STREAMS key [key ...] id [id ...]
     * (Redis's xreadCommand serves both).
     *
     * <p>XREAD reads entries above each ID; {@code $} is the stream's last ID now, {@code +}
     * reads the last entry (Valkey's and Redis 7.4's form). XREADGROUP with {@code >} delivers
     * entries the group has not delivered yet, recording them as pending for the consumer
     * unless NOACK; with an explicit ID it re-reads the consumer's own pending entries above
     * it. With BLOCK and nothing to read the client waits; {@code $} is then replaced by the
     * ID it stood for, so the re-run on a new entry reads from there. A waiting XREADGROUP is
     * also re-run when its key is deleted or its group destroyed, and then fails as Redis's does.
     */
    static void read(Call c, boolean xreadgroup) {
        CommandArgs a = c.args;
        long deadline = -1, count = 0;
        int streamsArg = 0, streams = 0, groupArg = 0;
        boolean noAck = false;
        for (int i = 1; i < a.count(); i++) {
            int more = a.count() - i - 1;
            if (a.is(i, "BLOCK") && more > 0) {
                i++;
                if ((deadline = blockDeadline(c, i)) < 0) return;
            } else if (a.is(i, "COUNT") && more > 0) {
                i++;
                if (!a.parseLong(i)) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                count = Math.max(0, a.lastLong());
            } else if (a.is(i, "STREAMS") && more > 0) {
                streamsArg = i + 1;
                streams = a.count() - streamsArg;
                if (streams % 2 != 0) {
                    c.reply.error(Errors.streamUnbalanced(c.spec.name, xreadgroup ? '>' : '$'));
                    return;
                }
                streams /= 2;
                break;
            } else if (a.is(i, "GROUP") && more >= 2) {
                if (!xreadgroup) {
                    c.reply.error(Errors.STREAM_GROUP_ONLY_XREADGROUP);
                    return;
                }
                groupArg = i + 1;
                i += 2;
            } else if (a.is(i, "NOACK")) {
                if (!xreadgroup) {
                    c.reply.error(Errors.STREAM_NOACK_ONLY_XREADGROUP);
                    return;
                }
                noAck = true;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        if (streamsArg == 0) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        if (xreadgroup && groupArg == 0) {
            c.reply.error(Errors.STREAM_MISSING_GROUP);
            return;
        }
        Stream.Id[] after = new Stream.Id[streams];
        boolean[] dollar = new boolean[streams];
        StreamGroup[] groups = groupArg == 0 ? null : new StreamGroup[streams];
        byte[] groupName = groupArg == 0 ? null : a.bytes(groupArg);
        for (int i = 0; i < streams; i++) {
            int keyArg = streamsArg + i, idArg = keyArg + streams;
            Stream s = readStream(c, keyArg);
            if (s == WRONG_TYPE) return;
            if (groups != null && (s == null || (groups[i] = s.group(groupName)) == null)) {
                c.reply.error(Errors.noGroupXreadgroup(a, keyArg, groupArg));
                return;
            }
            if (a.length(idArg) == 1 && a.data()[a.offset(idArg)] == '$') {
                if (xreadgroup) {
                    c.reply.error(Errors.STREAM_DOLLAR_IN_XREADGROUP);
                    return;
                }
                after[i] = s == null ? Stream.Id.MIN : s.lastId();
                dollar[i] = true;
            } else if (!xreadgroup && a.length(idArg) == 1 && a.data()[a.offset(idArg)] == '+') {
                after[i] = s == null || s.lastId().previous() == null ? Stream.Id.MIN : s.lastId().previous();
            } else if (a.length(idArg) == 1 && a.data()[a.offset(idArg)] == '>') {
                if (!xreadgroup) {
                    c.reply.error(Errors.STREAM_GT_ONLY_XREADGROUP);
                    return;
                }
                after[i] = Stream.Id.MAX; // as Redis: the greatest ID stands for ">"
            } else if ((after[i] = parseId(c, idArg, 0, true, null)) == null) {
                return;
            }
        }
        // Serve at once what can be served: one [key, entries] pair per stream that has something.
        java.util.List<Integer> served = new java.util.ArrayList<>();
        java.util.List<java.util.List<Stream.Entry>> results = new java.util.ArrayList<>();
        for (int i = 0; i < streams; i++) {
            Stream s = readStream(c, streamsArg + i); // Redis looks each key up again here, counting it again
            if (s == null) continue;
            java.util.List<Stream.Entry> out;
            if (groups != null) {
                StreamGroup g = groups[i];
                StreamGroup.Consumer consumer = consumerFor(c, g, a.bytes(groupArg + 1), streamsArg + i);
                consumer.seenTime = c.now;
                if (!after[i].equals(Stream.Id.MAX)) {
                    out = pendingHistory(c, s, consumer, after[i].next(), count);
                } else if (s.length() > 0 && s.lastLiveId().compareTo(g.lastId) > 0) {
                    out = deliverNew(c, s, g, consumer, count, noAck);
                } else {
                    continue;
                }
                c.dirty++;
            } else {
                if (s.length() == 0) continue;
                Stream.Id from = after[i].next();
                if (from == null) continue;
                out = new java.util.ArrayList<>();
                java.util.List<Stream.Entry> list = out;
                long limit = count;
                s.range(from, Stream.Id.MAX, false, e -> {
                    list.add(e);
                    return limit == 0 || list.size() < limit;
                });
                if (out.isEmpty()) continue;
            }
            served.add(i);
            results.add(out);
        }
        if (!served.isEmpty()) {
            if (c.reply.protocol() == 2) c.reply.array(served.size());
            else c.reply.map(served.size());
            for (int j = 0; j < served.size(); j++) {
                if (c.reply.protocol() == 2) c.reply.array(2);
                int keyArg = streamsArg + served.get(j);
                c.reply.bulk(a.data(), a.offset(keyArg), a.length(keyArg));
                c.reply.array(results.get(j).size());
                for (Stream.Entry e : results.get(j)) replyEntry(c.reply, e);
            }
            return;
        }
        if (deadline < 0 || Blocking.denied(c)) {
            c.reply.nullArray();
            return;
        }
        CommandArgs rerun = a;
        if (!c.serving) {
            boolean any = false;
            for (boolean d : dollar) any |= d;
            if (any) {
                rerun = new CommandArgs();
                for (int j = 0; j < a.count(); j++) {
                    int i = j - streamsArg - streams;
                    if (i >= 0 && dollar[i]) rerun.add(after[i].toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    else rerun.add(a.bytes(j));
                }
            }
        }
        Blocking.block(c, xreadgroup ? io.jackdaw.store.Waiter.Kind.STREAM_GROUP : io.jackdaw.store.Waiter.Kind.STREAM,
                streamsArg, streams, deadline, rerun);
    }

    /** The named consumer of a group, created (with its event and dirty count, as Redis) when new. */
    static StreamGroup.Consumer consumerFor(Call c, StreamGroup g, byte[] name, int keyArg) {
        StreamGroup.Consumer consumer = g.consumer(name);
        if (consumer != null) return consumer;
        consumer = g.createConsumer(name, c.now);
        c.dirty++;
        KeyspaceEvents.notify(c, KeyspaceEvents.STREAM, "xgroup-createconsumer", keyArg);
        return consumer;
    }

    /**
     * XREADGROUP's {@code >}: entries above the group's last delivered ID, moving it on and,
     * unless NOACK, recording each as pending for the consumer.
     */
    private static java.util.List<Stream.Entry> deliverNew(Call c, Stream s, StreamGroup g, StreamGroup.Consumer consumer,
            long count, boolean noAck) {
        java.util.List<Stream.Entry> out = new java.util.ArrayList<>();
        Stream.Id from = g.lastId.next();
        if (from == null) return out;
        s.range(from, Stream.Id.MAX, false, e -> {
            out.add(e);
            return count == 0 || out.size() < count;
        });
        for (Stream.Entry e : out) {
            s.advanceGroup(g, e.id());
            if (!noAck) g.deliver(e.id(), consumer, c.now);
        }
        return out;
    }

    /**
     * XREADGROUP with an ID: the consumer's own pending entries from {@code from}, each counted
     * as delivered again; one no longer in the stream comes back as its ID and a null.
     */
    private static java.util.List<Stream.Entry> pendingHistory(Call c, Stream s, StreamGroup.Consumer consumer, Stream.Id from,
            long count) {
        java.util.List<Stream.Entry> out = new java.util.ArrayList<>();
        if (from == null) return out;
        for (java.util.Map.Entry<Stream.Id, StreamGroup.Pending> p : consumer.pending.tailMap(from, true).entrySet()) {
            if (count != 0 && out.size() >= count) break;
            Stream.Entry e = s.entry(p.getKey());
            if (e == null) {
                out.add(new Stream.Entry(p.getKey(), null));
            } else {
                p.getValue().deliveryTime = c.now;
                p.getValue().deliveryCount++;
                out.add(e);
            }
        }
        return out;
    }

    /** What {@link #readStream} returns after replying WRONGTYPE. */
    static final Stream WRONG_TYPE = new Stream();

    /** The stream at a key (a hit or miss counted), null when absent, {@link #WRONG_TYPE} after replying. */
    static Stream readStream(Call c, int arg) {
        int r = TypedLookup.read(c, arg, ValueType::isStream);
        if (r == REPLIED) return WRONG_TYPE;
        return r == ABSENT ? null : (Stream) c.db.foundObject();
    }


    /** XREAD's BLOCK milliseconds (Redis's getTimeoutFromObjectOrReply in ms): the deadline, 0 for none, -1 after replying. */
    private static long blockDeadline(Call c, int arg) {
        if (!c.args.parseLong(arg)) {
            c.reply.error(Errors.TIMEOUT_NOT_INTEGER);
            return -1;
        }
        long ms = c.args.lastLong();
        if (ms < 0) {
            c.reply.error(Errors.TIMEOUT_NEGATIVE);
            return -1;
        }
        if (ms == 0) return 0;
        if (ms > Long.MAX_VALUE - c.now) {
            c.reply.error(Errors.TIMEOUT_OUT_OF_RANGE);
            return -1;
        }
        return c.now + ms;
    }

    /** XSETID key last-id [ENTRIESADDED n] [MAXDELETEDID id]: sets the stream's counters, keeping IDs monotonic. */
    static void xsetid(Call c) {
        CommandArgs a = c.args;
        Stream.Id id = parseId(c, 2, 0, true, null);
        if (id == null) return;
        long entriesAdded = -1;
        Stream.Id maxDeleted = Stream.Id.MIN;
        for (int i = 3; i < a.count(); i += 2) {
            boolean more = i + 1 < a.count();
            if (a.is(i, "ENTRIESADDED") && more) {
                if (!a.parseLong(i + 1)) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                if ((entriesAdded = a.lastLong()) < 0) {
                    c.reply.error(Errors.STREAM_ENTRIES_ADDED_NEGATIVE);
                    return;
                }
            } else if (a.is(i, "MAXDELETEDID") && more) {
                if ((maxDeleted = parseId(c, i + 1, 0, true, null)) == null) return;
                if (id.compareTo(maxDeleted) < 0) {
                    c.reply.error(Errors.STREAM_SETID_BELOW_GIVEN_MAXDELETED);
                    return;
                }
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        StreamOps.Handle h = StreamOps.openWrite(c.db, a.data(), a.offset(1), a.length(1));
        if (h == null) {
            c.reply.error(Errors.WRONGTYPE);
            return;
        }
        if (h.stream == null) {
            c.reply.error(Errors.NO_SUCH_KEY);
            return;
        }
        Stream s = h.stream;
        if (id.compareTo(s.maxDeletedId()) < 0) {
            c.reply.error(Errors.STREAM_SETID_BELOW_MAXDELETED);
            return;
        }
        if (s.length() > 0) {
            if (id.compareTo(s.lastLiveId()) < 0) {
                c.reply.error(Errors.STREAM_SETID_BELOW_TOP);
                return;
            }
            if (entriesAdded != -1 && s.length() > entriesAdded) {
                c.reply.error(Errors.STREAM_SETID_ENTRIES_BELOW_LENGTH);
                return;
            }
        }
        s.setLastId(id);
        if (entriesAdded != -1) s.setEntriesAdded(entriesAdded);
        if (!maxDeleted.equals(Stream.Id.MIN)) s.setMaxDeletedId(maxDeleted);
        c.reply.ok();
        c.dirty++;
        KeyspaceEvents.notify(c, KeyspaceEvents.STREAM, "xsetid", 1);
    }
}
