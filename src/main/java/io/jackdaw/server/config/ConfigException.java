package io.jackdaw.server.config;

/**
 * A configuration error whose message is already the exact text Redis would print or reply.
 *
 * <p>Three shapes are used:
 * <ul>
 *   <li>startup errors (from {@link ServerConfig#fromArgs}): the whole fatal block, e.g.
 *       {@code "\n*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***\n...\nreason"}, or the
 *       "can't open config file" line;</li>
 *   <li>CONFIG SET errors (from {@link ServerConfig#set}): a complete error reply without the leading
 *       {@code '-'}, e.g. {@code "ERR CONFIG SET failed (possibly related to argument 'port') - ..."};
 *       {@link #argument()} and {@link #reason()} expose the two variable parts;</li>
 *   <li>errors thrown by {@link ServerConfig.Listener}s: just the reason, which {@code set} then wraps.</li>
 * </ul>
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String argument;
    private final String reason;

    /** An error whose message is used verbatim (listeners pass the bare reason here). */
    public ConfigException(String message) {
        this(message, null, message);
    }

    ConfigException(String message, String argument, String reason) {
        super(message);
        this.argument = argument;
        this.reason = reason;
    }

    /** The directive name the error is attributed to, as Redis spells it in the reply; may be null. */
    public String argument() {
        return argument;
    }

    /** The bare reason (e.g. "argument must be a memory value"); may be null. */
    public String reason() {
        return reason;
    }
}
