package io.jackdaw.server.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parsing, validation and printing of directive values with Redis 7.2's rules and error texts.
 *
 * <p>Values are kept in the form CONFIG GET prints them; {@code null} stands for a string directive
 * that is unset (EMPTY_STRING_IS_NULL), which matters to CONFIG REWRITE.
 */
final class ValueRules {
    private ValueRules() {
    }

    /** A rejected value; the message is Redis's reason text. */
    static final class BadValue extends Exception {
        private static final long serialVersionUID = 1L;

        BadValue(String reason) {
            super(reason, null, false, false);
        }
    }

    /** What a setter may need beyond the directive and its arguments. */
    interface Context {
        /** True while a config file or the argv pseudo-file is being read (affects save). */
        boolean readingConfigFile();

        /** True the first time it is asked during one load: the first save line replaces the defaults. */
        boolean firstSaveOfLoad();

        /** The current value of another directive, by canonical name. */
        String value(String canonicalName);

        /** Whether dir must exist on disk (tests may parse configs that name foreign paths). */
        boolean touchFilesystem();
    }

    static final int BINDADDR_MAX = 16;
    private static final int LOADBUF_SIZE = 256;
    private static final String DEFAULT_OBUF = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";

    /** Applies the arguments to a directive and returns its new stored value. */
    static String set(Directive d, List<String> args, String current, Context ctx) throws BadValue {
        return switch (d.type()) {
            case BOOL -> setBool(args.get(0));
            case INT, LONG, MEMORY, PERCENT, OCTAL -> setNumeric(d, args.get(0));
            case ENUM -> setEnum(d, args);
            case FLAGS -> setFlags(d, args);
            case STRING, SDS -> setString(d, args.get(0), ctx);
            case SPECIAL -> setSpecial(d, args, current, ctx);
        };
    }

    /** The stored value a directive starts with. */
    static String defaultValue(Directive d, Path workingDirectory) {
        if (d.name().equals("dir")) {
            return canonicalDir(workingDirectory);
        }
        if ((d.type() == Directive.Type.STRING || d.type() == Directive.Type.SDS)
                && d.hasFlag("EMPTY_STRING_IS_NULL") && d.defaultValue().isEmpty()) {
            return null;
        }
        return d.defaultValue();
    }

    // ---- bool -------------------------------------------------------------------------------------

    private static String setBool(String v) throws BadValue {
        String l = RedisStrings.lower(v);
        if (l.equals("yes") || l.equals("no")) {
            return l;
        }
        throw new BadValue("argument must be 'yes' or 'no'");
    }

    // ---- numbers ----------------------------------------------------------------------------------

    private static String setNumeric(Directive d, String v) throws BadValue {
        long value = parseNumber(d, v);
        checkBounds(d, value);
        if (d.name().equals("hz")) {
            // Redis treats hz as a hint and silently clamps it.
            value = Math.max(1, Math.min(500, value));
        }
        return formatNumber(d, value);
    }

    private static long parseNumber(Directive d, String v) throws BadValue {
        Directive.Type t = d.type();
        if (t == Directive.Type.MEMORY || t == Directive.Type.PERCENT) {
            Long m = RedisStrings.memtoull(v);
            if (m != null) {
                return m;
            }
        }
        if (t == Directive.Type.PERCENT && v.length() > 1 && v.endsWith("%")) {
            Long p = RedisStrings.string2ll(v.substring(0, v.length() - 1));
            if (p != null && p >= 0) {
                // Redis stores a percentage as its negation.
                return -p;
            }
        }
        if (t == Directive.Type.OCTAL) {
            RedisStrings.Strtol r = RedisStrings.strtoll(v, 8);
            if (!r.overflow() && r.consumedAll(v)) {
                return r.value();
            }
        }
        if (t == Directive.Type.INT || t == Directive.Type.LONG) {
            Long l = RedisStrings.string2ll(v);
            if (l != null) {
                return l;
            }
        }
        throw new BadValue(switch (t) {
            case PERCENT -> "argument must be a memory or percent value";
            case MEMORY -> "argument must be a memory value";
            case OCTAL -> "argument couldn't be parsed as an octal number";
            default -> "argument couldn't be parsed into an integer";
        });
    }

