package io.jackdaw.pubsub;

import io.jackdaw.types.ByteKey;
import io.jackdaw.types.Glob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who listens to what: channels, patterns and shard channels, each to the set of its
 * subscribers. Safe from any thread: a publisher on one event loop walks the sets while
 * others subscribe; a subscriber that joins during a publish may or may not get that message,
 * as with Redis's single thread a subscription either precedes a publish or follows it.
 */
public final class PubSub {
    /** A client that receives messages; delivery to its own connection is its business. */
    public interface Subscriber {
        /** One message: {@code pattern} is null for a channel subscription; {@code shard} for SPUBLISH's. */
        void message(byte[] pattern, byte[] channel, byte[] payload, boolean shard);
    }

    private final Map<ByteKey, Set<Subscriber>> channels = new ConcurrentHashMap<>();
    private final Map<ByteKey, Set<Subscriber>> shardChannels = new ConcurrentHashMap<>();
    private final Map<ByteKey, Set<Subscriber>> patterns = new ConcurrentHashMap<>();

    private Map<ByteKey, Set<Subscriber>> channelMap(boolean shard) { return shard ? shardChannels : channels; }

    private static boolean add(Map<ByteKey, Set<Subscriber>> m, byte[] name, Subscriber s) {
        boolean[] added = new boolean[1];
        m.compute(ByteKey.of(name), (k, set) -> {
            if (set == null) set = ConcurrentHashMap.newKeySet();
            added[0] = set.add(s);
            return set;
        });
        return added[0];
    }

    private static boolean remove(Map<ByteKey, Set<Subscriber>> m, byte[] name, Subscriber s) {
        boolean[] removed = new boolean[1];
        m.computeIfPresent(ByteKey.of(name), (k, set) -> {
            removed[0] = set.remove(s);
            return set.isEmpty() ? null : set;
        });
        return removed[0];
    }

    public boolean subscribe(Subscriber s, byte[] channel, boolean shard) { return add(channelMap(shard), channel, s); }

    public boolean unsubscribe(Subscriber s, byte[] channel, boolean shard) { return remove(channelMap(shard), channel, s); }

    public boolean psubscribe(Subscriber s, byte[] pattern) { return add(patterns, pattern, s); }

    public boolean punsubscribe(Subscriber s, byte[] pattern) { return remove(patterns, pattern, s); }

    /**
     * Delivers a message to the channel's subscribers, then (not for shard channels) to every
     * pattern subscription that matches, as Redis's PUBLISH. Returns how many receptions.
     */
    public long publish(byte[] channel, byte[] payload, boolean shard) {
        long n = 0;
        Set<Subscriber> set = channelMap(shard).get(ByteKey.of(channel));
        if (set != null) {
            for (Subscriber s : set) {
                s.message(null, channel, payload, shard);
                n++;
            }
        }
        if (shard || patterns.isEmpty()) return n;
        for (Map.Entry<ByteKey, Set<Subscriber>> e : patterns.entrySet()) {
            byte[] p = e.getKey().bytes();
            if (!Glob.match(p, 0, p.length, channel, 0, channel.length, false)) continue;
            for (Subscriber s : e.getValue()) {
                s.message(p, channel, payload, false);
                n++;
            }
        }
        return n;
    }

    /** Channels (or shard channels) with at least one subscriber, matching a glob when given. */
    public List<byte[]> channels(byte[] pattern, boolean shard) {
        List<byte[]> out = new ArrayList<>();
        for (ByteKey n : channelMap(shard).keySet()) {
            byte[] c = n.bytes();
            if (pattern == null || Glob.match(pattern, 0, pattern.length, c, 0, c.length, false)) out.add(c);
        }
        return out;
    }

    /** Subscribers of one channel. */
    public int numsub(byte[] channel, boolean shard) {
        Set<Subscriber> set = channelMap(shard).get(ByteKey.of(channel));
        return set == null ? 0 : set.size();
    }

    /** Distinct patterns subscribed to (PUBSUB NUMPAT, INFO pubsub_patterns). */
    public int numpat() { return patterns.size(); }

    /** Channels with subscribers (INFO pubsub_channels / pubsubshard_channels). */
    public int channelCount(boolean shard) { return channelMap(shard).size(); }
}
