package io.jackdaw.server.config;

import java.util.List;
import java.util.Set;

/**
 * One row of {@code directives.tsv}: what Redis/Valkey know about a configuration directive.
 *
 * @param name         canonical (Redis 7.2) name, lower case
 * @param aliases      other accepted names, lower case
 * @param type         how values are parsed and printed
 * @param defaultValue the default as CONFIG GET prints it ("" for empty or unset strings; "." for dir,
 *                     meaning the process working directory)
 * @param min          lower bound for numeric types
 * @param max          upper bound for numeric types; with {@code unsignedRange} it holds the bits of an
 *                     unsigned 64-bit value (only ULLONG_MAX / ULONG_MAX bounds need that)
 * @param unsignedRange whether bounds are compared as unsigned 64-bit numbers, as Redis does for the
 *                     unsigned long long configs
 * @param flags        config.c flag names (IMMUTABLE_CONFIG, ...) plus the table's own
 *                     EMPTY_STRING_IS_NULL, CONFIG_FILE_ONLY and DEPRECATED_CONFIG
 * @param enumValues   accepted names for enum/flags types, in Redis's order
 */
public record Directive(String name, List<String> aliases, Type type, String defaultValue, long min, long max,
                        boolean unsignedRange, Set<String> flags, List<EnumValue> enumValues) {

    public enum Type { BOOL, INT, LONG, MEMORY, PERCENT, OCTAL, ENUM, FLAGS, STRING, SDS, SPECIAL }

    /** An enum name and the number Redis stores for it (several names may share one number). */
    public record EnumValue(String name, int value) {
    }

    public Directive {
        aliases = List.copyOf(aliases);
        flags = Set.copyOf(flags);
        enumValues = List.copyOf(enumValues);
    }

    public boolean hasFlag(String flag) {
        return flags.contains(flag);
    }

    public boolean isImmutable() {
        return hasFlag("IMMUTABLE_CONFIG");
    }

    public boolean isProtected() {
        return hasFlag("PROTECTED_CONFIG");
    }

    /** Hidden directives only answer CONFIG GET by exact name, never by pattern. */
    public boolean isHidden() {
        return hasFlag("HIDDEN_CONFIG");
    }

    /** Whether CONFIG SET arguments should be redacted from logs, SLOWLOG and MONITOR. */
    public boolean isSensitive() {
        return hasFlag("SENSITIVE_CONFIG");
    }

    public boolean isMultiArg() {
        return hasFlag("MULTI_ARG_CONFIG");
    }

    public boolean isNumeric() {
        return switch (type) {
            case INT, LONG, MEMORY, PERCENT, OCTAL -> true;
            default -> false;
        };
    }

    /** Directives such as include or rename-command that exist only in config files, not in CONFIG GET/SET. */
    public boolean isFileOnly() {
        return hasFlag("CONFIG_FILE_ONLY");
    }

    /** Directives Redis still accepts in files but ignores. */
    public boolean isDeprecated() {
        return hasFlag("DEPRECATED_CONFIG");
    }

    /** True for the directives CONFIG GET / SET / REWRITE know about. */
    public boolean isStandard() {
        return !isFileOnly() && !isDeprecated();
    }
}
