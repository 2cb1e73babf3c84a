package io.jackdaw.command;

/** Attaches every family's handlers to the command table. */
public final class Commands {
    private Commands() {}

    public static void registerAll(CommandTable table, Dispatcher dispatcher) {
        ConnectionCommands.register(table, dispatcher);
        ClientCommands.register(table);
        ServerCommands.register(table);
        HyperLogLogCommands.register(table);
        MemoryCommands.register(table);
        ConfigCommands.register(table);
        CommandCommands.register(table);
        DebugCommands.register(table);
        KeyCommands.register(table);
        DumpRestoreCommands.register(table);
        StringCommands.register(table);
        BitmapCommands.register(table);
        HashCommands.register(table);
        ListCommands.register(table);
        StreamCommands.register(table);
        StreamGroupCommands.register(table);
        StreamInfoCommands.register(table);
        SetCommands.register(table);
        SortedSetCommands.register(table);
        GeoCommands.register(table);
        SortCommands.register(table);
        Transactions.register(table, dispatcher);
        PubSubCommands.register(table);
        ScriptCommands.register(table, dispatcher);
    }
}
