package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.InfoFields;
import io.jackdaw.testing.ManualClock;
import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import io.jackdaw.types.Bytes;
import org.junit.jupiter.api.Test;

/**
 * DUMP/RESTORE behaviour the 7.0 reference cannot check: hashes with field expiries (Redis 7.4's
 * RDB types 24 and 25, version 12) on a clock we drive, the RESP3 null for an absent key, and a
 * restored list serving a blocked client.
 */
class DumpRestoreTest {
    private static final long NOW = 1_800_000_000_000L;

    @Test
    void listpackWithFieldExpiriesRoundTrips() throws Exception {
        ManualClock clock = new ManualClock(NOW);
        try (TestServer s = TestServer.start(clock); RespConnection c = new RespConnection(s.port())) {
            c.call("HSET", "h", "f", "v", "g", "w");
            assertThat(c.call("HPEXPIREAT", "h", String.valueOf(NOW + 5000), "FIELDS", "1", "f")).isEqualTo("*1\r\n:1\r\n");
            byte[] p = DumpRestoreDifferentialTest.dump(c, "h");
            assertThat(p[0]).isEqualTo((byte) 25);
            assertThat(Bytes.getLong(p, 1)).as("the earliest field expiry").isEqualTo(NOW + 5000);
            assertThat(Bytes.getU16(p, p.length - 10)).isEqualTo(12);
            assertThat(DumpRestoreDifferentialTest.restore(c, "h2", "0", p)).isEqualTo("+OK\r\n");
            assertThat(c.call("OBJECT", "ENCODING", "h2")).isEqualTo("$10\r\nlistpackex\r\n");
            assertThat(c.call("HPEXPIRETIME", "h2", "FIELDS", "2", "f", "g"))
                    .isEqualTo("*2\r\n:" + (NOW + 5000) + "\r\n:-1\r\n");
            assertThat(c.call("HGET", "h2", "f")).isEqualTo("$1\r\nv\r\n");
            assertThat(DumpRestoreDifferentialTest.dump(c, "h2")).isEqualTo(p);
            // Past the field's time the restored copy loses it as the original does.
            clock.advance(6000);
            assertThat(c.call("HEXISTS", "h2", "f")).isEqualTo(":0\r\n");
            assertThat(c.call("HEXISTS", "h", "f")).isEqualTo(":0\r\n");
            assertThat(c.call("HGETALL", "h2")).isEqualTo(c.call("HGETALL", "h")).isEqualTo("*2\r\n$1\r\ng\r\n$1\r\nw\r\n");
        }
    }

    @Test
    void tableWithFieldExpiriesRoundTrips() throws Exception {
        ManualClock clock = new ManualClock(NOW);
        try (TestServer s = TestServer.start(clock); RespConnection c = new RespConnection(s.port())) {
            c.call("CONFIG", "SET", "hash-max-listpack-entries", "1");
            c.call("HSET", "h", "a", "1", "b", "2", "c", "3");
            assertThat(c.call("OBJECT", "ENCODING", "h")).isEqualTo("$9\r\nhashtable\r\n");
            c.call("HPEXPIREAT", "h", String.valueOf(NOW + 7000), "FIELDS", "1", "a");
            c.call("HPEXPIREAT", "h", String.valueOf(NOW + 3000), "FIELDS", "1", "b");
            byte[] p = DumpRestoreDifferentialTest.dump(c, "h");
            assertThat(p[0]).isEqualTo((byte) 24);
            assertThat(Bytes.getLong(p, 1)).isEqualTo(NOW + 3000);
            assertThat(Bytes.getU16(p, p.length - 10)).isEqualTo(12);
            assertThat(DumpRestoreDifferentialTest.restore(c, "h2", "0", p)).isEqualTo("+OK\r\n");
            assertThat(c.call("HPEXPIRETIME", "h2", "FIELDS", "3", "a", "b", "c"))
                    .isEqualTo("*3\r\n:" + (NOW + 7000) + "\r\n:" + (NOW + 3000) + "\r\n:-1\r\n");
            // Without field expiries a table goes out as the plain type 4, version 11.
            c.call("HPERSIST", "h", "FIELDS", "2", "a", "b");
            byte[] plain = DumpRestoreDifferentialTest.dump(c, "h");
            assertThat(plain[0]).isEqualTo((byte) 4);
            assertThat(Bytes.getU16(plain, plain.length - 10)).isEqualTo(11);
        }
    }

    /** A payload whose every field has expired by RESTORE leaves no key, as an expired TTL does. */
    @Test
    void expiredFieldsAreNotRestored() throws Exception {
        ManualClock clock = new ManualClock(NOW);
        try (TestServer s = TestServer.start(clock); RespConnection c = new RespConnection(s.port())) {
            c.call("HSET", "h", "f", "v", "g", "w");
            c.call("HPEXPIREAT", "h", String.valueOf(NOW + 1000), "FIELDS", "2", "f", "g");
            byte[] p = DumpRestoreDifferentialTest.dump(c, "h");
            clock.advance(2000);
            assertThat(DumpRestoreDifferentialTest.restore(c, "h2", "0", p)).isEqualTo("+OK\r\n");
            assertThat(c.call("EXISTS", "h2")).isEqualTo(":0\r\n");
            c.call("SET", "busy", "x");
            assertThat(DumpRestoreDifferentialTest.restore(c, "busy", "0", p, "REPLACE")).isEqualTo("+OK\r\n");
            assertThat(c.call("EXISTS", "busy")).isEqualTo(":0\r\n");
        }
    }

