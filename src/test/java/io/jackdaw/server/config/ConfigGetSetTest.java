package io.jackdaw.server.config;

import static io.jackdaw.server.config.TestSupport.pairs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigGetSetTest {

    private static Map<String, String> asMap(List<Map.Entry<String, String>> entries) {
        Map<String, String> m = new HashMap<>();
        for (Map.Entry<String, String> e : entries) {
            assertThat(m.put(e.getKey(), e.getValue())).as("duplicate key " + e.getKey()).isNull();
        }
        return m;
    }

    private static String setError(ServerConfig c, String... kv) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> c.set(pairs(kv)));
        assertThat(e).as("expected CONFIG SET to fail for " + List.of(kv)).isNotNull();
        return e.getMessage();
    }

    // ---- CONFIG GET ----

    @Test
    void getByNameAliasAndAnyCase() {
        ServerConfig c = ServerConfig.defaults();
        assertThat(c.get("port")).isEqualTo("6379");
        assertThat(c.get("PORT")).isEqualTo("6379");
        assertThat(c.get("slaveof")).isEqualTo("");
        assertThat(c.get("hash-max-ziplist-entries")).isEqualTo("512");
        assertThat(c.get("no-such-thing")).isNull();
        // Directives that exist only in config files are invisible to CONFIG GET.
        assertThat(c.get("include")).isNull();
        assertThat(c.get("rename-command")).isNull();
        assertThat(c.get("list-max-ziplist-entries")).isNull();
        assertThat(c.getBool("appendonly")).isFalse();
        assertThat(c.getInt("databases")).isEqualTo(16);
        assertThat(c.getLong("client-query-buffer-limit")).isEqualTo(1L << 30);
        assertThatThrownBy(() -> c.getInt("appendonly")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.getBool("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exactNamesAnswerUnderTheGivenSpellingOnce() {
        ServerConfig c = ServerConfig.defaults();
        assertThat(c.getMatching(List.of("PORT"))).containsExactly(Map.entry("PORT", "6379"));
        assertThat(c.getMatching(List.of("port", "PORT", "Port"))).containsExactly(Map.entry("port", "6379"));
        // Hidden directives need their exact name.
        assertThat(c.getMatching(List.of("watchdog-period"))).containsExactly(Map.entry("watchdog-period", "0"));
        assertThat(c.getMatching(List.of("watchdog*"))).isEmpty();
        assertThat(c.getMatching(List.of("nope", "include"))).isEmpty();
    }

    @Test
    void patternsMatchNamesAndAliasesCaseInsensitively() {
        ServerConfig c = ServerConfig.defaults();
        Map<String, String> slaves = asMap(c.getMatching(List.of("slave-*")));
        assertThat(slaves).containsOnlyKeys("slave-lazy-flush", "slave-ignore-maxmemory", "slave-announce-ip",
                "slave-serve-stale-data", "slave-priority", "slave-read-only", "slave-announce-port");
        assertThat(asMap(c.getMatching(List.of("MAXMEMORY-P*")))).containsOnlyKeys("maxmemory-policy");
        assertThat(asMap(c.getMatching(List.of("*-cpulist"))))
                .containsOnlyKeys("server-cpulist", "bio-cpulist", "aof-rewrite-cpulist", "bgsave-cpulist");
        assertThat(asMap(c.getMatching(List.of("*_cpulist"))))
                .containsOnlyKeys("server_cpulist", "bio_cpulist", "aof_rewrite_cpulist", "bgsave_cpulist");
        assertThat(asMap(c.getMatching(List.of("tls-[pr]*"))))
                .containsOnlyKeys("tls-port", "tls-protocols", "tls-prefer-server-ciphers", "tls-replication");
        assertThat(asMap(c.getMatching(List.of("h?")))).containsOnlyKeys("hz");
        assertThat(asMap(c.getMatching(List.of("[^a-y]*")))).containsOnlyKeys("zset-max-listpack-entries",
                "zset-max-ziplist-entries", "zset-max-listpack-value", "zset-max-ziplist-value");
    }

    @Test
    void severalPatternsReportEachNameOnce() {
        ServerConfig c = ServerConfig.defaults();
        List<Map.Entry<String, String>> all = c.getMatching(List.of("*"));
        List<Map.Entry<String, String>> twice = c.getMatching(List.of("*", "port", "max*", "*"));
        assertThat(twice).hasSameSizeAs(all);
        Map<String, String> m = asMap(all);
        // Like Redis, '*' lists aliases next to their canonical names, but never hidden directives.
        assertThat(m).containsKeys("replicaof", "slaveof", "busy-reply-threshold", "lua-time-limit", "save",
                "client-output-buffer-limit", "dir", "locale-collate", "masterauth", "primaryauth");
        assertThat(m).doesNotContainKeys("watchdog-period", "key-load-delay", "use-exit-on-panic", "include",
                "rename-command", "user", "loadmodule");
        assertThat(m.get("bind")).isEqualTo("* -::*");
        assertThat(m.get("save")).isEqualTo("3600 1 300 100 60 10000");
        assertThat(m.get("latency-tracking-info-percentiles")).isEqualTo("50 99 99.9");
        assertThat(m.get("oom-score-adj-values")).isEqualTo("0 200 800");
        assertThat(m.get("proc-title-template")).isEqualTo("{title} {listen-addr} {server-mode}");
        assertThat(m.get("requirepass")).isEqualTo("");
        long hidden = c.directives().stream().filter(d -> d.isStandard() && d.isHidden()).count();
        long visibleKeys = c.directives().stream().filter(d -> d.isStandard() && !d.isHidden())
                .mapToLong(d -> 1 + d.aliases().size()).sum();
        assertThat(hidden).isPositive();
        assertThat(all).hasSize((int) visibleKeys);
    }

    // ---- CONFIG SET ----

    @Test
    void setErrorsMatchRedis() {
        ServerConfig c = ServerConfig.defaults();
        assertThat(setError(c, "foo", "bar")).isEqualTo("ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
        assertThat(setError(c, "daemonize", "no"))
                .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config");
        assertThat(setError(c, "DAEMONIZE", "no"))
                .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'DAEMONIZE') - can't set immutable config");
        assertThat(setError(c, "dir", "/tmp"))
                .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config");
        assertThat(setError(c, "port", "1", "port", "2"))
                .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'port') - duplicate parameter");
        assertThat(setError(c, "replica-priority", "1", "slave-priority", "2"))
                .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'slave-priority') - duplicate parameter");
        assertThat(setError(c, "maxmemory", "10x"))
                .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value");
        assertThat(setError(c, "appendonly", "maybe"))
                .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'appendonly') - argument must be 'yes' or 'no'");
        assertThat(setError(c, "port", "abc")).isEqualTo(
                "ERR CONFIG SET failed (possibly related to argument 'port') - argument couldn't be parsed into an integer");
        assertThat(setError(c, "port", "70000")).isEqualTo(
                "ERR CONFIG SET failed (possibly related to argument 'port') - argument must be between 0 and 65535 inclusive");
        assertThat(setError(c, "SLAVE-PRIORITY", "abc")).isEqualTo("ERR CONFIG SET failed (possibly related to "
                + "argument 'slave-priority') - argument couldn't be parsed into an integer");
        assertThat(setError(c, "maxmemory-policy", "foo")).isEqualTo("ERR CONFIG SET failed (possibly related to "
                + "argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, "
                + "volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction");
        assertThat(setError(c, "maxclients", "-1")).isEqualTo("ERR CONFIG SET failed (possibly related to argument "
                + "'maxclients') - argument must be between 1 and 4294967295 inclusive");
        assertThat(setError(c, "maxmemory-clients", "200%")).isEqualTo("ERR CONFIG SET failed (possibly related to "
                + "argument 'maxmemory-clients') - percentage argument must be less or equal to 100");
        assertThat(setError(c, "shutdown-on-sigint", "save nosave")).isEqualTo("ERR CONFIG SET failed (possibly "
                + "related to argument 'shutdown-on-sigint') - shutdown options SAVE and NOSAVE can't be used simultaneously");
        assertThat(setError(c, "save", "a"))
                .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters");
        assertThat(setError(c, "hash-max-ziplist-entries", "-1")).isEqualTo("ERR CONFIG SET failed (possibly related "
                + "to argument 'hash-max-ziplist-entries') - argument must be between 0 and 9223372036854775807 inclusive");
        assertThat(setError(c, "replicaof", "no one"))
                .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'replicaof') - can't set immutable config");
        // The first problem wins, whatever its kind.
        assertThat(setError(c, "maxmemory", "1", "foo", "2", "daemonize", "no"))
                .isEqualTo("ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
        assertThat(setError(c, "daemonize", "no", "foo", "2"))
                .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> c.set(pairs("port", "x")));
        assertThat(e.argument()).isEqualTo("port");
        assertThat(e.reason()).isEqualTo("argument couldn't be parsed into an integer");
    }

    @Test
    void setAcceptsRedisValueForms() throws Exception {
        ServerConfig c = ServerConfig.defaults();
        c.set(pairs("maxmemory", "1gb", "maxmemory-policy", "ALLKEYS-LRU", "appendonly", "YES",
                "save", "100 5 200 6", "client-output-buffer-limit", "replica 1gb 2mb 30",
                "notify-keyspace-events", "EKAm", "oom-score-adj", "relative", "shutdown-on-sigint", "now save",
                "latency-tracking-info-percentiles", "99.9999999 1", "maxmemory-clients", "5%", "hz", "1000",
                "requirepass", "secret", "bind", ""));
        assertThat(c.get("maxmemory")).isEqualTo("1073741824");
        assertThat(c.get("maxmemory-policy")).isEqualTo("allkeys-lru");
        assertThat(c.get("appendonly")).isEqualTo("yes");
        assertThat(c.get("save")).isEqualTo("100 5 200 6");
        assertThat(c.get("client-output-buffer-limit"))
                .isEqualTo("normal 0 0 0 slave 1073741824 2097152 30 pubsub 33554432 8388608 60");
        assertThat(c.get("notify-keyspace-events")).isEqualTo("AKEm");
        assertThat(c.get("oom-score-adj")).isEqualTo("yes");
        assertThat(c.get("shutdown-on-sigint")).isEqualTo("save now");
        assertThat(c.get("latency-tracking-info-percentiles")).isEqualTo("100 1");
        assertThat(c.get("maxmemory-clients")).isEqualTo("5%");
        assertThat(c.get("hz")).isEqualTo("500");
        assertThat(c.get("requirepass")).isEqualTo("secret");
        assertThat(c.get("bind")).isEqualTo("");

        c.set(pairs("save", "", "maxmemory", ""));
        assertThat(c.get("save")).isEmpty();
        assertThat(c.get("maxmemory")).isEqualTo("0");
        c.set(pairs("maxmemory", "18446744073709551615"));
        assertThat(c.get("maxmemory")).isEqualTo("18446744073709551615");
        c.set(pairs("notify-keyspace-events", "gx"));
        assertThat(c.get("notify-keyspace-events")).isEqualTo("gx");
    }

    @Test
    void protectedConfigsFollowEnableProtectedConfigs() throws Exception {
        ServerConfig local = ServerConfig.fromArgs(new String[] {"--enable-protected-configs", "local"});
        assertThatThrownBy(() -> local.set(pairs("dbfilename", "x.rdb"), false)).hasMessageContaining("protected");
        local.set(pairs("dbfilename", "x.rdb"), true);
        assertThat(local.get("dbfilename")).isEqualTo("x.rdb");
        ServerConfig yes = ServerConfig.fromArgs(new String[] {"--enable-protected-configs", "yes"});
        yes.set(pairs("dbfilename", "y.rdb"));
        assertThat(yes.get("dbfilename")).isEqualTo("y.rdb");
        assertThat(catchThrowableOfType(ConfigException.class, () -> yes.set(pairs("dbfilename", "a/b"))).getMessage())
                .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'dbfilename') - "
                        + "dbfilename can't be a path, just a filename");
    }

    @Test
    void denyLoadingDirectivesGetTheLoadingError() throws Exception {
        ServerConfig c = ServerConfig.defaults();
        c.setLoading(true);
        assertThat(setError(c, "appendonly", "yes")).isEqualTo("LOADING Redis is loading the dataset in memory");
        c.set(pairs("maxmemory", "1mb"));
        c.setLoading(false);
        c.set(pairs("appendonly", "yes"));
        assertThat(c.getBool("appendonly")).isTrue();
    }

    @Test
    void aBadValueLeavesEverythingUnchanged() {
        ServerConfig c = ServerConfig.defaults();
        AtomicInteger calls = new AtomicInteger();
        c.addListener("maxmemory", (n, v) -> calls.incrementAndGet());
        assertThat(setError(c, "maxmemory", "5mb", "timeout", "10", "port", "nope"))
                .contains("'port'");
        assertThat(c.get("maxmemory")).isEqualTo("0");
        assertThat(c.get("timeout")).isEqualTo("0");
        assertThat(calls).hasValue(0);
    }

    @Test
    void listenersSeeChangesAndCanVetoTheWholeSet() throws Exception {
        ServerConfig c = ServerConfig.defaults();
        List<String> log = new ArrayList<>();
        c.addListener("maxmemory", (n, v) -> log.add(n + "=" + v));
        c.addListener("slave-priority", (n, v) -> log.add(n + "=" + v));
        c.addListener("port", (n, v) -> {
            log.add(n + "=" + v);
            if (v.equals("1234")) {
                throw new ConfigException("Unable to listen on this port. Check server logs.");
            }
        });

        c.set(pairs("maxmemory", "1mb", "replica-priority", "5"));
        assertThat(log).containsExactly("maxmemory=1048576", "replica-priority=5");

        log.clear();
        // Values that do not change do not notify.
        c.set(pairs("maxmemory", "1048576", "port", "6379"));
        assertThat(log).isEmpty();

        String err = setError(c, "maxmemory", "2mb", "port", "1234", "timeout", "9");
        assertThat(err).isEqualTo("ERR CONFIG SET failed (possibly related to argument 'port') - "
                + "Unable to listen on this port. Check server logs.");
        assertThat(c.get("maxmemory")).isEqualTo("1048576");
        assertThat(c.get("port")).isEqualTo("6379");
        assertThat(c.get("timeout")).isEqualTo("0");
        // The listeners already told are told again, with the restored values.
        assertThat(log).containsExactly("maxmemory=2097152", "port=1234", "maxmemory=1048576", "port=6379");
    }

    @Test
    void listenersSeeOtherNewValuesOfTheSameSet() throws Exception {
        ServerConfig c = ServerConfig.defaults();
        List<String> seen = new ArrayList<>();
        c.addListener("maxmemory", (n, v) -> seen.add(c.get("maxmemory-policy")));
        c.set(pairs("maxmemory", "1mb", "maxmemory-policy", "allkeys-lfu"));
        assertThat(seen).containsExactly("allkeys-lfu");
    }

    @Test
    void updateBypassesMutabilityButNotValidation() throws Exception {
        ServerConfig c = ServerConfig.defaults();
        c.update("replicaof", "10.0.0.9 7000");
        assertThat(c.get("slaveof")).isEqualTo("10.0.0.9 7000");
        c.update("slaveof", "no one");
        assertThat(c.get("replicaof")).isEmpty();
        assertThatThrownBy(() -> c.update("replicaof", "host port")).hasMessageContaining("Invalid master port");
    }

    /** Random batches of valid and invalid assignments: a batch either lands completely or not at all. */
    @Test
    void randomBatchesAreAtomic() {
        Random rnd = new Random(20240611L);
        ServerConfig c = ServerConfig.defaults();
        String[][] candidates = {
            {"maxmemory", "1mb"}, {"maxmemory", "2gb"}, {"maxmemory", "x"}, {"timeout", "30"}, {"timeout", "-1"},
            {"hz", "50"}, {"hz", "fast"}, {"appendonly", "yes"}, {"appendonly", "no"}, {"appendonly", "maybe"},
            {"maxmemory-policy", "allkeys-lru"}, {"maxmemory-policy", "bogus"}, {"save", "60 1"}, {"save", "60"},
            {"slave-priority", "7"}, {"notify-keyspace-events", "KEx"}, {"notify-keyspace-events", "?"},
            {"list-max-ziplist-size", "-3"}, {"bind", "127.0.0.1 ::1"}, {"daemonize", "yes"}, {"nope", "1"},
        };
        for (int round = 0; round < 500; round++) {
            Map<String, String> before = asMap(c.getMatching(List.of("*")));
            List<String[]> batch = new ArrayList<>();
            int n = 1 + rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                batch.add(candidates[rnd.nextInt(candidates.length)].clone());
            }
            try {
                c.set(batch);
                Map<String, String> after = asMap(c.getMatching(List.of("*")));
                for (String[] p : batch) {
                    String canonical = c.directive(p[0]).name();
                    assertThat(after.get(canonical)).isNotNull();
                }
            } catch (ConfigException e) {
                assertThat(asMap(c.getMatching(List.of("*")))).as(batch.stream().map(p -> p[0] + "=" + p[1])
                        .collect(Collectors.joining(" "))).isEqualTo(before);
            }
        }
    }
}
