package io.jackdaw.server;

import io.jackdaw.command.ClientSession;
import io.jackdaw.command.CommandSpec;
import io.jackdaw.command.ConnectionCommands;
import io.jackdaw.command.ServerStats;
import io.jackdaw.store.KeyTable;
import io.jackdaw.store.Keyspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/** Assembles INFO: Redis 7.2's sections and field names, so tools that parse INFO read ours. */
final class InfoBuilder {
    private static final List<String> DEFAULT = List.of(
            "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "errorstats",
            "cluster", "keyspace");
    private static final List<String> ALL = List.of(
            "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "commandstats",
            "errorstats", "cluster", "keyspace");

    private final JackdawServer s;

    InfoBuilder(JackdawServer s) { this.s = s; }

    String build(List<String> requested) {
        Set<String> sections = new LinkedHashSet<>();
        if (requested.isEmpty()) sections.addAll(DEFAULT);
        for (String r : requested) {
            String n = r.toLowerCase(Locale.ROOT);
            switch (n) {
                case "default" -> sections.addAll(DEFAULT);
                case "all", "everything" -> sections.addAll(ALL);
                default -> sections.add(n);
            }
        }
        StringBuilder sb = new StringBuilder(4096);
        // Sections print in Redis's fixed order whatever order they were asked in.
        for (String sec : ALL) {
            if (!sections.contains(sec)) continue;
            int before = sb.length();
            if (before > 0) sb.append("\r\n");
            switch (sec) {
                case "server" -> server(sb);
                case "clients" -> clients(sb);
                case "memory" -> memory(sb);
                case "persistence" -> persistence(sb);
                case "stats" -> stats(sb);
                case "replication" -> replication(sb);
                case "cpu" -> cpu(sb);
                case "modules" -> sb.append("# Modules\r\n");
                case "commandstats" -> commandstats(sb);
                case "errorstats" -> errorstats(sb);
                case "cluster" -> sb.append("# Cluster\r\ncluster_enabled:0\r\n");
                case "keyspace" -> keyspace(sb);
                default -> { }
            }
        }
        return sb.toString();
    }

    private static void f(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }

