package io.jackdaw.command;

import io.jackdaw.store.ValueType;

/**
 * The options of SCAN and the collection scans (HSCAN...), parsed by one function as Redis's
 * scanGenericCommand parses them: COUNT (at least 1), MATCH, TYPE (SCAN only) and NOVALUES
 * (HSCAN only, from Redis 7.4 and Valkey 8), in any order, later ones winning.
 */
final class ScanOptions {
    /** What is being scanned: the keyspace, a hash, a set or a sorted set (decides which options are allowed). */
    static final int KEYSPACE = 0, HASH = 1, SET = 2, ZSET = 3;

    long count = 10;
    /** The MATCH pattern, or null when there is none (or it is "*", which matches everything). */
    byte[] pattern;
    /** SCAN's TYPE name as given, or null. */
    String typeName;
    boolean noValues;

    /** Parses arguments {@code from} on; null after replying with Redis's error. */
    static ScanOptions parse(Call c, int from, int target) {
        CommandArgs a = c.args;
        ScanOptions o = new ScanOptions();
        for (int i = from; i < a.count(); i++) {
            boolean hasValue = i + 1 < a.count();
            if (a.is(i, "COUNT") && hasValue) {
                if (!a.parseLong(i + 1)) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return null;
                }
                o.count = a.lastLong();
                if (o.count < 1) {
                    c.reply.error(Errors.SYNTAX);
                    return null;
                }
                i++;
            } else if (a.is(i, "MATCH") && hasValue) {
                o.pattern = a.bytes(++i);
                if (o.pattern.length == 1 && o.pattern[0] == '*') o.pattern = null;
            } else if (target == KEYSPACE && a.is(i, "TYPE") && hasValue) {
                o.typeName = a.string(++i);
                if (!ValueType.isTypeName(o.typeName.toLowerCase(java.util.Locale.ROOT))) {
                    // Valkey 8 refuses unknown names (its test suite expects it); Redis 7.0 matched nothing.
                    c.reply.error("ERR unknown type name '" + o.typeName + "'");
                    return null;
                }
            } else if (target == HASH && a.is(i, "NOVALUES")) {
                // Redis 7.2's SCAN knows no NOVALUES (a syntax error); 7.4 and Valkey 8 name HSCAN instead.
                o.noValues = true;
            } else if (target == ZSET && a.is(i, "NOSCORES")) {
                // Valkey 8's ZSCAN NOSCORES (Redis 7.2 has none), the counterpart of HSCAN NOVALUES.
                o.noValues = true;
            } else {
                c.reply.error(Errors.SYNTAX);
                return null;
            }
        }
        return o;
    }

    /** Buckets one call may visit: ten per element asked for, as Redis bounds a sparse table's walk. */
    long budget() { return count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10; }
}
