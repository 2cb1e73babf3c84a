package io.jackdaw.types;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream's consumer group, as Redis's streamCG: the last ID delivered to the group, the
 * count of entries read up to it (for XINFO's lag), the group's pending entries list (entries
 * delivered and not yet acknowledged) and its consumers, each with its own pending list.
 * A pending entry is shared by the group's list and its owner's list, so moving it between
 * consumers edits one object. Names are ordered as bytes, as Redis's radix tree orders them.
 */
public final class StreamGroup {
    /** entries-read when it cannot be known (Redis's SCG_INVALID_ENTRIES_READ). */
    public static final long ENTRIES_READ_UNKNOWN = -1;

    /** One delivered, unacknowledged entry (Redis's streamNACK). */
    public static final class Pending {
        public long deliveryTime;
        public long deliveryCount;
        /** The owner; null only briefly, for an XCLAIM FORCE entry not yet given to anyone. */
        public Consumer consumer;

        Pending(Consumer consumer, long now) {
            this.consumer = consumer;
            this.deliveryTime = now;
            this.deliveryCount = 1;
        }
    }

    /** A consumer of the group (Redis's streamConsumer). */
    public static final class Consumer {
        public final byte[] name;
        /** Last time the consumer tried anything (read, claim), ms. */
        public long seenTime;
        /** Last time it was given an entry, ms; -1 before the first (Redis 7.2). */
        public long activeTime = -1;
        public final TreeMap<Stream.Id, Pending> pending = new TreeMap<>();

        Consumer(byte[] name, long now) {
            this.name = name;
            this.seenTime = now;
        }
    }

    public Stream.Id lastId;
    public long entriesRead;
    public final TreeMap<Stream.Id, Pending> pending = new TreeMap<>();
    public final TreeMap<byte[], Consumer> consumers = new TreeMap<>(Arrays::compareUnsigned);

    StreamGroup(Stream.Id lastId, long entriesRead) {
        this.lastId = lastId;
        this.entriesRead = entriesRead;
    }

    public Consumer consumer(byte[] name) { return consumers.get(name); }

    /** Adds a consumer; null when one of that name exists. */
    public Consumer createConsumer(byte[] name, long now) {
        if (consumers.containsKey(name)) return null;
        Consumer c = new Consumer(name.clone(), now);
        consumers.put(c.name, c);
        return c;
    }

    /** Removes a consumer and its pending entries from the group; returns how many it had. */
    public int deleteConsumer(Consumer c) {
        for (Stream.Id id : c.pending.keySet()) pending.remove(id);
        consumers.remove(c.name);
        return c.pending.size();
    }

    /**
     * Records an entry as delivered to a consumer now (XREADGROUP): a new pending entry, or,
     * when the group already had it pending (after XGROUP SETID moved back), the existing one
     * handed to this consumer with its count reset, as Redis does.
     */
    public void deliver(Stream.Id id, Consumer to, long now) {
        Pending p = pending.get(id);
        if (p == null) {
            p = new Pending(to, now);
            pending.put(id, p);
        } else {
            p.consumer.pending.remove(id);
            p.consumer = to;
            p.deliveryTime = now;
            p.deliveryCount = 1;
        }
        to.pending.put(id, p);
        to.activeTime = now;
    }

    /** Removes an entry from the pending lists (XACK, or a claim of a deleted entry); false when not pending. */
    public boolean acknowledge(Stream.Id id) {
        Pending p = pending.remove(id);
        if (p == null) return false;
        if (p.consumer != null) p.consumer.pending.remove(id);
        return true;
    }

    /** Gives a pending entry to a consumer (XCLAIM, XAUTOCLAIM). */
    public void transfer(Stream.Id id, Pending p, Consumer to) {
        if (p.consumer == to) return;
        if (p.consumer != null) p.consumer.pending.remove(id);
        to.pending.put(id, p);
        p.consumer = to;
    }

    /** A pending entry created by XCLAIM FORCE, owned by nobody until {@link #transfer}. */
    public Pending forcePending(Stream.Id id, long now) {
        Pending p = new Pending(null, now);
        pending.put(id, p);
        return p;
    }

    /** A copy sharing nothing with this group (COPY of a stream). */
    StreamGroup duplicate() {
        StreamGroup g = new StreamGroup(lastId, entriesRead);
        for (Consumer c : consumers.values()) {
            Consumer d = new Consumer(c.name, c.seenTime);
            d.activeTime = c.activeTime;
            g.consumers.put(d.name, d);
        }
        for (Map.Entry<Stream.Id, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            Consumer owner = p.consumer == null ? null : g.consumers.get(p.consumer.name);
            Pending q = new Pending(owner, p.deliveryTime);
            q.deliveryCount = p.deliveryCount;
            g.pending.put(e.getKey(), q);
            if (owner != null) owner.pending.put(e.getKey(), q);
        }
        return g;
    }

    /** Rough heap bytes: tree nodes and objects for each pending entry and consumer. */
    long memoryBytes() {
        long n = 96;
        n += pending.size() * 120L; // group and consumer tree nodes, ID and entry objects
        for (Consumer c : consumers.values()) n += 128 + c.name.length;
        return n;
    }
}
