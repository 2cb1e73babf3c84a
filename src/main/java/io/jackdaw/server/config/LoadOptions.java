package io.jackdaw.server.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * How {@link ServerConfig#fromArgs(String[], LoadOptions)} interacts with its surroundings.
 *
 * @param workingDirectory the directory relative paths start from (Redis uses its cwd)
 * @param touchFilesystem  whether to check {@code dir} exists and that {@code logfile} can be opened
 *                         (creating it, as Redis does); false lets tests parse configs naming foreign paths
 * @param commandExists    when non-null, {@code rename-command} is checked against it and fails like
 *                         Redis for unknown commands or taken target names; null accepts every rename
 */
public record LoadOptions(Path workingDirectory, boolean touchFilesystem, Predicate<String> commandExists) {

    public LoadOptions {
        Objects.requireNonNull(workingDirectory, "workingDirectory");
    }

    /** The process working directory, real file system checks, no command-table check. */
    public static LoadOptions defaults() {
        return new LoadOptions(Path.of("").toAbsolutePath(), true, null);
    }

    public LoadOptions withWorkingDirectory(Path dir) {
        return new LoadOptions(dir, touchFilesystem, commandExists);
    }

    public LoadOptions withTouchFilesystem(boolean touch) {
        return new LoadOptions(workingDirectory, touch, commandExists);
    }

    public LoadOptions withCommandExists(Predicate<String> exists) {
        return new LoadOptions(workingDirectory, touchFilesystem, exists);
    }
}
