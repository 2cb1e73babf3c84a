package io.jackdaw.command;

/** Every error string Jackdaw sends, in one place, worded exactly as Redis words them. */
public final class Errors {
    private Errors() {}

    public static final String SYNTAX = "ERR syntax error";
    public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
    public static final String DEBUG_PROTOCOL_TYPE = "ERR Wrong protocol type name. Please use one of the following:"
            + " string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false";
    public static final String DEBUG_PROTOCOL_PUSH_RESP2 = "ERR RESP2 is not supported by this command";
    public static final String MISCONF_RDB = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist"
            + " to disk. Commands that may modify the data set are disabled, because this instance is configured to report"
            + " errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis"
            + " logs for details about the RDB error.";
    public static final String MISCONF_RDB_SCRIPT = "MISCONF Redis is configured to save RDB snapshots, but it's currently"
            + " unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts.";

    /** A write refused because the AOF cannot be written; {@code reason} is the system's text (strerror). */
    public static String misconfAof(String reason) {
        return "MISCONF Errors writing to the AOF file: " + reason;
    }

    /** A script that may write refused because the AOF cannot be written. */
    public static String misconfAofScript(String reason) {
        return "MISCONF Redis is configured to persist data to AOF, but it's currently unable to persist to disk."
                + " Writable scripts are blocked. Use 'no-writes' flag for read only scripts. AOF error: " + reason;
    }
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    // Scripting (Redis 7.2's eval.c and script.c).
    public static final String NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";
    public static final String NUMKEYS_NEGATIVE = "ERR Number of keys can't be negative";
    public static final String SCRIPT_FLUSH_OPTION = "ERR SCRIPT FLUSH only support SYNC|ASYNC option";
    public static final String SCRIPT_UNKNOWN_COMMAND = "ERR Unknown Redis command called from script";
    public static final String SCRIPT_WRONG_ARITY = "ERR Wrong number of args calling Redis command from script";
    public static final String SCRIPT_NOSCRIPT_COMMAND = "ERR This Redis command is not allowed from script";
    public static final String SCRIPT_BUSY_EVAL = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    public static final String SCRIPT_BUSY_FUNCTION = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    public static final String SCRIPT_RO_WITH_WRITE_FLAG = "ERR Can not execute a script with write flag using *_ro command.";
    public static final String SCRIPT_OOM_NO_ALLOW_OOM = "OOM allow-oom flag is not set on the script, can not run it when used"
            + " memory > 'maxmemory'";
    public static final String SCRIPT_READONLY_WRITE = "ERR Write commands are not allowed from read-only scripts.";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String DECR_OVERFLOW = "ERR decrement would overflow";
    public static final String NAN_OR_INF = "ERR increment would produce NaN or Infinity";
    public static final String LCS_NOT_STRINGS = "ERR The specified keys must contain string values";
    public static final String LCS_LEN_AND_IDX = "ERR If you want both the length and indexes, please just use IDX.";
    public static final String LCS_TOO_BIG =
            "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
    public static final String LCS_NO_MEMORY = "ERR Insufficient memory, failed allocating transient memory for LCS";
    public static final String BIT_OFFSET = "ERR bit offset is not an integer or out of range";
    public static final String BIT_VALUE = "ERR bit is not an integer or out of range";
    public static final String BITPOS_BIT = "ERR The bit argument must be 1 or 0.";
    public static final String BITOP_NOT_SINGLE = "ERR BITOP NOT must be called with a single source key.";
    public static final String BITFIELD_TYPE =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    public static final String BITFIELD_OVERFLOW_TYPE = "ERR Invalid OVERFLOW type specified";
    public static final String BITFIELD_RO_GET_ONLY = "ERR BITFIELD_RO only supports the GET subcommand";
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String AUTH_NOT_CONFIGURED =
            "ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?";
    public static final String NOPROTO = "NOPROTO unsupported protocol version";
    public static final String INT_RANGE = "ERR value is out of range, value must between -2147483648 and 2147483647";
    public static final String INVALID_CURSOR = "ERR invalid cursor";
    public static final String HASH_NOT_INTEGER = "ERR hash value is not an integer";
    public static final String HASH_NOT_FLOAT = "ERR hash value is not a float";
    public static final String NAN_OR_INFINITY_VALUE = "ERR value is NaN or Infinity";
    public static final String OUT_OF_RANGE = "ERR value is out of range";
    public static final String BUSYKEY = "BUSYKEY Target key name already exists.";
    public static final String DUMP_PAYLOAD = "ERR DUMP payload version or checksum are wrong";
    public static final String BAD_DATA_FORMAT = "ERR Bad data format";
    public static final String INVALID_TTL = "ERR Invalid TTL value, must be >= 0";
    public static final String INVALID_IDLETIME = "ERR Invalid IDLETIME value, must be >= 0";
    public static final String INVALID_FREQ = "ERR Invalid FREQ value, must be >= 0 and <= 255";
    public static final String SAME_OBJECT = "ERR source and destination objects are the same";
    public static final String OBJECT_IDLETIME_UNDER_LFU = "ERR An LFU maxmemory policy is selected, idle time not tracked. "
            + "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
    public static final String OBJECT_FREQ_WITHOUT_LFU = "ERR An LFU maxmemory policy is not selected, access frequency "
            + "not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some "
            + "time to adjust.";
    public static final String DB_OUT_OF_RANGE = "ERR DB index is out of range";
    public static final String INVALID_DB_INDEX = "ERR invalid DB index";
    public static final String MAX_CLIENTS = "ERR max number of clients reached";
    public static final String NO_SUCH_CLIENT = "ERR No such client";
    public static final String CLIENT_NAME_SPACES = "ERR Client names cannot contain spaces, newlines or special characters.";
    public static final String TIMEOUT_NEGATIVE = "ERR timeout is negative";
    public static final String TIMEOUT_NOT_FLOAT = "ERR timeout is not a float or out of range";
    public static final String TIMEOUT_OUT_OF_RANGE = "ERR timeout is out of range";
    public static final String UNBLOCKED_BY_CLIENT = "UNBLOCKED client unblocked via CLIENT UNBLOCK";
    public static final String DEBUG_DISABLED_PREFIX = "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.";
    public static final String INVALID_COMMAND_SPECIFIED = "ERR Invalid command specified";
    public static final String COMMAND_HAS_NO_KEYS = "ERR The command has no key arguments";
    public static final String INVALID_ARG_COUNT = "ERR Invalid number of arguments specified for command";
    public static final String INVALID_ARGS = "ERR Invalid arguments specified for command";

