package io.jackdaw.command;

import io.jackdaw.types.Stream;
import io.jackdaw.types.StreamGroup;
import java.util.List;
import java.util.Map;

/** XINFO STREAM, GROUPS and CONSUMERS: the field names and orders of Redis 7.2's replies. */
public final class StreamInfoCommands {
    private StreamInfoCommands() {}

    static void register(CommandTable t) {
        t.register("xinfo|stream", StreamInfoCommands::stream);
        t.register("xinfo|groups", StreamInfoCommands::groups);
        t.register("xinfo|consumers", StreamInfoCommands::consumers);
        t.register("xinfo|help", c -> Help.reply(c, "XINFO", HELP));
    }

    private static final List<String> HELP = List.of(
            "CONSUMERS <key> <groupname>",
            "    List the consumers of a group.",
            "GROUPS <key>",
            "    List the consumer groups of a stream.",
            "STREAM <key> [FULL [COUNT <count>]",
            "    Describe a stream; FULL adds its entries, groups and pending entries (COUNT of each, 10 by default).");

    /** The stream at argument 2, or null after replying (no such key, or WRONGTYPE). */
    private static Stream lookup(Call c) {
        Stream s = StreamCommands.readStream(c, 2);
        if (s == StreamCommands.WRONG_TYPE) return null;
        if (s == null) c.reply.error(Errors.NO_SUCH_KEY);
        return s;
    }

    /** XINFO STREAM key [FULL [COUNT count]] */
    static void stream(Call c) {
        CommandArgs a = c.args;
        Stream s = lookup(c);
        if (s == null) return;
        int options = a.count() - 3;
        boolean full = options > 0;
        long count = 10; // the default keeps FULL from walking a huge stream
        if (full) {
            if ((options != 1 && options != 3) || !a.is(3, "FULL") || (options == 3 && !a.is(4, "COUNT"))) {
                c.reply.error(Errors.subcommandSyntax(a, "XINFO"));
                return;
            }
            if (options == 3) {
                if (!a.parseLong(5)) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                count = a.lastLong() < 0 ? 10 : a.lastLong();
            }
        }
        Reply r = c.reply;
        r.map(full ? 9 : 10);
        r.bulk("length");
        r.integer(s.length());
        // Redis reports its radix tree of listpacks; the chunks are this stream's counterpart.
        r.bulk("radix-tree-keys");
        r.integer(s.chunkCount());
        r.bulk("radix-tree-nodes");
        r.integer(s.chunkCount());
        r.bulk("last-generated-id");
        StreamCommands.replyId(r, s.lastId());
        r.bulk("max-deleted-entry-id");
        StreamCommands.replyId(r, s.maxDeletedId());
        r.bulk("entries-added");
        r.integer(s.entriesAdded());
        r.bulk("recorded-first-entry-id");
        StreamCommands.replyId(r, s.recordedFirstId());
        if (!full) {
            r.bulk("groups");
            r.integer(s.groupCount());
            r.bulk("first-entry");
            edgeEntry(r, s, false);
            r.bulk("last-entry");
            edgeEntry(r, s, true);
            return;
        }
        r.bulk("entries");
        java.util.List<Stream.Entry> entries = new java.util.ArrayList<>();
        long limit = count;
        s.range(Stream.Id.MIN, Stream.Id.MAX, false, e -> {
            entries.add(e);
            return limit == 0 || entries.size() < limit;
        });
        r.array(entries.size());
        for (Stream.Entry e : entries) StreamCommands.replyEntry(r, e);
        r.bulk("groups");
        r.array(s.groupCount());
        for (Map.Entry<byte[], StreamGroup> ge : s.groups().entrySet()) {
            StreamGroup g = ge.getValue();
            r.map(7);
            r.bulk("name");
            r.bulk(ge.getKey());
            r.bulk("last-delivered-id");
            StreamCommands.replyId(r, g.lastId);
            r.bulk("entries-read");
            entriesRead(r, g);
            r.bulk("lag");
            lag(r, s, g);
            r.bulk("pel-count");
            r.integer(g.pending.size());
            r.bulk("pending");
            pendingList(r, g.pending, count, true);
            r.bulk("consumers");
            r.array(g.consumers.size());
            for (StreamGroup.Consumer consumer : g.consumers.values()) {
                r.map(5);
                r.bulk("name");
                r.bulk(consumer.name);
                r.bulk("seen-time");
                r.integer(consumer.seenTime);
                r.bulk("active-time");
                r.integer(consumer.activeTime);
                r.bulk("pel-count");
                r.integer(consumer.pending.size());
                r.bulk("pending");
                pendingList(r, consumer.pending, count, false);
            }
        }
    }

