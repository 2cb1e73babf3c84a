package io.jackdaw.types;

/**
 * Redis's CRC-64 (the "Jones" polynomial 0xad93d23594c935a9, reflected input and output, initial
 * value 0, no final xor), which closes every RDB file and every DUMP payload. Check value:
 * {@code update(0, "123456789")} is 0xe9c6d914c4b8d9ca.
 *
 * <p>Slicing-by-8: eight tables let the loop consume a word per step, which matters for
 * whole-file checksums; the byte-at-a-time tail uses the first table alone.
 */
public final class Crc64 {
    private Crc64() {}

    /** The polynomial bit-reversed, as a reflected CRC shifts right. */
    private static final long POLY_REFLECTED = 0x95ac9329ac4bc9b5L;
    private static final long[][] TABLES = new long[8][256];

    static {
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
            TABLES[0][n] = crc;
        }
        for (int n = 0; n < 256; n++) {
            long crc = TABLES[0][n];
            for (int t = 1; t < 8; t++) {
                crc = TABLES[0][(int) (crc & 0xFF)] ^ (crc >>> 8);
                TABLES[t][n] = crc;
            }
        }
    }

    /** Continues {@code crc} over {@code len} bytes of {@code b} from {@code off}. */
    public static long update(long crc, byte[] b, int off, int len) {
        long[] t0 = TABLES[0], t1 = TABLES[1], t2 = TABLES[2], t3 = TABLES[3];
        long[] t4 = TABLES[4], t5 = TABLES[5], t6 = TABLES[6], t7 = TABLES[7];
        int end = off + len;
        while (end - off >= 8) {
            crc ^= Bytes.getLong(b, off);
            crc = t7[(int) (crc & 0xFF)] ^ t6[(int) ((crc >>> 8) & 0xFF)] ^ t5[(int) ((crc >>> 16) & 0xFF)]
                    ^ t4[(int) ((crc >>> 24) & 0xFF)] ^ t3[(int) ((crc >>> 32) & 0xFF)] ^ t2[(int) ((crc >>> 40) & 0xFF)]
                    ^ t1[(int) ((crc >>> 48) & 0xFF)] ^ t0[(int) (crc >>> 56)];
            off += 8;
        }
        while (off < end) crc = t0[(int) ((crc ^ b[off++]) & 0xFF)] ^ (crc >>> 8);
        return crc;
    }
}
