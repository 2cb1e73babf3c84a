package io.jackdaw.server.config;

/**
 * Builders for the exact error texts of Redis 7.2's configuration code, so that clients and test
 * suites which compare error strings see what they would see against Redis.
 */
public final class ConfigErrors {
    /** The version Jackdaw reports itself as in configuration errors. */
    public static final String REDIS_VERSION = "7.2.4";

    public static final String IMMUTABLE = "can't set immutable config";
    public static final String PROTECTED = "can't set protected config";
    public static final String DUPLICATE = "duplicate parameter";
    public static final String NO_CONFIG_FILE = "The server is running without a config file";

    private ConfigErrors() {
    }

    /** {@code ERR Unknown option or number of arguments for CONFIG SET - 'name'}. */
    public static String unknownOption(String name) {
        return "ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'";
    }

    /** {@code ERR CONFIG SET failed (possibly related to argument 'name') - reason}; no suffix without a reason. */
    public static String setFailed(String argument, String reason) {
        String head = "ERR CONFIG SET failed (possibly related to argument '" + argument + "')";
        return reason == null || reason.isEmpty() ? head : head + " - " + reason;
    }

    /** The reply CONFIG SET gives for a DENY_LOADING_CONFIG directive while the dataset is loading. */
    public static String loading() {
        return "LOADING Redis is loading the dataset in memory";
    }

    /** Redis's fatal block for an error attributed to one line of a config file (or of the argv pseudo-file). */
    public static String fatal(int lineNumber, String line, String reason) {
        return "\n*** FATAL CONFIG FILE ERROR (Redis " + REDIS_VERSION + ") ***\n"
                + "Reading the configuration file, at line " + lineNumber + "\n"
                + ">>> '" + line + "'\n"
                + reason;
    }

    /** Redis's fatal block for errors found after the last line (e.g. post-load sanity checks). */
    public static String fatal(String reason) {
        return "\n*** FATAL CONFIG FILE ERROR (Redis " + REDIS_VERSION + ") ***\n" + reason;
    }

    /** The log line Redis prints before exiting when a config file (or include) cannot be opened. */
    public static String cannotOpen(String path, String systemError) {
        return "Fatal error, can't open config file '" + path + "': " + systemError;
    }

    static ConfigException setFailedException(String argument, String reason) {
        return new ConfigException(setFailed(argument, reason), argument, reason);
    }
}
