package io.jackdaw.command;

import io.jackdaw.store.Keyspace;
import io.jackdaw.store.Shard;
import io.jackdaw.types.ByteKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Server-assisted client-side caching (CLIENT TRACKING), as Redis's tracking.c.
 *
 * <p>Default mode: a read-only command run by a tracking client files its keys in the tracking
 * table ({@link io.jackdaw.store.TrackedKeys}, one per shard, under the shard lock the command
 * holds); the first write to such a key sends every client filed under it one invalidation and
 * forgets the key. BCAST mode: no table; every modified key that starts with a registered
 * prefix is collected on the writing thread and, when the command ends, sent in one message per
 * prefix to the clients registered for it.
 *
 * <p>Messages go through the target's push queue (after the reply it is writing, even with
 * CLIENT REPLY OFF): a RESP3 target gets {@code >2 invalidate [keys]}; a RESP2 redirect target
 * with subscriptions gets a {@code __redis__:invalidate} message; FLUSHALL and FLUSHDB send a
 * null in place of the keys (SWAPDB sends nothing, as in Redis).
 */
public final class ClientTracking {
    /** A client's tracking mode, set by CLIENT TRACKING ON; null in ClientSession when off. */
    public static final class State {
        final long redirect;
        final boolean bcast, optin, optout, noloop;
        /** BCAST prefixes, in the order given (TRACKINGINFO sorts them). */
        final List<byte[]> prefixes;
        /** CLIENT CACHING YES/NO for the next command (or transaction); owner thread only. */
        boolean caching;
        /** The redirect target has gone (flag R); set by whichever thread found out. */
        volatile boolean brokenRedirect;

        State(long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop, List<byte[]> prefixes) {
            this.redirect = redirect;
            this.bcast = bcast;
            this.optin = optin;
            this.optout = optout;
            this.noloop = noloop;
            this.prefixes = prefixes;
        }

        /** Whether this command's keys go into the table (OPTIN needs CACHING YES, OPTOUT skips on CACHING NO). */
        boolean remembers() { return !bcast && !(optin && !caching) && !(optout && caching); }
    }

    private static final byte[] INVALIDATE_PUSH = ascii(">2\r\n$10\r\ninvalidate\r\n");
    private static final byte[] INVALIDATE_MESSAGE = ascii("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n");
    private static final byte[] NULL_RESP2 = ascii("$-1\r\n"), NULL_RESP3 = ascii("_\r\n");

    private final ClientRegistry clients;
    private final Keyspace keyspace;
    private final AtomicInteger trackingClients = new AtomicInteger();
    /** BCAST prefix -> its clients; changed under this object's lock, read through the snapshot. */
    private final TreeMap<ByteKey, List<ClientSession>> prefixTable = new TreeMap<>(ClientTracking::compare);
    private volatile Prefix[] prefixes = new Prefix[0];
    private volatile long maxKeys = 1_000_000;
    /** Keys modified on this thread since its last flush, with their last writer (null: expiry). */
    private final ThreadLocal<TreeMap<ByteKey, ClientSession>> broadcastBatch =
            ThreadLocal.withInitial(() -> new TreeMap<>(ClientTracking::compare));
    /** The client whose command runs on this thread, for NOLOOP when a key expires under it. */
    private final ThreadLocal<ClientSession> current = new ThreadLocal<>();
    private int limitRounds; // cron and gates: Redis's timeout_counter, raced harmlessly

    private record Prefix(byte[] bytes, ClientSession[] clients) {}

    public ClientTracking(ClientRegistry clients, Keyspace keyspace) {
        this.clients = clients;
        this.keyspace = keyspace;
    }

    /** tracking-table-max-keys; 0 means no limit. */
    public void setMaxKeys(long max) { this.maxKeys = max; }

    public int trackingClients() { return trackingClients.get(); }

    public int prefixCount() { return prefixes.length; }

    /** Whether any write must look here: keys in the table or BCAST prefixes registered. */
    public boolean active() { return keyspace.trackedKeys() != 0 || prefixes.length != 0; }

    // ------------------------------------------------------------ CLIENT TRACKING / CACHING

