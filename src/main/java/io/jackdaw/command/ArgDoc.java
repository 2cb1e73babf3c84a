package io.jackdaw.command;

import java.util.List;

/** One node of a command's argument tree, as COMMAND DOCS describes it. */
public record ArgDoc(String name, String type, String displayText, int keySpecIndex, String token, String summary,
                     String since, String deprecatedSince, boolean optional, boolean multiple, boolean multipleToken,
                     List<ArgDoc> args) {}
