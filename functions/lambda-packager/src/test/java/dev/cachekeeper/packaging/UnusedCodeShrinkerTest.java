package dev.cachekeeper.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.commons.lang3.StringUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnusedCodeShrinkerTest {
    @TempDir
    Path dir;

    @Test
    void aShrinkableLibraryKeepsWhatTheFunctionCallsAndLosesTheRest() throws Exception {
        Path commonsLang = Path.of(StringUtils.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path function = compile("package app; public class Handler { public static String run(String s) {"
                + " return org.apache.commons.lang3.StringUtils.capitalize(s); } }", commonsLang);

        UnusedCodeShrinker.Shrunk shrunk = UnusedCodeShrinker.shrink(List.of(function, commonsLang),
                dir.resolve("work"), dir.resolve("jdk"));

        assertFalse(shrunk.replacements().containsKey(function), "the function's own jar ships as built");
        Path library = shrunk.replacements().get(commonsLang);
        assertNotNull(library, "commons-lang3 is made only of shrinkable packages");
        try (JarFile f = new JarFile(library.toFile())) {
            assertNotNull(f.getEntry("org/apache/commons/lang3/StringUtils.class"));
            assertNull(f.getEntry("org/apache/commons/lang3/RandomStringUtils.class"));
        }
        assertTrue(Files.size(library) < Files.size(commonsLang) / 3,
                Files.size(library) + " bytes left of " + Files.size(commonsLang));
        // Loaded outside the JDK's own loaders, so the verifier checks the rewritten classes' stack maps.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {function.toUri().toURL(), library.toUri().toURL()},
                null)) {
            assertEquals("Cache", loader.loadClass("app.Handler").getMethod("run", String.class).invoke(null, "cache"));
        }
    }

    @Test
    void anSdkClientKeepsTheRequestsOfWhatTheFunctionSendsOrBuildsAndLosesTheOthers() throws Exception {
        // The SDK jars the SNS client needs, from this test's own class path.
        List<Path> sdk = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(p -> p.endsWith(".jar") && SDK_JAR.matcher(p.replace('\\', '/')).find()).map(Path::of)
                .toList();
        Path sns = sdk.stream().filter(p -> p.getFileName().toString().startsWith("sns-")).findFirst().orElseThrow();
        Path function = compile("package app; import software.amazon.awssdk.services.sns.SnsClient;"
                + " import software.amazon.awssdk.services.sns.model.SubscribeRequest;"
                + " public class Handler {"
                + " public static void send(SnsClient sns) { sns.publish(b -> b.topicArn(\"t\").message(\"m\")); }"
                + " public static String describe() {"
                + "   return SubscribeRequest.builder().topicArn(\"t\").protocol(\"email\").build().toString(); } }",
                sdk.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
        List<Path> inputs = new java.util.ArrayList<>(List.of(function));
        inputs.addAll(sdk);

        Path shrunk = UnusedCodeShrinker.shrink(inputs, dir.resolve("work"), dir.resolve("jdk")).replacements().get(sns);

        assertNotNull(shrunk, "the SNS model is shrinkable");
        try (JarFile f = new JarFile(shrunk.toFile())) {
            String model = "software/amazon/awssdk/services/sns/model/";
            assertNotNull(f.getEntry(model + "PublishRequest.class"), "sent: kept");
            assertNotNull(f.getEntry("software/amazon/awssdk/services/sns/transform/PublishRequestMarshaller.class"));
            assertNotNull(f.getEntry(model + "SubscribeRequest$BuilderImpl.class"), "built, never sent: kept");
            assertNull(f.getEntry(model + "CreateTopicRequest.class"), "neither: dropped");
            assertNull(f.getEntry(model + "CreateTopicRequest$BuilderImpl.class"));
            assertNotNull(f.getEntry(model + "NotFoundException.class"), "every modeled error stays mapped");
        }
        List<URL> urls = new java.util.ArrayList<>();
        for (Path p : inputs) {
            urls.add((p.equals(sns) ? shrunk : p).toUri().toURL());
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), null)) {
            Object text = loader.loadClass("app.Handler").getMethod("describe").invoke(null);
            assertTrue(text.toString().startsWith("SubscribeRequest(TopicArn=t"), text.toString());
        }
    }

    private static final java.util.regex.Pattern SDK_JAR =
            java.util.regex.Pattern.compile("/software/amazon/|/org/reactivestreams/|/org/slf4j/");

    @Test
    void onlyJarsMadeEntirelyOfShrinkablePackagesAreCandidates() throws Exception {
        Path commonsLang = Path.of(StringUtils.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path mixed = compile("package app; public class Handler { }", commonsLang);

        assertTrue(UnusedCodeShrinker.onlyShrinkablePackages(commonsLang));
        assertFalse(UnusedCodeShrinker.onlyShrinkablePackages(mixed));
    }

    private Path compile(String source, Path classpath) throws Exception {
        return compile(source, classpath.toString());
    }

    private Path compile(String source, String classpath) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/app")).resolve("Handler.java");
        Files.writeString(src, source);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--release", "21", "-cp", classpath, "-d", classes.toString(),
                src.toString());
        assertEquals(0, rc, "test source compiles");
        Path jar = dir.resolve("function.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry("app/Handler.class"));
            j.write(Files.readAllBytes(classes.resolve("app/Handler.class")));
            j.closeEntry();
        }
        return jar;
    }
}
