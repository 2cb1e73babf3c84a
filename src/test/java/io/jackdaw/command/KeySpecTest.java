package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jackdaw.testing.ReferenceServer;
import io.jackdaw.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.CommandInfo;

/**
 * Key specs: extraction of key positions from argv ({@link KeySpec#extract}) and the legacy
 * (first, last, step) triple and movablekeys flag {@link CommandSpec} derives from them as Redis's
 * populateCommandLegacyRangeSpec does. Expected triples, flags and key lists for the hand-built
 * specs are what redis-server 7.0.15 answers to COMMAND INFO / COMMAND GETKEYS for the commands
 * whose specs they copy.
 */
class KeySpecTest {
    static CommandTable table;

    @BeforeAll
    static void load() { table = CommandTable.load(); }

    static CommandArgs args(String... argv) {
        CommandArgs a = new CommandArgs();
        for (String s : argv) a.add(s.getBytes(StandardCharsets.UTF_8));
        return a;
    }

    /** Key positions the spec yields, or null when extract says the arguments do not fit. */
    static List<Integer> keys(KeySpec spec, String... argv) {
        List<Integer> out = new ArrayList<>();
        CommandArgs a = args(argv);
        boolean ok = spec.extract(a, a.count(), (i, flags) -> {
            assertThat(flags).isEqualTo(spec.flags());
            out.add(i);
        });
        return ok ? out : null;
    }

    static List<Integer> keys(CommandSpec spec, String... argv) {
        List<Integer> out = new ArrayList<>();
        for (KeySpec k : spec.keySpecs) {
            List<Integer> part = keys(k, argv);
            if (part == null) return null;
            out.addAll(part);
        }
        return out;
    }

    static long flag(String name) { return KeySpec.parseFlag(name); }

    static KeySpec indexRange(int index, int lastKey, int step, int limit, String... flags) {
        long f = 0;
        for (String s : flags) f |= flag(s);
        return new KeySpec(f, null, KeySpec.BeginType.INDEX, index, null, 0, KeySpec.FindType.RANGE, lastKey, step, limit, 0, 0);
    }

    static KeySpec keywordRange(String keyword, int startFrom, int lastKey, int step, int limit, String... flags) {
        long f = 0;
        for (String s : flags) f |= flag(s);
        return new KeySpec(f, null, KeySpec.BeginType.KEYWORD, 0, keyword, startFrom, KeySpec.FindType.RANGE, lastKey, step,
                limit, 0, 0);
    }

    static KeySpec indexKeynum(int index, int keyNumIndex, int firstKey, int step) {
        return new KeySpec(flag("RO"), null, KeySpec.BeginType.INDEX, index, null, 0, KeySpec.FindType.KEYNUM, 0, step, 0,
                keyNumIndex, firstKey);
    }

    static CommandSpec spec(String name, KeySpec... specs) {
        return new CommandSpec(name, "generic", -2, 0, 0, List.of(specs), CommandSpec.Locking.KEYS, null, null, null, null,
                null, List.of(), List.of(), List.of(), null);
    }

    static int[] triple(CommandSpec s) { return new int[] {s.legacyFirst, s.legacyLast, s.legacyStep}; }

    // ------------------------------------------------------------------ the loaded table

    @Test
    void legacyTriplesOfTheTable() {
        assertThat(triple(table.get("get"))).containsExactly(1, 1, 1);
        assertThat(triple(table.get("mset"))).containsExactly(1, -1, 2);
        assertThat(triple(table.get("msetnx"))).containsExactly(1, -1, 2);
        assertThat(triple(table.get("del"))).containsExactly(1, -1, 1);
        assertThat(triple(table.get("mget"))).containsExactly(1, -1, 1);
        assertThat(triple(table.get("rename"))).containsExactly(1, 2, 1);
        assertThat(triple(table.get("keys"))).containsExactly(0, 0, 0);
        assertThat(triple(table.get("config|get"))).containsExactly(0, 0, 0);
        for (String n : List.of("get", "mset", "del", "rename", "keys"))
            assertThat(table.get(n).has(CommandFlags.MOVABLE_KEYS)).as(n).isFalse();
    }

