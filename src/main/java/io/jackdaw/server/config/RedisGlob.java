package io.jackdaw.server.config;

/**
 * Redis's glob matcher (stringmatchlen): {@code *}, {@code ?}, {@code [...]} with ranges and {@code ^}
 * negation, and backslash escapes. An unterminated {@code [} class is tolerated the way Redis tolerates it.
 */
final class RedisGlob {
    private RedisGlob() {
    }

    static boolean matches(String pattern, String string, boolean noCase) {
        boolean[] skipLonger = new boolean[1];
        return match(pattern, 0, string, 0, noCase, skipLonger);
    }

    private static char fold(char c, boolean noCase) {
        return noCase && c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    private static boolean match(String pat, int p, String str, int s, boolean noCase, boolean[] skipLonger) {
        int pl = pat.length();
        int sl = str.length();
        while (p < pl && s < sl) {
            char pc = pat.charAt(p);
            switch (pc) {
                case '*' -> {
                    while (p + 1 < pl && pat.charAt(p + 1) == '*') {
                        p++;
                    }
                    if (p + 1 == pl) {
                        return true;
                    }
                    while (s < sl) {
                        if (match(pat, p + 1, str, s, noCase, skipLonger)) {
                            return true;
                        }
                        // Once a tail failed at every position, longer '*' spans cannot help either.
                        if (skipLonger[0]) {
                            return false;
                        }
                        s++;
                    }
                    skipLonger[0] = true;
                    return false;
                }
                case '?' -> s++;
                case '[' -> {
                    p++;
                    boolean not = p < pl && pat.charAt(p) == '^';
                    if (not) {
                        p++;
                    }
                    boolean matched = false;
                    char c = str.charAt(s);
                    while (true) {
                        if (p < pl && pat.charAt(p) == '\\' && pl - p >= 2) {
                            p++;
                            if (pat.charAt(p) == c) {
                                matched = true;
                            }
                        } else if (p < pl && pat.charAt(p) == ']') {
                            break;
                        } else if (p >= pl) {
                            // Unterminated class: step back so the outer loop ends cleanly.
                            p--;
                            break;
                        } else if (pl - p >= 3 && pat.charAt(p + 1) == '-') {
                            char start = pat.charAt(p);
                            char end = pat.charAt(p + 2);
                            char cc = c;
                            if (start > end) {
                                char t = start;
                                start = end;
                                end = t;
                            }
                            if (noCase) {
                                start = fold(start, true);
                                end = fold(end, true);
                                cc = fold(cc, true);
                            }
                            p += 2;
                            if (cc >= start && cc <= end) {
                                matched = true;
                            }
                        } else if (fold(pat.charAt(p), noCase) == fold(c, noCase)) {
                            matched = true;
                        }
                        p++;
                    }
                    if (not) {
                        matched = !matched;
                    }
                    if (!matched) {
                        return false;
                    }
                    s++;
                }
                case '\\' -> {
                    if (pl - p >= 2) {
                        p++;
                    }
                    if (fold(pat.charAt(p), noCase) != fold(str.charAt(s), noCase)) {
                        return false;
                    }
                    s++;
                }
                default -> {
                    if (fold(pc, noCase) != fold(str.charAt(s), noCase)) {
                        return false;
                    }
                    s++;
                }
            }
            p++;
            if (s == sl) {
                while (p < pl && pat.charAt(p) == '*') {
                    p++;
                }
                break;
            }
        }
        return p == pl && s == sl;
    }
}
