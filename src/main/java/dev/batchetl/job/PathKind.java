package dev.batchetl.job;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keys naming files and folders: stored absolute, so that a restart from another folder
 * reads the same files.
 */
enum PathKind implements KeyKind {

    /** Any path. */
    PATH {
        @Override
        public String canonical(String raw, Path base) {
            return resolve(raw.strip(), base).toString();
        }
    },

    /** A readable file that exists now. */
    EXISTING_FILE {
        @Override
        public String canonical(String raw, Path base) {
            Path path = resolve(raw.strip(), base);
            if (Files.isDirectory(path)) {
                throw new IllegalArgumentException(path + " is a folder; expected a file");
            }
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("no such file: " + path);
            }
            if (!Files.isReadable(path)) {
                throw new IllegalArgumentException("cannot read " + path);
            }
            return path.toString();
        }
    },

    /** A path, or {@code none} for nothing to write. */
    PATH_OR_NONE {
        @Override
        public String canonical(String raw, Path base) {
            String value = raw.strip();
            return value.equalsIgnoreCase(NONE) ? NONE : resolve(value, base).toString();
        }
    },

    /** Paths separated by commas. */
    PATH_LIST {
        @Override
        public String canonical(String raw, Path base) {
            StringBuilder paths = new StringBuilder();
            for (String part : raw.strip().split(",")) {
                paths.append(paths.isEmpty() ? "" : ",").append(resolve(part.strip(), base));
            }
            return paths.toString();
        }
    };

    /** The canonical value of {@link #PATH_OR_NONE} that writes nothing. */
    static final String NONE = "none";

    private static Path resolve(String value, Path base) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("expected a path, got nothing");
        }
        return base.resolve(value).toAbsolutePath().normalize();
    }

}
