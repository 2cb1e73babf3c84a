package io.jackdaw.command;

import io.jackdaw.store.StreamOps;
import io.jackdaw.types.Stream;
import io.jackdaw.types.StreamGroup;
import java.util.List;
import java.util.Map;

/**
 * Consumer groups: XGROUP's subcommands, XACK, XPENDING, XCLAIM and XAUTOCLAIM (XREADGROUP
 * shares XREAD's code in {@link StreamCommands}). The groups, consumers and pending entries
 * live in {@link StreamGroup}; the order of checks and errors follows Redis 7.2's t_stream.c.
 */
public final class StreamGroupCommands {
    private StreamGroupCommands() {}

    static void register(CommandTable t) {
        t.register("xgroup|create", StreamGroupCommands::create);
        t.register("xgroup|setid", StreamGroupCommands::setid);
        t.register("xgroup|destroy", StreamGroupCommands::destroy);
        t.register("xgroup|createconsumer", StreamGroupCommands::createConsumer);
        t.register("xgroup|delconsumer", StreamGroupCommands::delConsumer);
        t.register("xgroup|help", c -> Help.reply(c, "XGROUP", HELP));
        t.register("xack", StreamGroupCommands::xack);
        t.register("xpending", StreamGroupCommands::xpending);
        t.register("xclaim", StreamGroupCommands::xclaim);
        t.register("xautoclaim", StreamGroupCommands::xautoclaim);
    }

    private static final List<String> HELP = List.of(
            "CREATE <key> <groupname> <id|$> [option]",
            "    Make a consumer group that starts after <id> ($: the stream's last entry). Options:",
            "    * MKSTREAM",
            "      Make an empty stream first when the key does not exist.",
            "    * ENTRIESREAD entries_read",
            "      Start the group's count of entries read at this number (used by replication).",
            "CREATECONSUMER <key> <groupname> <consumer>",
            "    Add a consumer to the group.",
            "DELCONSUMER <key> <groupname> <consumer>",
            "    Remove a consumer and its pending entries.",
            "DESTROY <key> <groupname>",
            "    Remove the group with its consumers and pending entries.",
            "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
            "    Move the group's last delivered ID, and set its count of entries read.");

    // ------------------------------------------------------------ XGROUP

    /** What every XGROUP subcommand but HELP starts with: options, the key, the group. */
    private static final class Target {
        StreamOps.Handle handle;
        StreamGroup group;
        boolean mkStream;
        long entriesRead = StreamGroup.ENTRIES_READ_UNKNOWN;
    }

