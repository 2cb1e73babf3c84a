package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.RespConnection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keyspace notifications compared with the reference server: the same script runs on both
 * while a subscriber listens to every keyspace and keyevent channel; the message sequences
 * (channel and payload, in order) must be equal.
 */
class KeyspaceEventsDifferentialTest extends DifferentialTestBase {
    @AfterEach
    void off() throws Exception {
        if (ref == null) return;
        for (int port : new int[] {ours.port(), ref.port()}) {
            try (RespConnection r = new RespConnection(port)) {
                r.call("CONFIG", "SET", "notify-keyspace-events", "");
            }
        }
    }

    /** Runs the script on a server with {@code classes} enabled; returns the messages its subscriber got. */
    private static List<String> events(int port, String classes, List<String[]> script) throws Exception {
        try (RespConnection admin = new RespConnection(port); RespConnection sub = new RespConnection(port)) {
            admin.call("FLUSHALL");
            admin.call("CONFIG", "SET", "notify-keyspace-events", classes);
            sub.call("PSUBSCRIBE", "__key*__:*");
            sub.call("SUBSCRIBE", "end-of-script");
            for (String[] cmd : script) admin.call(cmd);
            admin.call("PUBLISH", "end-of-script", "done");
            List<String> out = new ArrayList<>();
            while (true) {
                String msg = sub.readReply();
                if (msg.contains("end-of-script")) return out;
                out.add(msg);
            }
        }
    }

    private void compare(String classes, List<String[]> script) throws Exception {
        differential();
        List<String> mine = events(ours.port(), classes, script), theirs = events(ref.port(), classes, script);
        assertThat(mine).as("events for " + classes).isEqualTo(theirs);
        assertThat(theirs).isNotEmpty();
    }

    private static List<String[]> script(String... lines) {
        List<String[]> out = new ArrayList<>();
        for (String l : lines) out.add(l.split(" "));
        return out;
    }

    @Test
    void genericAndStringEvents() throws Exception {
        compare("KEA", script("SET a 1", "SET a 2 EX 100", "INCR a", "INCRBY a 5", "INCRBYFLOAT a 1.5", "APPEND a x",
                "SETRANGE a 1 yy", "GETSET a 3", "MSET b 1 c 2", "EXPIRE b 100", "PERSIST b", "RENAME b d",
                "COPY d e", "MOVE e 1", "DEL a c d nosuch", "SETBIT bits 7 1", "SETBIT bits 7 1", "BITFIELD bits SET u8 0 255",
                "BITOP NOT dest bits", "GETDEL dest", "SET x 1", "GETEX x EX 100", "GETEX x PERSIST", "EXPIRE x 0",
                "SET y 1 PX 1"));
    }

    @Test
    void streamEvents() throws Exception {
        String[] lines = {"XADD s 1-0 a 1", "XADD s MAXLEN 1 2-0 b 2", "XADD s 2-0 c 3", "XADD n NOMKSTREAM 1-0 a 1",
                "XDEL s 2-0", "XDEL s 9-0", "XADD s 3-0 d 4", "XADD s 4-0 e 5", "XTRIM s MAXLEN 1", "XTRIM s MAXLEN 5",
                "XSETID s 10-0", "XSETID s 1-0", "XADD t 1-0 a 1", "DEL t"};
        compare("KEA", script(lines));
        compare("Kt", script(lines));
        compare("Et", script(lines));
    }

    /** Consumer groups; consumers made explicitly first, as Redis 7.0 makes one on a read only when it delivers. */
    @Test
    void streamGroupEvents() throws Exception {
        String[] lines = {"XGROUP CREATE s g $ MKSTREAM", "XGROUP CREATE s g $", "XADD s 1-0 a 1", "XADD s 2-0 a 1",
                "XGROUP CREATECONSUMER s g c", "XGROUP CREATECONSUMER s g c", "XREADGROUP GROUP g c STREAMS s >",
                "XACK s g 1-0", "XGROUP CREATECONSUMER s g d", "XCLAIM s g d 0 2-0", "XAUTOCLAIM s g c 0 0",
                "XGROUP SETID s g 0", "XGROUP DELCONSUMER s g c", "XGROUP DELCONSUMER s g c", "XGROUP DESTROY s g",
                "XGROUP DESTROY s g"};
        compare("KEA", script(lines));
        compare("Et", script(lines));
    }

