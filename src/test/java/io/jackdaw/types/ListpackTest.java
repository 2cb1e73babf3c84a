package io.jackdaw.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Listpack} against Redis's listpack bytes. Every golden hex string below is a blob that
 * redis-server 7.0.15 produced: the listpack inside the DUMP payload of a key built by the
 * commands named in each test (started with {@code --rdbcompression no}; a list's DUMP is a
 * quicklist of one node, whose listpack is taken). {@link ListpackDifferentialTest} replays
 * random command sequences against a live server when one is installed.
 */
class ListpackTest {
    static final HexFormat HEX = HexFormat.of();

    static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    static byte[] hex(String h) { return HEX.parseHex(h); }

    static String hex(byte[] b) { return HEX.formatHex(b); }

    static String str(byte[] b) { return new String(b, StandardCharsets.ISO_8859_1); }

    /** A string of n letters a..z repeating, as the long-string goldens were built. */
    static byte[] letters(int n) {
        byte[] v = new byte[n];
        for (int i = 0; i < n; i++) v[i] = (byte) ('a' + i % 26);
        return v;
    }

    static byte[] lp(String... values) {
        List<byte[]> l = new ArrayList<>();
        for (String v : values) l.add(b(v));
        return Listpack.of(l);
    }

    static List<String> values(byte[] lp) {
        List<String> out = new ArrayList<>();
        for (int p = Listpack.first(lp, 0); p != Listpack.NONE; p = Listpack.next(lp, 0, p)) {
            out.add(str(Listpack.toBytes(lp, p)));
        }
        return out;
    }

    // ------------------------------------------------------------------ golden bytes

