package io.jackdaw.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jackdaw.testing.ReferenceServer;
import io.jackdaw.testing.RespConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link HashSlot}: CRC16/XMODEM mod 16384 with Redis's hash-tag rule. The expected slots are
 * the answers of {@code CLUSTER KEYSLOT} on redis-server 7.0.15 started with cluster-enabled.
 */
class HashSlotTest {
    static int slot(String key) {
        byte[] b = key.getBytes(StandardCharsets.ISO_8859_1);
        return HashSlot.of(b, 0, b.length);
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "foo|12182", "bar|5061", "zap|6469", "\"\"|0", "a|15495", "123456789|12739", "somekey|11058",
        "hello world|15332", "user:1000|1649",
        // A tag: the first '{' and the first '}' after it, when something lies between.
        "{user1000}.following|3443", "{user1000}.followers|3443", "user1000|3443", "foo{bar}|5061",
        "foo{bar}{zap}|5061", "{a}|15495", "{a}}|15495", "}{a}|15495",
        // Empty tag: the whole key is hashed, even when a later tag exists.
        "foo{}{bar}|8363", "{}|15257", "{}{a}|13650", "foo{}|5542", "x{}y|16116",
        // Nested braces: the tag is "{bar" (from the first '{' to the first '}').
        "foo{{bar}}zap|4015", "{bar|4015",
        // No closing brace: the whole key.
        "{|4092", "}|12090", "a{b|13340", "foo{bar|15278"})
    void knownSlots(String key, int expected) {
        assertThat(slot(key)).isEqualTo(expected);
    }

    @Test
    void crc16IsXmodem() {
        // The CRC-16/XMODEM check value (poly 0x1021, init 0, no reflection) is 0x31C3.
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(HashSlot.crc16(check, 0, check.length)).isEqualTo(0x31C3);
        assertThat(HashSlot.crc16(new byte[0], 0, 0)).isZero();
    }

    @Test
    void sliceOffsetsAreHonoured() {
        byte[] b = "xx{user1000}.following-yy".getBytes(StandardCharsets.US_ASCII);
        assertThat(HashSlot.of(b, 2, 20)).isEqualTo(3443);
        byte[] plain = "__foo__".getBytes(StandardCharsets.US_ASCII);
        assertThat(HashSlot.of(plain, 2, 3)).isEqualTo(12182);
        // A '}' just outside the slice does not close a tag inside it.
        byte[] open = "{bar}".getBytes(StandardCharsets.US_ASCII);
        assertThat(HashSlot.of(open, 0, 4)).isEqualTo(4015);
    }

    @Test
    void tagsTieKeysToOneSlotAndSlotsStayInRange() {
        Random r = new Random(99);
        for (int i = 0; i < 10_000; i++) {
            byte[] tag = new byte[1 + r.nextInt(10)];
            r.nextBytes(tag);
            for (int j = 0; j < tag.length; j++) if (tag[j] == '{' || tag[j] == '}') tag[j] = 'x';
            String t = new String(tag, StandardCharsets.ISO_8859_1);
            int s = slot(t);
            assertThat(s).isBetween(0, HashSlot.SLOTS - 1);
            assertThat(slot("pre" + i + "{" + t + "}post")).isEqualTo(s);
            assertThat(slot("{" + t + "}" + "{other}")).isEqualTo(s);
        }
    }

    /** Random keys full of braces and high bytes, compared with CLUSTER KEYSLOT on the reference server. */
    @Test
    void matchesTheReferenceServerOnRandomKeys() throws Exception {
        if (!ReferenceServer.available()) ReferenceServer.warnMissing("HashSlotTest.matchesTheReferenceServerOnRandomKeys");
        assumeTrue(ReferenceServer.available(), "no reference redis-server installed");
        try (ReferenceServer ref = ReferenceServer.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf");
             RespConnection c = new RespConnection(ref.port())) {
            Random r = new Random(2024);
            byte[] alphabet = "{}ab{}x\u00ff\u0000".getBytes(StandardCharsets.ISO_8859_1);
            List<String> mismatches = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                byte[] k = new byte[r.nextInt(24)];
                for (int j = 0; j < k.length; j++)
                    k[j] = r.nextInt(3) == 0 ? (byte) r.nextInt(256) : alphabet[r.nextInt(alphabet.length)];
                c.send("CLUSTER".getBytes(StandardCharsets.US_ASCII), "KEYSLOT".getBytes(StandardCharsets.US_ASCII), k);
                String reply = c.readReply();
                assertThat(reply).startsWith(":");
                int expected = Integer.parseInt(reply.substring(1).trim());
                if (HashSlot.of(k, 0, k.length) != expected)
                    mismatches.add(new String(k, StandardCharsets.ISO_8859_1) + " redis=" + expected);
            }
            assertThat(mismatches).isEmpty();
        }
    }
}