    // Lists.
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String INDEX_OUT_OF_RANGE = "ERR index out of range";
    public static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";
    public static final String LONG_RANGE =
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
    public static final String LPOS_RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, "
            + "2 from the second ... or use negative to start from the end of the list";
    public static final String LPOS_COUNT_NEGATIVE = "ERR COUNT can't be negative";
    public static final String LPOS_MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";
    public static final String NUMKEYS_POSITIVE = "ERR numkeys should be greater than 0";
    public static final String COUNT_POSITIVE = "ERR count should be greater than 0";

    // Protocol errors (sent, then the connection closes).
    public static final String PROTO_TOO_BIG_MBULK = "ERR Protocol error: too big mbulk count string";
    public static final String PROTO_INVALID_MBULK = "ERR Protocol error: invalid multibulk length";
    public static final String PROTO_UNAUTH_MBULK = "ERR Protocol error: unauthenticated multibulk length";
    public static final String PROTO_TOO_BIG_BULK = "ERR Protocol error: too big bulk count string";
    public static final String PROTO_INVALID_BULK = "ERR Protocol error: invalid bulk length";
    public static final String PROTO_UNAUTH_BULK = "ERR Protocol error: unauthenticated bulk length";
    public static final String PROTO_TOO_BIG_INLINE = "ERR Protocol error: too big inline request";
    public static final String PROTO_UNBALANCED = "ERR Protocol error: unbalanced quotes in request";

    public static String protoExpectedDollar(char got) { return "ERR Protocol error: expected '$', got '" + got + "'"; }

