package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import io.jackdaw.types.Bytes;
import io.jackdaw.types.Listpack;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis 7.2's list encodings over the wire, on Jackdaw alone (the 7.0 reference has no listpack
 * lists): when a list leaves the listpack encoding and when it comes back, with the limits
 * worked out from the listpack bytes the list holds, and the plain nodes of
 * DEBUG QUICKLIST-PACKED-THRESHOLD.
 */
class ListEncodingTest {
    static TestServer server;
    RespConnection c;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { server.close(); }

    @BeforeEach
    void connect() throws Exception {
        c = new RespConnection(server.port());
        c.call("FLUSHALL");
    }

    @AfterEach
    void reset() throws Exception {
        c.call("CONFIG", "SET", "list-max-listpack-size", "-2");
        c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0");
        c.call("CONFIG", "SET", "list-compress-depth", "0");
        c.close();
    }

    private String encoding(String key) throws Exception { return c.call("OBJECT", "ENCODING", key); }

    private static final String LISTPACK = "$8\r\nlistpack\r\n", QUICKLIST = "$9\r\nquicklist\r\n";

    private void create(String key, String... elements) throws Exception {
        c.call("DEL", key);
        for (String e : elements) c.call("RPUSH", key, e);
    }

    /** Bytes of a listpack holding these elements. */
    private static int listpackBytes(List<String> elements) {
        List<byte[]> bs = new ArrayList<>();
        for (String e : elements) bs.add(Bytes.utf8(e));
        return Listpack.size(Listpack.of(bs), 0);
    }

    /** A quicklist keeps the list-compress-depth it was made with, and DEBUG OBJECT reports it as Redis does. */
    @Test
    void aQuicklistRecordsTheCompressDepthItWasMadeWith() throws Exception {
        c.call("CONFIG", "SET", "list-max-listpack-size", "2");
        create("plain", "a", "b", "c");
        c.call("CONFIG", "SET", "list-compress-depth", "1");
        create("deep", "a", "b", "c");
        c.call("SORT", "deep", "ALPHA", "STORE", "sorted");
        c.call("CONFIG", "SET", "list-compress-depth", "0");
        assertThat(encoding("deep")).isEqualTo(QUICKLIST);
        assertThat(c.call("DEBUG", "OBJECT", "plain")).contains("ql_listpack_max:2 ql_compressed:0 ");
        assertThat(c.call("DEBUG", "OBJECT", "deep")).contains("ql_listpack_max:2 ql_compressed:1 ");
        assertThat(c.call("DEBUG", "OBJECT", "sorted")).contains("ql_compressed:1 ");
        c.call("COPY", "deep", "copy");
        assertThat(c.call("DEBUG", "OBJECT", "copy")).contains("ql_compressed:1 ");
    }

    @Test
    void growingConvertsBeforeTheWrite() throws Exception {
        for (String[] fillAndLarge : new String[][] {{"3", "x"}, {"-1", "y".repeat(5000)}}) {
            c.call("CONFIG", "SET", "list-max-listpack-size", fillAndLarge[0]);
            String large = fillAndLarge[1];
            create("lst", "a", "b", "c");
            assertThat(encoding("lst")).isEqualTo(LISTPACK);
            c.call("RPUSH", "lst", large);
            assertThat(encoding("lst")).isEqualTo(QUICKLIST);
            create("lst", "a", "b", "c");
            c.call("LINSERT", "lst", "AFTER", "b", large);
            assertThat(encoding("lst")).isEqualTo(QUICKLIST);
            create("lst", "a", "b", "c");
            c.call("LSET", "lst", "0", large);
            assertThat(encoding("lst")).isEqualTo(QUICKLIST); // the check counts one element more

            create("{t}dst", "d", "e", "f");
            c.call("DEL", "{t}src");
            c.call("RPUSH", "{t}src", "a", "b", "c", large);
            c.call("LMOVE", "{t}src", "{t}dst", "RIGHT", "RIGHT");
            assertThat(encoding("{t}dst")).isEqualTo(QUICKLIST);
            // A conversion made before a failed LSET or LINSERT stays.
            create("lst", "a", "b", "c");
            assertThat(c.call("LINSERT", "lst", "AFTER", "nothere", large)).isEqualTo(":-1\r\n");
            assertThat(encoding("lst")).isEqualTo(QUICKLIST);
            create("lst", "a", "b");
            assertThat(c.call("LSET", "lst", "5", large + large)).isEqualTo("-ERR index out of range\r\n");
            // Two elements and one more are within a limit of 3; 10000 bytes are not within 4 KiB.
            assertThat(encoding("lst")).isEqualTo(fillAndLarge[0].equals("3") ? LISTPACK : QUICKLIST);
        }
    }

