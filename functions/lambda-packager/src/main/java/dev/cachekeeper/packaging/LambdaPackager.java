package dev.cachekeeper.packaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds the one jar a function's Lambda zip holds ({@code target/lambda/lib/<module jar name>}) from the module's
 * own jar and its runtime dependencies:
 * <ol>
 *   <li>{@link UnusedCodeShrinker}: the SDK service models (and a few helper libraries) lose the classes nothing in
 *       the function reaches; every other library is left byte for byte as published;</li>
 *   <li>{@link JarMerger}: everything goes into one jar, so each class is found with one lookup instead of a search
 *       through sixty jars, and the verifier no longer loads every request class of every client.</li>
 * </ol>
 * Run by each function module's {@code lambda-package} execution (root pom). Arguments:
 * {@code --jar FILE --deps DIR --out DIR --work DIR --jdk-classes DIR --log4j-plugins FILE} ({@code --jdk-classes}
 * is shared by all modules: the running JDK's classes, which ProGuard reads, are extracted there once per JDK
 * version; {@code --log4j-plugins} lists the Log4j plugins the jar registers, see {@link KeptLog4jPlugins}).
 */
public final class LambdaPackager {
    private LambdaPackager() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = Arguments.parse(args, "--jar", "--deps", "--out", "--work",
                "--jdk-classes", "--log4j-plugins");
        Path jar = Path.of(a.get("--jar"));
        Path deps = Path.of(a.get("--deps"));
        Path out = Path.of(a.get("--out"));
        Path work = Path.of(a.get("--work"));
        Result r = pack(jar, deps, out.resolve(jar.getFileName()), work, Path.of(a.get("--jdk-classes")),
                KeptLog4jPlugins.read(Path.of(a.get("--log4j-plugins"))));
        System.out.printf("lambda-packager: %s: %d jars, %,d bytes -> 1 jar, %,d bytes, %,d bytes in the deployment zip"
                        + " (shrunk: %s)%n", jar.getFileName(), r.inputs(), r.bytesBefore(), r.bytesAfter(),
                r.zippedBytes(), String.join(", ", r.shrunk()));
    }

    /** What a packaging run did, for the build log. */
    public record Result(int inputs, long bytesBefore, long bytesAfter, long zippedBytes, List<String> shrunk) {
    }

    static Result pack(Path moduleJar, Path depsDir, Path outJar, Path work, Path jdkClasses,
                       KeptLog4jPlugins log4jPlugins) throws IOException {
        if (!Files.isRegularFile(moduleJar)) {
            throw new IllegalArgumentException("--jar " + moduleJar + " does not exist (run the jar plugin first)");
        }
        List<Path> inputs = new ArrayList<>();
        inputs.add(moduleJar);
        // A copy of the module's own jar among the dependencies (the benchmark puts one there) is the same code.
        jarsIn(depsDir).stream().filter(p -> !p.getFileName().equals(moduleJar.getFileName())).forEach(inputs::add);
        long before = 0;
        for (Path p : inputs) {
            before += Files.size(p);
        }
        Files.createDirectories(work);
        UnusedCodeShrinker.Shrunk shrunk = UnusedCodeShrinker.shrink(inputs, work, jdkClasses);
        List<Path> merged = inputs.stream().map(p -> shrunk.replacements().getOrDefault(p, p)).toList();
        Files.createDirectories(outJar.getParent());
        try (Stream<Path> old = Files.list(outJar.getParent())) {
            // A stale jar from an earlier layout would be shipped and put on the class path: the folder holds one jar.
            for (Path p : old.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.delete(p);
            }
        }
        JarMerger.merge(merged, outJar, log4jPlugins);
        List<String> names = shrunk.replacements().keySet().stream().map(p -> p.getFileName().toString()).sorted()
                .toList();
        return new Result(inputs.size(), before, Files.size(outJar), deploymentZipBytes(outJar), names);
    }

    /**
     * What the jar adds to the zip {@code sam build} uploads: SAM deflates each file of the function's folder at
     * zlib's default level, as this does.
     */
    static long deploymentZipBytes(Path jar) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("lib/" + jar.getFileName()));
            Files.copy(jar, zip);
            zip.closeEntry();
        }
        return bytes.size();
    }

    static List<Path> jarsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--deps " + dir + " is not a folder (the lambda-lib execution fills it)");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
