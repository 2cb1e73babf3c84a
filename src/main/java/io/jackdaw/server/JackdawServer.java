package io.jackdaw.server;

import io.jackdaw.command.ClientRegistry;
import io.jackdaw.command.ClientSession;
import io.jackdaw.command.ClientTracking;
import io.jackdaw.command.Eviction;
import io.jackdaw.command.KeyspaceEvents;
import io.jackdaw.command.CommandTable;
import io.jackdaw.command.Commands;
import io.jackdaw.command.Dispatcher;
import io.jackdaw.command.ServerContext;
import io.jackdaw.command.ServerStats;
import io.jackdaw.common.Log;
import io.jackdaw.net.NetLimits;
import io.jackdaw.net.NetworkServer;
import io.jackdaw.server.config.ConfigException;
import io.jackdaw.server.config.ServerConfig;
import io.jackdaw.store.Clock;
import io.jackdaw.store.Keyspace;
import io.jackdaw.store.SetOps;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server: reads the configuration, builds the keyspace and command table, starts the
 * network and the periodic tasks, and shuts down in order on SHUTDOWN or SIGTERM.
 */
public final class JackdawServer implements ServerContext {
    public static final String VERSION = "0.1.0";

    /** Keyspace shards: slot -> shard by the top bits of the 14-bit slot. */
    static final int SHARDS = 256;

    private final ServerConfig config;
    private final Clock clock;
    private final Keyspace keyspace;
    private final CommandTable commands;
    private final ClientRegistry clients = new ClientRegistry();
    private final ServerStats stats = new ServerStats();
    private final Dispatcher dispatcher;
    private final NetLimits limits = new NetLimits();
    private final NetworkServer network;
    private final InfoBuilder info = new InfoBuilder(this);
    private final String runId;
    private final long startedMs;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private Cron cron;
    private Persistence persistence;
    private int port;
    private List<String> bind = List.of();
    private volatile long peakMemory;
    // Encoding thresholds read on every hash write, kept current by CONFIG SET listeners.
    private volatile long hashMaxListpackEntries, hashMaxListpackValue;
    private volatile int listMaxListpackSize;
    private volatile int notifyKeyspaceEvents;
    private final io.jackdaw.pubsub.PubSub pubsub = new io.jackdaw.pubsub.PubSub();
    private final ClientTracking tracking;
    private final Eviction eviction = new Eviction(this);
    /** Client buffers as the cron last summed them: eviction's share of used memory, without a walk per write. */
    private volatile long clientMemorySample;
    private volatile SetOps.Limits setLimits;
    private volatile long zsetMaxListpackEntries, zsetMaxListpackValue;
    private volatile long hllSparseMaxBytes;
    private final long startupMemory;

    public JackdawServer(ServerConfig config) { this(config, Clock.SYSTEM); }

    public JackdawServer(ServerConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.startedMs = clock.millis();
        this.stats.startedMs = startedMs;
        byte[] id = new byte[20];
        new SecureRandom().nextBytes(id);
        this.runId = HexFormat.of().formatHex(id);
        this.keyspace = new Keyspace(config.getInt("databases"), SHARDS);
        this.tracking = new ClientTracking(clients, keyspace);
        this.commands = CommandTable.load();
        this.dispatcher = new Dispatcher(this);
        Commands.registerAll(commands, dispatcher);
        this.network = new NetworkServer(this, dispatcher, limits);
        this.keyspace.setExpiryListener((db, key, off, len) -> {
            stats.expiredKeys.increment();
            io.jackdaw.command.WriteFeed feed = dispatcher.writeFeed();
            if (feed.active()) feed.deleted(db, key, off, len); // under the key's shard lock: ahead of its next write
            KeyspaceEvents.notify(this, KeyspaceEvents.EXPIRED, "expired", key, off, len, db);
            if (tracking.active()) tracking.invalidate(null, key, off, len);
        });
        this.keyspace.setFieldExpiryListener((db, key, off, len, fields, hashDeleted) -> {
            stats.expiredSubkeys.add(fields);
            KeyspaceEvents.notify(this, KeyspaceEvents.HASH, "hexpired", key, off, len, db);
            if (hashDeleted) KeyspaceEvents.notify(this, KeyspaceEvents.GENERIC, "del", key, off, len, db);
            if (tracking.active()) tracking.invalidate(null, key, off, len);
        });
        Runtime rt = Runtime.getRuntime();
        this.startupMemory = rt.totalMemory() - rt.freeMemory();
        applyConfig();
    }

