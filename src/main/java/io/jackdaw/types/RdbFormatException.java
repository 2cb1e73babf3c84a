package io.jackdaw.types;

/** Malformed RDB data: DUMP payloads answer "Bad data format", files stop loading with the message. */
public final class RdbFormatException extends RuntimeException {
    public RdbFormatException(String message) { super(message, null, false, false); }
}
