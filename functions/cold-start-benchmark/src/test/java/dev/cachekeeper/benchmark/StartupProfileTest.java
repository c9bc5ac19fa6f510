package dev.cachekeeper.benchmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cachekeeper.benchmark.StartupProfile.Across;
import dev.cachekeeper.benchmark.StartupProfile.Part;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupProfileTest {
    private static final String RIC = "com/amazonaws/services/lambda/runtime/api/client/AWSLambda.main";

    /** A start's stacks as async-profiler collapses them with {@code threads}: 40 samples in all. */
    private static final List<String> START = List.of(
            // Log4j set up by the SDK's first logger, while a handler builds its client: Log4j's, not the SDK's
            "[main tid=11];" + RIC + ";dev/cachekeeper/failover/FailoverObserverHandler.<init>;"
                    + "software/amazon/awssdk/core/client/builder/SdkDefaultClientBuilder.<clinit>;"
                    + "org/slf4j/LoggerFactory.getLogger;org/apache/logging/log4j/LogManager.getContext;"
                    + "java/lang/ClassLoader.loadClass;java/security/SecureClassLoader.defineClass;"
                    + "ClassFileParser::parse_stream 8",
            // the JDK's TLS under the SDK's HTTP client: the SDK's, and TLS across
            "[main tid=11];" + RIC + ";dev/cachekeeper/core/aws/Retrier.call;"
                    + "software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient$RequestCallable.call;"
                    + "sun/security/ssl/SSLSocketImpl.startHandshake;sun/security/ec/ECOperations.multiply 6",
            // plain JDK work under the handler, including a lambda's linkage
            "[main tid=11];" + RIC + ";dev/cachekeeper/core/lambda/Invocations.run;java/util/HashMap.get 3",
            "[main tid=11];" + RIC + ";dev/cachekeeper/core/lambda/Invocations.run;"
                    + "java/lang/invoke/MethodHandleNatives.linkCallSite;"
                    + "java/lang/invoke/InnerClassLambdaMetafactory.buildCallSite 2",
            "[main tid=11];" + RIC + ";com/fasterxml/jackson/databind/ObjectMapper.<init> 4",
            "[main tid=11];" + RIC + ";com/amazonaws/services/lambda/runtime/api/client/runtimeapi/Next.get 1",
            // the VM starting, before any Java frame
            "[main tid=11];JavaMain;Threads::create_vm 5",
            "[C1 CompilerThre tid=14];thread_native_entry;Compiler::compile_method 7",
            "[GC Thread#0 tid=12];thread_native_entry;G1ParTask::work 2",
            "",
            "[Service Thread tid=15];thread_native_entry;ServiceThread::service_thread_entry 2");

    @Test
    void eachSampleCountsForTheInnermostLibraryOnItsStack() {
        StartupProfile p = new StartupProfile();
        p.add(START.stream());

        assertEquals(40, p.samples());
        assertEquals(8 / 40.0, p.share(Part.LOG4J), "Log4j's set-up, though the SDK asked for it");
        assertEquals(6 / 40.0, p.share(Part.AWS_SDK), "the handshake the SDK's HTTP client started");
        assertEquals(5 / 40.0, p.share(Part.HANDLER), "JDK work the handler did itself");
        assertEquals(4 / 40.0, p.share(Part.JACKSON));
        assertEquals(1 / 40.0, p.share(Part.RUNTIME_CLIENT));
        assertEquals(5 / 40.0, p.share(Part.JVM), "the VM's own start");
        assertEquals(7 / 40.0, p.share(Part.JIT));
        assertEquals(4 / 40.0, p.share(Part.OTHER_THREADS), "collector and service threads");
        assertEquals(0, p.share(Part.POWERTOOLS));
        double sum = Arrays.stream(Part.values()).mapToDouble(p::share).sum();
        assertEquals(1.0, sum, 1e-9, "the parts add up to every sample");
    }

    @Test
    void classLoadingTlsAndLinkageAreCountedWhereverTheyHappen() {
        StartupProfile p = new StartupProfile();
        p.add(START.stream());

        assertEquals(8 / 40.0, p.share(Across.CLASS_LOADING));
        assertEquals(6 / 40.0, p.share(Across.TLS), "not the class loader's java/security frames");
        assertEquals(2 / 40.0, p.share(Across.LAMBDA_LINKAGE));
    }

    @Test
    void startsAddUp() {
        StartupProfile p = new StartupProfile();
        p.add(START.stream());
        p.add(START.stream());

        assertEquals(80, p.samples());
        assertEquals(8 / 40.0, p.share(Part.LOG4J));
    }

    @Test
    void aLineWithoutACountIsRefusedByContent() {
        StartupProfile p = new StartupProfile();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.add(List.of("[main tid=1];JavaMain").stream()));
        assertTrue(e.getMessage().contains("[main tid=1];JavaMain"), e.getMessage());
    }

    @Test
    void theReportGivesEachPartItsShareOfTheMedianCpuTime() {
        StartupProfile p = new StartupProfile();
        p.add(START.stream());

        String table = Report.profiles(List.of(
                new Report.Profiled("FailoverObserverFunction", "tiered-c1", p, List.of(900L, 400L, 1000L))), 3);

        // CPU median 900 ms: JVM 5/40 = 113, runtime client 23, handler 113, SDK 135, Log4j 180, Powertools 0,
        // EMF 0, Jackson 90, JIT 158, other threads 90; class loading 180, TLS 135, linkage 45.
        String row = table.lines().filter(l -> l.startsWith("| FailoverObserverFunction")).findFirst().orElseThrow();
        assertEquals("| FailoverObserverFunction | tiered-c1 | 900 | 40 | 113 | 23 | 113 | 135 | 180 | 0 | 0 | 90 "
                + "| 158 | 90 | 180 | 135 | 45 |", row);
        assertTrue(table.contains("from 3 more starts"), table);
    }

    @Test
    void theAgentIsTakenOutOfTheMavenCentralJarForThisMachine(@TempDir Path work) throws Exception {
        Path lib = StartupProfile.extractAgent(ColdStartBenchmark.MODULE.resolve("target/profiler"), work);

        byte[] magic = Arrays.copyOf(Files.readAllBytes(lib), 4);
        assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F'}, magic, "a native library");
        assertTrue(StartupProfile.agentFlag(lib, StartupProfile.CPU, work.resolve("s.collapsed"))
                .startsWith("-agentpath:" + lib + "=start,event=ctimer,"));
    }

    @Test
    void withoutTheJarItSaysWhereItLookedAndHowToGetIt(@TempDir Path work) {
        Path empty = work.resolve("profiler");

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StartupProfile.extractAgent(empty, work));
        assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("install"), e.getMessage());
    }
}
