package dev.cachekeeper.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a start's CPU time went, read from async-profiler's CPU samples ({@code --profile}): each sample of a Java
 * thread counts for the innermost library on its stack, so the JDK's class loading, TLS or reflection count for the
 * library that asked for them (Log4j's set-up called by the SDK's first logger counts for Log4j). A sample with no
 * library frame is the JVM and the JDK starting up, or a class load the profiler could not walk back to the code
 * that needed it; compiler and collector threads are counted apart.
 */
final class StartupProfile implements CollapsedStacks {
    /** A component of a start, in the order the report prints them. */
    enum Part {
        JVM("JVM and JDK start"),
        RUNTIME_CLIENT("Lambda runtime client and events"),
        HANDLER("handler code (cachekeeper, Dagger)"),
        AWS_SDK("AWS SDK"),
        LOG4J("Log4j and SLF4J"),
        POWERTOOLS("Powertools"),
        EMF("EMF library"),
        JACKSON("Jackson"),
        JIT("JIT compiler threads"),
        OTHER_THREADS("GC and other JVM threads");

        final String label;

        Part(String label) {
            this.label = label;
        }
    }

    /** Work that any part may cause, counted wherever it happens (so these overlap the parts and each other). */
    enum Across {
        CLASS_LOADING("class loading and linking",
                "^(java/lang/ClassLoader\\.(loadClass|defineClass)|jdk/internal/loader/|SystemDictionary::"
                        + "|ClassFileParser::|ClassLoader::|Verifier::|ClassVerifier::|InstanceKlass::link)"),
        // Not all of java/security: SecureClassLoader is on every class path load.
        TLS("TLS and crypto", "^(sun/security/|javax/net/ssl/|javax/crypto/|com/sun/crypto/"
                + "|java/security/(KeyStore|Signature|KeyFactory|KeyPairGenerator|MessageDigest|cert/))"),
        LAMBDA_LINKAGE("lambda and invokedynamic linkage",
                "^(java/lang/invoke/(InnerClassLambdaMetafactory|LambdaMetafactory|BootstrapMethodInvoker|"
                        + "StringConcatFactory)|java/lang/invoke/MethodHandleNatives\\.linkCallSite)");

        final String label;
        final Pattern frame;

        Across(String label, String frame) {
            this.label = label;
            this.frame = Pattern.compile(frame);
        }
    }

    /** Package prefixes (as async-profiler writes them) of each library; the rest is the JDK or the JVM itself. */
    private static final List<Map.Entry<String, Part>> LIBRARIES = List.of(
            // the functions and the benchmark's own baseline handlers
            Map.entry("dev/cachekeeper/", Part.HANDLER),
            Map.entry("dagger/", Part.HANDLER),
            Map.entry("software/amazon/awssdk/", Part.AWS_SDK),
            Map.entry("org/apache/logging/", Part.LOG4J),
            Map.entry("org/slf4j/", Part.LOG4J),
            Map.entry("software/amazon/lambda/powertools/", Part.POWERTOOLS),
            Map.entry("software/amazon/cloudwatchlogs/emf/", Part.EMF),
            Map.entry("com/fasterxml/jackson/", Part.JACKSON),
            Map.entry("com/amazonaws/services/lambda/", Part.RUNTIME_CLIENT));

    private final Map<Part, Long> parts = new EnumMap<>(Part.class);
    private final Map<Across, Long> across = new EnumMap<>(Across.class);
    private long samples;

    @Override
    public void add(Stream<String> collapsed) {
        collapsed.filter(l -> !l.isBlank()).forEach(this::addLine);
    }

    private void addLine(String line) {
        Stack stack = Stack.parse(line);
        String[] frames = stack.frames();
        long n = stack.samples();
        samples += n;
        parts.merge(partOf(frames), n, Long::sum);
        for (Across a : Across.values()) {
            for (int i = 1; i < frames.length; i++) {
                if (a.frame.matcher(frames[i]).find()) {
                    across.merge(a, n, Long::sum);
                    break;
                }
            }
        }
    }

    private static Part partOf(String[] frames) {
        String thread = frames[0];
        // async-profiler writes the thread as "[name tid=N]"
        if (thread.startsWith("[") && ProcessStats.compilerThread(thread.substring(1))) {
            return Part.JIT;
        }
        boolean javaThread = false;
        for (int i = frames.length - 1; i >= 1; i--) {
            for (Map.Entry<String, Part> lib : LIBRARIES) {
                if (frames[i].startsWith(lib.getKey())) {
                    return lib.getValue();
                }
            }
            javaThread |= frames[i].indexOf('/') > 0;
        }
        // A thread with no Java frame at all is the collector's, the VM thread or another service thread.
        return javaThread || thread.startsWith("[main") ? Part.JVM : Part.OTHER_THREADS;
    }

    long samples() {
        return samples;
    }

    /** The share of all samples a part took, 0 to 1. */
    double share(Part p) {
        return samples == 0 ? 0 : parts.getOrDefault(p, 0L) / (double) samples;
    }

    double share(Across a) {
        return samples == 0 ? 0 : across.getOrDefault(a, 0L) / (double) samples;
    }

    /**
     * CPU time: a timer per thread ({@code ctimer}) rather than perf events, which containers and VMs often do not
     * offer.
     */
    static final String CPU = "ctimer";
    /** Wall-clock time: every thread sampled each interval, running or waiting. */
    static final String WALL = "wall";
    /** How often each thread is sampled. */
    static final int INTERVAL_MILLIS = 1;

    /**
     * The agent flag that samples a start ({@link #CPU} or {@link #WALL}, each thread every ms) from its first
     * instruction and writes its stacks at exit.
     */
    static String agentFlag(Path library, String event, Path out) {
        return "-agentpath:" + library + "=start,event=" + event + ",interval=" + INTERVAL_MILLIS
                + "ms,threads,collapsed,file=" + out;
    }

    /**
     * Takes async-profiler's native library for this machine out of its Maven Central jar (copied into
     * {@code target/profiler} by the module's build).
     */
    static Path extractAgent(Path profilerDir, Path work) throws IOException {
        String platform = switch (System.getProperty("os.name") + "/" + System.getProperty("os.arch")) {
            case "Linux/amd64" -> "linux-x64";
            case "Linux/aarch64" -> "linux-arm64";
            default -> throw new IllegalStateException("--profile and --first-event need Linux on x86-64 or arm64, not "
                    + System.getProperty("os.name") + " on " + System.getProperty("os.arch"));
        };
        Path jar;
        try (Stream<Path> files = Files.exists(profilerDir) ? Files.list(profilerDir) : Stream.empty()) {
            jar = files.filter(f -> f.getFileName().toString().startsWith("async-profiler")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no async-profiler jar in " + profilerDir
                            + ": build the module first (./mvnw -B -q install -DskipTests)"));
        }
        Path lib = work.resolve("libasyncProfiler-" + platform + ".so");
        try (JarFile j = new JarFile(jar.toFile())) {
            var entry = j.getJarEntry(platform + "/libasyncProfiler.so");
            if (entry == null) {
                throw new IllegalStateException(jar + " has no " + platform + "/libasyncProfiler.so");
            }
            try (InputStream in = j.getInputStream(entry)) {
                Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return lib;
    }
}
