package dev.cachekeeper.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** The cachekeeper checkout the runner works in: template.yaml, statemachines/ and events/ at its root. */
public record Checkout(Path root) {

    public Path template() {
        return root.resolve("template.yaml");
    }

    public Path statemachines() {
        return root.resolve("statemachines");
    }

    public Path events() {
        return root.resolve("events");
    }

    /** Walks up from {@code start} to the first folder holding template.yaml and statemachines/. */
    public static Checkout find(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isDirectory(dir.resolve("statemachines"))) {
                return new Checkout(dir);
            }
        }
        throw new UsageException("no cachekeeper checkout (template.yaml and statemachines/) at or above "
                + start.toAbsolutePath().normalize() + ": run from the repository root", 1);
    }

    /** The checkout the working directory is in, or the one named by -Dcachekeeper.root. */
    public static Checkout current() {
        String root = System.getProperty("cachekeeper.root");
        return find(root != null && !root.isBlank() ? Path.of(root) : Path.of(""));
    }
}