    /** At a byte limit, the raw bytes being added count against the listpack's size, not their entries. */
    @Test
    void theByteLimitCountsRawArgumentBytes() throws Exception {
        c.call("CONFIG", "SET", "list-max-listpack-size", "-1");
        List<String> elements = new ArrayList<>();
        String e = "e".repeat(100);
        while (listpackBytes(elements) + 100 <= 4096) {
            elements.add(e);
            c.call("RPUSH", "lst", e);
        }
        assertThat(encoding("lst")).isEqualTo(LISTPACK);
        int room = 4096 - listpackBytes(elements);
        assertThat(room).isBetween(0, 99);
        c.call("RPUSH", "lst", "r".repeat(room)); // exactly at the limit: stays (its entry takes more than that)
        assertThat(encoding("lst")).isEqualTo(LISTPACK);
        assertThat(c.call("RPUSH", "lst", "s")).isEqualTo(":" + (elements.size() + 2) + "\r\n");
        assertThat(encoding("lst")).isEqualTo(QUICKLIST);
    }

    @Test
    void shrinkingConvertsBackBelowHalfTheLimit() throws Exception {
        c.call("CONFIG", "SET", "list-max-listpack-size", "3");
        create("lst", "a", "b", "c", "d");
        assertThat(encoding("lst")).isEqualTo(QUICKLIST);
        c.call("RPOP", "lst", "3");
        assertThat(encoding("lst")).isEqualTo(LISTPACK);
        create("lst", "a", "a", "a", "d");
        c.call("LREM", "lst", "3", "a");
        assertThat(encoding("lst")).isEqualTo(LISTPACK);
        create("lst", "a", "b", "c", "d");
        c.call("LTRIM", "lst", "1", "1");
        assertThat(encoding("lst")).isEqualTo(LISTPACK);
        // Two elements left of a limit of 3 is more than half: still a quicklist.
        create("lst", "a", "b", "c", "d");
        c.call("RPOP", "lst", "2");
        assertThat(encoding("lst")).isEqualTo(QUICKLIST);

        c.call("CONFIG", "SET", "list-max-listpack-size", "-1");
        String large = "L".repeat(5000);
        create("lst", "a", "b", "c", large);
        c.call("RPOP", "lst");
        assertThat(encoding("lst")).isEqualTo(LISTPACK);
        create("lst", "a", large);
        c.call("LREM", "lst", "1", large);
        assertThat(encoding("lst")).isEqualTo(LISTPACK);
        create("lst", "a", "b", large);
        c.call("LTRIM", "lst", "0", "1");
        assertThat(encoding("lst")).isEqualTo(LISTPACK);
        create("lst", large, "a", "b");
        c.call("RPOP", "lst", "2");
        assertThat(encoding("lst")).isEqualTo(QUICKLIST); // a plain node never converts back
        c.call("LSET", "lst", "-1", "c");
        assertThat(encoding("lst")).isEqualTo(LISTPACK);
        // One node of more than half the limit stays a quicklist; LTRIM 0 -1 checks again after a shrink.
        c.call("DEL", "lst");
        List<String> half = new ArrayList<>();
        c.call("RPUSH", "lst", large);
        for (int i = 0; listpackBytes(half) <= 2048; i++) {
            half.add("h" + i + "-".repeat(40));
            c.call("RPUSH", "lst", half.getLast());
        }
        c.call("LPOP", "lst");
        assertThat(encoding("lst")).isEqualTo(QUICKLIST);
        c.call("RPOP", "lst");
        half.removeLast();
        assertThat(encoding("lst")).isEqualTo(listpackBytes(half) <= 2048 ? LISTPACK : QUICKLIST);
    }

    @Test
    void limitsOutsideTheRangeAreClamped() throws Exception {
        c.call("CONFIG", "SET", "list-max-listpack-size", "0"); // as 1
        c.call("RPUSH", "lst", "a");
        assertThat(encoding("lst")).isEqualTo(LISTPACK);
        c.call("RPUSH", "lst", "b");
        assertThat(encoding("lst")).isEqualTo(QUICKLIST);
        c.call("CONFIG", "SET", "list-max-listpack-size", "-6"); // as -5, 64 KiB
        c.call("DEL", "lst");
        c.call("RPUSH", "lst", "x".repeat(60000));
        assertThat(encoding("lst")).isEqualTo(LISTPACK);
        c.call("RPUSH", "lst", "x".repeat(5536));
        assertThat(encoding("lst")).isEqualTo(QUICKLIST);
    }