    private static void checkBounds(Directive d, long v) throws BadValue {
        if (d.unsignedRange()) {
            if (Long.compareUnsigned(v, d.max()) > 0 || Long.compareUnsigned(v, d.min()) < 0) {
                throw new BadValue("argument must be between " + Long.toUnsignedString(d.min()) + " and "
                        + Long.toUnsignedString(d.max()) + " inclusive");
            }
            return;
        }
        if (d.type() == Directive.Type.PERCENT && v < 0) {
            if (v < d.min()) {
                throw new BadValue("percentage argument must be less or equal to " + (-d.min()));
            }
            return;
        }
        if (v > d.max() || v < d.min()) {
            String lo = d.type() == Directive.Type.OCTAL ? Long.toOctalString(d.min()) : Long.toString(d.min());
            String hi = d.type() == Directive.Type.OCTAL ? Long.toOctalString(d.max()) : Long.toString(d.max());
            throw new BadValue("argument must be between " + lo + " and " + hi + " inclusive");
        }
    }

    static String formatNumber(Directive d, long v) {
        return switch (d.type()) {
            case PERCENT -> v < 0 ? (-v) + "%" : Long.toUnsignedString(v);
            case MEMORY -> Long.toUnsignedString(v);
            case OCTAL -> Long.toOctalString(v);
            default -> Long.toString(v);
        };
    }

    /** Reads a stored numeric value back (percentages come back negative, as Redis keeps them). */
    static long numericValue(Directive d, String stored) {
        return switch (d.type()) {
            case PERCENT -> stored.endsWith("%")
                    ? -Long.parseLong(stored.substring(0, stored.length() - 1))
                    : Long.parseUnsignedLong(stored);
            case MEMORY -> Long.parseUnsignedLong(stored);
            case OCTAL -> Long.parseLong(stored, 8);
            default -> Long.parseLong(stored);
        };
    }

    // ---- enums ------------------------------------------------------------------------------------

    private static BadValue enumError(Directive d) {
        StringBuilder sb = new StringBuilder("argument(s) must be one of the following: ");
        for (int i = 0; i < d.enumValues().size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(d.enumValues().get(i).name());
        }
        // Redis formats this into a 256-byte buffer.
        String s = sb.toString();
        return new BadValue(s.length() > LOADBUF_SIZE - 1 ? s.substring(0, LOADBUF_SIZE - 1) : s);
    }

    private static Integer enumLookup(Directive d, String arg) {
        Integer found = null;
        for (Directive.EnumValue ev : d.enumValues()) {
            if (RedisStrings.lower(arg).equals(RedisStrings.lower(ev.name()))) {
                found = found == null ? ev.value() : found | ev.value();
            }
        }
        return found;
    }

    private static String setEnum(Directive d, List<String> args) throws BadValue {
        Integer v = args.size() == 1 ? enumLookup(d, args.get(0)) : null;
        if (v == null) {
            throw enumError(d);
        }
        return enumName(d, v, false);
    }

    private static String setFlags(Directive d, List<String> args) throws BadValue {
        if (args.isEmpty()) {
            throw enumError(d);
        }
        int v = 0;
        for (String a : args) {
            Integer one = enumLookup(d, a);
            if (one == null) {
                throw enumError(d);
            }
            v |= one;
        }
        if (d.name().startsWith("shutdown-on-sig") && (v & 1) != 0 && (v & 2) != 0) {
            throw new BadValue("shutdown options SAVE and NOSAVE can't be used simultaneously");
        }
        return enumName(d, v, true);
    }

    /** configEnumGetName: an exact match wins, otherwise (for flags) the names covering the bits in table order. */
    static String enumName(Directive d, int value, boolean bitflags) {
        StringBuilder names = null;
        int unmatched = value;
        for (Directive.EnumValue ev : d.enumValues()) {
            if (ev.value() == value) {
                return ev.name();
            }
            if (bitflags && ev.value() != 0 && (unmatched & ev.value()) == ev.value()) {
                names = names == null ? new StringBuilder(ev.name()) : names.append(' ').append(ev.name());
                unmatched &= ~ev.value();
            }
        }
        return names == null || unmatched != 0 ? "unknown" : names.toString();
    }

    static int enumValue(Directive d, String stored) {
        int v = 0;
        for (String part : stored.split(" ")) {
            Integer one = enumLookup(d, part);
            v |= one == null ? 0 : one;
        }
        return v;
    }

    // ---- strings ----------------------------------------------------------------------------------

    private static String setString(Directive d, String v, Context ctx) throws BadValue {
        validateString(d.name(), v, ctx);
        if (v.isEmpty() && d.hasFlag("EMPTY_STRING_IS_NULL")) {
            return null;
        }
        return v;
    }

