package dev.cachekeeper.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cachekeeper.benchmark.ColdStartBenchmark.Mode;
import dev.cachekeeper.benchmark.ColdStartBenchmark.Training;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code --try} and {@code --try-aot}: the extra modes a flag is measured in, and what the AOT modes measure. */
class TriedModesTest {

    @Test
    void tryRunsTheFlagsWithoutACache() {
        Mode m = ColdStartBenchmark.tried("--try", "x=-XX:TieredStopAtLevel=1,-Xshare:auto");

        assertEquals("x", m.name());
        assertEquals("-XX:TieredStopAtLevel=1 -Xshare:auto", m.javaToolOptions());
        assertEquals(Training.NONE, m.training());
    }

    @Test
    void tryAotTrainsACacheOnOneInvocationUnderTheSameFlags() {
        Mode m = ColdStartBenchmark.tried("--try-aot", "lazy=-XX:+UseSerialGC,-XX:CompileThresholdScaling=8");

        assertEquals("lazy", m.name());
        assertEquals("-XX:+UseSerialGC -XX:CompileThresholdScaling=8", m.javaToolOptions());
        assertEquals(Training.INVOCATION, m.training());
        assertTrue(m.aotCache());
    }

    @Test
    void aMalformedSpecNamesTheOptionAndWhatItTakes() {
        IllegalArgumentException noFlags = assertThrows(IllegalArgumentException.class,
                () -> ColdStartBenchmark.tried("--try-aot", "lazy="));
        assertEquals("--try-aot takes NAME=FLAG,FLAG (e.g. x=-XX:TieredStopAtLevel=1), not lazy=",
                noFlags.getMessage());
        IllegalArgumentException noName = assertThrows(IllegalArgumentException.class,
                () -> ColdStartBenchmark.tried("--try", "-XX:TieredStopAtLevel=1"));
        assertTrue(noName.getMessage().startsWith("--try takes NAME=FLAG,FLAG"), noName.getMessage());
    }

    /** The AOT rows must measure the image users deploy: a flag changed in one place only would go unmeasured. */
    @Test
    void theAotModesRunWithTheContainerImagesFlags() throws IOException {
        String dockerfile = Files.readString(ColdStartBenchmark.ROOT.resolve("deploy/container/Dockerfile"));
        Matcher arg = Pattern.compile("(?m)^ARG JVM_FLAGS=\"([^\"]*)\"").matcher(dockerfile);
        assertTrue(arg.find(), "deploy/container/Dockerfile declares no ARG JVM_FLAGS");

        assertEquals(arg.group(1), ColdStartBenchmark.IMAGE_FLAGS);
    }
}