    @Test
    void extractionWithTheTableSpecs() {
        assertThat(keys(table.get("get"), "GET", "k")).containsExactly(1);
        assertThat(keys(table.get("mset"), "MSET", "a", "1", "b", "2", "c", "3")).containsExactly(1, 3, 5);
        assertThat(keys(table.get("del"), "DEL", "a", "b", "c")).containsExactly(1, 2, 3);
        assertThat(keys(table.get("rename"), "RENAME", "src", "dst")).containsExactly(1, 2);
        assertThat(keys(table.get("set"), "SET", "k", "v", "EX", "10")).containsExactly(1);
        // Too few arguments for the spec: extraction refuses (the gate then locks everything).
        assertThat(keys(table.get("rename"), "RENAME", "src")).isNull();
        assertThat(keys(table.get("get"), "GET")).isNull();
    }

    @Test
    void commandInfoOverTheWire() {
        try (TestServer s = TestServer.start(); Jedis j = new Jedis("127.0.0.1", s.port())) {
            Map<String, CommandInfo> info = j.commandInfo("get", "mset", "del");
            assertThat(info.get("get").getFirstKey()).isEqualTo(1);
            assertThat(info.get("get").getLastKey()).isEqualTo(1);
            assertThat(info.get("get").getStep()).isEqualTo(1);
            assertThat(info.get("mset").getFirstKey()).isEqualTo(1);
            assertThat(info.get("mset").getLastKey()).isEqualTo(-1);
            assertThat(info.get("mset").getStep()).isEqualTo(2);
            assertThat(info.get("del").getFirstKey()).isEqualTo(1);
            assertThat(info.get("del").getLastKey()).isEqualTo(-1);
            assertThat(info.get("del").getStep()).isEqualTo(1);
            assertThat(j.commandGetKeys("MSET", "a", "1", "b", "2")).containsExactly("a", "b");
        }
    }

    /** Every command of our table that the reference server knows has the same triple and movablekeys flag. */
    @Test
    void triplesMatchTheReferenceServer() throws Exception {
        if (!ReferenceServer.available()) ReferenceServer.warnMissing("KeySpecTest.triplesMatchTheReferenceServer");
        assumeTrue(ReferenceServer.available(), "no reference redis-server installed");
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        try (ReferenceServer ref = ReferenceServer.start(); Jedis j = new Jedis("127.0.0.1", ref.port())) {
            List<CommandSpec> all = new ArrayList<>();
            for (CommandSpec c : table.all()) {
                all.add(c);
                all.addAll(c.subcommands.values());
            }
            for (CommandSpec c : all) {
                CommandInfo ri = j.commandInfo(c.name).get(c.name);
                if (ri == null) continue; // newer than the reference (e.g. CLIENT NO-TOUCH)
                compared++;
                String ours = c.legacyFirst + "," + c.legacyLast + "," + c.legacyStep + "," + c.has(CommandFlags.MOVABLE_KEYS);
                String theirs = ri.getFirstKey() + "," + ri.getLastKey() + "," + ri.getStep() + "," + ri.getFlags().contains("movablekeys");
                if (!ours.equals(theirs)) mismatches.add(c.name + ": ours " + ours + ", redis " + theirs);
            }
        }
        assertThat(compared).isGreaterThan(50);
        assertThat(mismatches).isEmpty();
    }

    // ------------------------------------------------------------------ keyword specs

