package io.jackdaw.command;

import java.util.Collection;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** Connected clients by id (ascending, the order CLIENT LIST prints). */
public final class ClientRegistry {
    private final ConcurrentSkipListMap<Long, ClientSession> clients = new ConcurrentSkipListMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final ClientPause pause = new ClientPause();
    private final MonitorFeed monitors = new MonitorFeed();

    /** CLIENT PAUSE state and the clients it holds. */
    public ClientPause pause() { return pause; }

    /** Clients in MONITOR mode. */
    public MonitorFeed monitors() { return monitors; }

    public long nextId() { return nextId.getAndIncrement(); }

    public void add(ClientSession s) { clients.put(s.id, s); }

    /**
     * Registers the client unless {@code max} are already connected. Connections become active on
     * several event loops at once, so the check and the insertion are one step (removals only lower
     * the count, so they need no lock).
     */
    public synchronized boolean addIfBelow(ClientSession s, int max) {
        if (clients.size() >= max) return false;
        clients.put(s.id, s);
        return true;
    }

    public void remove(ClientSession s) { clients.remove(s.id); }

    public ClientSession get(long id) { return clients.get(id); }

    public Collection<ClientSession> all() { return clients.values(); }

    public int size() { return clients.size(); }
}
