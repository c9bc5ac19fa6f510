package dev.cachekeeper.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.logging.log4j.core.config.plugins.processor.PluginCache;
import org.apache.logging.log4j.core.config.plugins.processor.PluginEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarMergerTest {
    @TempDir
    Path dir;

    @Test
    void everyServiceProviderOfEveryJarIsStillListed() throws IOException {
        Path a = jar("a.jar", false, Map.of("META-INF/services/org.slf4j.spi.SLF4JServiceProvider",
                "# Log4j's bridge\norg.apache.logging.slf4j.SLF4JServiceProvider\n"));
        Path b = jar("b.jar", false, Map.of("META-INF/services/org.slf4j.spi.SLF4JServiceProvider",
                "com.example.Other\norg.apache.logging.slf4j.SLF4JServiceProvider\n",
                "META-INF/services/software.amazon.awssdk.http.SdkHttpService",
                "software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService\n"));

        Map<String, String> merged = merge(a, b);

        assertEquals("org.apache.logging.slf4j.SLF4JServiceProvider\ncom.example.Other\n",
                merged.get("META-INF/services/org.slf4j.spi.SLF4JServiceProvider"));
        assertEquals("software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService\n",
                merged.get("META-INF/services/software.amazon.awssdk.http.SdkHttpService"));
    }

    @Test
    void log4jPluginsOfEveryJarStayPlugins() throws IOException {
        Path core = jar("log4j-core.jar", false, Map.of(JarMerger.PLUGIN_CACHE,
                pluginCache("core", "console", "org.apache.logging.log4j.core.appender.ConsoleAppender")));
        Path layout = jar("log4j-layout-template-json.jar", false, Map.of(JarMerger.PLUGIN_CACHE,
                pluginCache("core", "jsontemplatelayout", "org.apache.logging.log4j.layout.template.json.JsonTemplateLayout")));

        Path out = dir.resolve("out.jar");
        JarMerger.merge(List.of(core, layout), out);

        PluginCache read = new PluginCache();
        read.loadCacheFiles(Collections.enumeration(List.of(new URL("jar:" + out.toUri() + "!/" + JarMerger.PLUGIN_CACHE))));
        Map<String, PluginEntry> plugins = read.getCategory("core");
        assertEquals("org.apache.logging.log4j.core.appender.ConsoleAppender", plugins.get("console").getClassName());
        assertEquals("org.apache.logging.log4j.layout.template.json.JsonTemplateLayout",
                plugins.get("jsontemplatelayout").getClassName());
    }

    @Test
    void onlyTheListedLog4jPluginsStayRegistered() throws IOException {
        Path core = jar("log4j-core.jar", false, Map.of(JarMerger.PLUGIN_CACHE, pluginCache(
                new String[] {"core", "console", "org.apache.logging.log4j.core.appender.ConsoleAppender"},
                new String[] {"core", "kafka", "org.apache.logging.log4j.core.appender.mom.kafka.KafkaAppender"},
                new String[] {"lookup", "env", "org.apache.logging.log4j.core.lookup.EnvironmentLookup"},
                new String[] {"lookup", "jndi", "org.apache.logging.log4j.core.lookup.JndiLookup"},
                new String[] {"typeconverter", "boolean", "org.apache.logging.log4j.core.config.plugins.convert"
                        + ".TypeConverters$BooleanConverter"},
                new String[] {"typeconverter", "level", "org.apache.logging.log4j.core.config.plugins.convert"
                        + ".TypeConverters$LevelConverter"},
                new String[] {"converter", "date", "org.apache.logging.log4j.core.pattern.DatePatternConverter"})));
        Path list = Files.writeString(dir.resolve("log4j-plugins.txt"),
                "# what log4j2.json uses\ncore:Console\nlookup:env   # ${env:...}\n\ntypeconverter:*\n");
        Path out = dir.resolve("out.jar");

        JarMerger.merge(List.of(core), out, KeptLog4jPlugins.read(list));

        PluginCache read = new PluginCache();
        read.loadCacheFiles(Collections.enumeration(List.of(new URL("jar:" + out.toUri() + "!/" + JarMerger.PLUGIN_CACHE))));
        Map<String, List<String>> registered = new java.util.TreeMap<>();
        read.getAllCategories().forEach((category, plugins) -> registered.put(category, List.copyOf(plugins.keySet())));
        assertEquals(Map.of("core", List.of("console"), "lookup", List.of("env"),
                "typeconverter", List.of("boolean", "level")), registered);
    }

    @Test
    void aListedLog4jPluginThatNoJarRegistersStopsThePacking() throws IOException {
        Path core = jar("log4j-core.jar", false, Map.of(JarMerger.PLUGIN_CACHE,
                pluginCache("core", "console", "org.apache.logging.log4j.core.appender.ConsoleAppender")));
        Path list = Files.writeString(dir.resolve("log4j-plugins.txt"), "core:console\ncore:consol\nlookup:*\n");

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> JarMerger.merge(List.of(core), dir.resolve("out.jar"), KeptLog4jPlugins.read(list)));
        assertTrue(e.getMessage().contains("[core:consol, lookup:*]"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out.jar")));

        Path bad = Files.writeString(dir.resolve("bad.txt"), "core:console\nconsole\n");
        IllegalArgumentException parse = assertThrows(IllegalArgumentException.class,
                () -> KeptLog4jPlugins.read(bad));
        assertTrue(parse.getMessage().contains("line 2") && parse.getMessage().contains("'console'"),
                parse.getMessage());
    }

    @Test
    void licenceAndNoticeFilesOfEachLibraryAreKeptUnderItsOwnName() throws IOException {
        Path a = jar("sdk-core-2.40.13.jar", false, Map.of("META-INF/LICENSE.txt", "Apache", "META-INF/NOTICE.txt", "AWS"));
        Path b = jar("jackson-core-2.18.2.jar", false, Map.of("META-INF/LICENSE", "Apache too", "META-INF/NOTICE", "FasterXML"));

        Map<String, String> merged = merge(a, b);

        assertEquals("Apache", merged.get("META-INF/licenses/sdk-core-2.40.13/LICENSE.txt"));
        assertEquals("AWS", merged.get("META-INF/licenses/sdk-core-2.40.13/NOTICE.txt"));
        assertEquals("Apache too", merged.get("META-INF/licenses/jackson-core-2.18.2/LICENSE"));
        assertEquals("FasterXML", merged.get("META-INF/licenses/jackson-core-2.18.2/NOTICE"));
        assertFalse(merged.containsKey("META-INF/LICENSE"));
    }

    @Test
    void moduleDescriptorsAndSignaturesAreDroppedAndMultiReleaseIsKept() throws IOException {
        Path mr = jar("log4j-api.jar", true, Map.of("module-info.class", "x",
                "META-INF/versions/9/module-info.class", "x",
                "META-INF/versions/9/org/apache/logging/log4j/util/StackLocator.class", "java 9 version",
                "META-INF/SIGNER.SF", "sig", "META-INF/SIGNER.RSA", "sig"));

        Path out = dir.resolve("out.jar");
        JarMerger.merge(List.of(mr), out);

        try (JarFile f = new JarFile(out.toFile())) {
            assertEquals("true", f.getManifest().getMainAttributes().getValue(Attributes.Name.MULTI_RELEASE));
            assertNull(f.getEntry("module-info.class"));
            assertNull(f.getEntry("META-INF/versions/9/module-info.class"));
            assertNull(f.getEntry("META-INF/SIGNER.SF"));
            assertNull(f.getEntry("META-INF/SIGNER.RSA"));
            assertTrue(f.isMultiRelease());
        }
        Path plain = dir.resolve("plain.jar");
        JarMerger.merge(List.of(jar("plain-in.jar", false, Map.of("a/A.class", "a"))), plain);
        try (JarFile f = new JarFile(plain.toFile())) {
            assertNull(f.getManifest().getMainAttributes().getValue(Attributes.Name.MULTI_RELEASE));
        }
    }

    @Test
    void twoDifferentClassesUnderOneNameStopTheMergeNamingBothJars() throws IOException {
        Path a = jar("first.jar", false, Map.of("com/example/Clash.class", "one"));
        Path b = jar("second.jar", false, Map.of("com/example/Clash.class", "two"));
        Path same = jar("third.jar", false, Map.of("com/example/Clash.class", "one"));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> JarMerger.merge(List.of(a, b), dir.resolve("out.jar")));

        assertTrue(e.getMessage().contains("com/example/Clash.class differs between first.jar and second.jar"),
                e.getMessage());
        JarMerger.merge(List.of(a, same), dir.resolve("ok.jar")); // identical copies are fine
        assertFalse(Files.exists(dir.resolve("out.jar")), "a failed merge leaves no jar behind");
    }

    @Test
    void theSameInputsGiveTheSameBytes() throws IOException {
        Path a = jar("a.jar", false, Map.of("a/A.class", "a", "META-INF/services/x.Y", "a.Z\n"));
        Path b = jar("b.jar", false, Map.of("b/B.class", "b", "META-INF/services/x.Y", "b.Z\n"));
        Path one = dir.resolve("one.jar");
        Path two = dir.resolve("two.jar");

        JarMerger.merge(List.of(a, b), one);
        JarMerger.merge(List.of(a, b), two);

        assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two));
    }

    @Test
    void storedEntriesMakeTheDeploymentZipSmallerThanThePublishedJarsOwn() throws Exception {
        // log4j-core as published: about 1,400 separately deflated entries.
        Path published = Path.of(PluginCache.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path merged = dir.resolve("merged.jar");

        JarMerger.merge(List.of(published), merged);

        try (JarFile in = new JarFile(published.toFile()); JarFile out = new JarFile(merged.toFile())) {
            for (JarEntry e : Collections.list(out.entries())) {
                assertEquals(java.util.zip.ZipEntry.STORED, e.getMethod(), e.getName() + " is stored");
            }
            JarEntry logger = in.getJarEntry("org/apache/logging/log4j/core/Logger.class");
            assertArrayEquals(in.getInputStream(logger).readAllBytes(),
                    out.getInputStream(out.getJarEntry(logger.getName())).readAllBytes());
        }
        long before = LambdaPackager.deploymentZipBytes(published);
        long after = LambdaPackager.deploymentZipBytes(merged);
        assertTrue(after < before * 0.85, "deployment zip " + after + " bytes, with the published jar " + before);
    }

    private Map<String, String> merge(Path... jars) throws IOException {
        Path out = dir.resolve("merged.jar");
        JarMerger.merge(List.of(jars), out);
        Map<String, String> entries = new LinkedHashMap<>();
        try (JarFile f = new JarFile(out.toFile())) {
            for (JarEntry e : Collections.list(f.entries())) {
                if (!e.isDirectory()) {
                    entries.put(e.getName(), new String(f.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return entries;
    }

    private Path jar(String name, boolean multiRelease, Map<String, ?> entries) throws IOException {
        Path p = dir.resolve(name);
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (multiRelease) {
            m.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
        }
        try (OutputStream file = Files.newOutputStream(p); JarOutputStream jar = new JarOutputStream(file, m)) {
            for (Map.Entry<String, ?> e : new java.util.TreeMap<>(entries).entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue() instanceof byte[] b ? b
                        : e.getValue().toString().getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
        return p;
    }

    private static byte[] pluginCache(String category, String key, String className) throws IOException {
        return pluginCache(new String[] {category, key, className});
    }

    /** A Log4j plugin cache of {category, key, class name} entries, written by Log4j's own code. */
    private static byte[] pluginCache(String[]... plugins) throws IOException {
        PluginCache cache = new PluginCache();
        for (String[] p : plugins) {
            PluginEntry entry = new PluginEntry();
            entry.setKey(p[1]);
            entry.setClassName(p[2]);
            entry.setName(p[1]);
            entry.setCategory(p[0]);
            cache.getCategory(p[0]).put(p[1], entry);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        cache.writeCache(out);
        return out.toByteArray();
    }
}