    /** XINFO STREAM FULL's pending lists: at most {@code count} (0: all) of ID, [owner,] delivery time, deliveries. */
    private static void pendingList(Reply r, java.util.SortedMap<Stream.Id, StreamGroup.Pending> pel, long count, boolean withOwner) {
        int shown = (int) (count == 0 ? pel.size() : Math.min(count, pel.size()));
        r.array(shown);
        int i = 0;
        for (Map.Entry<Stream.Id, StreamGroup.Pending> pe : pel.entrySet()) {
            if (i++ == shown) break;
            StreamGroup.Pending p = pe.getValue();
            r.array(withOwner ? 4 : 3);
            StreamCommands.replyId(r, pe.getKey());
            if (withOwner) r.bulk(p.consumer.name);
            r.integer(p.deliveryTime);
            r.integer(p.deliveryCount);
        }
    }

    /** The first or last entry, or a null. */
    private static void edgeEntry(Reply r, Stream s, boolean last) {
        Stream.Entry[] found = {null};
        s.range(Stream.Id.MIN, Stream.Id.MAX, last, e -> {
            found[0] = e;
            return false;
        });
        if (found[0] == null) r.nullBulk();
        else StreamCommands.replyEntry(r, found[0]);
    }

    private static void entriesRead(Reply r, StreamGroup g) {
        if (g.entriesRead == StreamGroup.ENTRIES_READ_UNKNOWN) r.nullBulk();
        else r.integer(g.entriesRead);
    }

    private static void lag(Reply r, Stream s, StreamGroup g) {
        long lag = s.lag(g);
        if (lag < 0) r.nullBulk();
        else r.integer(lag);
    }

    /** XINFO GROUPS key */
    static void groups(Call c) {
        Stream s = lookup(c);
        if (s == null) return;
        Reply r = c.reply;
        r.array(s.groupCount());
        for (Map.Entry<byte[], StreamGroup> ge : s.groups().entrySet()) {
            StreamGroup g = ge.getValue();
            r.map(6);
            r.bulk("name");
            r.bulk(ge.getKey());
            r.bulk("consumers");
            r.integer(g.consumers.size());
            r.bulk("pending");
            r.integer(g.pending.size());
            r.bulk("last-delivered-id");
            StreamCommands.replyId(r, g.lastId);
            r.bulk("entries-read");
            entriesRead(r, g);
            r.bulk("lag");
            lag(r, s, g);
        }
    }

    /** XINFO CONSUMERS key group: name, pending count, idle (since last seen) and inactive (since last given an entry, -1 never). */
    static void consumers(Call c) {
        CommandArgs a = c.args;
        Stream s = lookup(c);
        if (s == null) return;
        StreamGroup g = s.group(a.bytes(3));
        if (g == null) {
            c.reply.error(Errors.noGroupForKey(a, 2, 3));
            return;
        }
        Reply r = c.reply;
        r.array(g.consumers.size());
        for (StreamGroup.Consumer consumer : g.consumers.values()) {
            r.map(4);
            r.bulk("name");
            r.bulk(consumer.name);
            r.bulk("pending");
            r.integer(consumer.pending.size());
            r.bulk("idle");
            r.integer(Math.max(0, c.now - consumer.seenTime));
            r.bulk("inactive");
            r.integer(consumer.activeTime == -1 ? -1 : c.now - consumer.activeTime);
        }
    }
}
