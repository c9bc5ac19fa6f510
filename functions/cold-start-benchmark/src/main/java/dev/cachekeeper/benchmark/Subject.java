package dev.cachekeeper.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Something to cold-start: a Java function (its Lambda package, {@code lib/*.jar}, and handler) or the Python
 * baseline (a script). {@code event} is the first event it receives.
 */
record Subject(String name, Kind kind, Path packageDir, String handler, String event, Map<String, String> env,
               boolean primable) {
    enum Kind { JAVA, PYTHON }

    /** Bytes of what would be uploaded: the function's jars (or the Python files). */
    long packageBytes() {
        try (Stream<Path> files = Files.walk(packageDir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Path> jars() {
        try (Stream<Path> files = Files.list(packageDir)) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
