package dev.cachekeeper.packaging;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipOutputStream;

/**
 * The running JDK's classes as one jar, for ProGuard to see the class hierarchy the packaged code builds on.
 * ProGuard reads jmods, and JDKs since 24 may ship without them, so the classes are copied out of the runtime image.
 */
final class JdkClasses {
    private JdkClasses() {
    }

    /** In {@code dir}, written once per JDK version; concurrent builds each write a part file and rename it. */
    static Path jar(Path dir) throws IOException {
        Path jar = Files.createDirectories(dir).resolve("jdk-" + Runtime.version() + ".jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        Path partial = Files.createTempFile(dir, "jdk-", ".partial");
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        try (OutputStream file = Files.newOutputStream(partial); ZipOutputStream zip = new ZipOutputStream(file);
             Stream<Path> modules = Files.list(jrt.getPath("/modules"))) {
            for (Path module : modules.filter(JdkClasses::needed).sorted().toList()) {
                List<Path> classes;
                try (Stream<Path> walk = Files.walk(module)) {
                    classes = walk.filter(p -> p.toString().endsWith(".class")
                            && !p.getFileName().toString().equals("module-info.class")).toList();
                }
                for (Path c : classes) {
                    // Stored: written once, read by every module's build, so compressing would only cost time.
                    JarMerger.store(zip, module.relativize(c).toString(), Files.readAllBytes(c));
                }
            }
        }
        Files.move(partial, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return jar;
    }

    private static boolean needed(Path module) {
        String name = module.getFileName().toString();
        return name.startsWith("java.") || name.equals("jdk.unsupported") || name.equals("jdk.management");
    }
}
