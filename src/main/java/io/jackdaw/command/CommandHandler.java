package io.jackdaw.command;

/** Runs one command. The gate has already checked arity, auth and the rest, and holds the key locks. */
@FunctionalInterface
public interface CommandHandler {
    void handle(Call call);
}
