package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jackdaw.testing.Differential;
import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.ReferenceServer;
import io.jackdaw.testing.Resp;
import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Server commands (CONFIG, FLUSHALL, COMMAND and friends) on Jackdaw and the reference
 * redis-server 7.0, compared byte for byte where the replies are deterministic and
 * structurally where Redis leaves the order open. Jackdaw targets 7.2: every place where
 * 7.2 differs from the 7.0 reference is listed below with the difference it accounts for.
 */
class ServerDifferentialTest extends DifferentialTestBase {

    // ------------------------------------------------------------ CONFIG

    @Test
    void configGetAndSet() throws Exception {
        // 7.2 added the "nothing" log level; the rest of that error is the same.
        differential().normalize(s -> s.replace("debug, verbose, notice, warning, nothing", "debug, verbose, notice, warning"));
        diff.runAll(List.of(
                c("CONFIG", "GET", "maxmemory"), c("CONFIG", "GET", "MAXMEMORY"), c("CONFIG", "GET", "maxmemory", "maxmemory"),
                c("CONFIG", "GET", "nosuch"), c("CONFIG", "GET", "nosuch*"), c("CONFIG", "GET"), c("CONFIG", "GET", "hz"),
                c("CONFIG", "GET", "databases"), c("CONFIG", "GET", "appendonly"),
                c("CONFIG", "SET", "foo", "bar"), c("CONFIG", "SET", "maxmemory", "abc"),
                c("CONFIG", "SET", "daemonize", "yes"), c("CONFIG", "SET", "maxmemory"),
                c("CONFIG", "SET", "maxmemory", "1", "hz"), c("CONFIG", "SET", "maxmemory", "0", "maxmemory", "0"),
                c("CONFIG", "SET", "maxmemory", "1gb", "hz", "abc"), c("CONFIG", "GET", "maxmemory"),
                c("CONFIG", "SET", "maxclients", "abc"), c("CONFIG", "SET", "maxclients", "0"),
                c("CONFIG", "SET", "port", "abc"), c("CONFIG", "SET", "loglevel", "foo"),
                c("CONFIG", "SET", "appendonly", "maybe"), c("CONFIG", "SET", "hz", "-1"),
                c("CONFIG", "SET", "maxmemory-policy", "foo"), c("CONFIG", "SET", "save", "10 a"),
                c("CONFIG", "SET", "proto-max-bulk-len", "1"),
                c("CONFIG", "SET", "hz", "11"), c("CONFIG", "GET", "hz"), c("CONFIG", "SET", "HZ", "10"),
                c("CONFIG", "GET", "hz"), c("CONFIG", "SET", "maxmemory", "10mb"), c("CONFIG", "GET", "maxmemory"),
                c("CONFIG", "SET", "maxmemory", "0"), c("CONFIG", "SET", "maxmemory-policy", "allkeys-lru"),
                c("CONFIG", "GET", "maxmemory-policy"), c("CONFIG", "SET", "maxmemory-policy", "noeviction"),
                c("CONFIG", "RESETSTAT"), c("CONFIG", "RESETSTAT", "x"), c("CONFIG", "REWRITE"), c("CONFIG", "FOO"),
                c("CONFIG")));
        assertThat(diff.mismatches()).isEmpty();
    }

    /** Replies of CONFIG GET with a glob: Redis emits them in dict order, so compare them as maps. */
    @Test
    void configGetGlobsAsMaps() throws Exception {
        assumeTrue(ref != null, "no reference redis-server installed");
        try (RespConnection a = new RespConnection(ours.port()); RespConnection b = new RespConnection(ref.port())) {
            for (String[] cmd : List.of(c("CONFIG", "GET", "hash-max-*"), c("CONFIG", "GET", "maxmemory*"),
                    c("CONFIG", "GET", "maxmemory", "hash-max-*"), c("CONFIG", "GET", "*list-max-*"),
                    c("CONFIG", "GET", "lua-time-limit", "busy-reply-threshold"))) {
                Map<String, Object> mine = Resp.pairs(Resp.parse(a.call(cmd)));
                Map<String, Object> theirs = Resp.pairs(Resp.parse(b.call(cmd)));
                assertThat(mine).as(String.join(" ", cmd)).isNotEmpty().isEqualTo(theirs);
            }
        }
    }

    // ------------------------------------------------------------ FLUSHALL, DBSIZE and the rest