    private void server(StringBuilder sb) {
        long now = System.currentTimeMillis();
        long uptime = (now - s.startedMs()) / 1000;
        sb.append("# Server\r\n");
        f(sb, "redis_version", ConnectionCommands.REDIS_VERSION);
        f(sb, "redis_git_sha1", "00000000");
        f(sb, "redis_git_dirty", 0);
        f(sb, "redis_build_id", "0");
        f(sb, "redis_mode", "standalone");
        f(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        f(sb, "arch_bits", 64);
        f(sb, "monotonic_clock", "POSIX clock_gettime");
        f(sb, "multiplexing_api", s.network().isEpoll() ? "epoll" : "nio");
        f(sb, "atomicvar_api", "java");
        f(sb, "gcc_version", "0.0.0");
        f(sb, "process_id", ProcessHandle.current().pid());
        f(sb, "process_supervised", "no");
        f(sb, "run_id", s.runId());
        f(sb, "tcp_port", s.port());
        f(sb, "server_time_usec", s.clock().micros());
        f(sb, "uptime_in_seconds", uptime);
        f(sb, "uptime_in_days", uptime / 86400);
        f(sb, "hz", s.config().get("hz"));
        f(sb, "configured_hz", s.config().get("hz"));
        f(sb, "lru_clock", (now / 1000) & ((1 << 24) - 1));
        f(sb, "executable", s.executable());
        f(sb, "config_file", s.config().configFile() == null ? "" : s.config().configFile().toAbsolutePath());
        f(sb, "io_threads_active", 0);
        f(sb, "listener0", "name=tcp,bind=" + String.join(",", s.bindAddresses()).replace(' ', ',') + ",port=" + s.port());
        f(sb, "server_name", "jackdaw");
        f(sb, "jackdaw_version", JackdawServer.VERSION);
    }

    private void clients(StringBuilder sb) {
        long maxIn = 0, maxOut = 0, inTimeoutTable = 0, watching = 0, pubsubClients = 0;
        for (ClientSession c : s.clients().all()) {
            maxIn = Math.max(maxIn, c.queryBufferBytes);
            maxOut = Math.max(maxOut, c.outputBufferBytes);
            if (c.isBlockedWithTimeout()) inTimeoutTable++;
            if (c.watchCount() > 0) watching++;
            if (c.inPubSub()) pubsubClients++;
        }
        sb.append("# Clients\r\n");
        f(sb, "connected_clients", s.clients().size());
        f(sb, "cluster_connections", 0);
        f(sb, "maxclients", s.config().get("maxclients"));
        f(sb, "client_recent_max_input_buffer", maxIn);
        f(sb, "client_recent_max_output_buffer", maxOut);
        f(sb, "blocked_clients", s.keyspace().blockedClients() + s.clients().pause().postponedClients());
        f(sb, "tracking_clients", s.tracking().trackingClients());
        f(sb, "pubsub_clients", pubsubClients);
        f(sb, "watching_clients", watching);
        f(sb, "clients_in_timeout_table", inTimeoutTable);
        f(sb, "total_watched_keys", s.keyspace().watchedKeys());
        f(sb, "total_blocking_keys", s.keyspace().blockingKeys());
        f(sb, "total_blocking_keys_on_nokey", s.keyspace().blockingKeysOnNoKey());
    }

    private void memory(StringBuilder sb) {
        long used = s.usedMemory();
        long peak = s.notePeak(used);
        long rss = residentBytes();
        long startup = s.startupMemory();
        long dataset = s.keyspace().memoryBytes();
        long total = totalSystemMemory();
        long max = s.config().getLong("maxmemory");
        sb.append("# Memory\r\n");
        f(sb, "used_memory", used);
        f(sb, "used_memory_human", human(used));
        f(sb, "used_memory_rss", rss);
        f(sb, "used_memory_rss_human", human(rss));
        f(sb, "used_memory_peak", peak);
        f(sb, "used_memory_peak_human", human(peak));
        f(sb, "used_memory_peak_perc", String.format(Locale.ROOT, "%.2f%%", peak == 0 ? 0 : used * 100.0 / peak));
        f(sb, "used_memory_overhead", used - dataset);
        f(sb, "used_memory_startup", startup);
        f(sb, "used_memory_dataset", dataset);
        f(sb, "used_memory_dataset_perc", String.format(Locale.ROOT, "%.2f%%",
                used - startup <= 0 ? 0 : Math.min(100.0, dataset * 100.0 / (used - startup))));
        f(sb, "allocator_allocated", used);
        f(sb, "allocator_active", used);
        f(sb, "allocator_resident", rss);
        f(sb, "total_system_memory", total);
        f(sb, "total_system_memory_human", human(total));
        f(sb, "used_memory_lua", 31744);
        f(sb, "used_memory_vm_eval", 31744);
        f(sb, "used_memory_lua_human", human(31744));
        f(sb, "used_memory_scripts_eval", 0);
        long[] scripts = s.dispatcher().scriptCounts();
        f(sb, "number_of_cached_scripts", scripts[0]);
        f(sb, "number_of_functions", scripts[1]);
        f(sb, "number_of_libraries", scripts[2]);
        f(sb, "used_memory_vm_functions", 32768);
        f(sb, "used_memory_vm_total", 64512);
        f(sb, "used_memory_vm_total_human", human(64512));
        f(sb, "used_memory_functions", 0);
        f(sb, "used_memory_scripts", 0);
        f(sb, "used_memory_scripts_human", "0B");
        f(sb, "maxmemory", max);
        f(sb, "maxmemory_human", human(max));
        f(sb, "maxmemory_policy", s.config().get("maxmemory-policy"));
        f(sb, "allocator_frag_ratio", "1.00");
        f(sb, "allocator_frag_bytes", 0);
        f(sb, "allocator_rss_ratio", "1.00");
        f(sb, "allocator_rss_bytes", 0);
        f(sb, "rss_overhead_ratio", "1.00");
        f(sb, "rss_overhead_bytes", 0);
        f(sb, "mem_fragmentation_ratio", String.format(Locale.ROOT, "%.2f", used == 0 ? 0 : (double) rss / used));
        f(sb, "mem_fragmentation_bytes", rss - used);
        f(sb, "mem_not_counted_for_evict", Math.max(0, used - s.memoryForEviction()));
        f(sb, "mem_replication_backlog", 0);
        f(sb, "mem_total_replication_buffers", 0);
        f(sb, "mem_clients_slaves", 0);
        f(sb, "mem_clients_normal", s.clientMemory());
        f(sb, "mem_cluster_links", 0);
        f(sb, "mem_aof_buffer", 0);
        f(sb, "mem_allocator", "jackdaw-pages");
        f(sb, "active_defrag_running", 0);
        f(sb, "lazyfree_pending_objects", 0);
        f(sb, "lazyfreed_objects", 0);
    }

    private void persistence(StringBuilder sb) {
        sb.append("# Persistence\r\n");
        f(sb, "loading", 0);
        f(sb, "async_loading", 0);
        f(sb, "current_cow_peak", 0);
        f(sb, "current_cow_size", 0);
        f(sb, "current_cow_size_age", 0);
        f(sb, "current_fork_perc", "0.00");
        Persistence p = s.persistence();
        long[] progress = p.saveKeysProgress();
        f(sb, "current_save_keys_processed", progress[0]);
        f(sb, "current_save_keys_total", progress[1]);
        f(sb, "rdb_changes_since_last_save", s.stats().dirty.sum() - s.stats().dirtyAtLastSave);
        f(sb, "rdb_bgsave_in_progress", p.bgsaveInProgress() ? 1 : 0);
        f(sb, "rdb_last_save_time", p.lastSaveSeconds());
        f(sb, "rdb_last_bgsave_status", p.lastBgsaveOk() ? "ok" : "err");
        f(sb, "rdb_last_bgsave_time_sec", p.lastBgsaveSeconds());
        f(sb, "rdb_current_bgsave_time_sec", p.currentBgsaveSeconds());
        f(sb, "rdb_saves", s.persistence().saves());
        f(sb, "rdb_last_cow_size", 0);
        f(sb, "rdb_last_load_keys_expired", s.persistence().lastLoadExpired());
        f(sb, "rdb_last_load_keys_loaded", s.persistence().lastLoadLoaded());
        io.jackdaw.persist.AppendOnlyFile aof = p.aof();
        f(sb, "aof_enabled", aof != null ? 1 : 0);
        f(sb, "aof_rewrite_in_progress", p.aofRewriteInProgress() ? 1 : 0);
        f(sb, "aof_rewrite_scheduled", p.aofRewriteScheduled() ? 1 : 0);
        f(sb, "aof_last_rewrite_time_sec", p.aofLastRewriteSeconds());
        f(sb, "aof_current_rewrite_time_sec", p.currentAofRewriteSeconds());
        f(sb, "aof_last_bgrewrite_status", p.aofLastRewriteOk() ? "ok" : "err");
        f(sb, "aof_rewrites", p.aofRewrites());
        f(sb, "aof_rewrites_consecutive_failures", p.aofLastRewriteOk() ? 0 : 1);
        f(sb, "aof_last_write_status", aof == null || aof.lastWriteOk() ? "ok" : "err");
        f(sb, "aof_last_cow_size", 0);
        f(sb, "module_fork_in_progress", 0);
        f(sb, "module_fork_last_cow_size", 0);
        if (aof != null) { // as Redis, only while the AOF is on
            f(sb, "aof_current_size", aof.currentSize());
            f(sb, "aof_base_size", aof.baseSize());
            f(sb, "aof_pending_rewrite", 0);
            f(sb, "aof_buffer_length", aof.bufferLength());
            f(sb, "aof_pending_bio_fsync", 0);
            f(sb, "aof_delayed_fsync", 0);
        }
    }

    private void stats(StringBuilder sb) {
        ServerStats st = s.stats();
        sb.append("# Stats\r\n");
        f(sb, "total_connections_received", st.connectionsReceived.sum());
        f(sb, "total_commands_processed", st.commandsProcessed.sum());
        f(sb, "instantaneous_ops_per_sec", s.instantaneousOps());
        f(sb, "total_net_input_bytes", st.netInputBytes.sum());
        f(sb, "total_net_output_bytes", st.netOutputBytes.sum());
        f(sb, "total_net_repl_input_bytes", 0);
        f(sb, "total_net_repl_output_bytes", 0);
        f(sb, "instantaneous_input_kbps", String.format(Locale.ROOT, "%.2f", s.instantaneousInputKbps()));
        f(sb, "instantaneous_output_kbps", String.format(Locale.ROOT, "%.2f", s.instantaneousOutputKbps()));
        f(sb, "instantaneous_input_repl_kbps", "0.00");
        f(sb, "instantaneous_output_repl_kbps", "0.00");
        f(sb, "rejected_connections", st.rejectedConnections.sum());
        f(sb, "sync_full", 0);
        f(sb, "sync_partial_ok", 0);
        f(sb, "sync_partial_err", 0);
        f(sb, "expired_subkeys", st.expiredSubkeys.sum());
        f(sb, "expired_keys", st.expiredKeys.sum());
        f(sb, "expired_stale_perc", "0.00");
        f(sb, "expired_time_cap_reached_count", 0);
        f(sb, "expire_cycle_cpu_milliseconds", 0);
        f(sb, "evicted_keys", st.evictedKeys.sum());
        f(sb, "evicted_clients", 0);
        f(sb, "total_eviction_exceeded_time", 0);
        f(sb, "current_eviction_exceeded_time", 0);
        f(sb, "keyspace_hits", st.keyspaceHits.sum());
        f(sb, "keyspace_misses", st.keyspaceMisses.sum());
        f(sb, "pubsub_channels", s.pubsub().channelCount(false));
        f(sb, "pubsub_patterns", s.pubsub().numpat());
        f(sb, "pubsubshard_channels", s.pubsub().channelCount(true));
        f(sb, "latest_fork_usec", 0);
        f(sb, "total_forks", 0);
        f(sb, "migrate_cached_sockets", 0);
        f(sb, "slave_expires_tracked_keys", 0);
        f(sb, "active_defrag_hits", 0);
        f(sb, "active_defrag_misses", 0);
        f(sb, "active_defrag_key_hits", 0);
        f(sb, "active_defrag_key_misses", 0);
        f(sb, "total_active_defrag_time", 0);
        f(sb, "current_active_defrag_time", 0);
        f(sb, "tracking_total_keys", s.keyspace().trackedKeys());
        f(sb, "tracking_total_items", s.keyspace().trackedItems());
        f(sb, "tracking_total_prefixes", s.tracking().prefixCount());
        f(sb, "unexpected_error_replies", st.unexpectedErrorReplies.sum());
        f(sb, "total_error_replies", st.errorReplies.sum());
        f(sb, "dump_payload_sanitizations", 0);
        f(sb, "total_reads_processed", st.ioReadsProcessed.sum());
        f(sb, "total_writes_processed", st.ioWritesProcessed.sum());
        f(sb, "io_threaded_reads_processed", 0);
        f(sb, "io_threaded_writes_processed", 0);
        f(sb, "client_query_buffer_limit_disconnections", st.clientQueryBufferLimitDisconnections.sum());
        f(sb, "client_output_buffer_limit_disconnections", st.clientOutputBufferLimitDisconnections.sum());
        f(sb, "reply_buffer_shrinks", 0);
        f(sb, "reply_buffer_expands", 0);
    }

    private void replication(StringBuilder sb) {
        sb.append("# Replication\r\n");
        f(sb, "role", "master");
        f(sb, "connected_slaves", 0);
        f(sb, "master_failover_state", "no-failover");
        f(sb, "master_replid", s.runId());
        f(sb, "master_replid2", "0000000000000000000000000000000000000000");
        f(sb, "master_repl_offset", 0);
        f(sb, "second_repl_offset", -1);
        f(sb, "repl_backlog_active", 0);
        f(sb, "repl_backlog_size", s.config().getLong("repl-backlog-size"));
        f(sb, "repl_backlog_first_byte_offset", 0);
        f(sb, "repl_backlog_histlen", 0);
    }

    private void cpu(StringBuilder sb) {
        double[] cpu = processCpu();
        sb.append("# CPU\r\n");
        f(sb, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", cpu[1]));
        f(sb, "used_cpu_user", String.format(Locale.ROOT, "%.6f", cpu[0]));
        f(sb, "used_cpu_sys_children", "0.000000");
        f(sb, "used_cpu_user_children", "0.000000");
        f(sb, "used_cpu_sys_main_thread", String.format(Locale.ROOT, "%.6f", cpu[1]));
        f(sb, "used_cpu_user_main_thread", String.format(Locale.ROOT, "%.6f", cpu[0]));
    }

    private void commandstats(StringBuilder sb) {
        sb.append("# Commandstats\r\n");
        for (CommandSpec c : s.commands().all()) {
            statLine(sb, c);
            for (CommandSpec sub : c.subcommands.values()) statLine(sb, sub);
        }
    }

    private static void statLine(StringBuilder sb, CommandSpec c) {
        long calls = c.calls.sum(), rejected = c.rejectedCalls.sum(), failed = c.failedCalls.sum();
        if (calls == 0 && rejected == 0 && failed == 0) return;
        long usec = c.usec.sum();
        sb.append("cmdstat_").append(c.name).append(":calls=").append(calls).append(",usec=").append(usec)
                .append(",usec_per_call=")
                .append(String.format(Locale.ROOT, "%.2f", calls == 0 ? 0 : (double) usec / calls))
                .append(",rejected_calls=").append(rejected).append(",failed_calls=").append(failed).append("\r\n");
    }

    private void errorstats(StringBuilder sb) {
        sb.append("# Errorstats\r\n");
        Map<String, LongAdder> sorted = new TreeMap<>(s.stats().errorCounts());
        for (Map.Entry<String, LongAdder> e : sorted.entrySet())
            sb.append("errorstat_").append(e.getKey()).append(":count=").append(e.getValue().sum()).append("\r\n");
    }

    private void keyspace(StringBuilder sb) {
        sb.append("# Keyspace\r\n");
        Keyspace ks = s.keyspace();
        for (int db = 0; db < ks.databases(); db++) {
            long keys = 0, expires = 0;
            for (int i = 0; i < ks.shardCount(); i++) {
                KeyTable t = ks.shard(i).tableIfPresent(db);
                if (t == null) continue;
                keys += t.size();
                expires += t.ttlCount();
            }
            if (keys > 0) sb.append("db").append(db).append(":keys=").append(keys).append(",expires=").append(expires)
                    .append(",avg_ttl=").append(ks.avgTtl(db)).append("\r\n");
        }
    }

    // ------------------------------------------------------------ process figures

    /** Resident set size from /proc (the process as the OS sees it: heap, off-heap and JVM). */
    static long residentBytes() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096;
        } catch (Exception e) {
            Runtime r = Runtime.getRuntime();
            return r.totalMemory();
        }
    }

    private static long totalSystemMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (Exception ignored) {
            // fall through
        }
        return 0;
    }

    /** User and system CPU seconds of the process, from /proc/self/stat (clock ticks of 1/100 s). */
    private static double[] processCpu() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new double[] {Long.parseLong(f[11]) / 100.0, Long.parseLong(f[12]) / 100.0};
        } catch (Exception e) {
            return new double[] {0, 0};
        }
    }

    /** Redis's bytesToHuman: B, K, M, G, T, P with two decimals. */
    static String human(long n) {
        double d = n;
        if (n < 1024) return n + "B";
        String[] units = {"K", "M", "G", "T", "P"};
        int i = -1;
        while (d >= 1024 && i < units.length - 1) {
            d /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.2f%s", d, units[i]);
    }

}
