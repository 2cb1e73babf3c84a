package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.InfoFields;
import io.jackdaw.testing.RespConnection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SORT and SORT_RO replayed on Jackdaw and the reference redis-server, byte for byte. Inputs
 * avoid what Redis leaves open: equal BY weights (its quicksort is not stable) and the order of
 * a hashtable-encoded set sorted BY a constant.
 */
class SortDifferentialTest extends DifferentialTestBase {
    @BeforeEach
    void connect() throws Exception {
        differential().normalize(ConnectionDifferentialTest.HELLO_VERSION_AND_ID);
    }

    @Test
    void listsSortNumericallyAlphabeticallyAndWithLimits() throws Exception {
        var d = diff;
        d.run("RPUSH", "l", "3", "1", "10", "-2.5", "1e2", "0", "7", "inf", "-inf", "2");
        for (String[] opts : List.of(new String[] {}, new String[] {"DESC"}, new String[] {"ALPHA"},
                new String[] {"ALPHA", "DESC"}, new String[] {"LIMIT", "0", "3"}, new String[] {"LIMIT", "2", "3", "DESC"},
                new String[] {"LIMIT", "-5", "2"}, new String[] {"LIMIT", "8", "100"}, new String[] {"LIMIT", "20", "2"},
                new String[] {"LIMIT", "0", "0"}, new String[] {"LIMIT", "3", "-1"}, new String[] {"ASC", "DESC", "ASC"})) {
            d.run(cmd("SORT", "l", opts));
            d.run(cmd("SORT_RO", "l", opts));
        }
        d.run("RPUSH", "words", "banana", "apple", "Cherry", "apple2", "", "10", "9");
        d.run("SORT", "words", "ALPHA");
        d.run("SORT", "words", "ALPHA", "DESC", "LIMIT", "1", "4");
        d.run("SORT", "words");
        d.run("RPUSH", "ties", "5", "05", "5.0", "+5", "4");
        d.run("SORT", "ties");
        d.run("SORT", "ties", "DESC");
        d.run("RPUSH", "blank", "", " 3", "2 ", "1");
        d.run("SORT", "blank");
        d.run("RPUSH", "huge", "1e400");
        d.run("SORT", "huge");
        assertThat(d.mismatches()).isEmpty();
    }