    private static void validateString(String name, String v, Context ctx) throws BadValue {
        switch (name) {
            case "dbfilename" -> {
                // Redis 7.2 only refuses paths here; Valkey's extra "can't be empty" check is not applied.
                if (v.indexOf('/') >= 0 || v.indexOf('\\') >= 0) {
                    throw new BadValue("dbfilename can't be a path, just a filename");
                }
            }
            case "appendfilename" -> checkBaseName(v, "appendfilename", "filename");
            case "appenddirname" -> checkBaseName(v, "appenddirname", "dirname");
            case "cluster-announce-hostname" -> {
                if (v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 256) {
                    throw new BadValue("Hostnames must be less than 256 characters");
                }
                for (int i = 0; i < v.length(); i++) {
                    char c = v.charAt(i);
                    if (!(isAsciiAlnum(c) || c == '-' || c == '.')) {
                        throw new BadValue("Hostnames may only contain alphanumeric characters, hyphens or dots");
                    }
                }
            }
            case "cluster-announce-human-nodename" -> {
                for (int i = 0; i < v.length(); i++) {
                    if ("!#$%&()*+:;<>?@[]^{|}~".indexOf(v.charAt(i)) >= 0) {
                        throw new BadValue("Announced human node name contained invalid character");
                    }
                }
            }
            case "proc-title-template" -> {
                if (!validProcTitleTemplate(v, ctx)) {
                    throw new BadValue("template format is invalid or contains unknown variables");
                }
            }
            case "cluster-announce-client-ipv4" -> {
                if (!v.isEmpty() && !isIpv4(v)) {
                    throw new BadValue("Invalid IPv4 address");
                }
            }
            case "cluster-announce-client-ipv6" -> {
                if (!v.isEmpty() && !isIpv6(v)) {
                    throw new BadValue("Invalid IPv6 address");
                }
            }
            default -> {
            }
        }
    }

