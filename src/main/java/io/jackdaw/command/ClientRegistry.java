package io.jackdaw.command;

import java.util.Collection;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** Connected clients by id (ascending, the order CLIENT LIST prints). */
public final class ClientRegistry {
    private final ConcurrentSkipListMap<Long, ClientSession> clients = new ConcurrentSkipListMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    public long nextId() { return nextId.getAndIncrement(); }

    public void add(ClientSession s) { clients.put(s.id, s); }

    public void remove(ClientSession s) { clients.remove(s.id); }

    public ClientSession get(long id) { return clients.get(id); }

    public Collection<ClientSession> all() { return clients.values(); }

    public int size() { return clients.size(); }
}