    static void tracking(Call c) {
        CommandArgs a = c.args;
        ClientSession client = c.client;
        ClientTracking tracking = c.server.tracking();
        long redirect = 0;
        boolean bcast = false, optin = false, optout = false, noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        int argc = a.count();
        for (int j = 3; j < argc; j++) {
            boolean more = j + 1 < argc;
            if (a.is(j, "REDIRECT") && more) {
                j++;
                if (redirect != 0) {
                    c.reply.error("ERR A client can only redirect to a single other client");
                    return;
                }
                if (!a.parseLong(j)) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                redirect = a.lastLong();
                if (c.server.clients().get(redirect) == null) {
                    c.reply.error("ERR The client ID you want redirect to does not exist");
                    return;
                }
            } else if (a.is(j, "BCAST")) {
                bcast = true;
            } else if (a.is(j, "OPTIN")) {
                optin = true;
            } else if (a.is(j, "OPTOUT")) {
                optout = true;
            } else if (a.is(j, "NOLOOP")) {
                noloop = true;
            } else if (a.is(j, "PREFIX") && more) {
                j++;
                prefixes.add(a.bytes(j));
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        if (a.is(2, "OFF")) {
            tracking.disable(client);
            c.reply.ok();
            return;
        }
        if (!a.is(2, "ON")) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        State old = client.tracking;
        if (!bcast && !prefixes.isEmpty()) {
            c.reply.error("ERR PREFIX option requires BCAST mode to be enabled");
            return;
        }
        if (old != null && old.bcast != bcast) {
            c.reply.error("ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
                    + "and then re-enabling it with a different mode.");
            return;
        }
        if (bcast && (optin || optout)) {
            c.reply.error("ERR OPTIN and OPTOUT are not compatible with BCAST");
            return;
        }
        if (optin && optout) {
            c.reply.error("ERR You can't specify both OPTIN mode and OPTOUT mode");
            return;
        }
        if (old != null && ((optin && old.optout) || (optout && old.optin))) {
            c.reply.error("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
                    + "and then re-enabling it with a different mode.");
            return;
        }
        if (bcast) {
            String collision = prefixCollision(old == null ? List.of() : old.prefixes, prefixes);
            if (collision != null) {
                c.reply.error(collision);
                return;
            }
        }
        tracking.enable(client, redirect, bcast, optin, optout, noloop, prefixes);
        c.reply.ok();
    }

    /** Redis's checkPrefixCollisionsOrReply: a client's prefixes may not be prefixes of one another. */
    private static String prefixCollision(List<byte[]> existing, List<byte[]> given) {
        for (int i = 0; i < given.size(); i++) {
            byte[] p = given.get(i);
            for (byte[] e : existing) {
                if (overlaps(p, e)) {
                    return "ERR Prefix '" + cString(p) + "' overlaps with an existing prefix '" + cString(e)
                            + "'. Prefixes for a single client must not overlap.";
                }
            }
            for (int j = i + 1; j < given.size(); j++) {
                if (overlaps(p, given.get(j))) {
                    return "ERR Prefix '" + cString(p) + "' overlaps with another provided prefix '" + cString(given.get(j))
                            + "'. Prefixes for a single client must not overlap.";
                }
            }
        }
        return null;
    }

    private static boolean overlaps(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, n, b, 0, n);
    }

    /** As C's %s prints it: up to the first NUL. */
    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    static void caching(Call c) {
        State t = c.client.tracking;
        if (t == null) {
            c.reply.error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled");
            return;
        }
        if (c.args.is(2, "YES")) {
            if (!t.optin) {
                c.reply.error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
                return;
            }
        } else if (c.args.is(2, "NO")) {
            if (!t.optout) {
                c.reply.error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
                return;
            }
        } else {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        t.caching = true;
        c.reply.ok();
    }

    static void getredir(Call c) {
        State t = c.client.tracking;
        c.reply.integer(t == null ? -1 : t.redirect);
    }

    static void trackinginfo(Call c) {
        State t = c.client.tracking;
        c.reply.map(3);
        c.reply.bulk("flags");
        List<String> flags = new ArrayList<>();
        flags.add(t == null ? "off" : "on");
        if (t != null) {
            if (t.bcast) flags.add("bcast");
            if (t.optin) {
                flags.add("optin");
                if (t.caching) flags.add("caching-yes");
            }
            if (t.optout) {
                flags.add("optout");
                if (t.caching) flags.add("caching-no");
            }
            if (t.noloop) flags.add("noloop");
            if (t.brokenRedirect) flags.add("broken_redirect");
        }
        c.reply.set(flags.size());
        for (String f : flags) c.reply.bulk(f);
        c.reply.bulk("redirect");
        c.reply.integer(t == null ? -1 : t.redirect);
        c.reply.bulk("prefixes");
        List<byte[]> p = new ArrayList<>(t == null ? List.of() : t.prefixes);
        p.sort(ClientTracking::compare);
        c.reply.array(p.size());
        for (byte[] x : p) c.reply.bulk(x, 0, x.length);
    }

    // ------------------------------------------------------------ turning tracking on and off

    private void enable(ClientSession c, long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop,
                        List<byte[]> given) {
        State old = c.tracking;
        List<byte[]> prefixes = new ArrayList<>(old == null ? List.of() : old.prefixes);
        if (bcast) {
            if (given.isEmpty()) given = List.of(new byte[0]);
            for (byte[] p : given) {
                if (addPrefix(c, p)) prefixes.add(p);
            }
        }
        State s = new State(redirect, bcast, optin, optout, noloop, prefixes);
        c.tracking = s;
        if (old == null) trackingClients.incrementAndGet();
    }

    /** CLIENT TRACKING OFF, RESET and disconnection: the client leaves its prefixes; its table entries stay until used. */
    public void disable(ClientSession c) {
        State s = c.tracking;
        if (s == null) return;
        c.tracking = null;
        trackingClients.decrementAndGet();
        if (s.bcast) {
            synchronized (this) {
                for (byte[] p : s.prefixes) {
                    ByteKey k = ByteKey.of(p);
                    List<ClientSession> l = prefixTable.get(k);
                    if (l == null) continue;
                    l.remove(c);
                    if (l.isEmpty()) prefixTable.remove(k);
                }
                snapshotPrefixes();
            }
        }
    }

    private synchronized boolean addPrefix(ClientSession c, byte[] p) {
        List<ClientSession> l = prefixTable.computeIfAbsent(ByteKey.of(p), k -> new ArrayList<>());
        if (l.contains(c)) return false;
        l.add(c);
        snapshotPrefixes();
        return true;
    }

    private void snapshotPrefixes() {
        Prefix[] snap = new Prefix[prefixTable.size()];
        int i = 0;
        for (Map.Entry<ByteKey, List<ClientSession>> e : prefixTable.entrySet()) {
            snap[i++] = new Prefix(e.getKey().bytes(), e.getValue().toArray(new ClientSession[0]));
        }
        prefixes = snap;
    }

    // ------------------------------------------------------------ remembering and invalidating

    /**
     * After a read-only command of a tracking client: files the keys its key specs name under the
     * client, unless BCAST or OPTIN/OPTOUT say otherwise. Runs under the command's shard locks.
     */
    void remember(Call call, CommandSpec spec) {
        ClientSession c = call.client;
        State t = c.tracking;
        if (t == null || !t.remembers() || spec.has(CommandFlags.PUBSUB)) return;
        CommandArgs a = call.args;
        int argc = a.count();
        for (KeySpec ks : spec.keySpecs) {
            ks.extract(a, argc, (argIndex, flags) -> {
                byte[] d = a.data();
                int off = a.offset(argIndex), len = a.length(argIndex);
                keyspace.shard(keyspace.shardOf(d, off, len)).tracked.add(d, off, len, c.id);
            });
        }
    }

    /** Marks the client running a command on this thread (for NOLOOP on keys that expire under it). */
    void enter(ClientSession c) { current.set(c); }

    void exit() { current.remove(); }

    /**
     * Redis's trackingInvalidateKey: key {@code k} was modified by {@code writer} (null for
     * expiry). Sends the clients that cached it their invalidation, forgets it, and notes it for
     * BCAST clients. The caller holds the key's shard lock.
     */
    public void invalidate(ClientSession writer, byte[] k, int off, int len) {
        if (prefixes.length != 0) broadcastBatch.get().put(ByteKey.copyOf(k, off, len), writer == null ? NO_WRITER : writer);
        if (keyspace.trackedKeys() == 0) return;
        Shard s = keyspace.shard(keyspace.shardOf(k, off, len));
        if (s.tracked.isEmpty()) return;
        long[] ids = s.tracked.remove(k, off, len);
        if (ids.length == 0) return;
        ClientSession running = writer != null ? writer : current.get();
        byte[] payload = null;
        for (long id : ids) {
            ClientSession target = clients.get(id);
            if (target == null) continue;
            State t = target.tracking;
            // A client that switched to BCAST since it read the key gets nothing for it.
            if (t == null || t.bcast) continue;
            if (t.noloop && target == running) continue;
            if (payload == null) payload = oneKey(k, off, len);
            // The running client hears of its own writes after its reply, which for a blocked
            // command served by another client's write is not written yet (Redis's pending keys).
            if (target == running) deferred.get().add(new Deferred(target, t, payload));
            else send(target, t, payload);
        }
    }

    private record Deferred(ClientSession target, State state, byte[] payload) {}

    private final ThreadLocal<List<Deferred>> deferred = ThreadLocal.withInitial(ArrayList::new);

    /** After a command (and the blocked commands its writes served): sends what {@link #invalidate} held back. */
    void flushDeferred() {
        List<Deferred> d = deferred.get();
        if (d.isEmpty()) return;
        for (Deferred x : d) send(x.target, x.state, x.payload);
        d.clear();
    }

    /** FLUSHALL or FLUSHDB: every tracking client is told to drop everything, and the table empties. Caller holds every shard lock. */
    public void flushed() {
        if (trackingClients.get() != 0) {
            for (ClientSession c : clients.all()) {
                State t = c.tracking;
                if (t != null) send(c, t, c.resp > 2 ? NULL_RESP3 : NULL_RESP2);
            }
        }
        if (keyspace.trackedKeys() == 0) return;
        for (int i = 0; i < keyspace.shardCount(); i++) keyspace.shard(i).tracked.clear();
    }

    /** Stand-in for "no client" in the broadcast batch (TreeMap values may not be null). */
    private static final ClientSession NO_WRITER = new ClientSession(-1, "", "", -1, 0, null);

    /**
     * Sends what this thread collected for BCAST clients: per prefix one array of the keys that
     * start with it (NOLOOP clients without the keys they wrote themselves). Called after each
     * command and after each active-expiry pass, outside the shard locks.
     */
    public void flushBroadcasts() {
        Prefix[] snap = prefixes;
        TreeMap<ByteKey, ClientSession> batch = broadcastBatch.get();
        if (batch.isEmpty()) return;
        try {
            for (Prefix p : snap) {
                List<Map.Entry<ByteKey, ClientSession>> keys = new ArrayList<>();
                for (Map.Entry<ByteKey, ClientSession> e : batch.entrySet()) {
                    byte[] k = e.getKey().bytes();
                    if (k.length >= p.bytes.length && Arrays.equals(k, 0, p.bytes.length, p.bytes, 0, p.bytes.length)) keys.add(e);
                }
                if (keys.isEmpty()) continue;
                byte[] all = keyArray(keys, null);
                for (ClientSession c : p.clients) {
                    State t = c.tracking;
                    if (t == null || !t.bcast) continue;
                    if (t.noloop) {
                        byte[] own = keyArray(keys, c);
                        if (own != null) send(c, t, own);
                    } else {
                        send(c, t, all);
                    }
                }
            }
        } finally {
            batch.clear();
        }
    }

    /** Whether this thread has BCAST keys to send. */
    public boolean broadcastPending() { return prefixes.length != 0 && !broadcastBatch.get().isEmpty(); }

    /**
     * Redis's trackingLimitUsedSlots: while the table holds more keys than tracking-table-max-keys,
     * forgets keys (telling their clients), 100 more per round each time a round fell short.
     * Returns whether it invalidated anything. Called by the cron and before each command.
     */
    public boolean enforceLimit() {
        long max = maxKeys;
        if (max == 0 || keyspace.trackedKeys() <= max) {
            limitRounds = 0;
            return false;
        }
        int effort = 100 * (limitRounds + 1);
        int shards = keyspace.shardCount();
        int start = ThreadLocalRandom.current().nextInt(shards);
        boolean any = false;
        for (int n = 0; n < shards && effort > 0; n++) {
            Shard s = keyspace.shard((start + n) & (shards - 1));
            if (s.tracked.isEmpty()) continue;
            s.lock.lock();
            try {
                while (effort > 0 && !s.tracked.isEmpty()) {
                    effort--;
                    Map.Entry<ByteKey, long[]> e = s.tracked.removeAny();
                    byte[] k = e.getKey().bytes();
                    byte[] payload = oneKey(k, 0, k.length);
                    for (long id : e.getValue()) {
                        ClientSession target = clients.get(id);
                        State t = target == null ? null : target.tracking;
                        if (t != null && !t.bcast) send(target, t, payload);
                    }
                    any = true;
                    if (keyspace.trackedKeys() <= max) {
                        limitRounds = 0;
                        return true;
                    }
                }
            } finally {
                s.lock.unlock();
            }
        }
        limitRounds++;
        return any;
    }

    /** Whether the table holds more keys than allowed (a cheap test before {@link #enforceLimit}). */
    public boolean overLimit() {
        long max = maxKeys;
        return max != 0 && keyspace.trackedKeys() > max;
    }

    // ------------------------------------------------------------ messages

    /** Redis's sendTrackingMessage: {@code payload} is the keys array (or a null) in wire form. */
    private void send(ClientSession c, State t, byte[] payload) {
        ClientSession target = c;
        boolean redirected = false;
        if (t.redirect != 0) {
            target = clients.get(t.redirect);
            if (target == null) {
                t.brokenRedirect = true;
                // The client learns its invalidations are lost, when it can hear pushes.
                if (c.resp > 2) c.channel().push(ascii(">2\r\n$21\r\ntracking-redir-broken\r\n:" + t.redirect + "\r\n"));
                return;
            }
            redirected = true;
        }
        byte[] head;
        if (target.resp > 2) head = INVALIDATE_PUSH;
        else if (redirected && target.inPubSub()) head = INVALIDATE_MESSAGE;
        else return; // RESP2 without a redirect cannot carry pushes
        byte[] msg = Arrays.copyOf(head, head.length + payload.length);
        System.arraycopy(payload, 0, msg, head.length, payload.length);
        target.channel().push(msg);
    }

    private static byte[] oneKey(byte[] k, int off, int len) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(len + 16);
        out.writeBytes(ascii("*1\r\n$" + len + "\r\n"));
        out.write(k, off, len);
        out.writeBytes(CRLF);
        return out.toByteArray();
    }

    /** The keys as an array, without those {@code skip} wrote (NOLOOP); null when none is left. */
    private static byte[] keyArray(List<Map.Entry<ByteKey, ClientSession>> keys, ClientSession skip) {
        int n = 0;
        for (Map.Entry<ByteKey, ClientSession> e : keys) if (skip == null || e.getValue() != skip) n++;
        if (n == 0) return null;
        ByteArrayOutputStream out = new ByteArrayOutputStream(n * 16);
        out.writeBytes(ascii("*" + n + "\r\n"));
        for (Map.Entry<ByteKey, ClientSession> e : keys) {
            if (skip != null && e.getValue() == skip) continue;
            byte[] k = e.getKey().bytes();
            out.writeBytes(ascii("$" + k.length + "\r\n"));
            out.writeBytes(k);
            out.writeBytes(CRLF);
        }
        return out.toByteArray();
    }

    private static final byte[] CRLF = ascii("\r\n");

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    private static int compare(ByteKey a, ByteKey b) { return Arrays.compareUnsigned(a.bytes(), b.bytes()); }

    private static int compare(byte[] a, byte[] b) { return Arrays.compareUnsigned(a, b); }
}