    @Test
    void absentKeyIsANullInEitherProtocol() throws Exception {
        try (TestServer s = TestServer.start(); RespConnection c = new RespConnection(s.port())) {
            assertThat(c.call("DUMP", "nothing")).isEqualTo("$-1\r\n");
            c.call("HELLO", "3");
            assertThat(c.call("DUMP", "nothing")).isEqualTo("_\r\n");
        }
    }

    /** A restored list is a push as far as waiters go: BLPOP gets its first element. */
    @Test
    void restoredListServesABlockedClient() throws Exception {
        try (TestServer s = TestServer.start(); RespConnection c = new RespConnection(s.port());
             RespConnection waiter = new RespConnection(s.port())) {
            c.call("RPUSH", "src", "first", "second");
            byte[] p = DumpRestoreDifferentialTest.dump(c, "src");
            waiter.send("BLPOP", "target", "0");
            InfoFields.awaitBlockedClients(c, 1);
            assertThat(DumpRestoreDifferentialTest.restore(c, "target", "0", p)).isEqualTo("+OK\r\n");
            assertThat(waiter.readReply()).isEqualTo("*2\r\n$6\r\ntarget\r\n$5\r\nfirst\r\n");
            assertThat(c.call("LRANGE", "target", "0", "-1")).isEqualTo("*1\r\n$6\r\nsecond\r\n");
        }
    }

    /**
     * A stream's payload pinned byte for byte (type 21, rdbcompression off so the listpack is
     * plain), on a clock we drive so the group's times are known.
     */
    @Test
    void streamPayloadIsRedisLayout() throws Exception {
        ManualClock clock = new ManualClock(NOW);
        try (TestServer s = TestServer.start(clock); RespConnection c = new RespConnection(s.port())) {
            c.call("CONFIG", "SET", "rdbcompression", "no");
            c.call("XADD", "s", "1-1", "f", "v");
            c.call("XADD", "s", "1-2", "f", "w");
            c.call("XADD", "s", "1-3", "g", "x");
            c.call("XGROUP", "CREATE", "s", "g", "0");
            c.call("XREADGROUP", "GROUP", "g", "Alice", "COUNT", "1", "STREAMS", "s", ">");
            java.io.ByteArrayOutputStream want = new java.io.ByteArrayOutputStream();
            byte[] id11 = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
            byte[] now = new byte[8];
            Bytes.putLong(now, 0, NOW);
            want.write(21);                         // RDB_TYPE_STREAM_LISTPACKS_3
            want.write(1);                          // one node
            want.write(16);
            want.writeBytes(id11);                  // its master ID, 1-1 big-endian
            want.write(56);                         // the listpack, 56 bytes:
            want.writeBytes(new byte[] {56, 0, 0, 0, 22, 0});             // total bytes, 22 elements
            want.writeBytes(new byte[] {3, 1, 0, 1, 1, 1, (byte) 0x81, 'f', 2, 0, 1}); // count 3, deleted 0, 1 field: f, 0
            want.writeBytes(new byte[] {2, 1, 0, 1, 0, 1, (byte) 0x81, 'v', 2, 4, 1}); // SAMEFIELDS, +0, +0, v, lp-count 4
            want.writeBytes(new byte[] {2, 1, 0, 1, 1, 1, (byte) 0x81, 'w', 2, 4, 1}); // SAMEFIELDS, +0, +1, w, lp-count 4
            want.writeBytes(new byte[] {0, 1, 0, 1, 2, 1, 1, 1, (byte) 0x81, 'g', 2, (byte) 0x81, 'x', 2, 6, 1}); // 1 field: g x
            want.write(0xFF);
            want.writeBytes(new byte[] {3, 1, 3, 1, 1, 0, 0, 3}); // length, last ID, first ID, max deleted ID, entries added
            want.writeBytes(new byte[] {1, 1, 'g', 1, 1, 1});      // one group "g", last ID 1-1, entries read 1
            want.write(1);                                         // its PEL: 1-1, delivered now, once
            want.writeBytes(id11);
            want.writeBytes(now);
            want.write(1);
            want.writeBytes(new byte[] {1, 5, 'A', 'l', 'i', 'c', 'e'}); // one consumer
            want.writeBytes(now);                                  // seen time
            want.writeBytes(now);                                  // active time (type 21)
            want.write(1);
            want.writeBytes(id11);
            byte[] p = DumpRestoreDifferentialTest.dump(c, "s");
            assertThat(java.util.Arrays.copyOf(p, p.length - 10)).isEqualTo(want.toByteArray());
            assertThat(Bytes.getU16(p, p.length - 10)).isEqualTo(11);
            assertThat(DumpRestoreDifferentialTest.restore(c, "s2", "0", p)).isEqualTo("+OK\r\n");
            assertThat(c.call("XINFO", "STREAM", "s2", "FULL")).isEqualTo(c.call("XINFO", "STREAM", "s", "FULL"));
            assertThat(DumpRestoreDifferentialTest.dump(c, "s2")).isEqualTo(p);
            // A COPY and a restored copy keep growing as the original does (same nodes, same
            // same-fields decisions), so all three dump alike after more appends.
            c.call("COPY", "s", "s3");
            for (String k : new String[] {"s", "s2", "s3"}) {
                for (int i = 4; i < 300; i++) c.call("XADD", k, "1-" + i, i % 3 == 0 ? "g" : "f", "v" + i);
            }
            byte[] grown = DumpRestoreDifferentialTest.dump(c, "s");
            assertThat(DumpRestoreDifferentialTest.dump(c, "s2")).isEqualTo(grown);
            assertThat(DumpRestoreDifferentialTest.dump(c, "s3")).isEqualTo(grown);
            assertThat(c.call("XINFO", "STREAM", "s2")).contains("radix-tree-keys\r\n:3\r\n");
        }
    }
}
