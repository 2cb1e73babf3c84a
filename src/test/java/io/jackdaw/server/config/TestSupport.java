package io.jackdaw.server.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Shared helpers: loading configs inside a temporary working directory. */
final class TestSupport {
    private TestSupport() {
    }

    static LoadOptions in(Path dir) {
        return LoadOptions.defaults().withWorkingDirectory(dir);
    }

    static ServerConfig load(Path dir, String... argv) throws ConfigException {
        return ServerConfig.fromArgs(argv, in(dir));
    }

    /** Writes a config file into dir and loads it, with extra command line arguments after it. */
    static ServerConfig loadText(Path dir, String text, String... extraArgs) throws ConfigException {
        Path f = write(dir, "test.conf", text);
        String[] argv = new String[extraArgs.length + 1];
        argv[0] = f.toString();
        System.arraycopy(extraArgs, 0, argv, 1, extraArgs.length);
        return load(dir, argv);
    }

    static String errorOf(Path dir, String text, String... extraArgs) {
        try {
            loadText(dir, text, extraArgs);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a config error for:\n" + text);
    }

    static String argvErrorOf(Path dir, String... argv) {
        try {
            load(dir, argv);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a config error for " + List.of(argv));
    }

    static Path write(Path dir, String name, String text) {
        try {
            Path f = dir.resolve(name);
            Files.createDirectories(f.getParent());
            Files.writeString(f, text, StandardCharsets.UTF_8);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a test resource of this package into dir. */
    static Path copyResource(String name, Path dir) {
        try (InputStream in = TestSupport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            Path target = dir.resolve(name);
            Files.copy(in, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String fatal(int line, String text, String reason) {
        return "\n*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***\nReading the configuration file, at line " + line
                + "\n>>> '" + text + "'\n" + reason;
    }

    static List<String[]> pairs(String... kv) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.add(new String[] {kv[i], kv[i + 1]});
        }
        return out;
    }
}