    // Streams
    public static final String STREAM_INVALID_ID = "ERR Invalid stream ID specified as stream command argument";
    public static final String STREAM_ID_TOO_SMALL = "ERR The ID specified in XADD is equal or smaller than the target stream top item";
    public static final String STREAM_ID_ZERO = "ERR The ID specified in XADD must be greater than 0-0";
    public static final String STREAM_EXHAUSTED = "ERR The stream has exhausted the last possible ID, unable to add more items";
    public static final String STREAM_MAXLEN_NEGATIVE = "ERR The MAXLEN argument must be >= 0.";
    public static final String STREAM_LIMIT_NEGATIVE = "ERR The LIMIT argument must be >= 0.";
    public static final String STREAM_MAXLEN_AND_MINID = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible";
    public static final String STREAM_LIMIT_WITHOUT_STRATEGY = "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy";
    public static final String STREAM_XTRIM_NEEDS_STRATEGY = "ERR syntax error, XTRIM must be called with a trimming strategy";
    public static final String STREAM_LIMIT_WITHOUT_APPROX = "ERR syntax error, LIMIT cannot be used without the special ~ option";
    public static final String STREAM_INVALID_START = "ERR invalid start ID for the interval";
    public static final String STREAM_INVALID_END = "ERR invalid end ID for the interval";
    public static final String STREAM_ENTRIES_ADDED_NEGATIVE = "ERR entries_added must be positive";
    public static final String STREAM_SETID_BELOW_GIVEN_MAXDELETED = "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id";
    public static final String STREAM_SETID_BELOW_MAXDELETED = "ERR The ID specified in XSETID is smaller than current max_deleted_entry_id";
    public static final String STREAM_SETID_BELOW_TOP = "ERR The ID specified in XSETID is smaller than the target stream top item";
    public static final String STREAM_SETID_ENTRIES_BELOW_LENGTH = "ERR The entries_added specified in XSETID is smaller than the target stream length";
    public static final String STREAM_GROUP_ONLY_XREADGROUP = "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.";
    public static final String STREAM_NOACK_ONLY_XREADGROUP = "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.";
    public static final String STREAM_DOLLAR_IN_XREADGROUP = "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read"
            + " the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just"
            + " return an empty result set.";
    public static final String STREAM_MISSING_GROUP = "ERR Missing GROUP option for XREADGROUP";
    public static final String STREAM_ENTRIES_READ = "ERR value for ENTRIESREAD must be positive or -1";
    public static final String STREAM_XGROUP_NEEDS_KEY = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE"
            + " you may want to use the MKSTREAM option to create an empty stream automatically.";
    public static final String STREAM_BUSYGROUP = "BUSYGROUP Consumer Group name already exists";
    public static final String XCLAIM_MIN_IDLE = "ERR Invalid min-idle-time argument for XCLAIM";
    public static final String XCLAIM_IDLE = "ERR Invalid IDLE option argument for XCLAIM";
    public static final String XCLAIM_TIME = "ERR Invalid TIME option argument for XCLAIM";
    public static final String XCLAIM_RETRYCOUNT = "ERR Invalid RETRYCOUNT option argument for XCLAIM";
    public static final String XAUTOCLAIM_MIN_IDLE = "ERR Invalid min-idle-time argument for XAUTOCLAIM";
    public static final String XAUTOCLAIM_COUNT = "ERR COUNT must be > 0";

    /** XREADGROUP's NOGROUP: the key or the group is missing. */
    public static byte[] noGroupXreadgroup(CommandArgs a, int keyArg, int groupArg) {
        return new Echo().text("NOGROUP No such key '").arg(a, keyArg, Integer.MAX_VALUE).text("' or consumer group '")
                .arg(a, groupArg, Integer.MAX_VALUE).text("' in XREADGROUP with GROUP option").bytes();
    }

    /** XPENDING's, XCLAIM's and XAUTOCLAIM's NOGROUP. */
    public static byte[] noKeyOrGroup(CommandArgs a, int keyArg, int groupArg) {
        return new Echo().text("NOGROUP No such key '").arg(a, keyArg, Integer.MAX_VALUE).text("' or consumer group '")
                .arg(a, groupArg, Integer.MAX_VALUE).text("'").bytes();
    }

    /** XGROUP's and XINFO CONSUMERS' NOGROUP: the key exists, the group does not. */
    public static byte[] noGroupForKey(CommandArgs a, int keyArg, int groupArg) {
        return new Echo().text("NOGROUP No such consumer group '").arg(a, groupArg, Integer.MAX_VALUE).text("' for key name '")
                .arg(a, keyArg, Integer.MAX_VALUE).text("'").bytes();
    }

    public static byte[] xclaimUnknownOption(CommandArgs a, int arg) {
        return new Echo().text("ERR Unrecognized XCLAIM option '").arg(a, arg, Integer.MAX_VALUE).text("'").bytes();
    }

    public static final String STREAM_GT_ONLY_XREADGROUP = "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.";

    public static String streamUnbalanced(String command, char symbol) {
        return "ERR Unbalanced '" + command + "' list of streams: for each stream key an ID or '" + symbol + "' must be specified.";
    }

    public static String wrongArity(String fullName) {
        return "ERR wrong number of arguments for '" + fullName + "' command";
    }

    public static String invalidExpire(String command) { return "ERR invalid expire time in '" + command + "' command"; }

    /** Redis caps the echoed arguments at 128 characters in all. */


