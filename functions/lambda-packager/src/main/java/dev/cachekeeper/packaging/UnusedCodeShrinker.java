package dev.cachekeeper.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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

    static Shrunk shrink(List<Path> jars, Path work, Path jdkClasses) throws IOException {
        List<Path> shrinkable = jars.stream().filter(UnusedCodeShrinker::onlyShrinkablePackages).toList();
        if (shrinkable.isEmpty()) {
            return new Shrunk(Map.of());
        }
        Path shrunkDir = Files.createDirectories(work.resolve("shrunk"));
        Path discardDir = Files.createDirectories(work.resolve("discarded"));
        Map<Path, Path> replacements = new LinkedHashMap<>();
        for (Path jar : shrinkable) {
            replacements.put(jar, shrunkDir.resolve(jar.getFileName()));
        }
        run(configuration(jars, replacements, discardDir, Map.of(), jdkClasses));
        // Second pass: ProGuard keeps the request class of every operation, sent or not, because a request's
        // toBuilder() and sdkFields() override SDK core methods that it must assume are called. A request whose
        // marshaller nothing reaches can never be sent, so it is left out and ProGuard drops what only it used.
        Map<Path, List<String>> unsent = new LinkedHashMap<>();
        Set<String> referencedByOtherJars = referencesIn(jars.stream()
                .filter(j -> !replacements.containsKey(j)).toList(), name -> true).keySet();
        for (Path jar : shrinkable) {
            // Kept only if something besides its own classes and the client interfaces (whose InnerClasses
            // attributes still name every operation's builder) mentions it: an S3 interceptor's instanceof, say.
            Map<String, Set<String>> within = referencesIn(List.of(replacements.get(jar)),
                    referrer -> !CLIENT.matcher(referrer).matches());
            List<String> requests = unsentRequests(jar, replacements.get(jar)).stream()
                    .filter(r -> !referencedByOtherJars.contains(r))
                    .filter(r -> within.getOrDefault(r, Set.of()).stream().allMatch(r::equals)).toList();
            if (!requests.isEmpty()) {
                unsent.put(jar, requests);
            }
        }
        if (!unsent.isEmpty()) {
            run(configuration(jars, replacements, discardDir, unsent, jdkClasses));
        }
        for (Path jar : jars) {
            Files.deleteIfExists(discardDir.resolve(jar.getFileName())); // only written because ProGuard must
        }
        return new Shrunk(replacements);
    }

    private static String configuration(List<Path> jars, Map<Path, Path> replacements, Path discardDir,
                                        Map<Path, List<String>> leftOut, Path jdkClasses) throws IOException {
        List<String> lines = new ArrayList<>(rules());
        for (Path jar : jars) {
            Path output = replacements.getOrDefault(jar, discardDir.resolve(jar.getFileName()));
            Files.deleteIfExists(output);
            List<String> classes = leftOut.getOrDefault(jar, List.of());
            String filter = classes.isEmpty() ? "" : classes.stream()
                    .flatMap(c -> Stream.of("!" + c + ".class", "!" + c + "$*.class"))
                    .collect(Collectors.joining(",", "(", ")"));
            lines.add("-injars " + quoted(jar) + filter);
            lines.add("-outjars " + quoted(output));
        }
        lines.add("-libraryjars " + quoted(JdkClasses.jar(jdkClasses)));
        return String.join("\n", lines);
    }

    /**
     * The request classes ({@code software/amazon/awssdk/services/x/model/FooRequest}) of the operations whose
     * marshaller the first pass removed.
     */
    static List<String> unsentRequests(Path original, Path shrunk) throws IOException {
        Set<String> kept = marshalledRequests(shrunk);
        return marshalledRequests(original).stream().filter(r -> !kept.contains(r)).sorted().toList();
    }

    private static Set<String> marshalledRequests(Path jar) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            return f.stream().map(JarEntry::getName).map(MARSHALLER::matcher).filter(Matcher::matches)
                    .map(m -> m.group(1) + "model/" + m.group(2))
                    .collect(Collectors.toSet());
        }
    }

    private static final Pattern MARSHALLER =
            Pattern.compile("(software/amazon/awssdk/services/[^/]+/)transform/([A-Za-z0-9]+Request)Marshaller\\.class");
    private static final Pattern CLASS_NAME = Pattern.compile("software/amazon/awssdk/services/[A-Za-z0-9_/$]+");
    private static final Pattern CLIENT =
            Pattern.compile("software/amazon/awssdk/services/[^/]+/(Default)?[A-Za-z0-9]+(Async)?Client");

    /**
     * For every SDK service class that the given jars' classes mention (read from their bytes), the classes that
     * mention it, both as top-level names; referrers the filter rejects are not counted. Code outside the models
     * that builds a request without sending it (to hand it to Step Functions, say) keeps that request.
     */
    static Map<String, Set<String>> referencesIn(List<Path> jars, java.util.function.Predicate<String> counted)
            throws IOException {
        Map<String, Set<String>> referrers = new java.util.HashMap<>();
        for (Path jar : jars) {
            try (JarFile f = new JarFile(jar.toFile())) {
                for (JarEntry e : f.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                    String referrer = topLevel(e.getName().substring(0, e.getName().length() - ".class".length()));
                    if (!counted.test(referrer)) {
                        continue;
                    }
                    byte[] bytes;
                    try (InputStream in = f.getInputStream(e)) {
                        bytes = in.readAllBytes();
                    }
                    Matcher m = CLASS_NAME.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
                    while (m.find()) {
                        referrers.computeIfAbsent(topLevel(m.group()), k -> new HashSet<>()).add(referrer);
                    }
                }
            }
        }
        return referrers;
    }

    private static String topLevel(String name) {
        int nested = name.indexOf('$');
        return nested < 0 ? name : name.substring(0, nested);
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
