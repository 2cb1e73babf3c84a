package io.jackdaw.types;

import java.nio.charset.StandardCharsets;

/**
 * Redis's glob matching (KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE, COMMAND LIST PATTERN):
 * {@code *}, {@code ?}, {@code [abc]}, {@code [^a-z]}, and {@code \} to escape, with the same
 * corner cases (an unterminated class, reversed ranges) and the same guard against
 * patterns that would backtrack without end.
 */
public final class Glob {
    private Glob() {}

    public static boolean match(String pattern, String s, boolean nocase) {
        byte[] p = pattern.getBytes(StandardCharsets.UTF_8), b = s.getBytes(StandardCharsets.UTF_8);
        return match(p, 0, p.length, b, 0, b.length, nocase);
    }

    public static boolean match(byte[] p, int pOff, int pLen, byte[] s, int sOff, int sLen, boolean nocase) {
        boolean[] skipLonger = new boolean[1];
        return match(p, pOff, pOff + pLen, s, sOff, sOff + sLen, nocase, skipLonger, 0);
    }

    private static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

    private static boolean match(byte[] pat, int p, int pEnd, byte[] str, int s, int sEnd, boolean nocase,
                                 boolean[] skipLonger, int nesting) {
        if (nesting > 1000) return false;
        while (p < pEnd && s < sEnd) {
            switch (pat[p]) {
                case '*' -> {
                    while (p + 1 < pEnd && pat[p + 1] == '*') p++;
                    if (p + 1 == pEnd) return true;
                    while (s < sEnd) {
                        if (match(pat, p + 1, pEnd, str, s, sEnd, nocase, skipLonger, nesting + 1)) return true;
                        if (skipLonger[0]) return false;
                        s++;
                    }
                    // Nothing after this star matched anywhere: earlier stars cannot help either.
                    skipLonger[0] = true;
                    return false;
                }
                case '?' -> s++;
                case '[' -> {
                    p++;
                    boolean not = p < pEnd && pat[p] == '^';
                    if (not) p++;
                    boolean matched = false;
                    while (true) {
                        if (p < pEnd && pat[p] == '\\' && pEnd - p >= 2) {
                            p++;
                            if (pat[p] == str[s]) matched = true;
                        } else if (p < pEnd && pat[p] == ']') {
                            break;
                        } else if (p >= pEnd) {
                            p--; // unterminated: step back so the loop below ends the pattern
                            break;
                        } else if (pEnd - p >= 3 && pat[p + 1] == '-') {
                            // Signed, as Redis compares C chars on x86-64: [a-\xff] is the range -1..'a'.
                            int start = pat[p], end = pat[p + 2], c = str[s];
                            if (start > end) { int t = start; start = end; end = t; }
                            if (nocase) { start = lower(start); end = lower(end); c = lower(c); }
                            p += 2;
                            if (c >= start && c <= end) matched = true;
                        } else if (nocase ? lower(pat[p] & 0xFF) == lower(str[s] & 0xFF) : pat[p] == str[s]) {
                            matched = true;
                        }
                        p++;
                    }
                    if (not) matched = !matched;
                    if (!matched) return false;
                    s++;
                }
                default -> {
                    if (pat[p] == '\\' && pEnd - p >= 2) p++;
                    boolean eq = nocase ? lower(pat[p] & 0xFF) == lower(str[s] & 0xFF) : pat[p] == str[s];
                    if (!eq) return false;
                    s++;
                }
            }
            p++;
            if (s == sEnd) {
                while (p < pEnd && pat[p] == '*') p++;
                break;
            }
        }
        return p >= pEnd && s == sEnd;
    }
}