    @Test
    void flushAndSmallServerCommands() throws Exception {
        differential().runAll(List.of(
                c("SET", "a", "1"), c("SET", "b", "2"), c("DBSIZE"), c("FLUSHALL", "BAD"), c("FLUSHALL", "SYNC", "ASYNC"),
                c("FLUSHDB", "BAD"), c("DBSIZE"), c("FLUSHDB", "ASYNC"), c("DBSIZE"), c("SET", "a", "1"),
                c("SELECT", "3"), c("SET", "x", "1"), c("FLUSHDB"), c("DBSIZE"), c("SELECT", "0"), c("DBSIZE"),
                c("FLUSHALL", "sync"), c("DBSIZE"), c("FLUSHALL", "ASYNC"), c("DBSIZE", "x"), c("TIME", "x"),
                c("LASTSAVE", "x"), c("INFO", "nosuchsection"), c("INFO", "a", "b", "c", "d"), c("SHUTDOWN", "FOO"),
                c("SHUTDOWN", "ABORT"), c("SHUTDOWN", "ABORT", "NOW"), c("SHUTDOWN", "SAVE", "NOSAVE"),
                c("SHUTDOWN", "NOSAVE", "ABORT")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void debugAndFunctionFlush() throws Exception {
        differential().runAll(List.of(
                c("DEBUG", "FOO"), c("DEBUG"), c("DEBUG", "SLEEP", "0"), c("DEBUG", "SLEEP", "0.01"), c("DEBUG", "SLEEP", "x"),
                c("DEBUG", "SLEEP"), c("DEBUG", "SET-ACTIVE-EXPIRE", "0"), c("DEBUG", "SET-ACTIVE-EXPIRE", "1"),
                c("DEBUG", "OBJECT", "nokey"), c("DEBUG", "LOG", "hello from a test"), c("DEBUG", "POPULATE", "10"),
                c("DBSIZE"), c("GET", "key:3"), c("DEBUG", "POPULATE", "5", "pre", "8"), c("GET", "pre:1"),
                c("STRLEN", "pre:4"), c("DEBUG", "POPULATE", "3", "pre", "2"), c("GET", "pre:1"), c("DBSIZE"),
                c("DEBUG", "POPULATE", "-1"), c("DEBUG", "POPULATE", "x"), c("DEBUG", "POPULATE", "2", "p", "-1"),
                c("DEBUG", "POPULATE", "1", "2", "3", "4"), c("DEBUG", "HELP", "x"),
                c("FUNCTION", "FLUSH"), c("FUNCTION", "FLUSH", "ASYNC"), c("FUNCTION", "FLUSH", "sync"),
                c("FUNCTION", "FLUSH", "BAD"), c("FUNCTION", "FLUSH", "a", "b"), c("FUNCTION", "FOO"), c("FUNCTION")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void debugRefusedWhenDisabled() throws Exception {
        try (TestServer s = TestServer.start("--enable-debug-command", "no"); RespConnection c = new RespConnection(s.port())) {
            String refused = "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can "
                    + "run it from a local connection, otherwise you need to set this option in the configuration file, "
                    + "and then restart the server.\r\n";
            assertThat(c.call("DEBUG", "SLEEP", "0")).isEqualTo(refused);
            assertThat(c.call("DEBUG", "HELP")).isEqualTo(refused);
            // Arity comes first, as in Redis.
            assertThat(c.call("DEBUG")).isEqualTo("-ERR wrong number of arguments for 'debug' command\r\n");
        }
        try (TestServer s = TestServer.start("--enable-debug-command", "local"); RespConnection c = new RespConnection(s.port())) {
            assertThat(c.call("DEBUG", "SLEEP", "0")).as("loopback counts as local").isEqualTo("+OK\r\n");
        }
    }

    /**
     * HELP replies: the entries are Jackdaw's own words, but the header and footer are Redis's.
     * 7.2 changed the footer from "Prints this help." to "Print this help." (redis#10965).
     */
    @Test
    @SuppressWarnings("unchecked")
    void helpHeaderAndFooter() throws Exception {
        assumeTrue(ref != null, "no reference redis-server installed");
        try (RespConnection a = new RespConnection(ours.port()); RespConnection b = new RespConnection(ref.port())) {
            for (String[] cmd : List.of(c("CLIENT", "HELP"), c("CONFIG", "HELP"), c("COMMAND", "HELP"), c("DEBUG", "HELP"),
                    c("client", "help"))) {
                List<Object> x = (List<Object>) Resp.parse(a.call(cmd));
                List<Object> y = (List<Object>) Resp.parse(b.call(cmd).replace("    Prints this help.", "    Print this help."));
                assertThat(x.getFirst()).as(String.join(" ", cmd)).isEqualTo(y.getFirst());
                assertThat(x.subList(x.size() - 2, x.size())).as(String.join(" ", cmd)).isEqualTo(y.subList(y.size() - 2, y.size()));
                assertThat(x.size()).isGreaterThan(3);
            }
            differential().runAll(List.of(c("CLIENT", "HELP", "x"), c("CONFIG", "HELP", "x"), c("COMMAND", "HELP", "x")));
            assertThat(diff.mismatches()).isEmpty();
        }
    }

    // ------------------------------------------------------------ COMMAND INFO

    /**
     * Key-spec notes are documentation prose; Jackdaw words its own, so the text is blanked on
     * both sides (the presence of a note still counts).
     */
    static final UnaryOperator<String> NOTES_TEXT =
            s -> s.replaceAll("\\$5\r\nnotes\r\n\\$\\d+\r\n[^\r\n]*\r\n", "\\$5\r\nnotes\r\n<notes>\r\n");

    @Test
    void commandInfoGetSetDel() throws Exception {
        differential().normalize(NOTES_TEXT).runAll(List.of(
                c("COMMAND", "INFO", "get", "set", "del"), c("COMMAND", "INFO", "nosuch", "get"),
                c("COMMAND", "INFO", "GET"), c("COMMAND", "INFO", "config|get"), c("COMMAND", "INFO", "nosuch")));
        assertThat(diff.mismatches()).isEmpty();
    }

    /**
     * Commands Jackdaw has that arrived after 7.0, so the reference cannot describe them
     * (hash-field expiry is Redis 7.4's, pinned by HashFieldExpiryTest; SCRIPT SHOW is Valkey 8's, pinned by ScriptBusyTest).
     */
    static final Set<String> AFTER_7_0 = Set.of("client|setinfo", "client|no-touch", "client|capa",
            "hexpire", "hpexpire", "hexpireat", "hpexpireat", "httl", "hpttl", "hexpiretime", "hpexpiretime", "hpersist",
            "script|show");

    /** COMMAND INFO element 7: the command tips. */
    private static List<Object> withTips(List<Object> info, String... tips) {
        List<Object> out = new ArrayList<>(info);
        out.set(7, List.of((Object[]) tips));
        return out;
    }

    private static List<Object> withArity(List<Object> info, long arity) {
        List<Object> out = new ArrayList<>(info);
        out.set(1, arity);
        return out;
    }

    /** COMMAND INFO element 2 without one flag. */
    @SuppressWarnings("unchecked")
    private static List<Object> withoutFlag(List<Object> info, String flag) {
        List<Object> out = new ArrayList<>(info);
        List<Object> flags = new ArrayList<>((List<Object>) info.get(2));
        flags.removeIf(f -> String.valueOf(f).equals("+" + flag) || String.valueOf(f).equals(flag));
        out.set(2, flags);
        return out;
    }

    /** COMMAND INFO element 2 with one more flag, inserted before {@code before}. */
    @SuppressWarnings("unchecked")
    private static List<Object> withFlagBefore(List<Object> info, String flag, String before) {
        List<Object> out = new ArrayList<>(info);
        List<Object> flags = new ArrayList<>((List<Object>) info.get(2));
        int at = 0;
        while (at < flags.size() && !String.valueOf(flags.get(at)).equals("+" + before)) at++;
        flags.add(at, new Resp.Simple(flag));
        out.set(2, flags);
        return out;
    }

    private static Map.Entry<String, UnaryOperator<List<Object>>> change(String name, UnaryOperator<List<Object>> f) {
        return Map.entry(name, f);
    }

    /** What changed between 7.0 and 7.2 in COMMAND INFO, applied to the reference's 7.0 entry. */
    static final Map<String, UnaryOperator<List<Object>>> CHANGED_IN_7_2 = Map.ofEntries(
            // 7.2 gave these cluster routing tips (src/commands/*.json "command_tips").
            change("client|setname", i -> withTips(i, "request_policy:all_nodes", "response_policy:all_succeeded")),
            change("config|resetstat", i -> withTips(i, "request_policy:all_nodes", "response_policy:all_succeeded")),
            change("config|rewrite", i -> withTips(i, "request_policy:all_nodes", "response_policy:all_succeeded")),
            change("randomkey", i -> withTips(i, "request_policy:all_shards", "response_policy:special", "nondeterministic_output")),
            // 7.2 dropped MSETNX's multi_shard/agg_min tips: it cannot be split across shards.
            change("msetnx", i -> withTips(i)),
            // redis#11201 (7.2): COMMAND GETKEYS/GETKEYSANDFLAGS arity -4 -> -3.
            change("command|getkeys", i -> withArity(i, -3)),
            change("command|getkeysandflags", i -> withArity(i, -3)),
            // 7.2 added ZRANK/ZREVRANK WITHSCORE: arity 3 -> -3.
            change("zrank", i -> withArity(i, -3)),
            change("zrevrank", i -> withArity(i, -3)),
            // 7.2 allows blocking commands in scripts (they do not block there): no NOSCRIPT.
            change("blpop", i -> withoutFlag(i, "noscript")),
            change("brpop", i -> withoutFlag(i, "noscript")),
            change("brpoplpush", i -> withoutFlag(i, "noscript")),
            change("blmove", i -> withoutFlag(i, "noscript")),
            change("blmpop", i -> withoutFlag(i, "noscript")),
            change("bzpopmin", i -> withoutFlag(i, "noscript")),
            change("bzpopmax", i -> withoutFlag(i, "noscript")),
            change("bzmpop", i -> withoutFlag(i, "noscript")),
            // Valkey 8 marks MULTI and WATCH no_multi (refused inside a transaction, which then
            // aborts; Valkey's suite checks it); Redis 7.0 and 7.2 do not.
            change("multi", i -> withFlagBefore(i, "no_multi", "allow_busy")),
            change("watch", i -> withFlagBefore(i, "no_multi", "allow_busy")));

    /** Key specs are element 8; each is a flat map whose "notes" text is prose (see NOTES_TEXT). */
    @SuppressWarnings("unchecked")
    private static List<Object> blankNotes(List<Object> info) {
        List<Object> out = new ArrayList<>(info);
        List<Object> specs = new ArrayList<>();
        for (Object spec : (List<Object>) info.get(8)) {
            List<Object> s = new ArrayList<>((List<Object>) spec);
            for (int i = 0; i + 1 < s.size(); i += 2) if ("notes".equals(s.get(i))) s.set(i + 1, "<notes>");
            specs.add(s);
        }
        out.set(8, specs);
        return out;
    }

    private static List<String> tableNames() {
        List<String> names = new ArrayList<>();
        for (CommandSpec s : CommandTable.load().all()) {
            names.add(s.name);
            for (CommandSpec sub : s.subcommands.values()) names.add(sub.name);
        }
        return names;
    }

    @Test
    @SuppressWarnings("unchecked")
    void commandInfoOfEveryCommandMatchesRedis() throws Exception {
        assumeTrue(ref != null, "no reference redis-server installed");
        List<String> mismatches = new ArrayList<>();
        Set<String> absentFromReference = new TreeSet<>();
        int compared = 0;
        try (RespConnection a = new RespConnection(ours.port()); RespConnection b = new RespConnection(ref.port())) {
            for (String name : tableNames()) {
                List<Object> mine = (List<Object>) ((List<Object>) Resp.parse(a.call("COMMAND", "INFO", name))).get(0);
                Object theirsRaw = ((List<Object>) Resp.parse(b.call("COMMAND", "INFO", name))).get(0);
                assertThat(mine).as("Jackdaw describes its own command %s", name).isNotNull();
                if (theirsRaw == null) {
                    absentFromReference.add(name);
                    continue;
                }
                List<Object> theirs = (List<Object>) theirsRaw;
                // Container entries list their subcommands in dict order and 7.0 has more of them;
                // subcommands are compared one by one, so only the container's own fields count here.
                if (!((List<Object>) mine.get(9)).isEmpty()) {
                    mine = mine.subList(0, 9);
                    theirs = theirs.subList(0, 9);
                }
                theirs = CHANGED_IN_7_2.getOrDefault(name, UnaryOperator.identity()).apply(theirs);
                if (!blankNotes(mine).equals(blankNotes(theirs))) {
                    mismatches.add(name + "\n    jackdaw: " + mine + "\n    redis:   " + theirs);
                }
                compared++;
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(AFTER_7_0).containsAll(absentFromReference);
        assertThat(compared).isGreaterThan(50);
    }

    /**
     * The same introspection in RESP3, byte for byte, where the aggregate types show: flags,
     * categories, tips and key specs are sets, a command without subcommands has an empty set,
     * key specs and their parts are maps. Entries that changed in 7.2 (CHANGED_IN_7_2) and
     * containers (dict-ordered subcommands) are left to the structural test above.
     */
    @Test
    void resp3IntrospectionMatchesRedis() throws Exception {
        differential().normalize(s -> NOTES_TEXT.apply(ConnectionDifferentialTest.HELLO_VERSION_AND_ID.apply(s)));
        diff.run("HELLO", "3");
        int compared = 0;
        for (CommandSpec spec : CommandTable.load().all()) {
            List<CommandSpec> entries = new ArrayList<>();
            if (spec.isContainer()) entries.addAll(spec.subcommands.values());
            else entries.add(spec);
            for (CommandSpec s : entries) {
                if (AFTER_7_0.contains(s.name) || CHANGED_IN_7_2.containsKey(s.name)) continue;
                diff.run("COMMAND", "INFO", s.name);
                compared++;
            }
        }
        diff.runAll(List.of(
                c("COMMAND", "INFO", "nosuch", "get", "set", "del"), c("COMMAND", "GETKEYSANDFLAGS", "set", "a", "b"),
                c("COMMAND", "GETKEYSANDFLAGS", "rename", "a", "b"), c("COMMAND", "DOCS", "nosuch"),
                c("COMMAND", "LIST", "FILTERBY", "PATTERN", "getr*"), c("COMMAND", "GETKEYS", "set", "a", "b"),
                c("CLIENT", "LIST", "ID", "999999"), c("INFO", "nosuchsection"), c("CONFIG", "GET", "hz"),
                c("CLIENT", "TRACKINGINFO"), c("SET", "a", "1"), c("EXPIRETIME", "a"), c("TTL", "nokey"),
                c("INCRBYFLOAT", "f", "0.1"), c("SET", "a", "2", "GET"), c("SET", "z", "2", "NX", "GET"),
                c("GETEX", "nokey"), c("GETDEL", "nokey"), c("MSETNX", "a", "1"), c("EXISTS", "a"), c("TYPE", "a"),
                c("KEYS", "a"), c("MGET", "a", "b"), c("DEBUG", "OBJECT", "nokey"), c("FLUSHALL"), c("RANDOMKEY"),
                c("KEYS", "*"), c("TIME", "x"), c("HELLO", "2"), c("COMMAND", "INFO", "get")));
        assertThat(diff.mismatches()).isEmpty();
        assertThat(compared).isGreaterThan(50);
    }

    // ------------------------------------------------------------ COMMAND DOCS

    /**
     * A COMMAND DOCS entry as a comparable tree: the prose (summaries, history descriptions, the
     * wording of replaced_by) is dropped, versions and every structural field kept; a container's
     * subcommands are compared one by one, so they are left out of its own tree. When
     * {@code add72DisplayText} is set, arguments get the "display_text" field 7.2 added (the
     * argument's name; oneof/block arguments get none), turning a 7.0 entry into its 7.2 shape.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> docTree(Object flat, boolean add72DisplayText) {
        Map<String, Object> in = Resp.pairs(flat), out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : in.entrySet()) {
            switch (e.getKey()) {
                case "summary", "subcommands" -> { }
                case "replaced_by" -> out.put("replaced_by", "<prose>");
                case "history" -> {
                    List<Object> versions = new ArrayList<>();
                    for (Object h : (List<Object>) e.getValue()) versions.add(((List<Object>) h).get(0));
                    out.put("history", versions);
                }
                case "arguments" -> out.put("arguments", argTrees((List<Object>) e.getValue(), add72DisplayText));
                default -> out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> argTrees(List<Object> args, boolean add72DisplayText) {
        List<Object> out = new ArrayList<>();
        for (Object a : args) {
            Map<String, Object> in = Resp.pairs(a), m = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : in.entrySet()) {
                if (e.getKey().equals("summary")) continue;
                if (e.getKey().equals("arguments")) m.put("arguments", argTrees((List<Object>) e.getValue(), add72DisplayText));
                else m.put(e.getKey(), e.getValue());
            }
            String type = String.valueOf(m.get("type"));
            if (add72DisplayText && !m.containsKey("display_text") && !type.equals("oneof") && !type.equals("block")) {
                m.put("display_text", m.get("name"));
            }
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> arg(String name, String type, Object... more) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("type", type);
        m.put("display_text", name);
        for (int i = 0; i < more.length; i += 2) m.put((String) more[i], more[i + 1]);
        return m;
    }

    /** Renames the argument at {@code path} (indexes into nested "arguments" lists). */
    @SuppressWarnings("unchecked")
    private static UnaryOperator<Map<String, Object>> renameArg(String newName, int... path) {
        return t -> {
            Map<String, Object> node = t;
            for (int i : path) node = (Map<String, Object>) ((List<Object>) node.get("arguments")).get(i);
            node.put("name", newName);
            return t;
        };
    }

    /** As {@link #renameArg}, with the display text renamed too (redis#11051 renamed both for pattern arguments). */
    @SuppressWarnings("unchecked")
    private static UnaryOperator<Map<String, Object>> renameArgAndDisplay(String newName, int... path) {
        return t -> {
            Map<String, Object> node = t;
            for (int i : path) node = (Map<String, Object>) ((List<Object>) node.get("arguments")).get(i);
            node.put("name", newName);
            if (node.containsKey("display_text")) node.put("display_text", newName);
            return t;
        };
    }

    /** 7.2 deprecated these commands (doc_flags, deprecated_since, replaced_by). */
    private static UnaryOperator<Map<String, Object>> deprecatedSince(String version) {
        return t -> {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : t.entrySet()) {
                out.put(e.getKey(), e.getValue());
                if (e.getKey().equals("complexity")) {
                    out.put("doc_flags", List.of(new Resp.Simple("deprecated")));
                    out.put("deprecated_since", version);
                    out.put("replaced_by", "<prose>");
                }
            }
            return out;
        };
    }

    /**
     * COMMAND DOCS changes between 7.0 and 7.2, applied to the reference's 7.0 tree. Most are
     * redis#11051 (7.2), which made argument names unique ids and renamed the generated ones
     * ("key_value", "async", "on_off_skip"...). Each was checked against src/commands/*.json at 7.2.4.
     */
    @SuppressWarnings("unchecked")
    static final Map<String, UnaryOperator<Map<String, Object>>> DOCS_CHANGED_IN_7_2 = Map.ofEntries(
            Map.entry("mset", renameArg("data", 0)),
            Map.entry("msetnx", renameArg("data", 0)),
            Map.entry("config|set", renameArg("data", 0)),
            Map.entry("flushall", renameArg("flush-type", 0)),
            Map.entry("flushdb", renameArg("flush-type", 0)),
            Map.entry("function|flush", renameArg("flush-type", 0)),
            Map.entry("script|flush", renameArg("flush-type", 0)),
            Map.entry("client|reply", renameArg("action", 0)),
            Map.entry("client|unblock", renameArg("unblock-type", 1)),
            Map.entry("hello", renameArg("auth", 0, 1)),
            Map.entry("shutdown", renameArg("save-selector", 0)),
            // redis#11205 (7.2): PFMERGE's source keys are optional (flags: optional, multiple).
            Map.entry("pfmerge", t -> {
                Map<String, Object> a = (Map<String, Object>) ((List<Object>) t.get("arguments")).get(1);
                a.put("flags", List.of(new Resp.Simple("optional"), new Resp.Simple("multiple")));
                return t;
            }),
            // LCS's MINMATCHLEN argument: "len" in 7.0, "min-match-len" in 7.2, display text too.
            Map.entry("lcs", t -> {
                Map<String, Object> a = (Map<String, Object>) ((List<Object>) t.get("arguments")).get(4);
                a.put("name", "min-match-len");
                a.put("display_text", "min-match-len");
                return t;
            }),
            // config-get.json: the parameter became a plain multiple string instead of a one-field block.
            Map.entry("config|get", t -> {
                Object flags = ((Map<String, Object>) ((List<Object>) t.get("arguments")).get(0)).get("flags");
                t.put("arguments", new ArrayList<>(List.of(arg("parameter", "string", "flags", flags))));
                return t;
            }),
            // 7.2 documents GETKEYS' arguments (with the arity change of redis#11201).
            Map.entry("command|getkeys", t -> withGetkeysArgs(t)),
            Map.entry("command|getkeysandflags", t -> withGetkeysArgs(t)),
            Map.entry("setnx", deprecatedSince("2.6.12")),
            Map.entry("setex", deprecatedSince("2.6.12")),
            Map.entry("psetex", deprecatedSince("2.6.12")),
            Map.entry("quit", deprecatedSince("7.2.0")),
            // The bitmap family: redis#11051's unique names, and BITOP's operation became a oneof of tokens.
            Map.entry("bitcount", all(renameArg("range", 1), renameArg("unit", 1, 2))),
            Map.entry("bitpos", all(renameArg("range", 2), renameArg("end-unit-block", 2, 1), renameArg("unit", 2, 1, 1))),
            Map.entry("bitfield", all(renameArg("get-block", 1, 0), renameArg("overflow-block", 1, 1, 0),
                    renameArg("write-operation", 1, 1, 1), renameArg("set-block", 1, 1, 1, 0),
                    renameArg("incrby-block", 1, 1, 1, 1))),
            Map.entry("bitfield_ro", renameArg("get-block", 1)),
            // The stream family: redis#11051's unique names (XADD's ID choice and field/value block, XDEL's IDs).
            Map.entry("xadd", all(renameArg("id-selector", 3), renameArgAndDisplay("auto-id", 3, 0), renameArg("data", 4))),
            Map.entry("xdel", renameArgAndDisplay("ID", 1)),
            Map.entry("xsetid", all(renameArgAndDisplay("entries-added", 2), renameArgAndDisplay("max-deleted-id", 3))),
            // 7.2.4's xread.json has no complexity text (7.0's had one), and the IDs were renamed.
            Map.entry("xread", all(t -> {
                t.remove("complexity");
                return t;
            }, renameArgAndDisplay("ID", 2, 1))),
            // SORT's arguments: redis#11051's unique names.
            Map.entry("sort", all(renameArgAndDisplay("by-pattern", 1), renameArg("limit", 2), renameArgAndDisplay("get-pattern", 3))),
            Map.entry("sort_ro", all(renameArgAndDisplay("by-pattern", 1), renameArg("limit", 2), renameArgAndDisplay("get-pattern", 3))),
            // The hash family: HSET/HMSET's pairs block got its unique name; HSCAN's (and ZSCAN's) complexity lost a stray dot.
            Map.entry("hset", renameArg("data", 1)),
            Map.entry("hmset", renameArg("data", 1)),
            // The sorted-set family: redis#11051's unique names for ZADD's pairs and the LIMIT blocks.
            Map.entry("zadd", renameArg("data", 5)),
            Map.entry("zrange", renameArg("limit", 5)),
            Map.entry("zrangebylex", renameArg("limit", 3)),
            Map.entry("zrangebyscore", renameArg("limit", 4)),
            Map.entry("zrangestore", renameArg("limit", 6)),
            Map.entry("zrevrangebylex", renameArg("limit", 3)),
            Map.entry("zrevrangebyscore", renameArg("limit", 4)),
            // 7.2's ZRANDMEMBER complexity counts "members" where 7.0 said "elements".
            Map.entry("zrandmember", t -> {
                t.put("complexity", ((String) t.get("complexity")).replace("elements", "members"));
                return t;
            }),
            Map.entry("zscan", t -> {
                t.put("complexity", ((String) t.get("complexity")).replace("collection..", "collection."));
                return t;
            }),
            Map.entry("hscan", t -> {
                t.put("complexity", ((String) t.get("complexity")).replace("collection..", "collection."));
                return t;
            }),
            // The set family: SSCAN's complexity lost the same stray dot.
            Map.entry("sscan", t -> {
                t.put("complexity", ((String) t.get("complexity")).replace("collection..", "collection."));
                return t;
            }),
            Map.entry("bitop", t -> {
                List<Object> args = new ArrayList<>((List<Object>) t.get("arguments"));
                Map<String, Object> op = new LinkedHashMap<>();
                op.put("name", "operation");
                op.put("type", "oneof");
                List<Object> tokens = new ArrayList<>();
                for (String tok : List.of("and", "or", "xor", "not")) {
                    tokens.add(arg(tok, "pure-token", "token", tok.toUpperCase(java.util.Locale.ROOT)));
                }
                op.put("arguments", tokens);
                args.set(0, op);
                t.put("arguments", args);
                return t;
            }));

    @SafeVarargs
    private static UnaryOperator<Map<String, Object>> all(UnaryOperator<Map<String, Object>>... steps) {
        return t -> {
            for (UnaryOperator<Map<String, Object>> step : steps) t = step.apply(t);
            return t;
        };
    }

    private static Map<String, Object> withGetkeysArgs(Map<String, Object> t) {
        t.put("arguments", new ArrayList<>(List.of(arg("command", "string"),
                arg("arg", "string", "flags", List.of(new Resp.Simple("optional"), new Resp.Simple("multiple"))))));
        return t;
    }

    /**
     * Reworked in 7.2 beyond renames (checked against 7.2.4's JSON, which Jackdaw follows): the
     * TYPE tokens became lower case, CLIENT KILL's filters got unique names, CLIENT LIST's ID
     * block became a multiple integer, ZRANK/ZREVRANK gained WITHSCORE (an argument and history),
     * PSUBSCRIBE's pattern stopped being a one-field block, and the complexity texts of
     * PSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE and UNSUBSCRIBE were corrected. In the geo family
     * the unit tokens became lower case (m, km, ft, mi), GEOADD's block and GEOSEARCH's
     * FROMLONLAT block got the names "data" and "fromlonlat", the complexity texts of GEODIST,
     * GEOHASH and GEOPOS were corrected, and the history lists were rewritten. In the stream
     * family the group and consumer arguments were renamed (groupname to group, consumername to
     * consumer, id to id-selector, new_id to new-id, entries_read to entries-read), XREADGROUP's
     * GROUP block became group-block, XINFO STREAM's FULL became a block with a FULL token, and
     * XINFO STREAM and XINFO CONSUMERS gained a 7.2.0 history entry.
     */
    static final Set<String> DOCS_REWORKED_IN_7_2 = Set.of("client|kill", "client|list", "zrank", "zrevrank",
            "psubscribe", "punsubscribe", "sunsubscribe", "unsubscribe", "geoadd", "geodist", "geohash", "geopos",
            "georadius", "georadius_ro", "georadiusbymember", "georadiusbymember_ro", "geosearch", "geosearchstore",
            "xgroup|create", "xgroup|createconsumer", "xgroup|delconsumer", "xgroup|destroy", "xgroup|setid", "xreadgroup",
            "xack", "xclaim", "xinfo|stream", "xinfo|consumers");

    @Test
    void commandDocsStructureMatchesRedis() throws Exception {
        assumeTrue(ref != null, "no reference redis-server installed");
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        try (RespConnection a = new RespConnection(ours.port()); RespConnection b = new RespConnection(ref.port())) {
            for (String name : tableNames()) {
                if (AFTER_7_0.contains(name) || DOCS_REWORKED_IN_7_2.contains(name)) continue;
                Map<String, Object> mine = Resp.pairs(Resp.parse(a.call("COMMAND", "DOCS", name)));
                Map<String, Object> theirs = Resp.pairs(Resp.parse(b.call("COMMAND", "DOCS", name)));
                assertThat(mine.keySet()).as("DOCS %s", name).containsExactly(name);
                assertThat(theirs.keySet()).as("reference DOCS %s", name).containsExactly(name);
                Map<String, Object> x = docTree(mine.get(name), false);
                Map<String, Object> y = DOCS_CHANGED_IN_7_2.getOrDefault(name, UnaryOperator.identity())
                        .apply(docTree(theirs.get(name), true));
                if (!x.equals(y)) mismatches.add(name + "\n    jackdaw: " + x + "\n    redis:   " + y);
                compared++;
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(compared).isGreaterThan(50);
    }

    /** COMMAND DOCS get, the one the brief names, spelled out: summary aside, field by field. */
    @Test
    void commandDocsGet() throws Exception {
        assumeTrue(ref != null, "no reference redis-server installed");
        try (RespConnection a = new RespConnection(ours.port()); RespConnection b = new RespConnection(ref.port())) {
            Object mineFlat = Resp.pairs(Resp.parse(a.call("COMMAND", "DOCS", "get"))).get("get");
            Object theirsFlat = Resp.pairs(Resp.parse(b.call("COMMAND", "DOCS", "get"))).get("get");
            Map<String, Object> mine = Resp.pairs(mineFlat), theirs = Resp.pairs(theirsFlat);
            assertThat(mine.keySet()).containsExactlyElementsOf(theirs.keySet());
            for (String k : List.of("since", "group", "complexity")) assertThat(mine.get(k)).as(k).isEqualTo(theirs.get(k));
            assertThat(docTree(mineFlat, false)).isEqualTo(docTree(theirsFlat, true));
            assertThat((String) mine.get("summary")).isNotBlank();
        }
    }

    @Test
    void commandDocsOfUnknownAndSeveral() throws Exception {
        differential().runAll(List.of(c("COMMAND", "DOCS", "nosuch"), c("COMMAND", "DOCS", "nosuch", "nosuch2")));
        assertThat(diff.mismatches()).isEmpty();
        try (RespConnection a = new RespConnection(ours.port())) {
            Map<String, Object> both = Resp.pairs(Resp.parse(a.call("COMMAND", "DOCS", "nosuch", "get", "SET")));
            assertThat(both.keySet()).containsExactly("get", "set");
            // Prose aside, the summary is there and says something.
            assertThat((String) Resp.pairs(both.get("get")).get("summary")).isNotBlank();
        }
    }

    // ------------------------------------------------------------ COMMAND GETKEYS / GETKEYSANDFLAGS / LIST

    @Test
    void commandGetkeysAndFlags() throws Exception {
        differential().runAll(List.of(
                c("COMMAND", "GETKEYS", "set", "a", "b"), c("COMMAND", "GETKEYS", "SET", "a", "b", "GET"),
                c("COMMAND", "GETKEYS", "mset", "a", "1", "b", "2"), c("COMMAND", "GETKEYS", "mset", "a", "1", "b"),
                c("COMMAND", "GETKEYS", "mset", "a"), c("COMMAND", "GETKEYS", "get", "a", "b"),
                c("COMMAND", "GETKEYS", "set", "a"), c("COMMAND", "GETKEYS", "nosuch", "a"),
                c("COMMAND", "GETKEYS", "ping", "x"), c("COMMAND", "GETKEYS", "config", "get", "x"),
                c("COMMAND", "GETKEYS", "config", "nosuch", "x"), c("COMMAND", "GETKEYS", "client", "kill", "x"),
                c("COMMAND", "GETKEYS", "keys", "a"), c("COMMAND", "GETKEYS", "del", "a", "b", "c"),
                c("COMMAND", "GETKEYS", "rename", "a", "b"), c("COMMAND", "GETKEYS", "getex", "a", "PERSIST"),
                c("COMMAND", "GETKEYS"),
                c("COMMAND", "GETKEYSANDFLAGS", "set", "a", "b"), c("COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "get"),
                c("COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "EX", "10", "GET"),
                c("COMMAND", "GETKEYSANDFLAGS", "mset", "a", "1", "b", "2"), c("COMMAND", "GETKEYSANDFLAGS", "getex", "a"),
                c("COMMAND", "GETKEYSANDFLAGS", "rename", "a", "b"), c("COMMAND", "GETKEYSANDFLAGS", "renamenx", "a", "b"),
                c("COMMAND", "GETKEYSANDFLAGS", "del", "a", "b"), c("COMMAND", "GETKEYSANDFLAGS", "getdel", "a"),
                c("COMMAND", "GETKEYSANDFLAGS", "exists", "a", "b"), c("COMMAND", "GETKEYSANDFLAGS", "incr", "a"),
                c("COMMAND", "GETKEYSANDFLAGS", "append", "a", "b"), c("COMMAND", "GETKEYSANDFLAGS", "expire", "a", "1"),
                c("COMMAND", "GETKEYSANDFLAGS", "touch", "a", "b"), c("COMMAND", "GETKEYSANDFLAGS", "msetnx", "a", "1"),
                c("COMMAND", "GETKEYSANDFLAGS", "mget", "a", "b"), c("COMMAND", "GETKEYSANDFLAGS", "setrange", "a", "1", "b"),
                c("COMMAND", "GETKEYSANDFLAGS", "unlink", "a", "b"), c("COMMAND", "GETKEYSANDFLAGS", "getset", "a", "b"),
                c("COMMAND", "GETKEYSANDFLAGS", "setex", "a", "1", "b"), c("COMMAND", "GETKEYSANDFLAGS", "psetex", "a", "1", "b"),
                c("COMMAND", "GETKEYSANDFLAGS", "setnx", "a", "b"), c("COMMAND", "GETKEYSANDFLAGS", "type", "a"),
                c("COMMAND", "GETKEYSANDFLAGS", "persist", "a"), c("COMMAND", "GETKEYSANDFLAGS", "ttl", "a"),
                c("COMMAND", "GETKEYSANDFLAGS", "strlen", "a"), c("COMMAND", "GETKEYSANDFLAGS", "keys", "a"),
                c("COMMAND", "GETKEYSANDFLAGS", "nosuch", "a"), c("COMMAND", "GETKEYSANDFLAGS")));
        assertThat(diff.mismatches()).isEmpty();
    }

    /**
     * redis#11201 (7.2) lowered GETKEYS' arity to -3, so a command with no arguments reaches the
     * key extraction instead of the arity check. 7.0 says "wrong number of arguments"; this is
     * the 7.2 answer.
     */
    @Test
    void commandGetkeysOfBareCommandAsRedis72() throws Exception {
        try (RespConnection a = new RespConnection(ours.port())) {
            assertThat(a.call("COMMAND", "GETKEYS", "get")).isEqualTo("-ERR Invalid number of arguments specified for command\r\n");
            assertThat(a.call("COMMAND", "GETKEYS", "ping")).isEqualTo("-ERR The command has no key arguments\r\n");
            assertThat(a.call("COMMAND", "GETKEYSANDFLAGS", "dbsize")).isEqualTo("-ERR The command has no key arguments\r\n");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void commandListAndCount() throws Exception {
        differential().runAll(List.of(
                c("COMMAND", "LIST", "FILTERBY", "foo", "bar"), c("COMMAND", "LIST", "FILTERBY", "PATTERN", "xyz*"),
                c("COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch"), c("COMMAND", "LIST", "FILTERBY", "MODULE", "foo"),
                c("COMMAND", "LIST", "bad"), c("COMMAND", "LIST", "FILTERBY", "PATTERN"),
                c("COMMAND", "LIST", "FILTERBY", "PATTERN", "getra*"), c("COMMAND", "COUNT", "x"),
                c("COMMAND", "INFO", "get", "nosuch", "GETRANGE")));
        assertThat(diff.mismatches()).isEmpty();
        try (RespConnection a = new RespConnection(ours.port()); RespConnection b = new RespConnection(ref.port())) {
            // Redis lists in dict order: compare as sets.
            for (String pattern : List.of("pexpire*", "incr*", "*expire*")) {
                List<Object> x = (List<Object>) Resp.parse(a.call("COMMAND", "LIST", "FILTERBY", "PATTERN", pattern));
                List<Object> y = (List<Object>) Resp.parse(b.call("COMMAND", "LIST", "FILTERBY", "PATTERN", pattern));
                assertThat(new TreeSet<>(x.stream().map(String::valueOf).filter(n -> !AFTER_7_0.contains(n)).toList()))
                        .as(pattern).isEqualTo(new TreeSet<>(y.stream().map(String::valueOf).toList()));
            }
            // COMMAND COUNT is not compared (Jackdaw implements fewer commands), but it must agree with COMMAND.
            String count = a.call("COMMAND", "COUNT");
            long n = Long.parseLong(count.substring(1, count.length() - 2));
            assertThat(n).isEqualTo(CommandTable.load().size());
            assertThat((List<Object>) Resp.parse(a.call("COMMAND"))).hasSize((int) n);
            assertThat((List<Object>) Resp.parse(a.call("COMMAND", "INFO"))).hasSize((int) n);
            assertThat((List<Object>) Resp.parse(a.call("COMMAND", "DOCS"))).hasSize((int) (2 * n));
            List<Object> listed = (List<Object>) Resp.parse(a.call("COMMAND", "LIST"));
            assertThat(listed).contains("get", "client|setname", "config|get").hasSizeGreaterThan((int) n);
        }
    }
}
