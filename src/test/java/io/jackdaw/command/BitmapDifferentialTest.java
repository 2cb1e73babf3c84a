package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.store.Database;
import io.jackdaw.store.Keyspace;
import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.Resp;
import io.jackdaw.testing.RespConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bitmap family (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO) replayed on
 * Jackdaw and the reference redis-server, replies compared byte for byte. Arguments are sent as
 * ISO-8859-1, so {@code "\u00ff"} in a test is the byte 0xFF: binary values go over the wire as is.
 */
class BitmapDifferentialTest extends DifferentialTestBase {
    @BeforeEach
    void connect() throws Exception {
        differential();
    }

    /** A string of n pseudo-random bytes (ISO-8859-1 characters). */
    private static String randomBytes(Random rnd, int n) {
        char[] ch = new char[n];
        for (int i = 0; i < n; i++) ch[i] = (char) rnd.nextInt(256);
        return new String(ch);
    }

    private static String s(long v) { return Long.toString(v); }

    // ------------------------------------------------------------ SETBIT / GETBIT

    @Test
    void setbitAndGetbit() throws Exception {
        all(List.of(
                c("SETBIT", "k", "7", "1"), c("SETBIT", "k", "7", "1"), c("SETBIT", "k", "7", "0"), c("GET", "k"),
                c("GETBIT", "k", "7"), c("GETBIT", "k", "0"), c("GETBIT", "k", "8"), c("GETBIT", "k", "1000000"),
                c("SETBIT", "k", "100", "1"), c("STRLEN", "k"), c("GET", "k"), c("GETBIT", "k", "100"),
                c("SETBIT", "k", "0", "1"), c("SETBIT", "k", "1", "1"), c("GET", "k"), c("SETBIT", "k", "3", "0"),
                // The bit value: only 0 and 1, and its own error string.
                c("SETBIT", "k", "0", "2"), c("SETBIT", "k", "0", "-1"), c("SETBIT", "k", "0", "a"),
                c("SETBIT", "k", "0", ""), c("SETBIT", "k", "0", "01"), c("SETBIT", "k", "0", "1.0"),
                c("SETBIT", "k", "0", "9223372036854775808"), c("SETBIT", "nokey", "0", "3"), c("EXISTS", "nokey"),
                // The offset: a non-negative integer below 2^32 bits (proto-max-bulk-len is 512 MB).
                c("SETBIT", "k", "-1", "1"), c("SETBIT", "k", "a", "1"), c("SETBIT", "k", "", "1"),
                c("SETBIT", "k", "4294967296", "1"), c("SETBIT", "k", "9223372036854775807", "1"),
                c("SETBIT", "k", "#1", "1"), c("SETBIT", "k", " 1", "1"), c("SETBIT", "k", "1 ", "1"),
                c("SETBIT", "k", "-1", "2"), c("GETBIT", "k", "-1"), c("GETBIT", "k", "x"), c("GETBIT", "k", "#0"),
                c("GETBIT", "k", "4294967296"), c("GETBIT", "k", "4294967295"), c("GETBIT", "nokey", "4294967296"),
                c("GETBIT", "nokey", "0"), c("EXISTS", "nokey"),
                // Arity.
                c("SETBIT", "k", "1"), c("SETBIT", "k", "1", "1", "1"), c("GETBIT", "k"), c("GETBIT", "k", "1", "2"),
                c("SETBIT"), c("GETBIT")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void setbitAtTheLastAllowedOffsetBuildsA512MbString() throws Exception {
        all(List.of(
                c("SETBIT", "big", "4294967295", "1"), c("STRLEN", "big"), c("GETBIT", "big", "4294967295"),
                c("GETBIT", "big", "4294967294"), c("BITCOUNT", "big"), c("BITPOS", "big", "1"),
                c("BITPOS", "big", "1", "-1"), c("BITPOS", "big", "0", "-1"), c("BITCOUNT", "big", "-1", "-1"),
                c("BITFIELD", "big", "GET", "u8", "4294967288", "GET", "i16", "4294967287", "GET", "u63", "4294967295"),
                c("SETBIT", "big", "4294967295", "0"), c("BITCOUNT", "big"), c("BITPOS", "big", "1"), c("DEL", "big")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void offsetsAreBoundedByProtoMaxBulkLen() throws Exception {
        try {
            all(List.of(
                    c("CONFIG", "SET", "proto-max-bulk-len", "1mb"), c("SETBIT", "k", "8388608", "1"),
                    c("SETBIT", "k", "8388607", "1"), c("STRLEN", "k"), c("GETBIT", "k", "8388608"),
                    c("BITFIELD", "k", "GET", "u8", "8388608"), c("BITFIELD", "k", "SET", "u8", "8388607", "255"),
                    c("BITFIELD", "k", "GET", "i64", "#131071"), c("BITFIELD", "k", "GET", "i64", "#131072"),
                    c("STRLEN", "k"), c("BITCOUNT", "k"), c("BITPOS", "k", "1", "-2"),
                    // The strings APPEND and SETRANGE build have the same bound.
                    c("SETRANGE", "k", "1048575", "x"), c("SETRANGE", "k", "1048576", "x"), c("APPEND", "k", "y"),
                    c("STRLEN", "k"), c("CONFIG", "SET", "proto-max-bulk-len", "2mb"), c("SETBIT", "k", "8388608", "1"),
                    c("STRLEN", "k")));
        } finally {
            r("CONFIG", "SET", "proto-max-bulk-len", "512mb");
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void integerEncodedEmptyAndBinaryValues() throws Exception {
        all(List.of(
                c("SET", "n", "123"), c("GETBIT", "n", "0"), c("GETBIT", "n", "2"), c("GETBIT", "n", "3"),
                c("GETBIT", "n", "23"), c("GETBIT", "n", "24"), c("BITCOUNT", "n"), c("BITCOUNT", "n", "1", "1"),
                c("BITPOS", "n", "1"), c("BITPOS", "n", "0"), c("BITFIELD", "n", "GET", "u24", "0"),
                c("SETBIT", "n", "6", "1"), c("GET", "n"), c("INCR", "n"), c("SET", "m", "-9223372036854775808"),
                c("BITCOUNT", "m"), c("SETBIT", "m", "200", "1"), c("GET", "m"), c("STRLEN", "m"),
                c("SET", "z", "0"), c("BITFIELD", "z", "INCRBY", "u8", "0", "1"), c("GET", "z"), c("INCR", "z"),
                c("SET", "e", ""), c("GETBIT", "e", "0"), c("BITCOUNT", "e"), c("BITCOUNT", "e", "0", "-1"),
                c("BITPOS", "e", "0"), c("BITPOS", "e", "1"), c("BITPOS", "e", "0", "0"), c("BITPOS", "e", "0", "0", "-1"),
                c("BITFIELD", "e", "GET", "i8", "0"), c("STRLEN", "e"), c("SETBIT", "e", "9", "1"), c("GET", "e"),
                c("SET", "b", "\u00ff\u0000\u0080\u0001\r\n\u00fe"), c("GETBIT", "b", "7"), c("GETBIT", "b", "8"),
                c("GETBIT", "b", "16"), c("BITCOUNT", "b"), c("BITPOS", "b", "0"), c("BITPOS", "b", "1", "1"),
                c("SETBIT", "b", "15", "1"), c("SETBIT", "b", "16", "0"), c("GET", "b"), c("BITOP", "NOT", "nb", "b"),
                c("GET", "nb"), c("BITFIELD", "b", "GET", "u16", "4", "SET", "i12", "20", "-7", "GET", "u63", "1"),
                c("GET", "b")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void writesKeepTheKeysExpiryAndBitopDropsTheDestinations() throws Exception {
        all(List.of(
                c("SET", "t", "abc", "EX", "1000"), c("SETBIT", "t", "3", "1"), c("TTL", "t"), c("SETBIT", "t", "100", "1"),
                c("TTL", "t"), c("BITFIELD", "t", "SET", "u8", "200", "7"), c("TTL", "t"), c("GET", "t"),
                c("SET", "ti", "42", "EX", "1000"), c("SETBIT", "ti", "0", "1"), c("TTL", "ti"), c("GET", "ti"),
                c("SET", "d", "x", "EX", "1000"), c("BITOP", "OR", "d", "t"), c("TTL", "d"), c("GET", "d"),
                c("SET", "d2", "x", "EX", "1000"), c("BITOP", "AND", "d2", "nokey"), c("EXISTS", "d2"), c("TTL", "d2"),
                c("SET", "p", "v", "PX", "1"), c("DEBUG", "SLEEP", "0.01"), c("SETBIT", "p", "0", "1"), c("GET", "p"),
                c("TTL", "p")));
        assertThat(diff.mismatches()).isEmpty();
    }

    // ------------------------------------------------------------ BITCOUNT

    /** Strings that exercise the edges: empty, one byte, word-sized runs, unaligned tails, digits. */
    private static List<String> sampleStrings() {
        Random rnd = new Random(7);
        return List.of("", "a", "foobar", "\u00ff\u00f0\u0000", "\u0000\u0000\u0000\u0000", "\u00ff".repeat(41),
                "12345", randomBytes(rnd, 37), randomBytes(rnd, 64), "\u0000".repeat(30) + "\u0010" + "\u0000".repeat(9),
                "\u00ff".repeat(30) + "\u00ef" + "\u00ff".repeat(9));
    }

    private static final String[] POSITIONS = {
        "-100", "-41", "-17", "-9", "-8", "-7", "-1", "0", "1", "2", "5", "7", "8", "9", "15", "16", "39", "40", "41",
        "300", "-9223372036854775808", "9223372036854775807"};

    @Test
    void bitcountOverEveryRangeAndUnit() throws Exception {
        Random rnd = new Random(11);
        List<String> strings = sampleStrings();
        for (int i = 0; i < strings.size(); i++) {
            String key = "s" + i;
            r("SET", key, strings.get(i));
            r("BITCOUNT", key);
            for (String start : POSITIONS) {
                for (String end : POSITIONS) {
                    // Every pair in bytes; a sample of them with each unit spelling.
                    r("BITCOUNT", key, start, end);
                    if (rnd.nextInt(3) == 0) r("BITCOUNT", key, start, end, "BIT");
                    if (rnd.nextInt(6) == 0) r("BITCOUNT", key, start, end, "byte");
                    if (rnd.nextInt(6) == 0) r("BITCOUNT", key, start, end, "bit");
                }
            }
        }
        all(List.of(
                c("BITCOUNT", "nokey"), c("BITCOUNT", "nokey", "0", "-1"), c("BITCOUNT", "nokey", "0", "-1", "BIT"),
                // Errors whose order Redis 7.2 and Valkey 8 agree on; where they differ, see
                // rangeIsParsedBeforeTheKeyAsValkey8.
                c("BITCOUNT", "s2", "0", "1", "BIT", "x"), c("BITCOUNT", "s2", "a", "1"),
                c("BITCOUNT", "s2", "0", "b"), c("BITCOUNT", "s2", "a", "b", "foo"), c("BITCOUNT", "s2", "0", "1", "foo"),
                c("BITCOUNT", "s2", "-5", "-1", "foo"),
                c("BITCOUNT", "s2", "1", "-5", "foo"), c("BITCOUNT", "s2", "0", "1", ""), c("BITCOUNT", "s2", "0", "1", "BITS"),
                c("BITCOUNT", "nokey", "0"), c("BITCOUNT", "s2", "0", "4294967296"),
                c("BITCOUNT", "s2", "0", "9223372036854775808"), c("BITCOUNT", "s2", "1.5", "2"), c("BITCOUNT")));
        assertThat(diff.mismatches()).isEmpty();
    }

    // ------------------------------------------------------------ BITPOS

    @Test
    void bitposOverEveryRangeAndUnit() throws Exception {
        Random rnd = new Random(13);
        List<String> strings = sampleStrings();
        for (int i = 0; i < strings.size(); i++) {
            String key = "s" + i;
            r("SET", key, strings.get(i));
            for (String bit : new String[] {"0", "1"}) {
                r("BITPOS", key, bit);
                for (String start : POSITIONS) {
                    r("BITPOS", key, bit, start);
                    r("BITPOS", key, bit, start, "-1", "BIT");
                    for (String end : POSITIONS) {
                        r("BITPOS", key, bit, start, end);
                        if (rnd.nextInt(2) == 0) r("BITPOS", key, bit, start, end, "BIT");
                        if (rnd.nextInt(8) == 0) r("BITPOS", key, bit, start, end, "byte");
                    }
                }
            }
        }
        all(List.of(
                c("BITPOS", "nokey", "0"), c("BITPOS", "nokey", "1"), c("BITPOS", "nokey", "0", "5", "10", "BIT"),
                c("EXISTS", "nokey"),
                // Errors: the bit argument is checked before the key, the unit before the end.
                c("BITPOS", "s2", "2"), c("BITPOS", "s2", "-1"), c("BITPOS", "s2", "a"), c("BITPOS", "s2", ""),
                c("BITPOS", "nokey", "2"), c("BITPOS", "nokey", "x"), c("BITPOS", "s2", "0", "a"),
                c("BITPOS", "s2", "0", "0", "b"), c("BITPOS", "s2", "0", "0", "b", "foo"), c("BITPOS", "s2", "0", "0", "1", "foo"),
                c("BITPOS", "s2", "0", "0", "1", "BIT", "x"), c("BITPOS", "s2", "1", "a", "b", "BIT"),
                c("BITPOS", "s2", "01"), c("BITPOS", "s2", "1", "0", "9223372036854775808"), c("BITPOS", "s2"),
                c("BITPOS")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void bitposFindsBitsAcrossLongRuns() throws Exception {
        // Long runs of 0x00 / 0xFF around a single odd bit, at every alignment, so that any
        // word-at-a-time skipping meets unaligned starts and ends.
        for (int lead = 0; lead < 20; lead++) {
            for (int bit = 0; bit < 8; bit += 3) {
                String zeros = "\u0000".repeat(lead) + (char) (0x80 >>> bit) + "\u0000".repeat(19 - lead);
                String ones = "\u00ff".repeat(lead) + (char) (0xFF ^ (0x80 >>> bit)) + "\u00ff".repeat(19 - lead);
                r("SET", "z", zeros);
                r("SET", "o", ones);
                for (String start : new String[] {"0", "1", "3", "7", "9", "-1", "-13"}) {
                    r("BITPOS", "z", "1", start);
                    r("BITPOS", "o", "0", start);
                    r("BITPOS", "z", "1", start, "-1", "BIT");
                    r("BITPOS", "o", "0", start, "150", "BIT");
                    r("BITPOS", "o", "0", start, "17");
                    r("BITPOS", "z", "0", start, "17");
                    r("BITPOS", "o", "1", start);
                }
            }
        }
        r("SET", "allones", "\u00ff".repeat(100));
        all(List.of(c("BITPOS", "allones", "0"), c("BITPOS", "allones", "0", "3"), c("BITPOS", "allones", "0", "3", "-1"),
                c("BITPOS", "allones", "0", "3", "800", "BIT"), c("BITPOS", "allones", "0", "5", "-1", "BIT"),
                c("BITPOS", "allones", "0", "5", "799", "BIT"), c("BITPOS", "allones", "0", "5", "798", "BIT"),
                c("BITPOS", "allones", "0", "-3", "BIT")));
        assertThat(diff.mismatches()).isEmpty();
    }

    // ------------------------------------------------------------ BITOP

    @Test
    void bitopOperationsAndLengths() throws Exception {
        Random rnd = new Random(17);
        r("SET", "a", randomBytes(rnd, 45));
        r("SET", "b", randomBytes(rnd, 8));
        r("SET", "c", randomBytes(rnd, 33));
        r("SET", "i", "987654");
        r("SET", "e", "");
        for (String op : new String[] {"AND", "OR", "XOR", "and", "Or", "xOR"}) {
            all(List.of(c("BITOP", op, "d", "a", "b"), c("GET", "d"), c("BITOP", op, "d", "b", "a", "c"), c("GET", "d"),
                    c("BITOP", op, "d", "a"), c("GET", "d"), c("BITOP", op, "d", "nokey", "a"), c("GET", "d"),
                    c("BITOP", op, "d", "a", "nokey"), c("GET", "d"), c("BITOP", op, "d", "i", "b"), c("GET", "d"),
                    c("BITOP", op, "d", "e", "i"), c("GET", "d"), c("BITOP", op, "d", "a", "a", "a"), c("GET", "d"),
                    c("BITOP", op, "d", "nokey", "e"), c("EXISTS", "d"), c("BITOP", op, "d", "nokey"), c("EXISTS", "d")));
        }
        all(List.of(
                c("BITOP", "NOT", "d", "a"), c("GET", "d"), c("BITOP", "not", "d", "i"), c("GET", "d"),
                c("BITOP", "NOT", "d", "e"), c("EXISTS", "d"), c("BITOP", "NOT", "d", "a"), c("BITOP", "NOT", "d", "nokey"),
                c("EXISTS", "d"),
                // Destination among the sources.
                c("SET", "x", "abc"), c("BITOP", "XOR", "x", "x", "a"), c("GET", "x"), c("BITOP", "NOT", "x", "x"),
                c("GET", "x"), c("BITOP", "AND", "a2", "a"), c("BITOP", "OR", "a2", "a2", "c"), c("GET", "a2"),
                // Errors.
                c("BITOP", "NOT", "d", "a", "b"), c("BITOP", "NOT", "d"), c("BITOP", "NAND", "d", "a"),
                c("BITOP", "", "d", "a"), c("BITOP", "ANDX", "d", "a"), c("BITOP", "AND", "d"), c("BITOP", "AND"),
                c("BITOP", "NOT", "d", "nokey", "nokey2")));
        // More than 16 sources, of many lengths (Redis's word loop handles up to 16).
        List<String> many = new ArrayList<>(List.of("BITOP", "XOR", "m"));
        for (int i = 0; i < 20; i++) {
            r("SET", "src" + i, randomBytes(rnd, 32 + rnd.nextInt(40)));
            many.add("src" + i);
        }
        for (String op : new String[] {"AND", "OR", "XOR"}) {
            many.set(1, op);
            r(many.toArray(String[]::new));
            r("GET", "m");
        }
        // Long equal-length inputs, so any word-at-a-time loop does most of the work.
        r("SET", "l1", randomBytes(rnd, 4099));
        r("SET", "l2", randomBytes(rnd, 4099));
        for (String op : new String[] {"AND", "OR", "XOR"}) {
            r("BITOP", op, "l3", "l1", "l2");
            r("GET", "l3");
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    // ------------------------------------------------------------ BITFIELD

    @Test
    void bitfieldBasicsAndHashOffsets() throws Exception {
        all(List.of(
                c("BITFIELD", "bf", "SET", "i8", "0", "-100"), c("BITFIELD", "bf", "SET", "i8", "0", "101"),
                c("BITFIELD", "bf", "GET", "i8", "0"), c("BITFIELD", "bf", "SET", "u8", "0", "255", "GET", "u8", "0"),
                c("BITFIELD", "bf", "SET", "u8", "0", "255", "INCRBY", "u8", "0", "100", "GET", "u8", "0"),
                c("BITFIELD", "bf"), c("BITFIELD", "nokey"), c("EXISTS", "nokey"),
                c("BITFIELD", "h", "SET", "u8", "#0", "65", "SET", "u8", "#1", "66", "SET", "u8", "#2", "67"), c("GET", "h"),
                c("BITFIELD", "h", "GET", "u4", "#3", "GET", "i5", "#2", "GET", "u8", "#100"), c("STRLEN", "h"),
                c("BITFIELD", "h", "INCRBY", "u8", "#0", "100", "INCRBY", "u8", "#0", "100"), c("GET", "h"),
                c("BITFIELD", "h", "SET", "i3", "#7", "3", "GET", "i3", "#7", "GET", "u24", "0"), c("GET", "h"),
                // '#' only counts where a field width is known: BITFIELD offsets, not SETBIT.
                c("BITFIELD", "h", "GET", "u8", "#"), c("BITFIELD", "h", "GET", "u8", "#-1"), c("BITFIELD", "h", "GET", "u8", "##1"),
                c("BITFIELD", "h", "GET", "u8", "#a"), c("BITFIELD", "h", "GET", "u8", "# 1"),
                c("BITFIELD", "h", "GET", "u8", "#536870911"), c("BITFIELD", "h", "GET", "u8", "#536870912"),
                c("BITFIELD", "h", "GET", "u1", "#4294967295"), c("BITFIELD", "h", "GET", "u1", "#4294967296"),
                c("BITFIELD", "h", "GET", "u2", "#9223372036854775807"),
                // The product wraps as a 64-bit integer does in Redis: 3 * 6148914691236517206 = 2 (mod 2^64).
                c("BITFIELD", "h", "GET", "u3", "#6148914691236517206"),
                c("BITFIELD", "h", "GET", "i64", "#3", "GET", "u63", "#0"),
                // Regression cases from Redis's own suite (#3221, #3564).
                c("SET", "bits", "1"), c("BITFIELD", "bits", "GET", "u1", "0"), c("DEL", "mystring"),
                c("BITFIELD", "mystring", "SET", "i8", "0", "10", "SET", "i8", "64", "10", "INCRBY", "i8", "10", "99900"),
                c("GET", "mystring"),
                // GET of a missing key reads zeros and leaves no key; any write creates it.
                c("BITFIELD", "g", "GET", "u8", "0", "GET", "i64", "100"), c("EXISTS", "g"),
                c("BITFIELD", "g", "OVERFLOW", "FAIL"), c("EXISTS", "g"),
                c("BITFIELD", "g", "GET", "u8", "0", "SET", "u4", "20", "1", "GET", "u8", "16"), c("GET", "g"),
                c("BITFIELD", "f", "OVERFLOW", "FAIL", "SET", "u2", "100", "9"), c("EXISTS", "f"), c("STRLEN", "f"),
                c("GET", "f")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void bitfieldErrors() throws Exception {
        r("SET", "k", "abc");
        all(List.of(
                // Types: i1..i64 and u1..u63, lower case, no sign, no leading zero.
                c("BITFIELD", "k", "GET", "u64", "0"), c("BITFIELD", "k", "GET", "i65", "0"), c("BITFIELD", "k", "GET", "i0", "0"),
                c("BITFIELD", "k", "GET", "u0", "0"), c("BITFIELD", "k", "GET", "x8", "0"), c("BITFIELD", "k", "GET", "I8", "0"),
                c("BITFIELD", "k", "GET", "U8", "0"), c("BITFIELD", "k", "GET", "u", "0"), c("BITFIELD", "k", "GET", "", "0"),
                c("BITFIELD", "k", "GET", "u08", "0"), c("BITFIELD", "k", "GET", "u+8", "0"), c("BITFIELD", "k", "GET", "i-8", "0"),
                c("BITFIELD", "k", "GET", "u8 ", "0"), c("BITFIELD", "k", "GET", "8", "0"), c("BITFIELD", "k", "GET", "i64", "0"),
                c("BITFIELD", "k", "GET", "u63", "0"), c("BITFIELD", "k", "GET", "i1", "0"), c("BITFIELD", "k", "GET", "u1", "0"),
                c("BITFIELD", "k", "GET", "u99999999999999999999", "0"),
                // Offsets.
                c("BITFIELD", "k", "GET", "u8", "-1"), c("BITFIELD", "k", "GET", "u8", "a"), c("BITFIELD", "k", "GET", "u8", ""),
                c("BITFIELD", "k", "GET", "u8", "4294967295"), c("BITFIELD", "k", "GET", "u8", "4294967296"),
                c("BITFIELD", "k", "SET", "u8", "4294967296", "1"), c("BITFIELD", "k", "SET", "u8", "-5", "1"),
                // Values.
                c("BITFIELD", "k", "SET", "u8", "0", "a"), c("BITFIELD", "k", "INCRBY", "u8", "0", ""),
                c("BITFIELD", "k", "SET", "u8", "0", "1.5"), c("BITFIELD", "k", "INCRBY", "u8", "0", "9223372036854775808"),
                // Subcommands: unknown, or too few arguments left, is a syntax error.
                c("BITFIELD", "k", "FOO"), c("BITFIELD", "k", "GET"), c("BITFIELD", "k", "GET", "u8"),
                c("BITFIELD", "k", "SET", "u8", "0"), c("BITFIELD", "k", "INCRBY", "u8", "0"), c("BITFIELD", "k", "OVERFLOW"),
                c("BITFIELD", "k", "OVERFLOW", "FOO", "GET", "u8", "0"), c("BITFIELD", "k", "OVERFLOW", "wrap", "GET", "u8", "0"),
                c("BITFIELD", "k", "overflow", "sat", "incrby", "u8", "0", "1000"), c("BITFIELD", "k", "get", "u8", "0", "GET"),
                c("BITFIELD", "k", "GET", "u8", "0", "SET", "u8", "0", "1", "FOO"),
                // Errors come before any operation runs: nothing is written.
                c("BITFIELD", "k", "SET", "u8", "0", "65", "GET", "u64", "0"), c("GET", "k"),
                c("BITFIELD", "k", "SET", "u8", "0", "65", "SET", "u8", "-1", "1"), c("GET", "k"),
                c("BITFIELD", "nk", "SET", "u8", "0", "65", "BOGUS"), c("EXISTS", "nk"),
                c("BITFIELD"),
                // BITFIELD_RO: GET only (OVERFLOW is accepted, as in Redis), argument errors first.
                c("BITFIELD_RO", "k", "GET", "u8", "0", "GET", "i4", "#1"), c("BITFIELD_RO", "k"), c("BITFIELD_RO", "nokey"),
                c("BITFIELD_RO", "nokey", "GET", "u8", "0"), c("EXISTS", "nokey"),
                c("BITFIELD_RO", "k", "SET", "u8", "0", "100", "GET", "u8", "0"), c("BITFIELD_RO", "k", "INCRBY", "u8", "0", "1"),
                c("BITFIELD_RO", "k", "OVERFLOW", "SAT", "GET", "u8", "0"), c("BITFIELD_RO", "k", "OVERFLOW", "BAD"),
                c("BITFIELD_RO", "k", "SET", "u64", "0", "1"), c("BITFIELD_RO", "k", "GET", "u8"),
                c("BITFIELD_RO", "nokey", "SET", "u8", "0", "1"), c("EXISTS", "nokey"), c("GET", "k"), c("BITFIELD_RO")));
        assertThat(diff.mismatches()).isEmpty();
    }

    private static final int[] WIDTHS = {1, 2, 3, 7, 8, 9, 16, 31, 32, 33, 62, 63, 64};

    /** Values around the limits of a field of the given width (wrapping where the width is 64). */
    private static long[] edgeValues(int bits, boolean signed) {
        long max = signed ? (bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1) : (1L << bits) - 1;
        long min = signed ? -max - 1 : 0;
        return new long[] {0, 1, -1, 2, max, max - 1, max + 1, min, min + 1, min - 1, 2 * max + 3, -max,
            Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, Long.MIN_VALUE + max - 1,
            Long.MIN_VALUE + max, Long.MIN_VALUE + max + 1, Long.MAX_VALUE + min + 1};
    }

    @Test
    void bitfieldSetAtTheLimitsOfEveryWidthAndOverflowMode() throws Exception {
        for (int bits : WIDTHS) {
            for (boolean signed : new boolean[] {true, false}) {
                if (!signed && bits == 64) continue;
                String type = (signed ? "i" : "u") + bits;
                for (String mode : new String[] {"WRAP", "SAT", "FAIL"}) {
                    for (long v : edgeValues(bits, signed)) {
                        // Unaligned, in a string with neighbours that must survive.
                        r("SET", "f", "\u00a5\u005a\u00c3\u003c\u00a5\u005a\u00c3\u003c\u00a5\u005a");
                        r("BITFIELD", "f", "OVERFLOW", mode, "SET", type, "5", s(v), "GET", type, "5");
                        r("GET", "f");
                    }
                }
            }
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void bitfieldIncrbyAtTheLimitsOfEveryWidthAndOverflowMode() throws Exception {
        for (int bits : WIDTHS) {
            for (boolean signed : new boolean[] {true, false}) {
                if (!signed && bits == 64) continue;
                String type = (signed ? "i" : "u") + bits;
                long[] edges = edgeValues(bits, signed);
                long[] starts = {edges[0], edges[4], edges[5], edges[7], edges[2]};
                long[] increments = {1, -1, 2, -2, edges[4], -edges[4], edges[7], Long.MAX_VALUE, Long.MIN_VALUE,
                    Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, 0};
                for (String mode : new String[] {"WRAP", "SAT", "FAIL"}) {
                    for (long start : starts) {
                        r("DEL", "f");
                        r("BITFIELD", "f", "SET", type, "3", s(start));
                        for (long inc : increments) {
                            r("BITFIELD", "f", "OVERFLOW", mode, "INCRBY", type, "3", s(inc), "GET", type, "3");
                        }
                        r("GET", "f");
                    }
                }
            }
        }
        // Modes apply to the operations after them, until changed.
        all(List.of(c("DEL", "f"),
                c("BITFIELD", "f", "INCRBY", "u2", "0", "5", "OVERFLOW", "SAT", "INCRBY", "u2", "0", "5", "OVERFLOW", "FAIL",
                        "INCRBY", "u2", "0", "1", "INCRBY", "u2", "0", "-1", "OVERFLOW", "WRAP", "INCRBY", "u2", "0", "2"),
                c("BITFIELD", "f", "OVERFLOW", "FAIL", "OVERFLOW", "SAT", "SET", "i4", "0", "100", "GET", "i4", "0")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void resp3RepliesHaveTheSameShapes() throws Exception {
        diff.normalize(ConnectionDifferentialTest.HELLO_VERSION_AND_ID);
        all(List.of(c("HELLO", "3"), c("SETBIT", "k", "3", "1"), c("GETBIT", "k", "3"), c("BITCOUNT", "k"),
                c("BITPOS", "k", "1"), c("BITOP", "NOT", "n", "k"),
                c("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "9", "GET", "u8", "0", "SET", "i8", "8", "-3"),
                c("BITFIELD_RO", "k", "GET", "i8", "8"), c("BITFIELD", "k"), c("BITFIELD", "k", "GET", "u64", "0"),
                c("HELLO", "2")));
        assertThat(diff.mismatches()).isEmpty();
    }

    // ------------------------------------------------------------ types, encodings, key flags

    /**
     * Puts a key of a type Jackdaw does not have yet (lists arrive later) into Jackdaw's keyspace,
     * and a list under the same name into the reference: both then hold "not a string".
     */
    private void plantNonString(String key) throws IOException {
        Keyspace ks = ours.server().keyspace();
        byte[] k = key.getBytes(StandardCharsets.ISO_8859_1);
        ks.lockAll();
        try {
            new Database(ks).at(0, System.currentTimeMillis()).put(k, 0, k.length, 0x7F, new byte[8], 0, 8, -1);
        } finally {
            ks.unlockAll();
        }
        try (RespConnection reference = new RespConnection(ref.port())) {
            assertThat(reference.call("RPUSH", key, "a", "b", "c")).isEqualTo(":3\r\n");
        }
    }

    /**
     * Where Jackdaw follows Valkey 8 and Redis 7.4 rather than the 7.0/7.2 reference: BITCOUNT and
     * BITPOS parse their whole range (and BITCOUNT takes a lone start) before looking the key up,
     * so bad arguments are errors even for an absent or wrong-typed key. Valkey's bitops suite
     * checks this; docs/compatibility.md lists it.
     */
    @Test
    void rangeIsParsedBeforeTheKeyAsValkey8() throws Exception {
        plantNonString("list");
        r("SET", "s2", "foobar");
        String notInt = "-ERR value is not an integer or out of range\r\n", syntax = "-ERR syntax error\r\n";
        try (RespConnection j = new RespConnection(ours.port())) {
            assertThat(j.call("BITCOUNT", "s2", "0")).isEqualTo(":26\r\n");
            assertThat(j.call("BITCOUNT", "s2", "1")).isEqualTo(":22\r\n");
            assertThat(j.call("BITCOUNT", "s2", "-1")).isEqualTo(":4\r\n");
            assertThat(j.call("BITCOUNT", "s2", "1000")).isEqualTo(":0\r\n");
            assertThat(j.call("BITCOUNT", "s2", "-1000")).isEqualTo(":26\r\n");
            assertThat(j.call("BITCOUNT", "nokey", "0")).isEqualTo(":0\r\n");
            assertThat(j.call("BITCOUNT", "s2", "-1", "-5", "foo")).isEqualTo(syntax);
            assertThat(j.call("BITCOUNT", "nokey", "a", "b")).isEqualTo(notInt);
            assertThat(j.call("BITCOUNT", "nokey", "0", "1", "foo")).isEqualTo(syntax);
            assertThat(j.call("BITCOUNT", "nokey", "0", "1", "a", "b")).isEqualTo(syntax);
            assertThat(j.call("BITCOUNT", "list", "a", "b")).isEqualTo(notInt);
            assertThat(j.call("BITPOS", "nokey", "1", "a")).isEqualTo(notInt);
            assertThat(j.call("BITPOS", "nokey", "0", "1", "2", "foo")).isEqualTo(syntax);
            assertThat(j.call("BITPOS", "list", "1", "a", "b")).isEqualTo(notInt);
        }
    }

    @Test
    void wrongTypeAndTheOrderOfErrors() throws Exception {
        plantNonString("list");
        r("SET", "str", "abc");
        all(List.of(
                c("SETBIT", "list", "0", "1"), c("SETBIT", "list", "-1", "1"), c("SETBIT", "list", "0", "5"),
                c("GETBIT", "list", "0"), c("GETBIT", "list", "x"),
                c("BITCOUNT", "list"), c("BITCOUNT", "list", "0", "100"), c("BITCOUNT", "list", "-6", "-7"),
                c("BITCOUNT", "list", "-6", "-15", "bit"), c("BITCOUNT", "list", "0"),
                c("BITPOS", "list", "0"), c("BITPOS", "list", "1", "10", "100"), c("BITPOS", "list", "a"),
                c("BITPOS", "list", "3"),
                c("BITOP", "AND", "dest", "str", "list"), c("BITOP", "OR", "dest", "list", "str"), c("EXISTS", "dest"),
                c("BITOP", "NOT", "dest", "list"), c("BITOP", "XOR", "list", "str"), c("BITOP", "NOT", "list", "nokey"),
                c("EXISTS", "list")));
        plantNonString("list");
        all(List.of(
                c("BITOP", "AND", "dest", "nokey", "list", "str"), c("BITOP", "AND", "dest", "str", "str", "list"),
                c("BITOP", "NOT", "dest", "list", "str"), c("BITOP", "BAD", "dest", "list"),
                c("BITFIELD", "list"), c("BITFIELD", "list", "GET", "u8", "0"), c("BITFIELD", "list", "SET", "u8", "0", "1"),
                c("BITFIELD", "list", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1"), c("BITFIELD", "list", "GET", "u64", "0"),
                c("BITFIELD_RO", "list", "GET", "u8", "0"), c("BITFIELD_RO", "list", "SET", "u8", "0", "1"),
                c("BITFIELD_RO", "list"), c("GET", "list"), c("SETBIT", "str", "0", "1"), c("GET", "str")));
        assertThat(diff.mismatches()).isEmpty();
    }

    /** DEBUG OBJECT as far as both servers agree: the encoding. */
    private static String encodingOnly(String reply) {
        return reply.replaceAll("^\\+Value at:\\S+ refcount:\\d+ encoding:(\\S+) .*\r\n$", "+encoding:$1\r\n");
    }

    @Test
    void typeLengthValueAndEncodingAgreeAfterBitOperations() throws Exception {
        diff.normalize(BitmapDifferentialTest::encodingOnly);
        String[][] afterEach = {{"TYPE", "k"}, {"STRLEN", "k"}, {"GET", "k"}, {"EXISTS", "k"}, {"DEBUG", "OBJECT", "k"}};
        List<String[]> script = List.of(
                c("SETBIT", "k", "0", "1"), c("SET", "k", "abc"), c("SETBIT", "k", "1", "1"), c("SET", "k", "abc"),
                c("SETBIT", "k", "1", "1"), c("SET", "k", "abc"), c("SETBIT", "k", "1000", "0"), c("SET", "k", "77"),
                c("GETBIT", "k", "1"), c("SETBIT", "k", "1", "0"), c("SET", "k", "77"), c("BITCOUNT", "k"),
                c("BITPOS", "k", "0"), c("BITFIELD", "k", "GET", "u8", "0"), c("BITFIELD_RO", "k", "GET", "u8", "0"),
                c("BITFIELD", "k", "SET", "u8", "0", "55"), c("SET", "k", "x"), c("BITFIELD", "k", "OVERFLOW", "FAIL",
                        "INCRBY", "u1", "0", "5"),
                c("SET", "src", "12"), c("BITOP", "OR", "k", "src"), c("BITOP", "AND", "k", "src", "src"),
                c("SET", "k", "hello"), c("BITOP", "AND", "k", "nokey"), c("SET", "k", "a".repeat(60)),
                c("SETBIT", "k", "0", "0"), c("DEL", "k"), c("BITFIELD", "k", "SET", "i64", "60", "-1"),
                c("APPEND", "k", "tail"), c("SETBIT", "k", "7", "1"), c("SET", "k", "123"), c("APPEND", "k", "4"),
                c("SETBIT", "k", "0", "0"), c("INCR", "k"));
        for (String[] cmd : script) {
            r(cmd);
            for (String[] check : afterEach) r(check);
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void keyFlagsAndMetadata() throws Exception {
        // Key-spec notes are prose in our own words; whether there is one still counts.
        diff.normalize(ServerDifferentialTest.NOTES_TEXT);
        all(List.of(
                c("COMMAND", "GETKEYSANDFLAGS", "BITFIELD", "k", "GET", "u8", "0"),
                c("COMMAND", "GETKEYSANDFLAGS", "BITFIELD", "k", "OVERFLOW", "SAT", "GET", "u8", "0"),
                c("COMMAND", "GETKEYSANDFLAGS", "BITFIELD", "k", "GET", "u8", "0", "SET", "u8", "0", "1"),
                c("COMMAND", "GETKEYSANDFLAGS", "BITFIELD", "k", "INCRBY", "u8", "0", "1"),
                c("COMMAND", "GETKEYSANDFLAGS", "BITFIELD", "k", "BOGUS"), c("COMMAND", "GETKEYSANDFLAGS", "BITFIELD", "k"),
                c("COMMAND", "GETKEYSANDFLAGS", "BITFIELD_RO", "k", "GET", "u8", "0"),
                c("COMMAND", "GETKEYSANDFLAGS", "BITOP", "AND", "d", "a", "b", "c"),
                c("COMMAND", "GETKEYSANDFLAGS", "SETBIT", "k", "1", "1"), c("COMMAND", "GETKEYS", "BITCOUNT", "k"),
                c("COMMAND", "GETKEYS", "BITPOS", "k", "1", "0"), c("COMMAND", "GETKEYS", "GETBIT", "k", "0"),
                c("COMMAND", "INFO", "setbit", "getbit", "bitcount", "bitpos", "bitop", "bitfield", "bitfield_ro")));
        assertThat(diff.mismatches()).isEmpty();
        // Redis lists in dict order, so the names are compared as sets.
        try (RespConnection a = new RespConnection(ours.port()); RespConnection b = new RespConnection(ref.port())) {
            @SuppressWarnings("unchecked") List<Object> mine = (List<Object>) Resp.parse(a.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "bitmap"));
            @SuppressWarnings("unchecked") List<Object> theirs = (List<Object>) Resp.parse(b.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "bitmap"));
            assertThat(mine).hasSize(7).containsExactlyInAnyOrderElementsOf(theirs);
        }
    }

    // ------------------------------------------------------------ random sequences

    private static final String[] TYPES = {"i1", "u1", "i5", "u7", "i8", "u8", "i13", "u16", "i32", "u33", "i63", "u63", "i64"};

    @Test
    void seededRandomSequences() throws Exception {
        for (long seed : new long[] {1, 20260301L, 987654321L}) {
            Random rnd = new Random(seed);
            String[] keys = {"k1", "k2", "k3", "{t}k"};
            List<String[]> script = new ArrayList<>();
            for (int i = 0; i < 1500; i++) {
                String k = keys[rnd.nextInt(keys.length)], k2 = keys[rnd.nextInt(keys.length)],
                        k3 = keys[rnd.nextInt(keys.length)];
                String pos = s(rnd.nextInt(400));
                String idx = s(rnd.nextInt(60) - 30), idx2 = s(rnd.nextInt(60) - 30);
                script.add(switch (rnd.nextInt(17)) {
                    case 0, 1 -> c("SETBIT", k, pos, s(rnd.nextInt(2)));
                    case 2 -> c("GETBIT", k, pos);
                    case 3 -> rnd.nextBoolean() ? c("BITCOUNT", k) : c("BITCOUNT", k, idx, idx2, rnd.nextBoolean() ? "BIT" : "BYTE");
                    case 4 -> c("BITCOUNT", k, idx, idx2);
                    case 5 -> switch (rnd.nextInt(4)) {
                        case 0 -> c("BITPOS", k, s(rnd.nextInt(2)));
                        case 1 -> c("BITPOS", k, s(rnd.nextInt(2)), idx);
                        case 2 -> c("BITPOS", k, s(rnd.nextInt(2)), idx, idx2);
                        default -> c("BITPOS", k, s(rnd.nextInt(2)), s(rnd.nextInt(300) - 150), s(rnd.nextInt(300) - 150), "BIT");
                    };
                    case 6 -> {
                        String op = new String[] {"AND", "OR", "XOR", "NOT"}[rnd.nextInt(4)];
                        yield op.equals("NOT") ? c("BITOP", op, k, k2)
                                : rnd.nextBoolean() ? c("BITOP", op, k, k2, k3) : c("BITOP", op, k3, k, k2, "nokey");
                    }
                    case 7, 8 -> randomBitfield(rnd, k);
                    case 9 -> c("GET", k);
                    case 10 -> c("SET", k, new String[] {"", "0", "42", "-7", "abc", "\u00ff\u0000\u00aa", "9223372036854775807",
                        "x".repeat(50)}[rnd.nextInt(8)]);
                    case 11 -> c("APPEND", k, new String[] {"", "1", "\u0080", "zz"}[rnd.nextInt(4)]);
                    case 12 -> c("SETRANGE", k, s(rnd.nextInt(40)), randomBytes(rnd, rnd.nextInt(5)));
                    case 13 -> c("STRLEN", k);
                    case 14 -> c("DEL", k);
                    case 15 -> c("BITFIELD_RO", k, "GET", TYPES[rnd.nextInt(TYPES.length)], s(rnd.nextInt(300)));
                    default -> c("INCR", k);
                });
            }
            script.add(c("MGET", "k1", "k2", "k3", "{t}k"));
            all(script);
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    private static String[] randomBitfield(Random rnd, String key) {
        List<String> cmd = new ArrayList<>(List.of("BITFIELD", key));
        int ops = 1 + rnd.nextInt(3);
        for (int j = 0; j < ops; j++) {
            if (rnd.nextInt(4) == 0) {
                cmd.add("OVERFLOW");
                cmd.add(new String[] {"WRAP", "SAT", "FAIL"}[rnd.nextInt(3)]);
            }
            String type = TYPES[rnd.nextInt(TYPES.length)];
            String offset = rnd.nextInt(4) == 0 ? "#" + rnd.nextInt(8) : s(rnd.nextInt(300));
            long value = switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextInt(20) - 10;
                case 1 -> rnd.nextLong();
                case 2 -> rnd.nextInt(600) - 300;
                default -> rnd.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
            };
            switch (rnd.nextInt(3)) {
                case 0 -> cmd.addAll(List.of("GET", type, offset));
                case 1 -> cmd.addAll(List.of("SET", type, offset, s(value)));
                default -> cmd.addAll(List.of("INCRBY", type, offset, s(value)));
            }
        }
        return cmd.toArray(String[]::new);
    }
}