    /**
     * Redis's common start of xgroupCommand: options from argument 5 (MKSTREAM for CREATE,
     * ENTRIESREAD for CREATE and SETID), the key looked up for writing, and unless MKSTREAM
     * the key required, and the group for SETID, CREATECONSUMER and DELCONSUMER. Null after replying.
     */
    private static Target target(Call c, boolean create, boolean setid, boolean needsGroup) {
        CommandArgs a = c.args;
        Target t = new Target();
        for (int i = 5; i < a.count(); ) {
            if (create && a.is(i, "MKSTREAM")) {
                t.mkStream = true;
                i++;
            } else if ((create || setid) && a.is(i, "ENTRIESREAD") && i + 1 < a.count()) {
                if (!a.parseLong(i + 1)) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return null;
                }
                t.entriesRead = a.lastLong();
                if (t.entriesRead < 0 && t.entriesRead != StreamGroup.ENTRIES_READ_UNKNOWN) {
                    c.reply.error(Errors.STREAM_ENTRIES_READ);
                    return null;
                }
                i += 2;
            } else {
                c.reply.error(Errors.subcommandSyntax(a, "XGROUP"));
                return null;
            }
        }
        t.handle = StreamOps.openWrite(c.db, a.data(), a.offset(2), a.length(2));
        if (t.handle == null) {
            c.reply.error(Errors.WRONGTYPE);
            return null;
        }
        Stream s = t.handle.stream;
        if (s != null) t.group = s.group(a.bytes(3));
        if (!t.mkStream) {
            if (s == null) {
                c.reply.error(Errors.STREAM_XGROUP_NEEDS_KEY);
                return null;
            }
            if (t.group == null && needsGroup) {
                c.reply.error(Errors.noGroupForKey(a, 2, 3));
                return null;
            }
        }
        return t;
    }

    /** The group's last-delivered ID from argument 4: `$` is the stream's last ID (0-0 before MKSTREAM); null after an error reply. */
    private static Stream.Id startId(Call c, Stream s, boolean strict) {
        CommandArgs a = c.args;
        if (a.length(4) == 1 && a.data()[a.offset(4)] == '$') return s == null ? Stream.Id.MIN : s.lastId();
        return StreamCommands.parseId(c, 4, 0, strict, null);
    }

    /** XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n] */
    static void create(Call c) {
        CommandArgs a = c.args;
        Target t = target(c, true, false, false);
        if (t == null) return;
        if (a.count() > 8) {
            c.reply.error(Errors.subcommandSyntax(a, "XGROUP"));
            return;
        }
        Stream s = t.handle.stream;
        Stream.Id id = startId(c, s, true);
        if (id == null) return;
        if (s == null) { // MKSTREAM, now that nothing can fail
            s = t.handle.stream = new Stream();
            t.handle.save(c.db);
        }
        if (s.createGroup(a.bytes(3), id, t.entriesRead) == null) {
            c.reply.error(Errors.STREAM_BUSYGROUP);
            return;
        }
        c.reply.ok();
        c.dirty++;
        KeyspaceEvents.notify(c, KeyspaceEvents.STREAM, "xgroup-create", 2);
    }

    /** XGROUP SETID key group id|$ [ENTRIESREAD n] */
    static void setid(Call c) {
        CommandArgs a = c.args;
        Target t = target(c, false, true, true);
        if (t == null) return;
        if (a.count() != 5 && a.count() != 7) {
            c.reply.error(Errors.subcommandSyntax(a, "XGROUP"));
            return;
        }
        Stream.Id id = startId(c, t.handle.stream, false);
        if (id == null) return;
        t.group.lastId = id;
        t.group.entriesRead = t.entriesRead;
        c.reply.ok();
        c.dirty++;
        KeyspaceEvents.notify(c, KeyspaceEvents.STREAM, "xgroup-setid", 2);
    }

    /** XGROUP DESTROY key group: 1 when it existed. Waiting XREADGROUPs on it then fail with NOGROUP. */
    static void destroy(Call c) {
        CommandArgs a = c.args;
        Target t = target(c, false, false, false);
        if (t == null) return;
        if (t.group == null) {
            c.reply.integer(0);
            return;
        }
        t.handle.stream.destroyGroup(a.bytes(3));
        c.reply.integer(1);
        c.dirty++;
        KeyspaceEvents.notify(c, KeyspaceEvents.STREAM, "xgroup-destroy", 2);
        t.handle.save(c.db);
        c.db.signalReady(a.data(), a.offset(2), a.length(2));
    }

    /** XGROUP CREATECONSUMER key group consumer: 1 when created, 0 when it existed. */
    static void createConsumer(Call c) {
        CommandArgs a = c.args;
        Target t = target(c, false, false, true);
        if (t == null) return;
        if (t.group.consumer(a.bytes(4)) != null) {
            c.reply.integer(0);
            return;
        }
        StreamCommands.consumerFor(c, t.group, a.bytes(4), 2);
        t.handle.save(c.db);
        c.reply.integer(1);
    }

    /** XGROUP DELCONSUMER key group consumer: how many entries it had pending (they are dropped). */
    static void delConsumer(Call c) {
        CommandArgs a = c.args;
        Target t = target(c, false, false, true);
        if (t == null) return;
        StreamGroup.Consumer consumer = t.group.consumer(a.bytes(4));
        long pending = 0;
        if (consumer != null) {
            pending = t.group.deleteConsumer(consumer);
            c.dirty++;
            KeyspaceEvents.notify(c, KeyspaceEvents.STREAM, "xgroup-delconsumer", 2);
            t.handle.save(c.db);
        }
        c.reply.integer(pending);
    }

    // ------------------------------------------------------------ XACK, XPENDING

    /** The stream at argument 1, as {@link StreamCommands#readStream}. */
    private static Stream lookup(Call c) { return StreamCommands.readStream(c, 1); }

    private static final Stream WRONG = StreamCommands.WRONG_TYPE;

    /** XACK key group id [id ...]: all IDs are checked before any is acknowledged. */
    static void xack(Call c) {
        CommandArgs a = c.args;
        Stream s = lookup(c);
        if (s == WRONG) return;
        StreamGroup g = s == null ? null : s.group(a.bytes(2));
        if (g == null) {
            c.reply.integer(0);
            return;
        }
        Stream.Id[] ids = new Stream.Id[a.count() - 3];
        for (int j = 3; j < a.count(); j++) {
            if ((ids[j - 3] = StreamCommands.parseId(c, j, 0, true, null)) == null) return;
        }
        long acknowledged = 0;
        for (Stream.Id id : ids) if (g.acknowledge(id)) acknowledged++;
        if (acknowledged > 0) {
            c.dirty += acknowledged;
            resized(c, 1);
        }
        c.reply.integer(acknowledged);
    }

    /** Tells the store a stream at an argument changed size in place. */
    private static void resized(Call c, int keyArg) {
        CommandArgs a = c.args;
        if (c.db.findNoTouch(a.data(), a.offset(keyArg), a.length(keyArg))) c.db.foundObjectResized();
    }

    /**
     * XPENDING key group [[IDLE min-idle] start end count [consumer]]: the summary (count,
     * lowest and highest ID, entries per consumer), or the pending entries in a range.
     */
    static void xpending(Call c) {
        CommandArgs a = c.args;
        int n = a.count();
        if (n != 3 && (n < 6 || n > 9)) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        Stream.Id start = null, end = null;
        long count = 0, minIdle = 0;
        int consumerArg = -1;
        if (n >= 6) {
            int startArg = 3;
            if (a.is(3, "IDLE")) {
                if (!a.parseLong(4)) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                minIdle = a.lastLong();
                if (n < 8) {
                    c.reply.error(Errors.SYNTAX);
                    return;
                }
                startArg += 2;
            }
            if (!a.parseLong(startArg + 2)) {
                c.reply.error(Errors.NOT_INTEGER);
                return;
            }
            count = Math.max(0, a.lastLong());
            boolean[] ex = new boolean[1];
            if ((start = StreamCommands.intervalId(c, startArg, 0, ex)) == null) return;
            if (ex[0] && (start = start.next()) == null) {
                c.reply.error(Errors.STREAM_INVALID_START);
                return;
            }
            if ((end = StreamCommands.intervalId(c, startArg + 1, -1L, ex)) == null) return;
            if (ex[0] && (end = end.previous()) == null) {
                c.reply.error(Errors.STREAM_INVALID_END);
                return;
            }
            if (startArg + 3 < n) consumerArg = startArg + 3;
        }
        Stream s = lookup(c);
        if (s == WRONG) return;
        StreamGroup g = s == null ? null : s.group(a.bytes(2));
        if (g == null) {
            c.reply.error(Errors.noKeyOrGroup(a, 1, 2));
            return;
        }
        if (n == 3) {
            c.reply.array(4);
            c.reply.integer(g.pending.size());
            if (g.pending.isEmpty()) {
                c.reply.nullBulk();
                c.reply.nullBulk();
                c.reply.nullArray();
                return;
            }
            StreamCommands.replyId(c.reply, g.pending.firstKey());
            StreamCommands.replyId(c.reply, g.pending.lastKey());
            int owners = 0;
            for (StreamGroup.Consumer consumer : g.consumers.values()) if (!consumer.pending.isEmpty()) owners++;
            c.reply.array(owners);
            for (StreamGroup.Consumer consumer : g.consumers.values()) {
                if (consumer.pending.isEmpty()) continue;
                c.reply.array(2);
                c.reply.bulk(consumer.name);
                c.reply.bulkLong(consumer.pending.size());
            }
            return;
        }
        java.util.TreeMap<Stream.Id, StreamGroup.Pending> pel = g.pending;
        if (consumerArg >= 0) {
            StreamGroup.Consumer consumer = g.consumer(a.bytes(consumerArg));
            if (consumer == null) {
                c.reply.array(0);
                return;
            }
            pel = consumer.pending;
        }
        java.util.List<Map.Entry<Stream.Id, StreamGroup.Pending>> out = new java.util.ArrayList<>();
        if (start.compareTo(end) <= 0) {
            for (Map.Entry<Stream.Id, StreamGroup.Pending> e : pel.subMap(start, true, end, true).entrySet()) {
                if (out.size() >= count) break;
                if (minIdle != 0 && c.now - e.getValue().deliveryTime < minIdle) continue;
                out.add(e);
            }
        }
        c.reply.array(out.size());
        for (Map.Entry<Stream.Id, StreamGroup.Pending> e : out) {
            StreamGroup.Pending p = e.getValue();
            c.reply.array(4);
            StreamCommands.replyId(c.reply, e.getKey());
            c.reply.bulk(p.consumer.name);
            c.reply.integer(Math.max(0, c.now - p.deliveryTime));
            c.reply.integer(p.deliveryCount);
        }
    }

    // ------------------------------------------------------------ XCLAIM, XAUTOCLAIM

    /**
     * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms-unix-time]
     * [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID id]: gives the listed pending entries idle
     * at least min-idle-time to the consumer. Entries no longer in the stream leave the
     * pending list. The IDs end at the first argument that is not one.
     */
    static void xclaim(Call c) {
        CommandArgs a = c.args;
        Stream s = lookup(c);
        if (s == WRONG) return;
        StreamGroup g = s == null ? null : s.group(a.bytes(2));
        if (g == null) {
            c.reply.error(Errors.noKeyOrGroup(a, 1, 2));
            return;
        }
        if (!a.parseLong(4)) {
            c.reply.error(Errors.XCLAIM_MIN_IDLE);
            return;
        }
        long minIdle = Math.max(0, a.lastLong());
        java.util.List<Stream.Id> ids = new java.util.ArrayList<>();
        int j = 5;
        for (; j < a.count(); j++) {
            Stream.Id id = StreamCommands.parseIdQuiet(a, j);
            if (id == null) break;
            ids.add(id);
        }
        long retryCount = -1, deliveryTime = -1;
        boolean force = false, justId = false;
        Stream.Id lastId = Stream.Id.MIN;
        for (; j < a.count(); j++) {
            boolean more = j + 1 < a.count();
            if (a.is(j, "FORCE")) {
                force = true;
            } else if (a.is(j, "JUSTID")) {
                justId = true;
            } else if (a.is(j, "IDLE") && more) {
                if (!a.parseLong(++j)) {
                    c.reply.error(Errors.XCLAIM_IDLE);
                    return;
                }
                deliveryTime = c.now - a.lastLong();
            } else if (a.is(j, "TIME") && more) {
                if (!a.parseLong(++j)) {
                    c.reply.error(Errors.XCLAIM_TIME);
                    return;
                }
                deliveryTime = a.lastLong();
            } else if (a.is(j, "RETRYCOUNT") && more) {
                if (!a.parseLong(++j)) {
                    c.reply.error(Errors.XCLAIM_RETRYCOUNT);
                    return;
                }
                retryCount = a.lastLong();
            } else if (a.is(j, "LASTID") && more) {
                if ((lastId = StreamCommands.parseId(c, ++j, 0, true, null)) == null) return;
            } else {
                c.reply.error(Errors.xclaimUnknownOption(a, j));
                return;
            }
        }
        boolean lastIdMoved = lastId.compareTo(g.lastId) > 0;
        if (lastIdMoved) g.lastId = lastId;
        // A bogus time (negative, or in the future) means now: clients compute it from their own clocks.
        if (deliveryTime < 0 || deliveryTime > c.now) deliveryTime = c.now;
        StreamGroup.Consumer consumer = StreamCommands.consumerFor(c, g, a.bytes(3), 1);
        consumer.seenTime = c.now;
        java.util.List<Stream.Entry> claimed = new java.util.ArrayList<>();
        long dirtyBefore = c.dirty;
        for (Stream.Id id : ids) {
            StreamGroup.Pending p = g.pending.get(id);
            Stream.Entry e = s.entry(id);
            if (e == null) { // gone from the stream: gone from the pending list too
                if (p != null) {
                    g.acknowledge(id);
                    c.dirty++;
                }
                continue;
            }
            if (p == null) {
                if (!force) continue;
                p = g.forcePending(id, c.now);
            }
            if (p.consumer != null && minIdle != 0 && c.now - p.deliveryTime < minIdle) continue;
            p.deliveryTime = deliveryTime;
            if (retryCount >= 0) p.deliveryCount = retryCount;
            else if (!justId) p.deliveryCount++;
            g.transfer(id, p, consumer);
            claimed.add(e);
            consumer.activeTime = c.now;
            c.dirty++;
        }
        // Redis counts a moved group ID as a change of its own only when no claim carried it.
        if (lastIdMoved && c.dirty == dirtyBefore) c.dirty++;
        resized(c, 1);
        c.reply.array(claimed.size());
        for (Stream.Entry e : claimed) {
            if (justId) StreamCommands.replyId(c.reply, e.id());
            else StreamCommands.replyEntry(c.reply, e);
        }
    }

    /** Redis bounds XAUTOCLAIM's COUNT so COUNT * 10 attempts and its buffers cannot overflow. */
    private static final long XAUTOCLAIM_MAX_COUNT = Long.MAX_VALUE / 16;

    /**
     * XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]: walks the
     * group's pending list from start, giving entries idle long enough to the consumer and
     * dropping those no longer in the stream (at most COUNT of both, in at most COUNT * 10
     * steps). Replies the ID to continue from (0-0 at the end), the claimed entries and the
     * dropped IDs.
     */
    static void xautoclaim(Call c) {
        CommandArgs a = c.args;
        if (!a.parseLong(4)) {
            c.reply.error(Errors.XAUTOCLAIM_MIN_IDLE);
            return;
        }
        long minIdle = Math.max(0, a.lastLong());
        boolean[] ex = new boolean[1];
        Stream.Id start = StreamCommands.intervalId(c, 5, 0, ex);
        if (start == null) return;
        if (ex[0] && (start = start.next()) == null) {
            c.reply.error(Errors.STREAM_INVALID_START);
            return;
        }
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < a.count(); j++) {
            if (a.is(j, "COUNT") && j + 1 < a.count()) {
                if (!a.parseLong(j + 1) || a.lastLong() < 1 || a.lastLong() > XAUTOCLAIM_MAX_COUNT) {
                    c.reply.error(Errors.XAUTOCLAIM_COUNT);
                    return;
                }
                count = a.lastLong();
                j++;
            } else if (a.is(j, "JUSTID")) {
                justId = true;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        Stream s = lookup(c);
        if (s == WRONG) return;
        StreamGroup g = s == null ? null : s.group(a.bytes(2));
        if (g == null) {
            c.reply.error(Errors.noKeyOrGroup(a, 1, 2));
            return;
        }
        StreamGroup.Consumer consumer = StreamCommands.consumerFor(c, g, a.bytes(3), 1);
        consumer.seenTime = c.now;
        java.util.List<Stream.Entry> claimed = new java.util.ArrayList<>();
        java.util.List<Stream.Id> deleted = new java.util.ArrayList<>();
        long attempts = count * 10;
        Stream.Id cursor = start; // the next pending ID to look at is the first at or above it
        while (attempts-- > 0 && count > 0 && cursor != null) {
            Map.Entry<Stream.Id, StreamGroup.Pending> pe = g.pending.ceilingEntry(cursor);
            if (pe == null) {
                cursor = null;
                break;
            }
            Stream.Id id = pe.getKey();
            StreamGroup.Pending p = pe.getValue();
            cursor = id.next();
            Stream.Entry e = s.entry(id);
            if (e == null) {
                g.acknowledge(id);
                deleted.add(id);
                c.dirty++;
                count--;
                continue;
            }
            if (minIdle != 0 && c.now - p.deliveryTime < minIdle) continue;
            p.deliveryTime = c.now;
            if (!justId) p.deliveryCount++;
            g.transfer(id, p, consumer);
            claimed.add(e);
            count--;
            consumer.activeTime = c.now;
            c.dirty++;
        }
        Stream.Id next = cursor == null ? null : g.pending.ceilingKey(cursor);
        resized(c, 1);
        c.reply.array(3);
        StreamCommands.replyId(c.reply, next == null ? Stream.Id.MIN : next);
        c.reply.array(claimed.size());
        for (Stream.Entry e : claimed) {
            if (justId) StreamCommands.replyId(c.reply, e.id());
            else StreamCommands.replyEntry(c.reply, e);
        }
        c.reply.array(deleted.size());
        for (Stream.Id id : deleted) StreamCommands.replyId(c.reply, id);
    }
}
