package io.jackdaw.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads the reference's DUMP payloads: RDB type byte, RDB lengths and length-prefixed strings. */
public final class RdbDump {
    private RdbDump() {}

    /** The DUMP payload of a key, checked to be of RDB type {@code type}; null when the key is absent. */
    public static byte[] payload(RespConnection c, String key, int type) throws Exception {
        Object o = Resp.parse(c.call("DUMP", key));
        if (o == null) return null;
        byte[] p = ((String) o).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(p[0] & 0xFF).as("RDB type of " + key).isEqualTo(type);
        return p;
    }

    /** An RDB length (6-, 14- or 32-bit) at {@code at[0]}, which moves past it. */
    public static long length(byte[] p, int[] at) {
        int first = p[at[0]] & 0xFF;
        switch (first >> 6) {
            case 0 -> {
                at[0] += 1;
                return first & 0x3F;
            }
            case 1 -> {
                at[0] += 2;
                return ((first & 0x3F) << 8) | (p[at[0] - 1] & 0xFF);
            }
            default -> {
                assertThat(first).as("32-bit RDB length").isEqualTo(0x80);
                long len = java.nio.ByteBuffer.wrap(p, at[0] + 1, 4).getInt();
                at[0] += 5;
                return len;
            }
        }
    }

    /** A length-prefixed (uncompressed) RDB string at {@code at[0]}, which moves past it. */
    public static byte[] string(byte[] p, int[] at) {
        int len = (int) length(p, at);
        byte[] s = Arrays.copyOfRange(p, at[0], at[0] + len);
        at[0] += len;
        return s;
    }

    /** The string right after the type byte (a listpack or intset encoding's blob), or null for an absent key. */
    public static byte[] blob(RespConnection c, String key, int type) throws Exception {
        byte[] p = payload(c, key, type);
        return p == null ? null : string(p, new int[] {1});
    }
}
