package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import static io.jackdaw.testing.InfoFields.changes;

import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.RespConnection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The change counter behind INFO's rdb_changes_since_last_save (Redis's server.dirty): after
 * each command, how much it moved on Jackdaw and on the reference server must agree. Save
 * points and replication decide on this number, so a write that changed nothing must not count.
 */
class DirtyCounterDifferentialTest extends DifferentialTestBase {
    @BeforeEach
    void connect() throws Exception {
        differential();
    }


    @Test
    void everyWriteCountsItsChangesAsRedisDoes() throws Exception {
        List<String[]> commands = List.of(
                c("SET", "k", "v"), c("SET", "k", "v", "NX"), c("SET", "k", "w", "XX"), c("SET", "n", "v", "XX"),
                c("SET", "k", "v", "GET"), c("SETNX", "k", "x"), c("SETNX", "k2", "x"), c("SETEX", "e", "100", "v"),
                c("PSETEX", "e", "100000", "v"), c("GETSET", "k", "z"), c("MSET", "a", "1", "b", "2", "c", "3"),
                c("MSETNX", "a", "1", "z", "2"), c("MSETNX", "y", "1", "z", "2"), c("INCR", "a"), c("INCRBY", "a", "5"),
                c("DECR", "a"), c("DECRBY", "a", "2"), c("INCRBYFLOAT", "a", "1.5"), c("INCR", "k"),
                c("APPEND", "k", "more"), c("APPEND", "new", "x"), c("SETRANGE", "k", "1", "ab"),
                c("SETRANGE", "k", "1", ""), c("SETRANGE", "absent", "3", ""), c("GETRANGE", "k", "0", "-1"),
                c("GETDEL", "new"), c("GETDEL", "new"), c("GETEX", "k"), c("GETEX", "k", "EX", "100"),
                c("GETEX", "k", "PERSIST"), c("GETEX", "k", "PERSIST"), c("GET", "k"), c("MGET", "a", "b"),
                c("EXPIRE", "b", "100"), c("EXPIRE", "b", "100", "NX"), c("PEXPIRE", "b", "0"), c("EXPIRE", "nokey", "1"),
                c("PERSIST", "e"), c("PERSIST", "e"), c("RENAME", "c", "c2"), c("RENAME", "c2", "c2"),
                c("RENAMENX", "c2", "a"), c("RENAMENX", "c2", "c3"), c("DEL", "c3", "nokey", "y"), c("UNLINK", "z"),
                c("EXISTS", "a"), c("TOUCH", "a"), c("COPY", "a", "a2"), c("COPY", "a", "a2"), c("MOVE", "a2", "1"),
                c("MOVE", "a2", "1"), c("SWAPDB", "0", "1"), c("SWAPDB", "0", "1"),
                c("SETBIT", "bits", "0", "0"), c("SETBIT", "bits", "0", "0"), c("SETBIT", "bits", "0", "1"),
                c("SETBIT", "bits", "0", "1"), c("SETBIT", "bits", "90", "0"), c("SETBIT", "k", "0", "1"),
                c("BITFIELD", "bf", "SET", "i5", "0", "0"), c("BITFIELD", "bf", "SET", "i5", "0", "0"),
                c("BITFIELD", "bf", "SET", "i5", "0", "1", "INCRBY", "u8", "8", "1", "GET", "u4", "0"),
                c("BITFIELD", "bf", "INCRBY", "i5", "0", "0"), c("BITFIELD", "bf", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "9"),
                c("BITOP", "OR", "dest", "bits", "bf"), c("BITOP", "AND", "dest", "nokey"), c("BITCOUNT", "bits"),
                c("LCS", "k", "bits"), c("FLUSHDB"), c("SET", "x", "1"), c("SELECT", "1"), c("SET", "x", "1"),
                c("SELECT", "0"), c("FLUSHALL"));
        List<String> differences = new ArrayList<>();
        try (RespConnection a = new RespConnection(ours.port()); RespConnection b = new RespConnection(ref.port())) {
            for (String[] cmd : commands) {
                long beforeA = changes(a), beforeB = changes(b);
                a.call(cmd);
                b.call(cmd);
                long da = changes(a) - beforeA, db = changes(b) - beforeB;
                if (da != db) differences.add(String.join(" ", cmd) + ": jackdaw +" + da + ", redis +" + db);
            }
        }
        assertThat(differences).isEmpty();
    }
}
