package io.jackdaw.store;

/** Redis Cluster key hash slot: CRC16-XMODEM of the key, or of its first non-empty {hash tag}, mod 16384. */
public final class HashSlot {
    public static final int SLOTS = 16384;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int b = 0; b < 8; b++) crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            TABLE[i] = crc & 0xFFFF;
        }
    }

    private HashSlot() {}

    public static int crc16(byte[] b, int off, int len) {
        int crc = 0;
        for (int i = off, end = off + len; i < end; i++) crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ b[i]) & 0xFF]) & 0xFFFF;
        return crc;
    }

    public static int of(byte[] key, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (key[i] == '{') {
                for (int j = i + 1; j < end; j++) {
                    if (key[j] == '}') {
                        if (j == i + 1) break; // "{}" is not a tag: hash the whole key
                        return crc16(key, i + 1, j - i - 1) & (SLOTS - 1);
                    }
                }
                break;
            }
        }
        return crc16(key, off, len) & (SLOTS - 1);
    }
}