    @Test
    void keywordSpecLikeXread() {
        // XREAD: begin at the keyword STREAMS (searched from argument 1), range lastkey -1 limit 2:
        // the first half of what follows are keys.
        KeySpec xread = keywordRange("STREAMS", 1, -1, 1, 2, "RO", "access");
        assertThat(keys(xread, "XREAD", "COUNT", "2", "STREAMS", "a", "b", "0", "0")).containsExactly(4, 5);
        assertThat(keys(xread, "xread", "streams", "a", "0")).as("keyword matched without case").containsExactly(2);
        // Keyword absent: this spec names no keys, and that is not an error.
        assertThat(keys(xread, "XREAD", "COUNT", "2")).isEmpty();
        // The search stops before the last argument, so a trailing keyword is not found either.
        assertThat(keys(xread, "XREAD", "COUNT", "STREAMS")).isEmpty();
        // A keyword with nothing fitting after it: first past the end.
        assertThat(keys(keywordRange("STORE", 1, 0, 1, 0), "X", "STORE", "k")).containsExactly(2);
        assertThat(keys(keywordRange("STORE", 1, 1, 1, 0), "X", "STORE", "k")).isNull();
    }

    @Test
    void keywordSpecSearchedBackwardsLikeMigrate() {
        // MIGRATE: KEYS searched from the second-to-last argument backwards, then everything after it.
        KeySpec keysKw = keywordRange("KEYS", -2, -1, 1, 0, "RW", "access", "delete", "incomplete");
        assertThat(keys(keysKw, "MIGRATE", "h", "1", "", "0", "5000", "KEYS", "a", "b", "c")).containsExactly(7, 8, 9);
        // The backwards search finds the last KEYS before the end.
        assertThat(keys(keysKw, "MIGRATE", "h", "1", "", "0", "5000", "KEYS", "KEYS", "b")).containsExactly(8);
        assertThat(keys(keysKw, "MIGRATE", "h", "1", "k", "0", "5000")).isEmpty();
    }

    // ------------------------------------------------------------------ keynum specs

    @Test
    void keynumSpecLikeEval() {
        // EVAL script numkeys key... arg...: begin index 2, keynum at +0, keys from +1.
        KeySpec eval = indexKeynum(2, 0, 1, 1);
        assertThat(keys(eval, "EVAL", "s", "2", "k1", "k2", "a1")).containsExactly(3, 4);
        assertThat(keys(eval, "EVAL", "s", "1", "k1")).containsExactly(3);
        assertThat(keys(eval, "EVAL", "s", "3", "k1", "k2")).as("more keys than arguments").isNull();
        assertThat(keys(eval, "EVAL", "s", "-1", "k1")).as("negative count").isNull();
        assertThat(keys(eval, "EVAL", "s", "x", "k1")).as("count not an integer").isNull();
        assertThat(keys(eval, "EVAL", "s", "01", "k1")).as("count not canonical").isNull();
        assertThat(keys(eval, "EVAL", "s")).as("count missing").isNull();
        // Zero keys leaves last before first: Redis's getKeysUsingKeySpecs calls that an invalid spec too.
        assertThat(keys(eval, "EVAL", "s", "0")).isNull();
        assertThat(keys(eval, "EVAL", "s", "0", "a")).isNull();
    }

    @Test
    void keynumSpecWithStepAndOffsets() {
        // A count two after the begin index, keys three after it, every other argument a key.
        KeySpec s = indexKeynum(1, 2, 3, 2);
        assertThat(keys(s, "CMD", "x", "y", "3", "k1", "v1", "k2", "v2", "k3")).containsExactly(4, 6);
        // keys = first..first+n-1 with step: n=3 spans positions 4..6, stepping by 2.
        assertThat(keys(s, "CMD", "x", "y", "5", "k1", "v1", "k2", "v2", "k3")).containsExactly(4, 6, 8);
    }

    @Test
    void zunionstoreStyleSpecsTogether() {
        CommandSpec z = spec("zunionstore", indexRange(1, 0, 1, 0, "OW", "update"), indexKeynum(2, 0, 1, 1));
        assertThat(keys(z, "ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2")).containsExactly(1, 3, 4);
        assertThat(triple(z)).containsExactly(1, 1, 1);
        assertThat(z.has(CommandFlags.MOVABLE_KEYS)).isTrue();
    }

    // ------------------------------------------------------------------ legacy triple derivation