    /** Redis's reply when a subcommand exists but its arguments do not fit. */

    /** Error replies are one line: Redis replaces CR/LF in echoed input with spaces. */
    // Errors that echo the client's arguments are built from the raw bytes, as Redis prints them
    // with %.128s: at most 128 bytes, ending early at a NUL, whatever the bytes are.

    public static byte[] unknownCommand(CommandArgs args) {
        Echo e = new Echo().text("ERR unknown command '").arg(args, 0, 128).text("', with args beginning with: ");
        int shown = 0;
        for (int i = 1; i < args.count() && shown < 128; i++) {
            int before = e.size();
            e.text("'").arg(args, i, 128 - shown).text("' ");
            shown += e.size() - before;
        }
        return e.bytes();
    }

    public static byte[] unknownSubcommand(CommandArgs args, String container) {
        return new Echo().text("ERR unknown subcommand '").arg(args, 1, 128)
                .text("'. Try " + container.toUpperCase(java.util.Locale.ROOT) + " HELP.").bytes();
    }

    public static byte[] subcommandSyntax(CommandArgs args, String container) {
        return new Echo().text("ERR unknown subcommand or wrong number of arguments for '").arg(args, 1, 128)
                .text("'. Try " + container + " HELP.").bytes();
    }

    /** FUNCTION LOAD's option check; the argument stops at a NUL as C's %s does. */
    public static byte[] functionUnknownOption(CommandArgs a, int arg) {
        return new Echo().text("ERR Unknown option given: ").arg(a, arg, Integer.MAX_VALUE).bytes();
    }

    /** FUNCTION LIST's argument check. */
    public static byte[] functionUnknownArgument(CommandArgs a, int arg) {
        return new Echo().text("ERR Unknown argument ").arg(a, arg, Integer.MAX_VALUE).bytes();
    }

    /** Builds an error message out of fixed text and argument bytes. */
    private static final class Echo {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64);

        Echo text(String s) {
            out.writeBytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return this;
        }

        Echo arg(CommandArgs a, int i, int max) {
            byte[] d = a.data();
            int o = a.offset(i), n = Math.min(a.length(i), max);
            for (int k = 0; k < n && d[o + k] != 0; k++) out.write(d[o + k]);
            return this;
        }

        int size() { return out.size(); }

