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
}
