package io.jackdaw.command;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CLIENT PAUSE, as Redis 7.2's pause "by client command": until a deadline or CLIENT UNPAUSE,
 * the gate holds every command (ALL) or those that write or may write (WRITE: the WRITE and
 * MAY_REPLICATE flags, so EVAL, PUBLISH and PFCOUNT wait too). A held command is copied here
 * and its client reads nothing more (its later input waits in the connection, as a blocked
 * client's does). When the pause ends the clients run their commands again, one after the
 * other in the order they were held. Expiry is paused alongside (Keyspace.pauseExpiryUntil).
 */
public final class ClientPause {
    private static final int NONE = 0, WRITE = 1, ALL = 2;

    private record Held(ClientSession client, CommandArgs args) {}

    /** Read by the gate on every command; changed under this object's lock. */
    private volatile int mode = NONE;
    private long end;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final AtomicInteger postponedClients = new AtomicInteger();

    /** Whether a command with these flags waits now (EXEC passes the flags of what it queued). */
    public boolean holds(long commandFlags) {
        int m = mode;
        return m == ALL || (m == WRITE && (commandFlags & (CommandFlags.WRITE | CommandFlags.MAY_REPLICATE)) != 0);
    }

    /** Clients whose command waits for the pause to end (counted in INFO's blocked_clients, as in Redis). */
    public int postponedClients() { return postponedClients.get(); }

    /**
     * Holds the call's command (whose flags, an EXEC's including its queued commands', are
     * {@code flags}) until the pause ends; false when the pause ended meanwhile (its deadline
     * passed), and the command runs now.
     */
    boolean postpone(Call c, long flags) {
        synchronized (this) {
            if (endIfDue(c.server) || !holds(flags)) return false;
            CommandArgs copy = new CommandArgs();
            copy.copyFrom(c.args);
            held.add(new Held(c.client, copy));
            c.client.postponed = true;
            postponedClients.incrementAndGet();
        }
        return true;
    }

    /**
     * CLIENT PAUSE: keeps the later deadline and the more restrictive mode of this pause and the
     * one in force, as Redis's pauseClientsByClient; a deadline not in the future pauses nothing.
     */
    void pause(ServerContext server, ClientSession caller, long endMs, boolean all) {
        synchronized (this) {
            int m = all || mode == ALL ? ALL : WRITE;
            if (endMs > end) end = endMs;
            long now = server.clock().millis();
            if (end <= now) {
                endIfDue(server);
                return;
            }
            mode = m;
            server.keyspace().pauseExpiryUntil(end);
        }
        // The deadline's check runs on the caller's loop; the loop outlives the connection.
        caller.channel().schedule(() -> endIfDueAndRelease(server), Math.max(1, endMs - server.clock().millis()));
    }

    /** CLIENT UNPAUSE. */
    void unpause(ServerContext server) {
        List<Held> release;
        synchronized (this) {
            end = 0;
            release = stop(server);
        }
        resume(release, 0);
    }

    /** Ends the pause when its deadline has passed; also run by the cron as a backstop. */
    public void endIfDueAndRelease(ServerContext server) {
        List<Held> release = null;
        synchronized (this) {
            if (mode != NONE && server.clock().millis() >= end) release = stop(server);
        }
        if (release != null) resume(release, 0);
    }

    /** Under the lock: ends a pause past its deadline, releasing its clients. */
    private boolean endIfDue(ServerContext server) {
        if (mode == NONE || server.clock().millis() < end) return false;
        List<Held> release = stop(server);
        // Started from another thread so the caller, which holds the lock, never runs a held command.
        if (!release.isEmpty()) release.getFirst().client.channel().execute(() -> resume(release, 0));
        return true;
    }

    private List<Held> stop(ServerContext server) {
        mode = NONE;
        end = 0;
        server.keyspace().pauseExpiryUntil(0);
        List<Held> release = new ArrayList<>(held);
        held.clear();
        return release;
    }

    /**
     * Runs the released commands in the order they were held: each on its client's own loop,
     * the next once the previous one ran (a command may be held again by a new pause).
     */
    private void resume(List<Held> release, int i) {
        if (i >= release.size()) return;
        Held h = release.get(i);
        h.client.channel().execute(() -> {
            try {
                if (h.client.postponed) {
                    h.client.postponed = false;
                    postponedClients.decrementAndGet();
                    h.client.channel().rerun(h.args);
                }
            } finally {
                resume(release, i + 1);
            }
        });
    }

    /** The client disconnected while held. */
    void forget(ClientSession client) {
        synchronized (this) {
            if (held.removeIf(h -> h.client == client)) {
                client.postponed = false;
                postponedClients.decrementAndGet();
            }
        }
    }
}
