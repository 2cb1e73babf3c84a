package io.jackdaw.server.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The directive catalogue, read once from the {@code directives.tsv} resource next to this class. */
final class DirectiveTable {
    static final String RESOURCE = "directives.tsv";
    private static final List<String> HEADER =
            List.of("name", "aliases", "type", "default", "min", "max", "mutability", "enum_values");
    private static final Set<String> KNOWN_FLAGS = Set.of("IMMUTABLE_CONFIG", "PROTECTED_CONFIG", "DEBUG_CONFIG",
            "HIDDEN_CONFIG", "MULTI_ARG_CONFIG", "SENSITIVE_CONFIG", "VOLATILE_CONFIG", "DENY_LOADING_CONFIG",
            "EMPTY_STRING_IS_NULL", "CONFIG_FILE_ONLY", "DEPRECATED_CONFIG");
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private static volatile DirectiveTable standard;

    private final List<Directive> directives;
    /** Every name and alias (lower case) in table order; CONFIG GET patterns walk this. */
    private final List<String> keys;
    private final Map<String, Directive> byKey;

    private DirectiveTable(List<Directive> directives) {
        this.directives = List.copyOf(directives);
        Map<String, Directive> map = new LinkedHashMap<>();
        List<String> keyList = new ArrayList<>();
        for (Directive d : directives) {
            for (String key : concat(d.name(), d.aliases())) {
                if (map.putIfAbsent(key, d) != null) {
                    throw new IllegalStateException(RESOURCE + ": duplicate directive name " + key);
                }
                keyList.add(key);
            }
        }
        this.byKey = Collections.unmodifiableMap(map);
        this.keys = List.copyOf(keyList);
    }

    static DirectiveTable standard() {
        DirectiveTable t = standard;
        if (t == null) {
            synchronized (DirectiveTable.class) {
                t = standard;
                if (t == null) {
                    try (InputStream in = DirectiveTable.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("missing resource " + RESOURCE);
                        }
                        t = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    standard = t;
                }
            }
        }
        return t;
    }

    List<Directive> directives() {
        return directives;
    }

    List<String> keys() {
        return keys;
    }

    /** Case-insensitive lookup of a name or alias, file-only and deprecated rows included. */
    Directive lookup(String name) {
        return name == null ? null : byKey.get(RedisStrings.lower(name));
    }

    /** Lookup restricted to what CONFIG GET/SET know about. */
    Directive lookupStandard(String name) {
        Directive d = lookup(name);
        return d != null && d.isStandard() ? d : null;
    }

    static DirectiveTable parse(String text) {
        List<Directive> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new java.io.StringReader(text))) {
            String header = r.readLine();
            if (header == null || !Arrays.asList(header.split("\t", -1)).equals(HEADER)) {
                throw new IllegalStateException(RESOURCE + ": unexpected header " + header);
            }
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(parseRow(line.split("\t", -1)));
                } catch (RuntimeException e) {
                    throw new IllegalStateException(RESOURCE + " line " + lineNo + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DirectiveTable(out);
    }

    private static Directive parseRow(String[] cols) {
        if (cols.length != HEADER.size()) {
            throw new IllegalArgumentException("expected " + HEADER.size() + " columns, got " + cols.length);
        }
        String name = cols[0].trim();
        List<String> aliases = dashOrList(cols[1]);
        Directive.Type type = Directive.Type.valueOf(cols[2].trim().toUpperCase(Locale.ROOT));
        String dflt = cols[3].equals("\"\"") ? "" : cols[3];
        long min = 0;
        long max = 0;
        boolean unsigned = false;
        if (!cols[4].equals("-")) {
            min = Long.parseLong(cols[4]);
            BigInteger hi = new BigInteger(cols[5]);
            // Only the unsigned long long configs exceed LONG_MAX; they keep their raw 64-bit pattern.
            unsigned = hi.compareTo(LONG_MAX) > 0;
            max = hi.longValue();
        }
        Set<String> flags = new HashSet<>(dashOrList(cols[6]));
        for (String f : flags) {
            if (!KNOWN_FLAGS.contains(f)) {
                throw new IllegalArgumentException("unknown flag " + f);
            }
        }
        List<Directive.EnumValue> enums = new ArrayList<>();
        List<String> enumCells = dashOrList(cols[7]);
        for (int i = 0; i < enumCells.size(); i++) {
            String cell = enumCells.get(i);
            int eq = cell.indexOf('=');
            // Without an explicit number the position is the value, which is enough where names never share one.
            enums.add(eq < 0 ? new Directive.EnumValue(cell, i)
                    : new Directive.EnumValue(cell.substring(0, eq), Integer.parseInt(cell.substring(eq + 1))));
        }
        if ((type == Directive.Type.ENUM || type == Directive.Type.FLAGS) && enums.isEmpty()) {
            throw new IllegalArgumentException(name + ": enum without values");
        }
        return new Directive(name, aliases, type, dflt, min, max, unsigned, flags, enums);
    }

    private static List<String> dashOrList(String cell) {
        String c = cell.trim();
        if (c.equals("-") || c.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(c.split(",")).map(String::trim).toList();
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    @Override
    public String toString() {
        return "DirectiveTable[" + directives.size() + " directives]";
    }
}