    @Test
    void setsAndSortedSets() throws Exception {
        var d = diff;
        d.run("SADD", "ints", "5", "-3", "100", "42", "0");
        d.run("SORT", "ints");
        d.run("SORT", "ints", "DESC", "LIMIT", "1", "2");
        d.run("SORT", "ints", "BY", "nosort"); // an intset's own order is ascending in both
        d.run("SORT", "ints", "BY", "nosort", "STORE", "dst");
        d.run("LRANGE", "dst", "0", "-1");
        d.run("SADD", "strs", "pear", "fig", "apple", "kiwi");
        d.run("SORT", "strs", "ALPHA");
        d.run("SORT", "strs");
        d.run("SORT", "strs", "BY", "nosort", "STORE", "dst2"); // sorted ALPHA when storing
        d.run("LRANGE", "dst2", "0", "-1");
        d.run("ZADD", "z", "3", "c", "1", "a", "2", "b", "5", "e", "4", "d");
        d.run("SORT", "z", "ALPHA");
        d.run("SORT", "z", "BY", "nosort");
        d.run("SORT", "z", "BY", "nosort", "DESC");
        d.run("SORT", "z", "BY", "nosort", "LIMIT", "1", "2");
        d.run("SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "3");
        d.run("SORT", "z", "BY", "nosort", "LIMIT", "4", "10");
        d.run("SORT", "z", "BY", "nosort", "LIMIT", "9", "10");
        d.run("SORT", "z", "ALPHA", "DESC", "LIMIT", "0", "2");
        d.run("SORT", "l", "BY", "nosort", "DESC");
        d.run("RPUSH", "l", "a", "b", "c", "d");
        d.run("SORT", "l", "BY", "nosort", "DESC");
        d.run("SORT", "l", "BY", "nosort", "LIMIT", "1", "2");
        d.run("SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "2");
        assertThat(d.mismatches()).isEmpty();
    }

    @Test
    void byAndGetPatterns() throws Exception {
        var d = diff;
        d.run("RPUSH", "ids", "1", "2", "3", "4");
        d.run("MSET", "w_1", "40", "w_2", "10", "w_3", "30", "o_1", "one", "o_2", "two", "o_4", "four");
        d.run("HSET", "h_1", "f", "x1", "n", "4");
        d.run("HSET", "h_2", "f", "x2", "n", "1");
        d.run("HSET", "h_3", "n", "3");
        d.run("HSET", "h_4", "n", "2");
        d.run("SORT", "ids", "BY", "w_*");
        d.run("SORT", "ids", "BY", "w_*", "DESC");
        d.run("SORT", "ids", "BY", "w_*", "GET", "#", "GET", "o_*", "GET", "h_*->f");
        d.run("SORT", "ids", "BY", "h_*->n", "GET", "o_*");
        d.run("SORT", "ids", "BY", "h_*->n", "GET", "h_*->");
        d.run("SORT", "ids", "BY", "o_*", "ALPHA");
        d.run("SORT", "ids", "BY", "o_*", "ALPHA", "DESC", "GET", "o_*");
        d.run("SORT", "ids", "GET", "nostar");
        d.run("SORT", "ids", "GET", "w_*", "GET", "o_*", "LIMIT", "1", "2");
        d.run("SORT", "ids", "BY", "w_*", "GET", "o_*", "STORE", "out");
        d.run("LRANGE", "out", "0", "-1");
        d.run("SORT", "ids", "BY", "w_*", "LIMIT", "0", "2", "STORE", "out");
        d.run("LRANGE", "out", "0", "-1");
        d.run("SET", "w_2", "not-a-number");
        d.run("SORT", "ids", "BY", "w_*");
        d.run("SORT", "ids", "BY", "w_*", "ALPHA");
        d.run("SORT", "ids", "BY", "h_*", "GET", "w_*"); // BY a hash without a field: weights missing
        d.run("SORT", "ids", "BY", "w_*->f");             // a string where a hash is wanted
        assertThat(d.mismatches()).isEmpty();
    }

    @Test
    void storeReplacesOrDeletesAndCountsChanges() throws Exception {
        var d = diff;
        d.run("RPUSH", "src", "3", "1", "2");
        d.run("SET", "dst", "old-string");
        d.run("EXPIRE", "dst", "100");
        d.run("SORT", "src", "STORE", "dst");
        d.run("TYPE", "dst");
        d.run("TTL", "dst");
        d.run("LRANGE", "dst", "0", "-1");
        d.run("SORT", "nosuch", "STORE", "dst");
        d.run("EXISTS", "dst");
        d.run("SORT", "nosuch", "STORE", "dst");
        d.run("SORT", "src", "LIMIT", "5", "5", "STORE", "dst");
        d.run("SORT", "src", "GET", "#", "GET", "missing_*", "STORE", "dst");
        d.run("LRANGE", "dst", "0", "-1");
        d.run("SORT", "src", "STORE", "src");
        d.run("LRANGE", "src", "0", "-1");
        assertThat(d.mismatches()).isEmpty();
        try (RespConnection a = new RespConnection(ours.port()); RespConnection b = new RespConnection(ref.port())) {
            long before = InfoFields.changes(a), refBefore = InfoFields.changes(b);
            for (RespConnection r : List.of(a, b)) {
                r.call("SORT", "src", "STORE", "d1");
                r.call("SORT", "nosuch", "STORE", "d1");
                r.call("SORT", "nosuch", "STORE", "d1");
                r.call("SORT", "src");
            }
            assertThat(InfoFields.changes(a) - before).isEqualTo(InfoFields.changes(b) - refBefore);
        }
    }

    @Test
    void errors() throws Exception {
        var d = diff;
        d.run("SET", "str", "v");
        d.run("HSET", "hash", "f", "v");
        d.run("RPUSH", "l", "1", "x");
        d.run("SORT", "str");
        d.run("SORT", "hash");
        d.run("SORT", "l");
        d.run("SORT", "l", "ALPHA");
        d.run("SORT", "l", "LIMIT", "x", "1");
        d.run("SORT", "l", "LIMIT", "0", "1.5");
        d.run("SORT", "l", "LIMIT", "0");
        d.run("SORT", "l", "BY");
        d.run("SORT", "l", "GET");
        d.run("SORT", "l", "STORE");
        d.run("SORT", "l", "NOSUCH");
        d.run("SORT_RO", "l", "ALPHA", "STORE", "dst");
        d.run("SORT", "str", "NOSUCH");
        d.run("SORT");
        d.run("SORT_RO");
        d.run("SORT", "nosuch");
        d.run("SORT", "nosuch", "LIMIT", "0", "10", "GET", "x_*");
        assertThat(d.mismatches()).isEmpty();
    }

    @Test
    void commandGetkeysFindsTheLastStore() throws Exception {
        var d = diff;
        d.run("COMMAND", "GETKEYS", "sort", "abc", "store", "def");
        d.run("COMMAND", "GETKEYS", "sort_ro", "abc");
        d.run("COMMAND", "GETKEYS", "sort", "abc", "store", "invalid", "store", "stillbad", "store", "def");
        d.run("COMMAND", "GETKEYS", "sort", "abc", "LIMIT", "store", "x", "GET", "store", "BY", "store");
        d.run("COMMAND", "GETKEYS", "sort", "abc", "store");
        d.run("COMMAND", "GETKEYSANDFLAGS", "sort", "abc", "store", "def");
        d.run("COMMAND", "GETKEYSANDFLAGS", "sort_ro", "abc", "store", "def");
        assertThat(d.mismatches()).isEmpty();
    }

    /** Seeded random lists, sets and sorted sets sorted with random options; weights are unique. */
    @Test
    void randomSortsMatchTheReference() throws Exception {
        var d = diff;
        Random r = new Random(2026_11_22);
        for (int round = 0; round < 60; round++) {
            d.run("FLUSHALL");
            int n = 1 + r.nextInt(40);
            Set<String> used = new HashSet<>();
            List<String> elems = new ArrayList<>();
            boolean numeric = r.nextBoolean();
            while (elems.size() < n) {
                String e = numeric ? Integer.toString(r.nextInt(1000) - 500) : "e" + Integer.toString(r.nextInt(100_000), 36);
                if (used.add(e)) elems.add(e);
            }
            int kind = r.nextInt(3);
            String key = "k";
            for (int i = 0; i < elems.size(); i++) {
                String e = elems.get(i);
                switch (kind) {
                    case 0 -> d.run("RPUSH", key, e);
                    case 1 -> d.run("SADD", key, e);
                    default -> d.run("ZADD", key, Integer.toString(r.nextInt(50)), e);
                }
                d.run("SET", "w_" + e, Integer.toString(i * 7 % 1009) + "." + i);
                if (r.nextBoolean()) d.run("HSET", "h_" + e, "f", "v" + i);
            }
            for (int q = 0; q < 8; q++) {
                List<String> cmd = new ArrayList<>(List.of(r.nextInt(4) == 0 ? "SORT_RO" : "SORT", key));
                if (r.nextInt(3) == 0) cmd.addAll(List.of("BY", "w_*"));
                else if (kind != 1 && r.nextInt(4) == 0) cmd.addAll(List.of("BY", "nosort"));
                if (!numeric || r.nextInt(3) == 0) cmd.add("ALPHA");
                if (r.nextBoolean()) cmd.add("DESC");
                if (r.nextBoolean()) cmd.addAll(List.of("LIMIT", Integer.toString(r.nextInt(n + 2) - 1), Integer.toString(r.nextInt(n + 2) - 1)));
                if (r.nextInt(3) == 0) cmd.addAll(List.of("GET", "#"));
                if (r.nextInt(3) == 0) cmd.addAll(List.of("GET", "h_*->f"));
                boolean store = cmd.get(0).equals("SORT") && r.nextInt(3) == 0;
                if (store) cmd.addAll(List.of("STORE", "out"));
                d.run(cmd.toArray(new String[0]));
                if (store) d.run("LRANGE", "out", "0", "-1");
            }
        }
        assertThat(d.mismatches()).isEmpty();
    }

    private static String[] cmd(String name, String key, String... opts) {
        String[] c = new String[opts.length + 2];
        c[0] = name;
        c[1] = key;
        System.arraycopy(opts, 0, c, 2, opts.length);
        return c;
    }
}
