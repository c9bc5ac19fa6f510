package dev.cachekeeper.packaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.logging.log4j.core.config.plugins.processor.PluginCache;
import org.apache.logging.log4j.core.config.plugins.processor.PluginProcessor;

/**
 * Merges jars into one, keeping what each of them relied on:
 * <ul>
 *   <li>{@code META-INF/services} files are joined, so every ServiceLoader provider (the SDK's HTTP client, Log4j,
 *       SLF4J, Powertools) is still found;</li>
 *   <li>Log4j plugin caches are combined with Log4j's own reader and writer, so the JSON layout and Powertools'
 *       resolvers are still plugins; only the {@link KeptLog4jPlugins} stay registered;</li>
 *   <li>each library's licence and notice files move to {@code META-INF/licenses/<jar>/}, none overwritten;</li>
 *   <li>a {@code Multi-Release} input makes the merged jar multi-release (Log4j and Jackson carry classes for newer
 *       JDKs under {@code META-INF/versions});</li>
 *   <li>module descriptors, signatures and the inputs' manifests are dropped.</li>
 * </ul>
 * Two different classes under one name stop the merge: the class path would have picked one of them silently.
 * Entries carry a fixed time, so the same inputs give the same jar.
 *
 * <p>Entries are stored, not deflated. The deployment zip deflates the whole jar as one stream, where a class
 * compresses against its neighbours (same package, same constant-pool strings): the zip comes out about 30% smaller
 * than one holding a jar of separately deflated entries, and the JVM reads classes without inflating them.
 */
final class JarMerger {
    static final String PLUGIN_CACHE = PluginProcessor.PLUGIN_CACHE_FILE;
    private static final String SERVICES = "META-INF/services/";
    private static final long FIXED_TIME = 315_532_800_000L + 86_400_000L * 31; // 1980-02-01, the zip format's era
    private static final Pattern LICENSE = Pattern.compile(
            "(META-INF/)?(LICEN[CS]E|NOTICE|DEPENDENCIES|COPYRIGHT)([._-][^/]*)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)",
            Pattern.CASE_INSENSITIVE);

    private JarMerger() {
    }

    static void merge(List<Path> jars, Path out) throws IOException {
        merge(jars, out, KeptLog4jPlugins.everything());
    }

    static void merge(List<Path> jars, Path out, KeptLog4jPlugins kept) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        Map<String, Set<String>> services = new LinkedHashMap<>();
        List<byte[]> pluginCaches = new ArrayList<>();
        boolean multiRelease = false;
        for (Path jar : jars) {
            String jarName = jar.getFileName().toString();
            try (JarFile f = new JarFile(jar.toFile(), false)) {
                Manifest m = f.getManifest();
                multiRelease |= m != null && "true".equalsIgnoreCase(
                        m.getMainAttributes().getValue(Attributes.Name.MULTI_RELEASE));
                for (JarEntry e : Collections.list(f.entries())) {
                    String name = e.getName();
                    if (dropped(name)) {
                        continue;
                    }
                    if (e.isDirectory()) {
                        entries.putIfAbsent(name, null);
                        continue;
                    }
                    byte[] bytes;
                    try (InputStream in = f.getInputStream(e)) {
                        bytes = in.readAllBytes();
                    }
                    if (name.startsWith(SERVICES) && name.indexOf('/', SERVICES.length()) < 0) {
                        services.computeIfAbsent(name, k -> new LinkedHashSet<>()).addAll(providers(bytes));
                    } else if (name.equals(PLUGIN_CACHE)) {
                        pluginCaches.add(bytes);
                    } else if (LICENSE.matcher(name).matches()) {
                        String base = jarName.substring(0, jarName.length() - ".jar".length());
                        entries.put("META-INF/licenses/" + base + "/" + name.substring(name.lastIndexOf('/') + 1),
                                bytes);
                    } else {
                        add(entries, origin, name, bytes, jarName);
                    }
                }
            }
        }
        services.forEach((name, lines) -> entries.put(name,
                (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)));
        if (!pluginCaches.isEmpty()) {
            entries.put(PLUGIN_CACHE, mergedPluginCache(pluginCaches, kept, out.getParent()));
        }
        write(out, entries, multiRelease);
    }

    private static boolean dropped(String name) {
        return name.equals("META-INF/MANIFEST.MF") || name.equals("META-INF/INDEX.LIST")
                || name.endsWith("module-info.class") || SIGNATURE.matcher(name).matches();
    }

    private static void add(Map<String, byte[]> entries, Map<String, String> origin, String name, byte[] bytes,
                            String jar) {
        byte[] existing = entries.get(name);
        if (existing == null) {
            entries.put(name, bytes);
            origin.put(name, jar);
        } else if (!Arrays.equals(existing, bytes) && name.endsWith(".class")) {
            throw new IllegalStateException(name + " differs between " + origin.get(name) + " and " + jar
                    + ": the class path would have used one of them silently; exclude one of the two dependencies");
        }
        // Any other repeated resource: the first jar wins, as it would on a class path in this order.
    }

    /** Provider class names, without comments or blank lines, in the order the file lists them. */
    static List<String> providers(byte[] file) {
        List<String> names = new ArrayList<>();
        for (String line : new String(file, StandardCharsets.UTF_8).split("\\R")) {
            int hash = line.indexOf('#');
            String name = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    private static byte[] mergedPluginCache(List<byte[]> caches, KeptLog4jPlugins kept, Path scratchDir)
            throws IOException {
        // PluginCache reads URLs; each cache goes through a scratch file so Log4j's own format code does the work.
        List<Path> files = new ArrayList<>();
        try {
            List<URL> urls = new ArrayList<>();
            for (byte[] c : caches) {
                Path f = Files.createTempFile(scratchDir, "log4j-plugins-", ".dat");
                files.add(f);
                Files.write(f, c);
                urls.add(f.toUri().toURL());
            }
            PluginCache merged = new PluginCache();
            Enumeration<URL> e = Collections.enumeration(urls);
            merged.loadCacheFiles(e);
            kept.filter(merged.getAllCategories());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            merged.writeCache(out);
            return out.toByteArray();
        } finally {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static void write(Path out, Map<String, byte[]> entries, boolean multiRelease) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Created-By", "cachekeeper lambda-packager");
        if (multiRelease) {
            manifest.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
        }
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        try {
            writeTo(partial, manifest, entries);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writeTo(Path partial, Manifest manifest, Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream manifestBytes = new ByteArrayOutputStream();
        manifest.write(manifestBytes);
        try (OutputStream file = Files.newOutputStream(partial); JarOutputStream jar = new JarOutputStream(file)) {
            store(jar, JarFile.MANIFEST_NAME, manifestBytes.toByteArray());
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                store(jar, e.getKey(), e.getValue() == null ? new byte[0] : e.getValue());
            }
        }
    }

    /** One uncompressed entry with the fixed time; also how {@link JdkClasses} writes its jar. */
    static void store(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(FIXED_TIME);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }
}