    @Test
    void collectionEvents() throws Exception {
        compare("KEA", script("RPUSH l a b c d", "LPUSH l z", "LPOP l", "RPOP l 2", "LINSERT l BEFORE a q", "LSET l 0 w",
                "LREM l 0 q", "LTRIM l 0 0", "RPUSH l2 x", "LMOVE l2 l3 LEFT RIGHT", "LPOP l3",
                "HSET h f v g w", "HSETNX h f v", "HINCRBY h n 1", "HINCRBYFLOAT h m 1.5", "HDEL h f g n m",
                "SADD s a b c", "SREM s a", "SMOVE s t b", "SPOP s", "SADD u 1 2 3", "SINTERSTORE i u t", "SUNIONSTORE i u t",
                "SDIFFSTORE i u u", "ZADD z 1 a 2 b 3 c 4 d", "ZINCRBY z 1 a", "ZREM z a", "ZREMRANGEBYRANK z 0 0",
                "ZPOPMIN z", "ZADD z2 1 x", "ZUNIONSTORE zz 2 z z2", "ZRANGESTORE zr zz 0 0", "ZPOPMAX zz 5",
                "RPUSH sortme 3 1 2", "SORT sortme STORE sorted"));
    }

    /** GEOADD sends ZADD's "zadd"; the STORE forms send "georadiusstore"/"geosearchstore", or "del" when empty. */
    @Test
    void geoEvents() throws Exception {
        compare("KEA", script("GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania", "GEOADD g NX 1 1 Palermo",
                "GEOADD g XX CH 1 1 Palermo", "GEORADIUS g 15 37 200 km STORE d", "GEORADIUSBYMEMBER g Palermo 100 km STOREDIST d",
                "GEOSEARCHSTORE d2 g FROMLONLAT 15 37 BYRADIUS 200 km", "GEOSEARCHSTORE d2 g FROMLONLAT 100 37 BYRADIUS 1 km",
                "GEORADIUS g 100 37 1 km STORE d", "GEORADIUS nokey 100 37 1 km STORE d2", "GEOPOS nokey a",
                "GEOSEARCH nokey FROMLONLAT 1 1 BYRADIUS 1 km"));
        compare("KEnm", script("GEOADD g 1 1 a", "GEORADIUS g 1 1 1 km STORE d", "GEODIST nokey a b", "GEOHASH nokey a"));
    }

    @Test
    void classesSelectWhatIsSent() throws Exception {
        List<String[]> s = script("SET a 1", "RPUSH l x", "HSET h f v", "DEL a", "EXPIRE l 100");
        compare("K$", s);
        compare("Elg", s);
        compare("Eh", s);
    }

    /** Class n: "new" for every key a write creates (Redis's dbAdd), including RENAME's and COPY REPLACE's target. */
    @Test
    void newKeyEvents() throws Exception {
        compare("KEn", script("SET a 1", "SET a 2", "INCR b", "APPEND c x", "SETRANGE d 2 y", "SETBIT e 3 1", "MSET a 1 f 2",
                "MSETNX g 1 h 2", "RPUSH l x", "RPUSH l y", "LMOVE l l2 LEFT LEFT", "HSET h2 f v", "SADD s a", "ZADD z 1 a",
                "SUNIONSTORE su s", "ZUNIONSTORE zu 1 z", "RENAME a ren", "RENAME ren f", "COPY f cp", "COPY f cp REPLACE",
                "MOVE cp 1", "SORT l STORE sorted", "BITOP OR bo e", "SET px 1 PX 1", "DEBUG SLEEP 0.01", "SET px 2", "SET py 1 PX 1", "DEBUG SLEEP 0.01", "RPUSH py a",
                "HINCRBY hi f 1", "ZINCRBY zi 1 m", "GETSET gs 1"));
    }

    /** Class m: "keymiss" for each read look-up that finds nothing. */
    @Test
    void keyMissEvents() throws Exception {
        compare("KEm", script("GET nokey", "MGET a nokey2 b", "SET a 1", "GET a", "STRLEN nokey", "EXISTS nokey a",
                "TYPE nokey", "TTL nokey", "HGET noh f", "LRANGE nol 0 -1", "SMEMBERS nos", "SINTER nos a2",
                "ZSCORE noz m", "ZUNIONSTORE dst 2 noz a", "GETRANGE nokey 0 1", "BITCOUNT nokey", "BITOP AND dst2 nokey a",
                "OBJECT ENCODING nokey", "SORT nolist", "LCS nokey a", "COPY nokey cp", "TOUCH nokey", "GETBIT nokey 1"));
    }
}