    @Test
    void legacyTripleDerivation() {
        // LMOVE/SMOVE/RENAME: two consecutive single-key specs.
        CommandSpec lmove = spec("lmove", indexRange(1, 0, 1, 0, "RW"), indexRange(2, 0, 1, 0, "RW"));
        assertThat(triple(lmove)).containsExactly(1, 2, 1);
        assertThat(lmove.has(CommandFlags.MOVABLE_KEYS)).isFalse();
        // BITOP: destination then all the rest; lastkey -1 wins the unsigned maximum.
        CommandSpec bitop = spec("bitop", indexRange(2, 0, 1, 0, "OW"), indexRange(3, -1, 1, 0, "RO"));
        assertThat(triple(bitop)).containsExactly(2, -1, 1);
        assertThat(bitop.has(CommandFlags.MOVABLE_KEYS)).isFalse();
        assertThat(keys(bitop, "BITOP", "AND", "d", "a", "b", "c")).containsExactly(2, 3, 4, 5);
        // LCS: one spec with lastkey 1.
        assertThat(triple(spec("lcs", indexRange(1, 1, 1, 0, "RO")))).containsExactly(1, 2, 1);
        // MIGRATE: an incomplete index spec and a keyword spec.
        CommandSpec migrate = spec("migrate", indexRange(3, 0, 1, 0, "RW", "incomplete"),
                keywordRange("KEYS", -2, -1, 1, 0, "RW", "incomplete"));
        assertThat(triple(migrate)).containsExactly(3, 3, 1);
        assertThat(migrate.has(CommandFlags.MOVABLE_KEYS)).isTrue();
        // One incomplete spec alone: its own triple, movablekeys.
        CommandSpec sort = spec("sort", indexRange(1, 0, 1, 0, "RO", "incomplete"));
        assertThat(triple(sort)).containsExactly(1, 1, 1);
        assertThat(sort.has(CommandFlags.MOVABLE_KEYS)).isTrue();
        // XREAD / EVAL: nothing but keyword or keynum specs.
        CommandSpec xread = spec("xread", keywordRange("STREAMS", 1, -1, 1, 2, "RO"));
        assertThat(triple(xread)).containsExactly(0, 0, 0);
        assertThat(xread.has(CommandFlags.MOVABLE_KEYS)).isTrue();
        CommandSpec eval = spec("eval", indexKeynum(2, 0, 1, 1));
        assertThat(triple(eval)).containsExactly(0, 0, 0);
        assertThat(eval.has(CommandFlags.MOVABLE_KEYS)).isTrue();
        // Not consecutive, or a step other than 1: only the first counts, and keys are movable.
        CommandSpec gap = spec("gap", indexRange(1, 0, 1, 0, "RO"), indexRange(3, 0, 1, 0, "RO"));
        assertThat(triple(gap)).containsExactly(1, 1, 1);
        assertThat(gap.has(CommandFlags.MOVABLE_KEYS)).isTrue();
        CommandSpec stepped = spec("stepped", indexRange(1, 0, 1, 0, "RO"), indexRange(2, -1, 2, 0, "RO"));
        assertThat(triple(stepped)).containsExactly(1, 1, 1);
        assertThat(stepped.has(CommandFlags.MOVABLE_KEYS)).isTrue();
        // No specs: no keys.
        assertThat(triple(spec("ping"))).containsExactly(0, 0, 0);
        assertThat(spec("ping").has(CommandFlags.MOVABLE_KEYS)).isFalse();
    }

    @Test
    void rangeWithLimitAndNegativeLastKey() {
        // lastkey -2 without limit: all but the last argument.
        assertThat(keys(indexRange(1, -2, 1, 0), "CMD", "a", "b", "c", "arg")).containsExactly(1, 2, 3);
        // limit 3 with lastkey -1: a third of what follows the begin index.
        assertThat(keys(indexRange(1, -1, 1, 3), "CMD", "a", "b", "x", "y", "z", "w")).containsExactly(1, 2);
        assertThat(keys(indexRange(1, -1, 1, 0), "CMD")).as("no arguments at all").isNull();
    }
}