    /** Wires the directives the server honours to their effect, now and on CONFIG SET. */
    private void applyConfig() {
        config.markImplemented("port", "bind", "io-threads", "maxclients", "timeout", "tcp-keepalive", "databases",
                "requirepass", "proto-max-bulk-len", "client-query-buffer-limit", "enable-debug-command", "hz",
                "loglevel", "logfile", "tcp-backlog", "pidfile", "dir", "active-expire-effort",
                "hash-max-listpack-entries", "hash-max-listpack-value", "list-max-listpack-size",
                "set-max-intset-entries", "set-max-listpack-entries", "set-max-listpack-value",
                "zset-max-listpack-entries", "zset-max-listpack-value", "client-output-buffer-limit",
                "tracking-table-max-keys", "maxmemory", "maxmemory-policy", "maxmemory-samples",
                "maxmemory-eviction-tenacity", "hll-sparse-max-bytes", "appendonly", "appendfsync", "appendfilename",
                "appenddirname", "aof-load-truncated", "aof-timestamp-enabled", "save", "dbfilename", "rdbcompression",
                "rdbchecksum", "aof-use-rdb-preamble", "stop-writes-on-bgsave-error", "rdb-key-save-delay",
                "busy-reply-threshold");
        if (!config.wasSetAtStartup("io-threads")) {
            // Jackdaw runs commands on its I/O threads, so by default it uses every core.
            try {
                config.update("io-threads", String.valueOf(Math.min(128, Runtime.getRuntime().availableProcessors())));
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        }
        limits.setMaxClients(config.getInt("maxclients"));
        limits.setProtoMaxBulkLen(config.getLong("proto-max-bulk-len"));
        limits.setQueryBufferLimit(config.getLong("client-query-buffer-limit"));
        dispatcher.setRequirePass(config.get("requirepass"));
        dispatcher.setEnableDebugCommand(config.get("enable-debug-command"));
        Log.Level level = Log.parseLevel(config.get("loglevel"));
        if (level != null) Log.setLevel(level);
        configureAccessTracking();
        hashMaxListpackEntries = config.getLong("hash-max-listpack-entries");
        hashMaxListpackValue = config.getLong("hash-max-listpack-value");
        config.addListener("hash-max-listpack-entries", (n, v) -> hashMaxListpackEntries = config.getLong(n));
        config.addListener("hash-max-listpack-value", (n, v) -> hashMaxListpackValue = config.getLong(n));
        setNotifyKeyspaceEvents(KeyspaceEvents.parse(config.get("notify-keyspace-events")));
        config.addListener("notify-keyspace-events", (n, v) -> setNotifyKeyspaceEvents(KeyspaceEvents.parse(config.get(n))));
        listMaxListpackSize = config.getInt("list-max-listpack-size");
        config.addListener("list-max-listpack-size", (n, v) -> listMaxListpackSize = config.getInt(n));
        setLimits = readSetLimits();
        for (String d : new String[] {"set-max-intset-entries", "set-max-listpack-entries", "set-max-listpack-value"})
            config.addListener(d, (n, v) -> setLimits = readSetLimits());
        hllSparseMaxBytes = config.getLong("hll-sparse-max-bytes");
        config.addListener("hll-sparse-max-bytes", (n, v) -> hllSparseMaxBytes = config.getLong(n));
        zsetMaxListpackEntries = config.getLong("zset-max-listpack-entries");
        zsetMaxListpackValue = config.getLong("zset-max-listpack-value");
        config.addListener("zset-max-listpack-entries", (n, v) -> zsetMaxListpackEntries = config.getLong(n));
        config.addListener("zset-max-listpack-value", (n, v) -> zsetMaxListpackValue = config.getLong(n));
        for (String d : new String[] {"maxmemory-policy", "maxmemory", "lfu-log-factor", "lfu-decay-time"})
            config.addListener(d, (n, v) -> configureAccessTracking());
        configureEviction();
        for (String d : new String[] {"maxmemory-policy", "maxmemory-samples", "maxmemory-eviction-tenacity"})
            config.addListener(d, (n, v) -> configureEviction());
        config.addListener("maxmemory", (n, v) -> {
            configureEviction();
            // As Redis's updateMaxmemory: a lower limit starts evicting now, not at the next write.
            long max = config.getLong("maxmemory"), used = memoryForEviction();
            if (max == 0) return;
            if (max < used) {
                Log.warning("WARNING: the new maxmemory value set via CONFIG SET (" + max + ") is smaller than the current memory "
                        + "usage (" + used + "). This will result in key eviction and/or the inability to accept new write "
                        + "commands depending on the maxmemory-policy.");
            }
            eviction.perform();
        });
        tracking.setMaxKeys(config.getLong("tracking-table-max-keys"));
        config.addListener("tracking-table-max-keys", (n, v) -> tracking.setMaxKeys(config.getLong(n)));
        config.addListener("maxclients", (n, v) -> limits.setMaxClients(Integer.parseInt(v)));
        config.addListener("proto-max-bulk-len", (n, v) -> limits.setProtoMaxBulkLen(Long.parseLong(v)));
        config.addListener("client-query-buffer-limit", (n, v) -> limits.setQueryBufferLimit(Long.parseLong(v)));
        config.addListener("requirepass", (n, v) -> dispatcher.setRequirePass(v));
        limits.setOutputBufferLimits(config.outputBufferLimits());
        config.addListener("client-output-buffer-limit", (n, v) -> limits.setOutputBufferLimits(config.outputBufferLimits()));
        config.addListener("loglevel", (n, v) -> {
            Log.Level l = Log.parseLevel(v);
            if (l != null) Log.setLevel(l);
        });
    }

    private SetOps.Limits readSetLimits() {
        return new SetOps.Limits(config.getLong("set-max-intset-entries"), config.getLong("set-max-listpack-entries"),
                config.getLong("set-max-listpack-value"));
    }

    private void configureEviction() {
        eviction.configure(config.getLong("maxmemory"), config.get("maxmemory-policy"), config.getInt("maxmemory-samples"),
                config.getInt("maxmemory-eviction-tenacity"));
    }

    private void configureAccessTracking() {
        keyspace.access().configure(config.get("maxmemory-policy"), config.getLong("maxmemory"),
                config.getInt("lfu-log-factor"), config.getInt("lfu-decay-time"));
    }

    /** notify-keyspace-events as bits; the store reports created keys only while "new" events are on. */
    private void setNotifyKeyspaceEvents(int flags) {
        notifyKeyspaceEvents = flags;
        boolean newKeys = (flags & KeyspaceEvents.NEW) != 0 && (flags & (KeyspaceEvents.KEYSPACE | KeyspaceEvents.KEYEVENT)) != 0;
        keyspace.setNewKeyListener(newKeys
                ? (db, key, off, len) -> KeyspaceEvents.notify(this, KeyspaceEvents.NEW, "new", key, off, len, db) : null);
    }

    /** Binds and starts serving; returns once the listeners are up. */
    public JackdawServer start() throws InterruptedException {
        String logfile = config.get("logfile");
        if (logfile != null && !logfile.isEmpty()) {
            try {
                Log.setFile(logfile);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("Can't open the log file: " + e.getMessage(), e);
            }
        }
        for (String w : config.warnings()) Log.warning(w);
        persistence = new Persistence(this);
        persistence.loadAtStartup();
        bind = splitBind(config.get("bind"));
        int ioThreads = Math.max(1, config.getInt("io-threads"));
        port = network.start(bind, config.getInt("port"), ioThreads, config.getInt("tcp-keepalive"),
                config.getInt("tcp-backlog"));
        writePidFile();
        cron = new Cron(this);
        cron.start();
        Log.raw(banner(ioThreads));
        Log.notice("Server initialized");
        Log.notice("Ready to accept connections tcp");
        return this;
    }

    /** Redis writes its pid where pidfile says (relative to dir) and removes it on exit. */
    private void writePidFile() {
        java.nio.file.Path p = pidFile();
        if (p == null) return;
        try {
            java.nio.file.Files.writeString(p, ProcessHandle.current().pid() + "\n");
        } catch (java.io.IOException e) {
            Log.warning("Failed to write PID file: " + e.getMessage());
        }
    }

    private void deletePidFile() {
        java.nio.file.Path p = pidFile();
        if (p == null) return;
        try {
            java.nio.file.Files.deleteIfExists(p);
        } catch (java.io.IOException ignored) {
            // nothing to do: the file was already gone or is not ours to remove
        }
    }

    private java.nio.file.Path pidFile() {
        String v = config.get("pidfile");
        if (v == null || v.isEmpty()) return null;
        return java.nio.file.Path.of(config.get("dir")).resolve(v);
    }

    private static List<String> splitBind(String v) {
        List<String> out = new ArrayList<>();
        if (v != null) for (String s : v.trim().split("\\s+")) if (!s.isEmpty()) out.add(s);
        if (out.isEmpty()) out.add("*");
        return out;
    }

    private String banner(int ioThreads) {
        return "Jackdaw " + VERSION + " (Redis " + io.jackdaw.command.ConnectionCommands.REDIS_VERSION
                + " compatible) port=" + port + " io-threads=" + ioThreads + " pid=" + ProcessHandle.current().pid()
                + " transport=" + (network.isEpoll() ? "epoll" : "nio");
    }

    /** Stops serving, closes every client and waits for the event loops to end. */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            awaitStop();
            return;
        }
        if (cron != null) cron.stop();
        deletePidFile();
        for (ClientSession c : clients.all()) c.kill();
        network.stop();
        if (persistence != null) persistence.stopAof(); // after the last command: everything appended reaches the disk
        Log.notice("Jackdaw is now ready to exit, bye bye...");
        stopped.countDown();
    }

    public void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------ ServerContext

    @Override public Keyspace keyspace() { return keyspace; }

    private final java.util.concurrent.atomic.AtomicBoolean scriptDenyDisabled = new java.util.concurrent.atomic.AtomicBoolean();

    @Override public java.util.concurrent.atomic.AtomicBoolean scriptDenyDisabled() { return scriptDenyDisabled; }

    @Override public CommandTable commands() { return commands; }

    @Override public ClientRegistry clients() { return clients; }

    @Override public ServerStats stats() { return stats; }

    @Override public ServerConfig config() { return config; }

    @Override public Clock clock() { return clock; }

    @Override public long protoMaxBulkLen() { return limits.protoMaxBulkLen(); }

    @Override public long hashMaxListpackEntries() { return hashMaxListpackEntries; }

    @Override public long hashMaxListpackValue() { return hashMaxListpackValue; }

    @Override public int listMaxListpackSize() { return listMaxListpackSize; }

    @Override public int notifyKeyspaceEvents() { return notifyKeyspaceEvents; }

    @Override public io.jackdaw.pubsub.PubSub pubsub() { return pubsub; }

    @Override public ClientTracking tracking() { return tracking; }

    @Override public void pauseCron(boolean paused) {
        Cron c = cron;
        if (c != null) c.paused = paused;
    }
    @Override public SetOps.Limits setLimits() { return setLimits; }
    @Override public long zsetMaxListpackEntries() { return zsetMaxListpackEntries; }

    @Override public long hllSparseMaxBytes() { return hllSparseMaxBytes; }

    @Override public long zsetMaxListpackValue() { return zsetMaxListpackValue; }

    @Override public String info(List<String> sections) { return info.build(sections); }

    @Override public long usedMemory() { return startupMemory + keyspace.memoryBytes() + clientMemory(); }

    @Override public long memoryForEviction() { return startupMemory + keyspace.liveMemoryBytes() + clientMemorySample; }

    @Override public Eviction eviction() { return eviction; }

    /** The cron's sample of client buffers for {@link #memoryForEviction()}. */
    void sampleClientMemory() { clientMemorySample = clientMemory(); }

    @Override public String shutdown(boolean nosave, boolean save, boolean now, boolean force, boolean abort) {
        if (abort) return "ERR No shutdown in progress.";
        Log.warning("User requested shutdown...");
        persistence.awaitBackground(); // a BGSAVE or AOF rewrite under way ends first
        // As Redis: save on the way out when save points are configured or SAVE is asked, unless NOSAVE.
        if (!nosave && (save || persistence.hasSavePoints())) {
            Log.notice("Saving the final RDB snapshot before exiting.");
            if (persistence.save() != null && !force) {
                Log.warning("Error trying to save the DB, can't exit.");
                return "ERR Errors trying to SHUTDOWN. Check logs.";
            }
        }
        // Stop from another thread: this one is an event loop that stop() waits for.
        Thread t = new Thread(this::stop, "jackdaw-shutdown");
        t.start();
        return null;
    }

    // ------------------------------------------------------------ figures for INFO

    Dispatcher dispatcher() { return dispatcher; }

    NetworkServer network() { return network; }

    public int port() { return port; }

    List<String> bindAddresses() { return bind; }

    String runId() { return runId; }

    long startedMs() { return startedMs; }

    Persistence persistence() { return persistence; }

    @Override public io.jackdaw.command.Snapshots snapshots() { return persistence; }

    @Override public io.jackdaw.command.WriteFeed writeFeed() { return dispatcher.writeFeed(); }

    @Override public long startupMemory() { return startupMemory; }

    @Override public long peakMemory() { return notePeak(usedMemory()); }

    @Override public long residentMemory() { return InfoBuilder.residentBytes(); }

    long notePeak(long used) {
        if (used > peakMemory) peakMemory = used;
        return peakMemory;
    }

    @Override public long clientMemory() {
        long n = 0;
        for (ClientSession c : clients.all()) n += c.queryBufferBytes + c.outputBufferBytes + 16 * 1024;
        return n;
    }

    long instantaneousOps() { return cron == null ? 0 : cron.opsPerSec(); }

    double instantaneousInputKbps() { return cron == null ? 0 : cron.inputKbps(); }

    double instantaneousOutputKbps() { return cron == null ? 0 : cron.outputKbps(); }

    String executable() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    // ------------------------------------------------------------ main

    public static void main(String[] args) {
        // Netty tracks one buffer in 128 for leaks, capturing a stack trace each time: about 1% of
        // a short command's CPU. Off for the server unless asked for; tests start servers
        // without main and keep it.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
        ServerConfig config;
        try {
            if (args.length == 1 && (args[0].equals("-v") || args[0].equals("--version"))) {
                System.out.println("Jackdaw server v=" + VERSION + " redis_version="
                        + io.jackdaw.command.ConnectionCommands.REDIS_VERSION);
                return;
            }
            config = ServerConfig.fromArgs(args);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        JackdawServer server = new JackdawServer(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!server.stopping.get()) {
                Log.warning("Received SIGTERM scheduling shutdown...");
                server.stop();
                // Like Redis, an orderly SIGTERM shutdown exits 0 (the JVM would report 143).
                System.out.flush();
                Runtime.getRuntime().halt(0);
            }
        }, "jackdaw-sigterm"));
        try {
            server.start();
        } catch (Exception e) {
            Log.warning(e.getMessage());
            System.exit(1);
        }
        server.awaitStop();
        System.exit(0);
    }
}
