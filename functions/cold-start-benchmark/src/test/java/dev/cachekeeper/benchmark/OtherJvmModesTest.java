package dev.cachekeeper.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cachekeeper.benchmark.ColdStartBenchmark.Mode;
import dev.cachekeeper.benchmark.ColdStartBenchmark.Training;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --jvm name=path}: which rows the runtime comparison adds, and on which JVM each one starts. */
class OtherJvmModesTest {
    private static final Mode C1 = new Mode("tiered-c1", ColdStartBenchmark.C1, Training.NONE);
    private static final Mode PRIMED = new Mode("primed", ColdStartBenchmark.C1, Training.NONE, true);
    private static final Mode AOT = new Mode("aot-invocation", ColdStartBenchmark.C1, Training.INVOCATION);

    @Test
    void repeatsEachModeOnEachJvmWithItsFlagsAndPriming() {
        Map<String, Path> jvms = new LinkedHashMap<>();
        jvms.put("java21", Path.of("/opt/jdk21/bin/java"));
        jvms.put("java25", Path.of("/opt/jdk25/bin/java"));

        List<Mode> modes = ColdStartBenchmark.withOtherJvms(List.of(C1, PRIMED), jvms);

        assertEquals(List.of("tiered-c1", "primed", "tiered-c1@java21", "primed@java21", "tiered-c1@java25",
                "primed@java25"), modes.stream().map(Mode::name).toList());
        assertNull(modes.get(0).java(), "the harness's own JVM stays the default");
        Mode primed21 = modes.get(3);
        assertEquals(Path.of("/opt/jdk21/bin/java"), primed21.java());
        assertEquals(ColdStartBenchmark.C1, primed21.javaToolOptions());
        assertEquals(true, primed21.primedAtInit());
    }

    @Test
    void leavesTheAotModesToTheJvmThatTrainedTheirCache() {
        List<Mode> modes = ColdStartBenchmark.withOtherJvms(List.of(C1, AOT),
                Map.of("java21", Path.of("/opt/jdk21/bin/java")));

        assertEquals(List.of("tiered-c1", "aot-invocation", "tiered-c1@java21"),
                modes.stream().map(Mode::name).toList());
    }
}
