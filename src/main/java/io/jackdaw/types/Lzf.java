package io.jackdaw.types;

/**
 * LZF, the compression RDB files and DUMP payloads use for strings over 20 bytes. The compressor
 * follows liblzf 3.6 as Redis builds it (HLOG 16, VERY_FAST, hash of three bytes, offsets up to
 * 8 KiB, back references up to 264 bytes) so that a value compresses to the same bytes Redis
 * writes; Redis leaves its hash table uninitialised, this one starts zeroed (a zero slot is "no
 * candidate"), which is what Redis's output is in practice.
 *
 * <pre>
 * 000LLLLL &lt;L+1 literal bytes&gt;         literal run, 1..32 bytes
 * LLLooooo oooooooo                     back reference, length L+2 (3..8), offset o+1
 * 111ooooo LLLLLLLL oooooooo            back reference, length L+9 (9..264), offset o+1
 * </pre>
 */
public final class Lzf {
    private Lzf() {}

    private static final int HLOG = 16, HSIZE = 1 << HLOG;
    private static final int MAX_LIT = 1 << 5, MAX_OFF = 1 << 13, MAX_REF = (1 << 8) + (1 << 3);

    private static int idx(int h) { return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1); }

    /**
     * Compresses {@code in[inOff, inOff+inLen)} into {@code out} from 0, using at most
     * {@code outLen} bytes; the compressed length, or 0 when it does not fit (Redis then stores
     * the string as is).
     */
    public static int compress(byte[] in, int inOff, int inLen, byte[] out, int outLen) {
        return compress(new Table(), in, inOff, inLen, out, outLen);
    }

    /**
     * The compressor's hash table, reusable across calls so that each string does not zero
     * 256 KiB: a slot holds {@code stamp + position + 1}, and a slot written before this call's
     * stamp reads as empty, exactly as a freshly zeroed table would.
     */
    public static final class Table {
        final int[] slots = new int[HSIZE];
        int stamp;
    }

    /** As {@link #compress(byte[], int, int, byte[], int)}, with a table kept by the caller. */
    public static int compress(Table table, byte[] in, int inOff, int inLen, byte[] out, int outLen) {
        if (inLen == 0 || outLen == 0) return 0;
        if (table.stamp > Integer.MAX_VALUE - inLen - 2) {
            java.util.Arrays.fill(table.slots, 0);
            table.stamp = 0;
        }
        int[] htab = table.slots;
        int stamp = table.stamp;
        table.stamp = stamp + inLen + 1;
        // Slots hold stamp+position+1 relative to inOff; anything at or below the stamp is empty.
        int at = stamp + 1 - inOff; // htab value for position ip is ip + at
        int ip = inOff, inEnd = inOff + inLen;
        int op = 0;
        int lit = 0;
        op++; // start a literal run
        int hval = ((in[ip] & 0xFF) << 8) | (in[ip + 1 < inEnd ? ip + 1 : ip] & 0xFF);
        while (ip < inEnd - 2) {
            hval = (hval << 8) | (in[ip + 2] & 0xFF);
            int slot = idx(hval);
            int seen = htab[slot];
            htab[slot] = ip + at;
            int ref = seen <= stamp ? -1 : seen - at;
            int off;
            if (ref >= 0 && ref < ip && (off = ip - ref - 1) < MAX_OFF && ref > inOff
                    && in[ref + 2] == in[ip + 2] && in[ref] == in[ip] && in[ref + 1] == in[ip + 1]) {
                int len = 2;
                int maxlen = inEnd - ip - len;
                if (maxlen > MAX_REF) maxlen = MAX_REF;
                if (op + 3 + 1 >= outLen && op - (lit == 0 ? 1 : 0) + 3 + 1 >= outLen) return 0;
                out[op - lit - 1] = (byte) (lit - 1); // stop the run
                if (lit == 0) op--;                    // undo an empty run
                // liblzf's unrolled first 16 steps may run past maxlen near the end of the
                // input (still inside it); kept so the output matches Redis's byte for byte.
                boolean mismatch = false;
                if (maxlen > 16) {
                    for (int u = 0; u < 16 && !mismatch; u++) mismatch = in[ref + ++len] != in[ip + len];
                }
                if (!mismatch) {
                    do {
                        len++;
                    } while (len < maxlen && in[ref + len] == in[ip + len]);
                }
                len -= 2; // now octets - 1
                ip++;
                if (len < 7) {
                    out[op++] = (byte) ((off >>> 8) + (len << 5));
                } else {
                    out[op++] = (byte) ((off >>> 8) + (7 << 5));
                    out[op++] = (byte) (len - 7);
                }
                out[op++] = (byte) off;
                lit = 0;
                op++; // start a run
                ip += len + 1;
                if (ip >= inEnd - 2) break;
                // VERY_FAST: re-hash the two positions before the new ip.
                ip -= 2;
                hval = ((in[ip] & 0xFF) << 8) | (in[ip + 1] & 0xFF);
                hval = (hval << 8) | (in[ip + 2] & 0xFF);
                htab[idx(hval)] = ip + at;
                ip++;
                hval = (hval << 8) | (in[ip + 2] & 0xFF);
                htab[idx(hval)] = ip + at;
                ip++;
            } else {
                if (op >= outLen) return 0;
                lit++;
                out[op++] = in[ip++];
                if (lit == MAX_LIT) {
                    out[op - lit - 1] = (byte) (lit - 1);
                    lit = 0;
                    op++;
                }
            }
        }
        if (op + 3 > outLen) return 0;
        while (ip < inEnd) {
            lit++;
            out[op++] = in[ip++];
            if (lit == MAX_LIT) {
                out[op - lit - 1] = (byte) (lit - 1);
                lit = 0;
                op++;
            }
        }
        out[op - lit - 1] = (byte) (lit - 1);
        if (lit == 0) op--;
        return op;
    }

    /**
     * The most bytes {@code compressedLength} bytes can decompress to: the best case is a run of
     * 3-byte back references of 264 bytes each (88 per input byte).
     */
    public static long maxExpansion(long compressedLength) { return compressedLength * (MAX_REF / 3); }

    /**
     * Decompresses {@code in[inOff, inOff+inLen)} into exactly {@code outLen} bytes; null when
     * the input is corrupt (a reference before the start, a run past either end, or a length
     * that does not match).
     */
    public static byte[] decompress(byte[] in, int inOff, int inLen, int outLen) {
        byte[] out = new byte[outLen];
        int ip = inOff, inEnd = inOff + inLen, op = 0;
        while (ip < inEnd) {
            int ctrl = in[ip++] & 0xFF;
            if (ctrl < MAX_LIT) {
                int run = ctrl + 1;
                if (op + run > outLen || ip + run > inEnd) return null;
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int len = ctrl >>> 5;
                if (len == 7) {
                    if (ip >= inEnd) return null;
                    len += in[ip++] & 0xFF;
                }
                if (ip >= inEnd) return null;
                int ref = op - ((ctrl & 0x1F) << 8) - 1 - (in[ip++] & 0xFF);
                len += 2;
                if (op + len > outLen || ref < 0) return null;
                // Byte by byte: a reference may overlap what it produces.
                for (int i = 0; i < len; i++) out[op++] = out[ref++];
            }
        }
        return op == outLen ? out : null;
    }
}
