package dev.cachekeeper.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import proguard.Configuration;
import proguard.ConfigurationParser;
import proguard.ParseException;
import proguard.ProGuard;

/**
 * Removes the classes of the SDK service models (and of a few helper libraries) that nothing in the function can
 * reach. An SDK client jar carries every operation of its service; a function calls a handful, and the JVM's
 * verifier loads the request class of every operation when it links the client. ProGuard traces from all other
 * code, which is kept whole, so whatever the function, the SDK core or a library calls stays.
 *
 * <p>Only the jars made entirely of {@link #SHRINKABLE} packages are replaced; ProGuard's copies of every other
 * jar are discarded, so the function's own code and libraries such as Log4j or Jackson ship exactly as published.
 * No optimisation and no renaming: the shrunk classes keep their names, line numbers and behaviour.
 */
final class UnusedCodeShrinker {
    /**
     * Packages whose unused classes may go: reached only through direct calls, never by name. Lambda events classes
     * keep all members of the classes kept, since Jackson fills them by reflection.
     */
    static final List<String> SHRINKABLE = List.of(
            "software/amazon/awssdk/services/",
            "com/amazonaws/services/lambda/runtime/events/",
            "org/apache/commons/lang3/",
            "org/javatuples/");

    record Shrunk(Map<Path, Path> replacements) {
    }

    private UnusedCodeShrinker() {
    }

    static Shrunk shrink(List<Path> jars, Path work) throws IOException {
        List<Path> shrinkable = jars.stream().filter(UnusedCodeShrinker::onlyShrinkablePackages).toList();
        if (shrinkable.isEmpty()) {
            return new Shrunk(Map.of());
        }
        Path shrunkDir = Files.createDirectories(work.resolve("shrunk"));
        Path discardDir = Files.createDirectories(work.resolve("discarded"));
        Map<Path, Path> replacements = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>(rules());
        for (Path jar : jars) {
            boolean replace = shrinkable.contains(jar);
            Path output = (replace ? shrunkDir : discardDir).resolve(jar.getFileName());
            Files.deleteIfExists(output);
            lines.add("-injars " + quoted(jar));
            lines.add("-outjars " + quoted(output));
            if (replace) {
                replacements.put(jar, output);
            }
        }
        lines.add("-libraryjars " + quoted(JdkClasses.jar(work)));
        run(String.join("\n", lines));
        for (Path jar : jars) {
            Files.deleteIfExists(discardDir.resolve(jar.getFileName())); // only written because ProGuard must
        }
        return new Shrunk(replacements);
    }

    static List<String> rules() {
        String notShrinkable = String.join(",", SHRINKABLE.stream()
                .map(p -> "!" + p.replace('/', '.') + "**").toList());
        return List.of(
                "-dontobfuscate",
                "-dontoptimize",
                "-keepattributes *",
                // Optional dependencies of kept libraries (Log4j's Kafka appender, say) are absent on purpose.
                "-ignorewarnings",
                "-dontwarn",
                "-dontnote",
                "-keep class " + notShrinkable + " { *; }",
                "-keepclassmembers class com.amazonaws.services.lambda.runtime.events.** { *; }",
                // core's RealAwsAccount.client(Class) builds a client it has no compile-time type for by reflection.
                "-keepclassmembers interface * extends software.amazon.awssdk.core.SdkClient {"
                        + " public static *** builder(); }",
                "-keepclassmembers enum * { public static **[] values(); public static ** valueOf(java.lang.String); }");
    }

    static boolean onlyShrinkablePackages(Path jar) {
        try (JarFile f = new JarFile(jar.toFile())) {
            List<String> classes = f.stream().map(JarEntry::getName)
                    .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class"))
                    .toList();
            return !classes.isEmpty() && classes.stream().allMatch(n -> SHRINKABLE.stream().anyMatch(n::startsWith));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    private static void run(String rules) throws IOException {
        Configuration configuration = new Configuration();
        try (ConfigurationParser parser = new ConfigurationParser(rules, "cachekeeper packaging rules",
                Path.of(".").toFile(), new Properties())) {
            parser.parse(configuration);
        } catch (ParseException e) {
            throw new IllegalStateException("bad ProGuard rules: " + e.getMessage(), e);
        }
        try {
            new ProGuard(configuration).execute();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("ProGuard failed: " + e.getMessage(), e);
        }
    }

    private static String quoted(Path p) {
        return "\"" + p.toAbsolutePath() + "\"";
    }
}