    /** RPUSH l &lt;value&gt; on an empty key, then DUMP l: one entry of each encoding and boundary. */
    static Stream<Arguments> oneEntry() {
        return Stream.of(
                // 7-bit unsigned
                Arguments.of("0", "0900000001000001ff", true),
                Arguments.of("1", "0900000001000101ff", true),
                Arguments.of("127", "0900000001007f01ff", true),
                // 13-bit
                Arguments.of("128", "0a0000000100c08002ff", true),
                Arguments.of("-1", "0a0000000100dfff02ff", true),
                Arguments.of("-4096", "0a0000000100d00002ff", true),
                Arguments.of("4095", "0a0000000100cfff02ff", true),
                // 16-bit
                Arguments.of("4096", "0b0000000100f1001003ff", true),
                Arguments.of("-4097", "0b0000000100f1ffef03ff", true),
                Arguments.of("32767", "0b0000000100f1ff7f03ff", true),
                Arguments.of("-32768", "0b0000000100f1008003ff", true),
                // 24-bit
                Arguments.of("32768", "0c0000000100f200800004ff", true),
                Arguments.of("-32769", "0c0000000100f2ff7fff04ff", true),
                Arguments.of("8388607", "0c0000000100f2ffff7f04ff", true),
                Arguments.of("-8388608", "0c0000000100f200008004ff", true),
                // 32-bit
                Arguments.of("8388608", "0d0000000100f30000800005ff", true),
                Arguments.of("-8388609", "0d0000000100f3ffff7fff05ff", true),
                Arguments.of("2147483647", "0d0000000100f3ffffff7f05ff", true),
                Arguments.of("-2147483648", "0d0000000100f30000008005ff", true),
                // 64-bit
                Arguments.of("2147483648", "110000000100f4000000800000000009ff", true),
                Arguments.of("-2147483649", "110000000100f4ffffff7fffffffff09ff", true),
                Arguments.of("9223372036854775807", "110000000100f4ffffffffffffff7f09ff", true),
                Arguments.of("-9223372036854775808", "110000000100f4000000000000008009ff", true),
                // strings, integer-looking ones that lpStringToInt64 refuses included
                Arguments.of("", "0900000001008001ff", false),
                Arguments.of("a", "0a0000000100816102ff", false),
                Arguments.of("01", "0b000000010082303103ff", false),
                Arguments.of("-0", "0b0000000100822d3003ff", false),
                Arguments.of("+1", "0b0000000100822b3103ff", false),
                Arguments.of(" 1", "0b000000010082203103ff", false),
                Arguments.of("1 ", "0b000000010082312003ff", false),
                Arguments.of("00", "0b000000010082303003ff", false),
                Arguments.of("-", "0a0000000100812d02ff", false),
                Arguments.of("1.5", "0c000000010083312e3504ff", false),
                Arguments.of("0x10", "0d0000000100843078313005ff", false),
                Arguments.of("9223372036854775808",
                        "1c0000000100933932323333373230333638353437373538303814ff", false),
                Arguments.of("-9223372036854775809",
                        "1d0000000100942d3932323333373230333638353437373538303915ff", false),
                Arguments.of("12345678901234567890",
                        "1d000000010094313233343536373839303132333435363738393015ff", false));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("oneEntry")
    void oneEntryAsRedisWritesIt(String value, String expected, boolean isInt) {
        byte[] lp = Listpack.append(Listpack.newEmpty(), 0, b(value));
        assertThat(hex(lp)).isEqualTo(expected);
        assertThat(hex(Listpack.prepend(Listpack.newEmpty(), 0, b(value)))).isEqualTo(expected);
        int p = Listpack.first(lp, 0);
        assertThat(Listpack.isInt(lp, p)).isEqualTo(isInt);
        assertThat(str(Listpack.toBytes(lp, p))).isEqualTo(value);
        assertThat(Listpack.valueLength(lp, p)).isEqualTo(value.length());
        assertThat(Listpack.entrySize(lp, p)).isEqualTo(lp.length - 7);
        assertThat(Listpack.entrySizeFor(b(value), 0, value.length())).isEqualTo(lp.length - 7);
        assertThat(Listpack.validate(lp, 0, lp.length, true)).isTrue();
        if (isInt) {
            long v = Long.parseLong(value);
            assertThat(Listpack.getInt(lp, p)).isEqualTo(v);
            assertThat(hex(Listpack.appendInt(Listpack.newEmpty(), 0, v))).isEqualTo(expected);
            assertThat(Listpack.entrySizeForInt(v)).isEqualTo(lp.length - 7);
        } else {
            assertThat(Listpack.strLength(lp, p)).isEqualTo(value.length());
            assertThat(str(Arrays.copyOfRange(lp, Listpack.strOffset(lp, p), Listpack.strOffset(lp, p) + value.length())))
                    .isEqualTo(value);
        }
    }

    /**
     * RPUSH l &lt;n letters&gt;: the string forms at their length limits, and the backlen at its
     * byte-count limits (127 / 128 and 16382 / 16383 bytes of encoding + data). Given as the
     * bytes before the string and the bytes after it.
     */
    @ParameterizedTest(name = "length {0}")
    @MethodSource("longStrings")
    void longStringsAsRedisWritesThem(int n, String before, String after) {
        byte[] lp = Listpack.append(Listpack.newEmpty(), 0, letters(n));
        byte[] expected = concat(hex(before), letters(n), hex(after));
        assertThat(lp).isEqualTo(expected);
        assertThat(Listpack.validate(lp, 0, lp.length, true)).isTrue();
        int p = Listpack.first(lp, 0);
        assertThat(Listpack.strLength(lp, p)).isEqualTo(n);
        assertThat(Listpack.last(lp, 0)).isEqualTo(p);
        assertThat(Listpack.toBytes(lp, p)).isEqualTo(letters(n));
    }

    static Stream<Arguments> longStrings() {
        return Stream.of(
                Arguments.of(63, "480000000100bf", "40ff"),
                Arguments.of(64, "4a0000000100e040", "42ff"),
                Arguments.of(125, "870000000100e07d", "7fff"),
                Arguments.of(126, "890000000100e07e", "0180ff"),
                Arguments.of(4095, "0a1000000100efff", "2081ff"),
                Arguments.of(4096, "0e1000000100f000100000", "2085ff"),
                Arguments.of(16377, "074000000100f0f93f0000", "7ffeff"),
                Arguments.of(16378, "094000000100f0fa3f0000", "00ffffff"));
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void backlenByteCounts() {
        assertThat(Listpack.backlenSize(1)).isEqualTo(1);
        assertThat(Listpack.backlenSize(127)).isEqualTo(1);
        assertThat(Listpack.backlenSize(128)).isEqualTo(2);
        assertThat(Listpack.backlenSize(16382)).isEqualTo(2);
        assertThat(Listpack.backlenSize(16383)).isEqualTo(3);
        assertThat(Listpack.backlenSize(2097150)).isEqualTo(3);
        assertThat(Listpack.backlenSize(2097151)).isEqualTo(4);
        assertThat(Listpack.backlenSize(268435454)).isEqualTo(4);
        assertThat(Listpack.backlenSize(268435455)).isEqualTo(5);
    }

    @Test
    void fourByteBacklenRoundTrips() {
        // 2097146 letters: 2097151 bytes of encoding + data, the first body with a 4-byte backlen.
        for (int n : new int[] {2097145, 2097146}) {
            byte[] lp = Listpack.append(Listpack.newEmpty(), 0, letters(n));
            lp = Listpack.appendInt(lp, 0, 7);
            lp = Listpack.prepend(lp, 0, b("x"));
            assertThat(Listpack.validate(lp, 0, lp.length, true)).isTrue();
            int big = Listpack.seek(lp, 0, 1);
            assertThat(Listpack.entrySize(lp, big)).isEqualTo(n + 5 + (n == 2097145 ? 3 : 4));
            assertThat(Listpack.prev(lp, 0, Listpack.last(lp, 0))).isEqualTo(big);
            assertThat(Listpack.next(lp, 0, big)).isEqualTo(Listpack.last(lp, 0));
            assertThat(values(lp)).hasSize(3);
        }
    }

    /** RPUSH, LPUSH, LINSERT, LSET, LREM and LTRIM on one list, DUMPed after each group. */
    @Test
    void listEditsAsRedisMakesThem() {
        byte[] lp = lp("hello", "42", "-7", "300", "x y", "70000");
        assertThat(hex(lp)).isEqualTo("2000000006008568656c6c6f062a01dff902c12c028378207904f270110104ff");
        lp = Listpack.prepend(lp, 0, b("first"));
        lp = Listpack.prepend(lp, 0, b("9999999999"));
        assertThat(hex(lp)).isEqualTo("310000000800f4ffe30b540200000009856669727374068568656c6c6f062a01dff902c12c02"
                + "8378207904f270110104ff");
        int p = Listpack.find(lp, 0, Listpack.first(lp, 0), b("42"), 0, 2, 0);
        lp = Listpack.insert(lp, 0, p, Listpack.BEFORE, b("before42"), 0, 8);
        p = Listpack.find(lp, 0, Listpack.first(lp, 0), b("300"), 0, 3, 0);
        lp = Listpack.insert(lp, 0, p, Listpack.AFTER, b("after300"), 0, 8);
        assertThat(hex(lp)).isEqualTo("450000000a00f4ffe30b540200000009856669727374068568656c6c6f06886265666f7265"
                + "3432092a01dff902c12c02886166746572333030098378207904f270110104ff");
        lp = Listpack.replace(lp, 0, Listpack.seek(lp, 0, 0), b("replaced"), 0, 8);
        lp = Listpack.replaceInt(lp, 0, Listpack.seek(lp, 0, -1), 5);
        assertThat(hex(lp)).isEqualTo("420000000a00887265706c6163656409856669727374068568656c6c6f06886265666f7265"
                + "3432092a01dff902c12c028861667465723330300983782079040501ff");
        lp = Listpack.delete(lp, 0, Listpack.find(lp, 0, Listpack.first(lp, 0), b("-7"), 0, 2, 0));
        assertThat(hex(lp)).isEqualTo("3f0000000900887265706c6163656409856669727374068568656c6c6f06886265666f7265"
                + "3432092a01c12c028861667465723330300983782079040501ff");
        // LTRIM l 1 -2: drop one from the head, one from the tail.
        lp = Listpack.deleteRange(lp, 0, 0, 1);
        lp = Listpack.deleteRange(lp, 0, -1, 1);
        assertThat(hex(lp)).isEqualTo("330000000700856669727374068568656c6c6f06886265666f72653432092a01c12c028861"
                + "66746572333030098378207904ff");
        assertThat(values(lp)).containsExactly("first", "hello", "before42", "42", "300", "after300", "x y");
    }

    /** HSET with new fields appends field and value; with an existing field replaces the value; HDEL deletes both. */
    @Test
    void hashEditsAsRedisMakesThem() {
        byte[] lp = lp("name", "jackdaw", "age", "3", "score", "1.5", "neg", "-100", "big", "123456789012");
        assertThat(hex(lp)).isEqualTo("400000000a00846e616d6505876a61636b64617708836167650403018573636f7265068331"
                + "2e3504836e656704df9c028362696704f4141a99be1c00000009ff");
        lp = hset(lp, "age", "4");
        lp = hset(lp, "name", "a value long enough to need the twelve-bit string form, over 64 bytes");
        assertThat(hex(lp)).isEqualTo("7f0000000a00846e616d6505e045612076616c7565206c6f6e6720656e6f75676820746f"
                + "206e65656420746865207477656c76652d62697420737472696e6720666f726d2c206f7665722036342062797465734783"
                + "6167650404018573636f72650683312e3504836e656704df9c028362696704f4141a99be1c00000009ff");
        int f = Listpack.find(lp, 0, Listpack.first(lp, 0), b("neg"), 0, 3, 1);
        lp = Listpack.delete(lp, 0, f, 2);
        assertThat(hex(lp)).isEqualTo("770000000800846e616d6505e045612076616c7565206c6f6e6720656e6f75676820746f"
                + "206e65656420746865207477656c76652d62697420737472696e6720666f726d2c206f7665722036342062797465734783"
                + "6167650404018573636f72650683312e35048362696704f4141a99be1c00000009ff");
    }

    static byte[] hset(byte[] lp, String field, String value) {
        byte[] f = b(field), v = b(value);
        int p = Listpack.find(lp, 0, Listpack.first(lp, 0), f, 0, f.length, 1);
        if (p == Listpack.NONE) return Listpack.append(Listpack.append(lp, 0, f), 0, v);
        return Listpack.replace(lp, 0, Listpack.next(lp, 0, p), v, 0, v.length);
    }

    /** ZADD z 1 a 2.5 b -3 c: member then score, ordered by score; integral scores become integers. */
    @Test
    void sortedSetAsRedisMakesIt() {
        assertThat(hex(lp("c", "-3", "a", "1", "b", "2.5")))
                .isEqualTo("1a0000000600816302dffd02816102010181620283322e3504ff");
    }

    /**
     * With hash-max-listpack-entries 40000, HSET h f0 0 ... f39999 39999 (80000 entries: the count
     * field says 65535), then HDEL of f0..f9999 (Redis's HDEL reads the length, which writes the
     * walked count 60000 back). Pinned as SHA-256 of Redis's blob.
     */
    @Test
    void countFieldPastItsRangeAsRedisKeepsIt() throws Exception {
        List<byte[]> vals = new ArrayList<>();
        for (int i = 0; i < 40000; i++) {
            vals.add(b("f" + i));
            vals.add(b(Integer.toString(i)));
        }
        byte[] lp = Listpack.of(vals);
        assertThat(lp.length).isEqualTo(471905);
        assertThat(Listpack.headerCount(lp, 0)).isEqualTo(Listpack.COUNT_UNKNOWN);
        assertThat(sha256(lp)).isEqualTo("be72d83d3a0d726e2000b2784a7831b723f40e77d9dc3d82e7436b608432137f");
        assertThat(Listpack.count(lp, 0)).isEqualTo(80000);
        assertThat(Listpack.validate(lp, 0, lp.length, true)).isTrue();
        // Built one append at a time, the count field goes 65534 -> 65535 and stays there.
        byte[] one = Listpack.of(vals.subList(0, 65530));
        for (int i = 65530; i < 65540; i++) {
            one = Listpack.append(one, 0, vals.get(i));
            assertThat(Listpack.headerCount(one, 0)).isEqualTo(Math.min(i + 1, Listpack.COUNT_UNKNOWN));
        }
        one = Listpack.appendAll(one, 0, vals.subList(65540, 80000));
        assertThat(one).isEqualTo(lp);
        for (int i = 0; i < 100; i++) {
            byte[] f = b("f" + i);
            int p = Listpack.find(lp, 0, Listpack.first(lp, 0), f, 0, f.length, 1);
            lp = Listpack.delete(lp, 0, p, 2);
            assertThat(Listpack.headerCount(lp, 0)).isEqualTo(Listpack.COUNT_UNKNOWN);
        }
        lp = Listpack.deleteRange(lp, 0, 0, 19800); // f100..f9999 and their values, in one go
        assertThat(Listpack.count(lp, 0)).isEqualTo(60000);
        assertThat(Listpack.headerCount(lp, 0)).isEqualTo(Listpack.COUNT_UNKNOWN);
        assertThat(Listpack.countAndCache(lp, 0)).isEqualTo(60000);
        assertThat(Listpack.headerCount(lp, 0)).isEqualTo(60000);
        assertThat(lp.length).isEqualTo(367239);
        assertThat(sha256(lp)).isEqualTo("f21f84b4838f00cad15f1374e8808973e5ccdc4bd7398eefa4c2d06111f5dca3");
        // Seeking with an unknown count walks from the head (or from the tail for negative indexes).
        byte[] big = Listpack.of(vals);
        assertThat(str(Listpack.toBytes(big, Listpack.seek(big, 0, 70001)))).isEqualTo("35000");
        assertThat(str(Listpack.toBytes(big, Listpack.seek(big, 0, -2)))).isEqualTo("f39999");
        assertThat(Listpack.seek(big, 0, 80000)).isEqualTo(Listpack.NONE);
        assertThat(Listpack.seek(big, 0, -80001)).isEqualTo(Listpack.NONE);
        assertThat(str(Listpack.toBytes(big, Listpack.seek(big, 0, -80000)))).isEqualTo("f0");
    }

    static String sha256(byte[] b) throws Exception {
        return hex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    // ------------------------------------------------------------------ API behaviour

    @Test
    void emptyListpack() {
        byte[] lp = Listpack.newEmpty();
        assertThat(hex(lp)).isEqualTo("0700000000" + "00ff");
        assertThat(Listpack.size(lp, 0)).isEqualTo(7);
        assertThat(Listpack.count(lp, 0)).isZero();
        assertThat(Listpack.isEmpty(lp, 0)).isTrue();
        assertThat(Listpack.first(lp, 0)).isEqualTo(Listpack.NONE);
        assertThat(Listpack.last(lp, 0)).isEqualTo(Listpack.NONE);
        assertThat(Listpack.seek(lp, 0, 0)).isEqualTo(Listpack.NONE);
        assertThat(Listpack.seek(lp, 0, -1)).isEqualTo(Listpack.NONE);
        assertThat(Listpack.find(lp, 0, Listpack.first(lp, 0), b("x"), 0, 1, 0)).isEqualTo(Listpack.NONE);
        assertThat(Listpack.validate(lp, 0, lp.length, true)).isTrue();
        assertThat(Listpack.deleteRange(lp, 0, 0, 5)).isEqualTo(lp);
        assertThat(Listpack.appendAll(lp, 0, List.of())).isEqualTo(lp);
        assertThat(Listpack.safeToAdd(lp, 0, (1L << 30) - 7)).isTrue();
        assertThat(Listpack.safeToAdd(lp, 0, (1L << 30) - 6)).isFalse();
    }

    @Test
    void findComparesStringsByBytesAndIntegersByValue() {
        byte[] lp = lp("f1", "v1", "10", "x", "v1", "-5", "010", "y");
        int first = Listpack.first(lp, 0);
        assertThat(Listpack.find(lp, 0, first, b("v1"), 0, 2, 0)).isEqualTo(Listpack.seek(lp, 0, 1));
        // Fields only: "v1" at index 1 is a value, the field "v1" is at index 4.
        assertThat(Listpack.find(lp, 0, first, b("v1"), 0, 2, 1)).isEqualTo(Listpack.seek(lp, 0, 4));
        assertThat(Listpack.find(lp, 0, first, b("10"), 0, 2, 1)).isEqualTo(Listpack.seek(lp, 0, 2));
        assertThat(Listpack.find(lp, 0, first, b("-5"), 0, 2, 1)).isEqualTo(Listpack.NONE);
        assertThat(Listpack.find(lp, 0, first, b("-5"), 0, 2, 0)).isEqualTo(Listpack.seek(lp, 0, 5));
        // "010" is a string entry: found by its bytes, never as the integer 10.
        assertThat(Listpack.find(lp, 0, first, b("010"), 0, 3, 1)).isEqualTo(Listpack.seek(lp, 0, 6));
        assertThat(Listpack.find(lp, 0, first, b("+10"), 0, 3, 0)).isEqualTo(Listpack.NONE);
        // From the middle, and from NONE.
        assertThat(Listpack.find(lp, 0, Listpack.seek(lp, 0, 2), b("v1"), 0, 2, 0)).isEqualTo(Listpack.seek(lp, 0, 4));
        assertThat(Listpack.find(lp, 0, Listpack.NONE, b("v1"), 0, 2, 0)).isEqualTo(Listpack.NONE);
        // With an offset into a larger array.
        byte[] key = b("zzv1zz");
        assertThat(Listpack.find(lp, 0, first, key, 2, 2, 1)).isEqualTo(Listpack.seek(lp, 0, 4));
        assertThat(Listpack.entryEquals(lp, Listpack.seek(lp, 0, 2), b("10"), 0, 2)).isTrue();
        assertThat(Listpack.entryEquals(lp, Listpack.seek(lp, 0, 2), b("010"), 0, 3)).isFalse();
        assertThat(Listpack.entryEquals(lp, Listpack.seek(lp, 0, 6), b("010"), 0, 3)).isTrue();
        assertThat(Listpack.entryEquals(lp, Listpack.seek(lp, 0, 6), b("10"), 0, 2)).isFalse();
    }

    @Test
    void readersRefuseTheWrongKindOfEntry() {
        byte[] lp = lp("abc", "12");
        int s = Listpack.first(lp, 0), i = Listpack.last(lp, 0);
        assertThatThrownBy(() -> Listpack.getInt(lp, s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Listpack.strLength(lp, i)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Listpack.strOffset(lp, i)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Listpack.insert(lp, 0, s, 7, b("x"), 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Listpack.insert(lp, 0, Listpack.eof(lp, 0), Listpack.AFTER, b("x"), 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Listpack.find(lp, 0, s, b("x"), 0, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void insertPositionsAndReturnedOffsets() {
        byte[] lp = lp("a", "b", "c");
        int b = Listpack.seek(lp, 0, 1);
        assertThat(values(Listpack.insert(lp, 0, b, Listpack.BEFORE, b("x"), 0, 1))).containsExactly("a", "x", "b", "c");
        assertThat(values(Listpack.insert(lp, 0, b, Listpack.AFTER, b("x"), 0, 1))).containsExactly("a", "b", "x", "c");
        assertThat(values(Listpack.insert(lp, 0, b, Listpack.REPLACE, b("x"), 0, 1))).containsExactly("a", "x", "c");
        assertThat(values(Listpack.insert(lp, 0, Listpack.eof(lp, 0), Listpack.BEFORE, b("x"), 0, 1)))
                .containsExactly("a", "b", "c", "x");
        assertThat(values(Listpack.insertInt(lp, 0, Listpack.last(lp, 0), Listpack.AFTER, -3))).containsExactly("a", "b", "c", "-3");
        assertThat(values(Listpack.prependInt(lp, 0, 1L << 40))).containsExactly("1099511627776", "a", "b", "c");
        assertThat(values(Listpack.delete(lp, 0, b, 5))).containsExactly("a");
        assertThat(values(Listpack.deleteRange(lp, 0, -2, 1))).containsExactly("a", "c");
        assertThat(values(Listpack.deleteRange(lp, 0, 3, 1))).containsExactly("a", "b", "c");
        assertThat(values(Listpack.deleteRange(lp, 0, -4, 1))).containsExactly("a", "b", "c");
        assertThat(values(Listpack.deleteRange(lp, 0, 1, 0))).containsExactly("a", "b", "c");
        assertThat(values(Listpack.deleteRange(lp, 0, 0, Long.MAX_VALUE))).isEmpty();
        assertThat(Listpack.spanBytes(lp, b, 2)).isEqualTo(6);
        assertThat(Listpack.spanBytes(lp, b, 9)).isEqualTo(6);
        assertThat(Listpack.spanBytes(lp, b, 1)).isEqualTo(3);

        // Into another array at an offset: the returned offsets are in that array.
        byte[] dst = new byte[100];
        Arrays.fill(dst, (byte) 0x5A);
        int at = Listpack.insertInto(lp, 0, b, Listpack.AFTER, b("xyz"), 0, 3, dst, 40);
        int size = Listpack.size(dst, 40);
        assertThat(size).isEqualTo(lp.length + 5);
        assertThat(str(Listpack.toBytes(dst, at))).isEqualTo("xyz");
        assertThat(Listpack.seek(dst, 40, 2)).isEqualTo(at);
        assertThat(Listpack.validate(dst, 40, size, true)).isTrue();
        assertUntouched(dst, 40, size);
        int next = Listpack.deleteInto(dst, 40, at, 1, dst, 40);
        assertThat(next).isEqualTo(Listpack.seek(dst, 40, 2));
        assertThat(str(Listpack.toBytes(dst, next))).isEqualTo("c");
        assertThat(Listpack.deleteInto(dst, 40, next, 1, dst, 40)).isEqualTo(Listpack.NONE);
        assertThat(Arrays.copyOfRange(dst, 40, 40 + Listpack.size(dst, 40))).isEqualTo(lp("a", "b"));
    }

    static void assertUntouched(byte[] dst, int base, int size) {
        for (int i = 0; i < dst.length; i++) {
            if (i < base || i >= base + size) assertThat(dst[i]).as("byte %d", i).isEqualTo((byte) 0x5A);
        }
    }

    // ------------------------------------------------------------------ model tests

    /** Values of every shape: integers of each width and at each boundary, integer-like strings, short and long strings. */
    static byte[] randomValue(Random r) {
        switch (r.nextInt(12)) {
            case 0: return b(Integer.toString(r.nextInt(128)));
            case 1: return b(Integer.toString(r.nextInt(10000) - 5000));
            case 2: return b(Integer.toString(r.nextInt()));
            case 3: return b(Long.toString(r.nextLong()));
            case 4: {
                long[] edges = {0, 127, 128, -1, -4096, -4097, 4095, 4096, 32767, 32768, -32768, -32769,
                    (1 << 23) - 1, 1 << 23, -(1 << 23), -(1 << 23) - 1, Integer.MAX_VALUE, Integer.MIN_VALUE,
                    Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L, Long.MAX_VALUE, Long.MIN_VALUE};
                return b(Long.toString(edges[r.nextInt(edges.length)]));
            }
            case 5: {
                String[] odd = {"", "-", "-0", "+1", " 1", "1 ", "01", "00", "1.0", "1e3", "0x1",
                    "9223372036854775808", "-9223372036854775809", "99999999999999999999", "123456789012345678901"};
                return b(odd[r.nextInt(odd.length)]);
            }
            case 6, 7, 8: return randomBytes(r, r.nextInt(64));
            case 9: return randomBytes(r, 64 + r.nextInt(200));
            case 10: return randomBytes(r, r.nextInt(8) == 0 ? 4090 + r.nextInt(20) : r.nextInt(130));
            default: return randomBytes(r, r.nextInt(4));
        }
    }

    static byte[] randomBytes(Random r, int n) {
        byte[] v = new byte[n];
        if (r.nextBoolean()) {
            r.nextBytes(v);
        } else {
            for (int i = 0; i < n; i++) v[i] = (byte) ('0' + r.nextInt(10)); // digits: integer-like but long or zero-led
        }
        return v;
    }

    static boolean canonicalInt(byte[] v) { return Bytes.parseLong(v, 0, v.length, new long[1]); }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 20240601})
    void randomEditsAgainstAListModel(long seed) {
        Random r = new Random(seed);
        List<byte[]> model = new ArrayList<>();
        // The listpack lives in a larger buffer at an offset, edited in place or moved, or in its own array.
        byte[] buf = Listpack.newEmpty();
        int base = 0;
        int maxSize = 0;
        for (int step = 0; step < 4000; step++) {
            int n = model.size();
            int op = r.nextInt(n > 120 ? 14 : 10);
            byte[] v = randomValue(r);
            int idx = n == 0 ? 0 : r.nextInt(n);
            int p = n == 0 ? Listpack.NONE : Listpack.seek(buf, base, r.nextBoolean() ? idx : idx - n);
            byte[] out;
            int outBase = 0;
            switch (op) {
                case 0 -> { out = Listpack.append(buf, base, v); model.add(v); }
                case 1 -> { out = Listpack.prepend(buf, base, v); model.add(0, v); }
                case 2 -> {
                    if (n == 0) { out = Listpack.append(buf, base, v); model.add(v); break; }
                    boolean before = r.nextBoolean();
                    out = Listpack.insert(buf, base, p, before ? Listpack.BEFORE : Listpack.AFTER, v, 0, v.length);
                    int at = before ? idx : idx + 1;
                    model.add(at, v);
                    assertThat(Listpack.toBytes(out, p - base + (before ? 0 : Listpack.entrySize(buf, p)))).isEqualTo(v);
                }
                case 3 -> {
                    if (n == 0) { out = Listpack.prepend(buf, base, v); model.add(0, v); break; }
                    out = Listpack.replace(buf, base, p, v, 0, v.length);
                    model.set(idx, v);
                    assertThat(Listpack.toBytes(out, p - base)).isEqualTo(v);
                }
                case 4 -> {
                    // Integers through the long-valued methods.
                    long lv = r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(70000) - 35000;
                    byte[] lb = b(Long.toString(lv));
                    if (n == 0 || r.nextInt(3) == 0) {
                        if (r.nextBoolean()) {
                            out = Listpack.appendInt(buf, base, lv);
                            model.add(lb);
                        } else {
                            out = Listpack.prependInt(buf, base, lv);
                            model.add(0, lb);
                        }
                    } else if (r.nextBoolean()) {
                        out = Listpack.replaceInt(buf, base, p, lv);
                        model.set(idx, lb);
                    } else {
                        out = Listpack.insertInt(buf, base, p, Listpack.AFTER, lv);
                        model.add(idx + 1, lb);
                    }
                }
                case 5 -> {
                    // In place, inside a larger buffer: grow or shrink where the listpack lies.
                    int size = Listpack.size(buf, base);
                    int room = size + Listpack.entrySizeFor(v, 0, v.length);
                    byte[] big = new byte[room + 64];
                    Arrays.fill(big, (byte) 0x5A);
                    int nb = 1 + r.nextInt(30);
                    System.arraycopy(buf, base, big, nb, size);
                    int q = p == Listpack.NONE ? Listpack.eof(big, nb) : p - base + nb;
                    int at = Listpack.insertInto(big, nb, q, Listpack.BEFORE, v, 0, v.length, big, nb);
                    assertThat(at).isEqualTo(q);
                    model.add(n == 0 ? 0 : idx, v);
                    assertUntouched(big, nb, Listpack.size(big, nb));
                    out = big;
                    outBase = nb;
                }
                case 6 -> {
                    // Into a separate region of another array.
                    if (n == 0) { out = Listpack.append(buf, base, v); model.add(v); break; }
                    int size = Listpack.size(buf, base) - Listpack.entrySize(buf, p) + Listpack.entrySizeFor(v, 0, v.length);
                    byte[] dst = new byte[size + 50];
                    Arrays.fill(dst, (byte) 0x5A);
                    int db = r.nextInt(50);
                    int at = Listpack.insertInto(buf, base, p, Listpack.REPLACE, v, 0, v.length, dst, db);
                    assertThat(at - db).isEqualTo(p - base);
                    model.set(idx, v);
                    assertUntouched(dst, db, size);
                    out = dst;
                    outBase = db;
                }
                case 7 -> {
                    List<byte[]> batch = new ArrayList<>();
                    for (int k = r.nextInt(6); k > 0; k--) batch.add(randomValue(r));
                    out = Listpack.appendAll(buf, base, batch);
                    model.addAll(batch);
                }
                case 8, 10 -> {
                    if (n == 0) { out = Arrays.copyOfRange(buf, base, base + Listpack.size(buf, base)); break; }
                    out = Listpack.delete(buf, base, p);
                    model.remove(idx);
                }
                case 9, 11 -> {
                    // A range from a positive or negative index, possibly past the tail.
                    long start = r.nextInt(n + 3) - (r.nextBoolean() ? n + 1 : 0);
                    long num = r.nextInt(6);
                    out = Listpack.deleteRange(buf, base, start, num);
                    long s = start < 0 ? start + n : start;
                    if (s >= 0 && s < n && num > 0) {
                        for (long k = 0; k < num && s < model.size(); k++) model.remove((int) s);
                    }
                }
                case 12 -> {
                    // In place delete of a run, inside a larger buffer.
                    if (n == 0) { out = Arrays.copyOfRange(buf, base, base + Listpack.size(buf, base)); break; }
                    int size = Listpack.size(buf, base);
                    byte[] big = new byte[size + 20];
                    Arrays.fill(big, (byte) 0x5A);
                    System.arraycopy(buf, base, big, 10, size);
                    int num = 1 + r.nextInt(4);
                    int next = Listpack.deleteInto(big, 10, p - base + 10, num, big, 10);
                    for (int k = 0; k < num && idx < model.size(); k++) model.remove(idx);
                    assertThat(next).isEqualTo(idx < model.size() ? Listpack.seek(big, 10, idx) : Listpack.NONE);
                    // Bytes after the shrunk listpack keep their old contents (a stale tail), those before it are untouched.
                    for (int i = 0; i < 10; i++) assertThat(big[i]).isEqualTo((byte) 0x5A);
                    out = big;
                    outBase = 10;
                }
                default -> {
                    int num = 1 + r.nextInt(3);
                    out = Listpack.delete(buf, base, p, num);
                    for (int k = Math.min(num, n - idx); k > 0; k--) model.remove(idx);
                }
            }
            buf = out;
            base = outBase;
            checkAgainstModel(buf, base, model, r);
            maxSize = Math.max(maxSize, model.size());
        }
        assertThat(maxSize).isGreaterThan(100);
    }

    static void checkAgainstModel(byte[] buf, int base, List<byte[]> model, Random r) {
        int size = Listpack.size(buf, base);
        int n = model.size();
        assertThat(Listpack.validate(buf, base, size, true)).isTrue();
        assertThat(Listpack.headerCount(buf, base)).isEqualTo(n);
        assertThat(Listpack.count(buf, base)).isEqualTo(n);
        assertThat(Listpack.isEmpty(buf, base)).isEqualTo(n == 0);
        // Forward.
        int p = Listpack.first(buf, base);
        for (int i = 0; i < n; i++) {
            assertThat(p).as("entry %d of %d", i, n).isNotEqualTo(Listpack.NONE);
            byte[] want = model.get(i);
            assertThat(Listpack.toBytes(buf, p)).as("entry %d", i).isEqualTo(want);
            assertThat(Listpack.isInt(buf, p)).isEqualTo(canonicalInt(want));
            assertThat(Listpack.valueLength(buf, p)).isEqualTo(want.length);
            assertThat(Listpack.entrySize(buf, p)).isEqualTo(Listpack.entrySizeFor(want, 0, want.length));
            p = Listpack.next(buf, base, p);
        }
        assertThat(p).isEqualTo(Listpack.NONE);
        // Backward.
        p = Listpack.last(buf, base);
        for (int i = n - 1; i >= 0; i--) {
            assertThat(Listpack.entryEquals(buf, p, model.get(i), 0, model.get(i).length)).isTrue();
            p = Listpack.prev(buf, base, p);
        }
        assertThat(p).isEqualTo(Listpack.NONE);
        // The same bytes as building the values afresh: edits leave no trace of their history.
        assertThat(Arrays.copyOfRange(buf, base, base + size)).isEqualTo(Listpack.of(model));
        // Seek, both ways and out of range.
        assertThat(Listpack.seek(buf, base, n)).isEqualTo(Listpack.NONE);
        assertThat(Listpack.seek(buf, base, -n - 1)).isEqualTo(Listpack.NONE);
        for (int k = 0; k < 4 && n > 0; k++) {
            int i = r.nextInt(n);
            int q = Listpack.seek(buf, base, i);
            assertThat(Listpack.seek(buf, base, i - n)).isEqualTo(q);
            assertThat(Listpack.toBytes(buf, q)).isEqualTo(model.get(i));
        }
        // Find, every entry and fields only, for a present value and for an absent one.
        if (n > 0) {
            byte[] v = model.get(r.nextInt(n));
            int firstAny = -1, firstEven = -1;
            for (int i = 0; i < n; i++) {
                if (Arrays.equals(model.get(i), v)) {
                    if (firstAny < 0) firstAny = i;
                    if (firstEven < 0 && i % 2 == 0) firstEven = i;
                }
            }
            int first = Listpack.first(buf, base);
            assertThat(Listpack.find(buf, base, first, v, 0, v.length, 0)).isEqualTo(Listpack.seek(buf, base, firstAny));
            assertThat(Listpack.find(buf, base, first, v, 0, v.length, 1))
                    .isEqualTo(firstEven < 0 ? Listpack.NONE : Listpack.seek(buf, base, firstEven));
            byte[] absent = b("absent-" + r.nextInt());
            assertThat(Listpack.find(buf, base, first, absent, 0, absent.length, 0)).isEqualTo(Listpack.NONE);
        }
    }

    // ------------------------------------------------------------------ hostile input

    static List<byte[]> samples() {
        List<byte[]> out = new ArrayList<>();
        out.add(Listpack.newEmpty());
        out.add(lp("hello", "42", "-7", "300", "x y", "70000"));
        out.add(lp("c", "-3", "a", "1", "b", "2.5"));
        out.add(lp("-9223372036854775808", "9223372036854775807", "8388608", "-8388609", "", "01"));
        out.add(Listpack.append(lp("x"), 0, letters(200)));
        out.add(Listpack.prepend(lp("y"), 0, letters(5000)));
        Random r = new Random(7);
        for (int k = 0; k < 20; k++) {
            List<byte[]> vals = new ArrayList<>();
            for (int i = r.nextInt(30); i > 0; i--) vals.add(randomValue(r));
            out.add(Listpack.of(vals));
        }
        return out;
    }

    @Test
    void truncatedListpacksAreRefused() {
        for (byte[] lp : samples()) {
            for (int len = 0; len < lp.length; len++) {
                byte[] cut = Arrays.copyOf(lp, len);
                assertThat(Listpack.validate(cut, 0, len, true)).isFalse();
                if (len >= 7) {
                    // With the total field patched to the cut length and a terminator put at the end.
                    Bytes.putInt(cut, 0, len);
                    assertThat(Listpack.validate(cut, 0, len, true)).as("cut to %d of %s", len, hex(lp)).isFalse();
                    cut[len - 1] = (byte) 0xFF;
                    assertThat(Listpack.validate(cut, 0, len, true)).as("cut to %d of %s", len, hex(lp)).isFalse();
                }
                // The region claiming more than the array holds.
                assertThat(Listpack.validate(cut, 0, lp.length, true)).isFalse();
            }
        }
    }

    @Test
    void badHeadersAreRefused() {
        byte[] lp = lp("hello", "42", "-7");
        assertThat(Listpack.validate(lp, 0, lp.length, true)).isTrue();
        assertThat(Listpack.validate(lp, 0, lp.length, false)).isTrue();
        for (long total : new long[] {0, 7, lp.length - 1, lp.length + 1, 0x7FFFFFFFL, 0xFFFFFFFFL}) {
            byte[] bad = lp.clone();
            Bytes.putInt(bad, 0, (int) total);
            assertThat(Listpack.validate(bad, 0, bad.length, true)).isFalse();
            assertThat(Listpack.validate(bad, 0, bad.length, false)).isFalse();
        }
        // A wrong count is caught by the deep check only; 65535 means "count by walking" and passes.
        for (int count : new int[] {0, 2, 4, 65534}) {
            byte[] bad = lp.clone();
            Bytes.putU16(bad, 4, count);
            assertThat(Listpack.validate(bad, 0, bad.length, false)).isTrue();
            assertThat(Listpack.validate(bad, 0, bad.length, true)).isFalse();
        }
        byte[] unknown = lp.clone();
        Bytes.putU16(unknown, 4, Listpack.COUNT_UNKNOWN);
        assertThat(Listpack.validate(unknown, 0, unknown.length, true)).isTrue();
        assertThat(Listpack.count(unknown, 0)).isEqualTo(3);
        // Missing terminator.
        byte[] noEof = lp.clone();
        noEof[noEof.length - 1] = 0x01;
        assertThat(Listpack.validate(noEof, 0, noEof.length, false)).isFalse();
        // The region itself out of the array.
        assertThat(Listpack.validate(null, 0, 7, true)).isFalse();
        assertThat(Listpack.validate(lp, -1, lp.length, true)).isFalse();
        assertThat(Listpack.validate(lp, 1, lp.length, true)).isFalse();
        assertThat(Listpack.validate(lp, 0, -1, true)).isFalse();
        assertThat(Listpack.validate(lp, Integer.MAX_VALUE, 7, true)).isFalse();
        assertThat(Listpack.validate(lp, 0, 6, true)).isFalse();
        // At an offset, with garbage around it.
        byte[] big = new byte[lp.length + 9];
        Arrays.fill(big, (byte) 0xFF);
        System.arraycopy(lp, 0, big, 4, lp.length);
        assertThat(Listpack.validate(big, 4, lp.length, true)).isTrue();
        assertThat(Listpack.validate(big, 3, lp.length, true)).isFalse();
    }

    @Test
    void badEntriesAreRefused() {
        byte[] lp = lp("hello", "42", "-7", "300");
        int p2 = Listpack.seek(lp, 0, 1);
        // Unused encoding bytes, and a terminator before the end.
        for (int enc = 0xF5; enc <= 0xFF; enc++) {
            byte[] bad = lp.clone();
            bad[p2] = (byte) enc;
            assertThat(Listpack.validate(bad, 0, bad.length, true)).as("encoding %x", enc).isFalse();
        }
        // Backlens that do not read back as the entry's length.
        int bl = p2 + 1; // "42" is one byte, then its backlen 0x01
        for (int v : new int[] {0x00, 0x02, 0x7F, 0x81, 0xFF}) {
            byte[] bad = lp.clone();
            bad[bl] = (byte) v;
            assertThat(Listpack.validate(bad, 0, bad.length, true)).as("backlen %x", v).isFalse();
        }
        // A string length reaching past the terminator, in each string form.
        byte[] s6 = lp.clone();
        s6[6] = (byte) 0xBF;
        assertThat(Listpack.validate(s6, 0, s6.length, true)).isFalse();
        byte[] s12 = lp("abc");
        s12[6] = (byte) 0xEF;
        assertThat(Listpack.validate(s12, 0, s12.length, true)).isFalse();
        byte[] s32 = Listpack.append(Listpack.newEmpty(), 0, letters(5000));
        for (int len : new int[] {5001, 0x7FFFFFFF, -1, Integer.MIN_VALUE}) {
            byte[] bad = s32.clone();
            Bytes.putInt(bad, 7, len);
            assertThat(Listpack.validate(bad, 0, bad.length, true)).isFalse();
        }
        // A 12-bit or 32-bit string header cut by the terminator.
        assertThat(Listpack.validate(hex("0800000001" + "00e0ff"), 0, 8, true)).isFalse();
        assertThat(Listpack.validate(hex("0b00000001" + "00f0000000ff"), 0, 11, true)).isFalse();
        // An integer entry whose data runs into the terminator.
        assertThat(Listpack.validate(hex("0900000001" + "00f401ff"), 0, 9, true)).isFalse();
        // A backlen running over five bytes.
        assertThat(Listpack.validate(hex("0d00000001" + "00848080808080ff"), 0, 13, true)).isFalse();
    }

    /**
     * Redis accepts a backlen whose bytes are not the canonical ones as long as they read back as
     * the entry's length (walking backwards agrees); so do we.
     */
    @Test
    void aNonCanonicalBacklenThatReadsBackRightIsAccepted() {
        // "ab\0" as a 6-bit string (body 4); backlen 0x84 continues into the 0x00 before it: 4 | 0 << 7 = 4.
        byte[] lp = hex("0c000000010083616200" + "84ff");
        assertThat(Listpack.validate(lp, 0, lp.length, true)).isTrue();
        assertThat(Listpack.last(lp, 0)).isEqualTo(6);
        assertThat(str(Listpack.toBytes(lp, 6))).isEqualTo("ab\0");
    }

    /** Listpacks from elsewhere may hold integers in wider forms, or integer-like strings: they read as their values. */
    @Test
    void nonCanonicalFormsRead() {
        // 5 as a 64-bit integer, "7" as a string, 100 as a 13-bit integer.
        byte[] lp = hex("1700000003" + "00f4050000000000000009" + "813702" + "c06402" + "ff");
        assertThat(Listpack.validate(lp, 0, lp.length, true)).isTrue();
        assertThat(values(lp)).containsExactly("5", "7", "100");
        assertThat(Listpack.isInt(lp, Listpack.seek(lp, 0, 1))).isFalse();
        int first = Listpack.first(lp, 0);
        assertThat(Listpack.find(lp, 0, first, b("5"), 0, 1, 0)).isEqualTo(first);
        assertThat(Listpack.find(lp, 0, first, b("7"), 0, 1, 0)).isEqualTo(Listpack.seek(lp, 0, 1));
        assertThat(Listpack.find(lp, 0, first, b("100"), 0, 3, 0)).isEqualTo(Listpack.seek(lp, 0, 2));
        // Editing such a listpack keeps the other entries' bytes as they were.
        byte[] more = Listpack.append(lp, 0, b("9"));
        assertThat(hex(more)).isEqualTo("1900000004" + "00f4050000000000000009" + "813702" + "c06402" + "0901" + "ff");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void randomByteFlipsNeverBreakTheValidatorOrTheReaders(long seed) {
        Random r = new Random(seed);
        List<byte[]> samples = samples();
        int accepted = 0, refused = 0;
        for (int k = 0; k < 20000; k++) {
            byte[] lp = samples.get(r.nextInt(samples.size())).clone();
            for (int flips = 1 + r.nextInt(3); flips > 0; flips--) {
                int i = r.nextInt(lp.length);
                lp[i] = r.nextInt(4) == 0 ? (byte) (lp[i] ^ (1 << r.nextInt(8))) : (byte) r.nextInt(256);
            }
            boolean ok = Listpack.validate(lp, 0, lp.length, true);
            if (!ok) {
                refused++;
                continue;
            }
            accepted++;
            // Whatever passes must read consistently both ways, within its bytes.
            List<Integer> fwd = new ArrayList<>();
            for (int p = Listpack.first(lp, 0); p != Listpack.NONE; p = Listpack.next(lp, 0, p)) {
                fwd.add(p);
                Listpack.toBytes(lp, p);
            }
            List<Integer> back = new ArrayList<>();
            for (int p = Listpack.last(lp, 0); p != Listpack.NONE; p = Listpack.prev(lp, 0, p)) back.add(0, p);
            assertThat(back).isEqualTo(fwd);
            assertThat(Listpack.count(lp, 0)).isEqualTo(fwd.size());
            for (int i = 0; i < fwd.size(); i++) {
                assertThat(Listpack.seek(lp, 0, i)).isEqualTo(fwd.get(i));
                assertThat(Listpack.seek(lp, 0, i - fwd.size())).isEqualTo(fwd.get(i));
            }
            byte[] probe = randomValue(r);
            Listpack.find(lp, 0, Listpack.first(lp, 0), probe, 0, probe.length, r.nextInt(2));
        }
        // Most flips land in string bytes, which any value may hold; the rest must be caught.
        assertThat(refused).isGreaterThan(2000);
        assertThat(accepted).isGreaterThan(2000);
    }

    @Test
    void randomGarbageNeverBreaksTheValidator() {
        Random r = new Random(99);
        for (int k = 0; k < 50000; k++) {
            int len = r.nextInt(40);
            byte[] g = new byte[len];
            r.nextBytes(g);
            if (len >= 7 && r.nextBoolean()) {
                Bytes.putInt(g, 0, len);
                g[len - 1] = (byte) 0xFF;
            }
            int claimed = r.nextInt(8) == 0 ? r.nextInt(50) - 5 : len;
            boolean ok = Listpack.validate(g, 0, claimed, true);
            if (ok) {
                int n = 0;
                for (int p = Listpack.first(g, 0); p != Listpack.NONE; p = Listpack.next(g, 0, p)) n++;
                assertThat(Listpack.count(g, 0)).isEqualTo(n);
            }
        }
    }

    /** A batch delete (SPOP's) leaves exactly the bytes of deleting the same entries one at a time. */
    @Test
    void deleteEntriesEqualsDeletingOneByOne() {
        Random rnd = new Random(9);
        for (int round = 0; round < 200; round++) {
            List<byte[]> values = new ArrayList<>();
            int n = 1 + rnd.nextInt(30);
            for (int i = 0; i < n; i++) {
                values.add(rnd.nextBoolean() ? String.valueOf(rnd.nextLong() >> rnd.nextInt(64)).getBytes(StandardCharsets.US_ASCII)
                        : "v".repeat(rnd.nextInt(80)).getBytes(StandardCharsets.US_ASCII));
            }
            byte[] lp = Listpack.of(values);
            List<Integer> offsets = new ArrayList<>();
            for (int p = Listpack.first(lp, 0); p != Listpack.NONE; p = Listpack.next(lp, 0, p)) {
                if (rnd.nextInt(3) == 0) offsets.add(p);
            }
            int[] ps = offsets.stream().mapToInt(Integer::intValue).toArray();
            byte[] expected = lp;
            for (int i = ps.length - 1; i >= 0; i--) expected = Listpack.delete(expected, 0, ps[i]);
            assertThat(Listpack.deleteEntries(lp, 0, ps)).isEqualTo(expected);
            assertThat(Listpack.validate(expected, 0, expected.length, true)).isTrue();
        }
    }

    /** The shortcut for strings that cannot be integers gives the same sizes as the full parse. */
    @Test
    void entrySizeForFastAgreesWithEntrySizeFor() {
        Random rnd = new Random(71);
        List<byte[]> values = new ArrayList<>();
        for (String v : List.of("", "0", "-0", "01", "-", "12", "-12", "9223372036854775807", "9223372036854775808",
                "-9223372036854775808", "-9223372036854775809", "123456789012345678901", "1a", "a1", " 1")) {
            values.add(v.getBytes(StandardCharsets.ISO_8859_1));
        }
        for (int i = 0; i < 2000; i++) {
            int len = rnd.nextInt(5) == 0 ? rnd.nextInt(20_000) : rnd.nextInt(24);
            byte[] v = new byte[len];
            for (int j = 0; j < len; j++) v[j] = (byte) (rnd.nextBoolean() ? '0' + rnd.nextInt(10) : rnd.nextInt(256));
            values.add(v);
            values.add(Long.toString(rnd.nextLong() >> rnd.nextInt(64)).getBytes(StandardCharsets.ISO_8859_1));
        }
        for (byte[] v : values) {
            assertThat(Listpack.entrySizeForFast(v, 0, v.length)).as(Arrays.toString(v)).isEqualTo(Listpack.entrySizeFor(v, 0, v.length));
        }
    }
}
