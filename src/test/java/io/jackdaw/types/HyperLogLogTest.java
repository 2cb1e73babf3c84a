package io.jackdaw.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The HLL bytes pinned without a reference server: they are what Redis stores and ships. */
class HyperLogLogTest {
    private static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    private static String hex(HyperLogLog h) {
        return HexFormat.of().formatHex(h.bytes(), 0, h.length());
    }

    @Test
    void emptyHllIsOneXzeroCoveringAllRegisters() {
        assertThat(hex(HyperLogLog.create())).isEqualTo("48594c4c01000000" + "0000000000000000" + "7fff");
    }

    @Test
    void threeElementsGiveRedissBytes() {
        HyperLogLog h = HyperLogLog.create();
        for (String e : new String[] {"a", "b", "c"}) assertThat(h.add(b(e), 0, 1, 3000)).isEqualTo(1);
        h.invalidateCache();
        // Bytes as redis-server 7.0.15 stores them after PFADD h a b c (cache invalid).
        assertThat(hex(h)).isEqualTo("48594c4c0100000000000000000000" + "80" + "60f38050b1844bfb80425a");
        assertThat(h.decodeSparse()).isEqualTo("Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603");
        assertThat(h.count()).isEqualTo(3);
    }

    @Test
    void validityChecks() {
        HyperLogLog h = HyperLogLog.create();
        assertThat(HyperLogLog.isValid(h.bytes(), 0, h.length())).isTrue();
        assertThat(HyperLogLog.isValid(h.bytes(), 0, 15)).isFalse();
        h.toDense();
        assertThat(HyperLogLog.isValid(h.bytes(), 0, HyperLogLog.DENSE_SIZE)).isTrue();
        assertThat(HyperLogLog.isValid(h.bytes(), 0, HyperLogLog.DENSE_SIZE - 1)).isFalse();
        h.bytes()[4] = 2;
        assertThat(HyperLogLog.isValid(h.bytes(), 0, HyperLogLog.DENSE_SIZE)).isFalse();
    }

    /** Seeded: sparse and dense copies of the same adds hold the same registers and count alike. */
    @Test
    void sparseAndDenseAgree() {
        Random rnd = new Random(11);
        HyperLogLog sparse = HyperLogLog.create(), dense2 = HyperLogLog.create();
        dense2.toDense();
        byte[] ele = new byte[8];
        for (int i = 0; i < 20000; i++) {
            rnd.nextBytes(ele);
            int len = 1 + rnd.nextInt(8);
            int a = sparse.add(ele, 0, len, 1 << 20), d = dense2.add(ele, 0, len, 0);
            assertThat(a).isEqualTo(d);
        }
        assertThat(sparse.encoding()).isEqualTo(HyperLogLog.SPARSE);
        assertThat(sparse.count()).isEqualTo(dense2.count());
        byte[] m1 = new byte[HyperLogLog.REGISTERS], m2 = new byte[HyperLogLog.REGISTERS];
        assertThat(sparse.mergeInto(m1)).isTrue();
        assertThat(dense2.mergeInto(m2)).isTrue();
        assertThat(m1).isEqualTo(m2);
        assertThat(HyperLogLog.countRaw(m1)).isEqualTo(dense2.count());
    }

    @Test
    void murmurMatchesRedisForKnownInput() {
        // "a" lands in register 12711 (the v:2,1 of the sparse bytes above): the hash's low 14 bits.
        long h = HyperLogLog.murmur64a(b("a"), 0, 1, 0xadc83b19);
        assertThat(h & (HyperLogLog.REGISTERS - 1)).isEqualTo(12711);
    }
}
