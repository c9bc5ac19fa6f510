package dev.cachekeeper.benchmark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Something to cold-start: a Java function (its Lambda package, {@code lib/*.jar}, and handler) or the Python
 * baseline (a script). {@code event} is the first event it receives.
 */
record Subject(String name, Kind kind, Path packageDir, String handler, String event, Map<String, String> env,
               boolean primable) {
    enum Kind { JAVA, PYTHON }

    /** Bytes of the package once Lambda has unzipped it: the function's jars (or the Python files). */
    long unzippedBytes() {
        return files().stream().mapToLong(p -> {
            try {
                return Files.size(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).sum();
    }

    /**
     * Bytes of the zip that would be uploaded: the package folder zipped as {@code sam build}/{@code sam deploy}
     * zip it (every file deflated at zlib's default level), in memory.
     */
    long zipBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Path p : files()) {
                zip.putNextEntry(new ZipEntry(packageDir.relativize(p).toString()));
                Files.copy(p, zip);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.size();
    }

    private List<Path> files() {
        try (Stream<Path> files = Files.walk(packageDir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
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