        byte[] bytes() { return out.toByteArray(); }
    }

    // ------------------------------------------------------------ sets

    public static final String NUMKEYS_TOO_MANY = "ERR Number of keys can't be greater than number of args";
    public static final String LIMIT_NEGATIVE = "ERR LIMIT can't be negative";
    // Hash-field expiry (Redis 7.4's HEXPIRE family, HTTL family, HPERSIST).
    public static final String HFE_FIELDS_MISSING = "ERR Mandatory argument FIELDS is missing or not at the right position";
    /** HEXPIRE and its kin on a bad numfields. */
    public static final String HFE_EXPIRE_NUMFIELDS = "ERR Parameter `numFields` should be greater than 0";
    /** HTTL, its kin and HPERSIST on a bad numfields. */
    public static final String HFE_NUMFIELDS = "ERR Number of fields must be a positive integer";
    public static final String HFE_NUMFIELDS_MISMATCH = "ERR The `numfields` parameter must match the number of arguments";
    public static final String HFE_NEGATIVE_TIME = "ERR invalid expire time, must be >= 0";

    public static String sanitize(String s) {
        return s.indexOf('\r') < 0 && s.indexOf('\n') < 0 ? s : s.replace('\r', ' ').replace('\n', ' ');
    }

    // Sorted sets.
    public static final String ZSET_XX_NX = "ERR XX and NX options at the same time are not compatible";
    public static final String ZSET_GT_LT_NX = "ERR GT, LT, and/or NX options at the same time are not compatible";
    public static final String ZSET_INCR_PAIR = "ERR INCR option supports a single increment-element pair";
    public static final String ZSET_NAN = "ERR resulting score is not a number (NaN)";
    public static final String ZSET_MIN_MAX_FLOAT = "ERR min or max is not a float";
    public static final String ZSET_MIN_MAX_LEX = "ERR min or max not valid string range item";
    public static final String ZSET_LIMIT_NEEDS_BY =
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
    public static final String ZSET_WITHSCORES_BYLEX = "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
    public static final String ZSET_WEIGHT_FLOAT = "ERR weight value is not a float";
    public static final String GEO_UNIT = "ERR unsupported unit provided. please use M, KM, FT, MI";
    public static final String GEO_RADIUS_NUMERIC = "ERR need numeric radius";
    public static final String GEO_RADIUS_NEGATIVE = "ERR radius cannot be negative";
    public static final String GEO_WIDTH_NUMERIC = "ERR need numeric width";
    public static final String GEO_HEIGHT_NUMERIC = "ERR need numeric height";
    public static final String GEO_BOX_NEGATIVE = "ERR height or width cannot be negative";
    public static final String GEO_MEMBER_DECODE = "ERR could not decode requested zset member";
    public static final String GEO_COUNT_POSITIVE = "ERR COUNT must be > 0";
    public static final String GEO_ANY_NEEDS_COUNT = "ERR the ANY argument requires COUNT argument";

    /** geo.c's extractLongLatOrReply, the pair printed with C's {@code %f}. */
    public static String geoInvalidLonLat(String lon, String lat) {
        return "ERR invalid longitude,latitude pair " + lon + "," + lat;
    }

    public static String geoStoreWith(boolean geosearchstore) {
        return "ERR " + (geosearchstore ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options";
    }

    public static String geoFromNeeded(String command) {
        return "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + command;
    }

    public static String geoByNeeded(String command) {
        return "ERR exactly one of BYRADIUS and BYBOX can be specified for " + command;
    }

    // ------------------------------------------------------------ transactions

    public static final String EXEC_WITHOUT_MULTI = "ERR EXEC without MULTI";
    public static final String DISCARD_WITHOUT_MULTI = "ERR DISCARD without MULTI";
    public static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";
    public static final String NOT_IN_TRANSACTION = "ERR Command not allowed inside a transaction";

    /** EXEC refused at the gate inside MULTI (Redis's execCommandAbort). */
    public static String execAbort(String error) {
        return "EXECABORT Transaction discarded because of: " + (error.startsWith("ERR ") ? error.substring(4) : error);
    }

    // ------------------------------------------------------------ pub/sub

    /** A RESP2 client with subscriptions ran something else. */
    public static String onlyPubSubAllowed(String command) {
        return "ERR Can't execute '" + command + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are"
                + " allowed in this context";
    }

    /** (P|S)UNSUBSCRIBE without any subscription (Valkey 8). */
    public static String noSubscriptions(String command) {
        return "NOSUB '" + command + "' command executed not in subscribed mode";
    }

    // ------------------------------------------------------------ SORT

    public static final String SORT_SCORE_NOT_DOUBLE = "ERR One or more scores can't be converted into double";

    public static String atLeastOneKey(String command) {
        return "ERR at least 1 input key is needed for '" + command + "' command";
    }

    // ------------------------------------------------------------ CLIENT PAUSE, CLIENT KILL, MONITOR

    public static final String PAUSE_MODE = "ERR CLIENT PAUSE mode must be WRITE or ALL";
    public static final String TIMEOUT_NOT_INTEGER = "ERR timeout is not an integer or out of range";
    public static final String MONITOR_DENY_BLOCKING = "ERR MONITOR isn't allowed for DENY BLOCKING client";
    public static final String REPLICA_KEYSPACE = "ERR Replica can't interact with the keyspace";
    public static final String CLIENT_ID_POSITIVE = "ERR client-id should be greater than 0";
    public static final String MAXAGE_NOT_INTEGER = "ERR maxage is not an integer or out of range";
    public static final String MAXAGE_POSITIVE = "ERR maxage should be greater than 0";
    public static final String INVALID_CLIENT_ID = "ERR Invalid client ID";

    public static String unknownClientType(String type) { return "ERR Unknown client type '" + type + "'"; }

    public static String noSuchUser(String user) { return "ERR No such user '" + user + "'"; }

    /** Redis's addReplySubcommandSyntaxError, for a known subcommand with arguments it does not take. */
    public static String subcommandSyntax(String command, String sub) {
        return "ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try " + command.toUpperCase(java.util.Locale.ROOT) + " HELP.";
    }

    // ------------------------------------------------------------ HyperLogLog

    public static final String HLL_NOT_VALID = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    public static final String HLL_CORRUPT = "INVALIDOBJ Corrupted HLL object detected";
    public static final String HLL_NO_KEY = "ERR The specified key does not exist";
    public static final String HLL_NOT_SPARSE = "ERR HLL encoding is not sparse";

    public static String pfdebugUnknown(String sub) { return "ERR Unknown PFDEBUG subcommand '" + sub + "'"; }

    public static String pfdebugArity(String sub) {
        return "ERR Wrong number of arguments for the '" + sub + "' subcommand";
    }
}