    private static void checkBaseName(String v, String what, String noun) throws BadValue {
        if (v.isEmpty()) {
            throw new BadValue(what + " can't be empty");
        }
        if (v.indexOf('/') >= 0 || v.indexOf('\\') >= 0) {
            throw new BadValue(what + " can't be a path, just a " + noun);
        }
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** Expands the template the way the process title code would; unknown variables or an empty result fail. */
    private static boolean validProcTitleTemplate(String template, Context ctx) {
        StringBuilder out = new StringBuilder();
        int p = 0;
        while (p < template.length()) {
            int open = template.indexOf('{', p);
            if (open < 0) {
                out.append(template, p, template.length());
                break;
            }
            out.append(template, p, open);
            if (open + 1 >= template.length()) {
                return false;
            }
            if (template.charAt(open + 1) == '{') {
                out.append('{');
                p = open + 2;
                continue;
            }
            int close = template.indexOf('}', open + 1);
            if (close < 0) {
                return false;
            }
            String var = template.substring(open + 1, close);
            String value = switch (var) {
                case "title" -> "";
                case "listen-addr" -> "*:0";
                case "server-mode" -> "yes".equals(ctx.value("cluster-enabled")) ? "[cluster]" : "";
                case "config-file" -> "-";
                case "port", "tls-port" -> "0";
                case "unixsocket" -> "";
                default -> null;
            };
            if (value == null) {
                return false;
            }
            out.append(value);
            p = close + 1;
        }
        return !RedisStrings.trim(out.toString(), " ").isEmpty();
    }

    private static boolean isIpv4(String v) {
        String[] parts = v.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
            if (Integer.parseInt(part) > 255 || (part.length() > 1 && part.charAt(0) == '0')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String v) {
        if (v.indexOf(':') < 0 || !v.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
            return false;
        }
        try {
            // With only hex digits, colons and dots this is a literal and never triggers a DNS lookup.
            return java.net.InetAddress.getByName(v) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    // ---- special directives -------------------------------------------------------------------------

    private static String setSpecial(Directive d, List<String> args, String current, Context ctx) throws BadValue {
        return switch (d.name()) {
            case "dir" -> setDir(args, current, ctx);
            case "save" -> setSave(args, current, ctx);
            case "client-output-buffer-limit" -> setOutputBufferLimit(args, current);
            case "oom-score-adj-values" -> setOomScoreAdjValues(args);
            case "notify-keyspace-events" -> setNotifyKeyspaceEvents(args);
            case "bind" -> setBind(args);
            case "replicaof" -> setReplicaOf(args);
            case "latency-tracking-info-percentiles" -> setPercentiles(args);
            default -> throw new IllegalStateException("no setter for special directive " + d.name());
        };
    }

    static String canonicalDir(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath().toString();
        } catch (IOException e) {
            return abs.toString();
        }
    }

    /** Redis chdir()s; Jackdaw cannot, so it records the directory and resolves relative paths against it. */
    private static String setDir(List<String> args, String current, Context ctx) throws BadValue {
        if (args.size() != 1) {
            throw new BadValue("wrong number of arguments");
        }
        String arg = args.get(0);
        if (arg.isEmpty()) {
            // chdir("") fails with ENOENT.
            throw new BadValue("No such file or directory");
        }
        Path target;
        try {
            target = Path.of(current).resolve(arg);
        } catch (java.nio.file.InvalidPathException e) {
            throw new BadValue("No such file or directory");
        }
        if (ctx.touchFilesystem()) {
            try {
                if (!Files.isDirectory(target)) {
                    throw Files.exists(target) ? new NotDirectoryException(arg) : new NoSuchFileException(arg);
                }
                if (!Files.isExecutable(target)) {
                    throw new AccessDeniedException(arg);
                }
                return target.toRealPath().toString();
            } catch (IOException e) {
                throw new BadValue(strerror(e));
            }
        }
        return target.toAbsolutePath().normalize().toString();
    }

    private static String setSave(List<String> args, String current, Context ctx) throws BadValue {
        String cur = current;
        List<String> a = args;
        if (a.size() == 1 && a.get(0).isEmpty()) {
            cur = "";
            a = List.of();
        }
        if (a.size() % 2 != 0) {
            throw new BadValue("Invalid save parameters");
        }
        long[] nums = new long[a.size()];
        for (int j = 0; j < a.size(); j++) {
            RedisStrings.Strtol r = RedisStrings.strtoll(a.get(j), 10);
            if (!r.consumedAll(a.get(j)) || (j % 2 == 0 && r.value() < 1) || (j % 2 == 1 && r.value() < 0)) {
                throw new BadValue("Invalid save parameters");
            }
            nums[j] = r.value();
        }
        // In files, consecutive save lines add up; the first one drops the built-in defaults.
        if (!ctx.readingConfigFile() || ctx.firstSaveOfLoad()) {
            cur = "";
        }
        StringBuilder sb = new StringBuilder(cur);
        for (int j = 0; j < nums.length; j += 2) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            // Redis keeps the change count in an int.
            sb.append(nums[j]).append(' ').append((int) nums[j + 1]);
        }
        return sb.toString();
    }

    /** The three classes' limits as {hard, soft, seconds} triples: normal, replica, pubsub. */
    static long[][] outputBufferLimits(String stored) {
        String[] t = stored.split(" ");
        long[][] out = new long[3][3];
        for (int c = 0; c < 3; c++) {
            out[c][0] = Long.parseUnsignedLong(t[c * 4 + 1]);
            out[c][1] = Long.parseUnsignedLong(t[c * 4 + 2]);
            out[c][2] = Long.parseLong(t[c * 4 + 3]);
        }
        return out;
    }

    static String defaultOutputBufferLimits() {
        return DEFAULT_OBUF;
    }

    private static String setOutputBufferLimit(List<String> args, String current) throws BadValue {
        if (args.size() % 4 != 0) {
            throw new BadValue("Wrong number of arguments in buffer limit configuration.");
        }
        long[][] limits = outputBufferLimits(current);
        long[][] updates = new long[3][];
        for (int j = 0; j < args.size(); j += 4) {
            int cls = switch (RedisStrings.lower(args.get(j))) {
                case "normal" -> 0;
                case "slave", "replica" -> 1;
                case "pubsub" -> 2;
                default -> -1;
            };
            if (cls < 0) {
                throw new BadValue("Invalid client class specified in buffer limit configuration.");
            }
            Long hard = RedisStrings.memtoull(args.get(j + 1));
            Long soft = RedisStrings.memtoull(args.get(j + 2));
            RedisStrings.Strtol secs = RedisStrings.strtoll(args.get(j + 3), 10);
            int seconds = (int) secs.value();
            if (hard == null || soft == null || seconds < 0 || !secs.consumedAll(args.get(j + 3))) {
                throw new BadValue("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            updates[cls] = new long[] {hard, soft, seconds};
        }
        for (int c = 0; c < 3; c++) {
            if (updates[c] != null) {
                limits[c] = updates[c];
            }
        }
        return formatOutputBufferLimits(limits);
    }

    static String formatOutputBufferLimits(long[][] limits) {
        String[] names = {"normal", "slave", "pubsub"};
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < 3; c++) {
            if (c > 0) {
                sb.append(' ');
            }
            sb.append(names[c]).append(' ').append(Long.toUnsignedString(limits[c][0])).append(' ')
                    .append(Long.toUnsignedString(limits[c][1])).append(' ').append(limits[c][2]);
        }
        return sb.toString();
    }

    private static String setOomScoreAdjValues(List<String> args) throws BadValue {
        if (args.size() != 3) {
            throw new BadValue("wrong number of arguments");
        }
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            RedisStrings.Strtol r = RedisStrings.strtoll(a, 10);
            if (!r.consumedAll(a) || r.value() < -2000 || r.value() > 2000) {
                throw new BadValue("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
            }
            sb.append(sb.isEmpty() ? "" : " ").append(r.value());
        }
        return sb.toString();
    }

    // Bits as in Redis's notify.c, so that the canonical spelling comes out in Redis's order.
    private static final int K = 1, E = 1 << 1, G = 1 << 2, STR = 1 << 3, L = 1 << 4, S = 1 << 5, H = 1 << 6,
            Z = 1 << 7, X = 1 << 8, EV = 1 << 9, T = 1 << 10, M = 1 << 11, D = 1 << 13, N = 1 << 14;
    private static final int ALL = G | STR | L | S | H | Z | X | EV | T | D;

    private static String setNotifyKeyspaceEvents(List<String> args) throws BadValue {
        if (args.size() != 1) {
            throw new BadValue("wrong number of arguments");
        }
        int flags = 0;
        for (char c : args.get(0).toCharArray()) {
            flags |= switch (c) {
                case 'A' -> ALL;
                case 'g' -> G;
                case '$' -> STR;
                case 'l' -> L;
                case 's' -> S;
                case 'h' -> H;
                case 'z' -> Z;
                case 'x' -> X;
                case 'e' -> EV;
                case 'K' -> K;
                case 'E' -> E;
                case 't' -> T;
                case 'm' -> M;
                case 'd' -> D;
                case 'n' -> N;
                default -> throw new BadValue("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
            };
        }
        StringBuilder sb = new StringBuilder();
        if ((flags & ALL) == ALL) {
            sb.append('A');
        } else {
            int[] bits = {G, STR, L, S, H, Z, X, EV, T, D, N};
            String chars = "g$lshzxetdn";
            for (int i = 0; i < bits.length; i++) {
                if ((flags & bits[i]) != 0) {
                    sb.append(chars.charAt(i));
                }
            }
        }
        if ((flags & K) != 0) {
            sb.append('K');
        }
        if ((flags & E) != 0) {
            sb.append('E');
        }
        if ((flags & M) != 0) {
            sb.append('m');
        }
        return sb.toString();
    }

    private static String setBind(List<String> args) throws BadValue {
        if (args.size() > BINDADDR_MAX) {
            throw new BadValue("Too many bind addresses specified.");
        }
        if (args.size() == 1 && args.get(0).isEmpty()) {
            return "";
        }
        return String.join(" ", args);
    }

    private static String setReplicaOf(List<String> args) throws BadValue {
        if (args.size() != 2) {
            throw new BadValue("wrong number of arguments");
        }
        if (args.get(0).equalsIgnoreCase("no") && args.get(1).equalsIgnoreCase("one")) {
            return "";
        }
        RedisStrings.Strtol port = RedisStrings.strtoll(args.get(1), 10);
        if (port.value() < 0 || port.value() > 65535 || !port.consumedAll(args.get(1))) {
            throw new BadValue("Invalid master port");
        }
        return args.get(0) + " " + port.value();
    }

    private static String setPercentiles(List<String> args) throws BadValue {
        if (args.size() == 1 && args.get(0).isEmpty()) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (String a : args) {
            Double d = RedisStrings.string2d(a);
            if (d == null) {
                throw new BadValue("Invalid latency-tracking-info-percentiles parameters");
            }
            if (d > 100.0 || d < 0.0) {
                throw new BadValue("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
            out.add(RedisStrings.formatPercentile(d));
        }
        return String.join(" ", out);
    }

    /** The strerror text C would print for the failure behind an exception. */
    static String strerror(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