    /** LMOVE hands an integer out of a quicklist on as an integer object: its digits do not count. */
    @Test
    void integersMovedOutOfAQuicklistDoNotCountTheirBytes() throws Exception {
        c.call("CONFIG", "SET", "list-max-listpack-size", "-1");
        // A destination listpack of 4092 to 4096 bytes: 5 more raw bytes would pass the limit.
        List<String> elements = new ArrayList<>();
        String e = "e".repeat(100);
        while (listpackBytes(elements) + 100 <= 4096) {
            elements.add(e);
            c.call("RPUSH", "{t}dst", e);
        }
        int n = 4096 - listpackBytes(elements);
        List<String> filled = new ArrayList<>(elements);
        filled.add("");
        while (true) {
            filled.set(filled.size() - 1, "r".repeat(n));
            if (listpackBytes(filled) <= 4096) break;
            n--;
        }
        c.call("RPUSH", "{t}dst", "r".repeat(n));
        assertThat(listpackBytes(filled)).isBetween(4092, 4096);
        assertThat(encoding("{t}dst")).isEqualTo(LISTPACK);
        c.call("RPUSH", "{t}src", "y".repeat(5000), "12345");
        assertThat(encoding("{t}src")).isEqualTo(QUICKLIST);
        c.call("LMOVE", "{t}src", "{t}dst", "RIGHT", "RIGHT");
        assertThat(encoding("{t}dst")).isEqualTo(LISTPACK);
        // The same digits out of a listpack are a string: they count, and the list converts.
        c.call("RPUSH", "{t}lp", "54321");
        c.call("LMOVE", "{t}lp", "{t}dst", "RIGHT", "RIGHT");
        assertThat(encoding("{t}dst")).isEqualTo(QUICKLIST);
        assertThat(c.call("LRANGE", "{t}dst", "-2", "-1")).isEqualTo("*2\r\n$5\r\n12345\r\n$5\r\n54321\r\n");
    }

    @Test
    void packedThresholdMakesPlainNodes() throws Exception {
        assertThat(c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1b")).isEqualTo("+OK\r\n");
        c.call("CONFIG", "SET", "list-max-listpack-size", "1");
        c.call("LPUSH", "lst", "9", "xxxxxxxxxx", "xxxxxxxxxx");
        assertThat(encoding("lst")).isEqualTo(QUICKLIST);
        assertThat(c.call("DEBUG", "OBJECT", "lst")).contains(" ql_nodes:3 ql_avg_node:1.00 ql_listpack_max:1 ")
                .contains(" ql_uncompressed_size:21\r\n");
        assertThat(c.call("RPOP", "lst")).isEqualTo("$1\r\n9\r\n");
        assertThat(c.call("LPOS", "lst", "xxxxxxxxxx", "COUNT", "0")).isEqualTo("*2\r\n:0\r\n:1\r\n");
        c.call("RPOP", "lst");
        assertThat(encoding("lst")).isEqualTo(QUICKLIST); // one plain node: no way back
        for (String bad : List.of("-1", "x", "4gb", "1kbb")) {
            assertThat(c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", bad))
                    .isEqualTo("-ERR argument must be a memory value bigger than 1 and smaller than 4gb\r\n");
        }
        assertThat(c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0")).isEqualTo("+OK\r\n");
        assertThat(c.call("DEBUG", "OBJECT", "nokey")).isEqualTo("-ERR no such key\r\n");
    }

    /** The limit in force when a quicklist was made keeps bounding its nodes, as Redis keeps fill per list. */
    @Test
    void aQuicklistKeepsTheFillItWasMadeWith() throws Exception {
        c.call("CONFIG", "SET", "list-max-listpack-size", "2");
        c.call("RPUSH", "lst", "a", "b", "c");
        c.call("CONFIG", "SET", "list-max-listpack-size", "100");
        c.call("RPUSH", "lst", "d", "e", "f");
        assertThat(c.call("DEBUG", "OBJECT", "lst")).contains(" ql_nodes:3 ql_avg_node:2.00 ql_listpack_max:2 ");
        // The conversion checks read the limit now: with 100, one node of 2 is well under half.
        c.call("DEL", "lst");
        c.call("CONFIG", "SET", "list-max-listpack-size", "2");
        c.call("RPUSH", "lst", "a", "b", "c", "d", "e");
        c.call("CONFIG", "SET", "list-max-listpack-size", "100");
        c.call("RPOP", "lst");
        assertThat(encoding("lst")).isEqualTo(QUICKLIST); // [a b] [c d]: two nodes
        c.call("RPOP", "lst", "2");
        assertThat(encoding("lst")).isEqualTo(LISTPACK);
    }
}
