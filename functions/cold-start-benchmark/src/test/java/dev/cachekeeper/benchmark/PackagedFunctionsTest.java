package dev.cachekeeper.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What `sam build` ships is what runs: each function's packaged jar (shrunk and merged by the lambda-packager)
 * started as Lambda starts it — a fresh JVM, the real Runtime Interface Client, a local Runtime API and a local
 * AWS endpoint — answers its first event without an error. The unit and end-to-end tests run on the modules'
 * class paths; only this test runs the package itself.
 */
class PackagedFunctionsTest {
    @Test
    void everyFunctionPackageAnswersItsFirstEventUnderTheRealRuntimeClient() throws Exception {
        List<Subject> functions = Subjects.functions(ColdStartBenchmark.ROOT);
        assertEquals(Subjects.FUNCTIONS.size(), functions.size(),
                "every function's package is built before this module (see its test dependencies)");
        ColdStartBenchmark.Mode mode = new ColdStartBenchmark.Mode("tiered-c1", ColdStartBenchmark.C1,
                ColdStartBenchmark.Training.NONE);
        ColdStartBenchmark harness = new ColdStartBenchmark(Path.of(System.getProperty("java.home"), "bin", "java"),
                1, functions, List.of(mode), null, "");
        try (CannedAwsEndpoint aws = new CannedAwsEndpoint()) {
            for (Subject function : functions) {
                assertEquals(1, function.jars().size(), function.name() + " ships one jar: " + function.jars());
                int before = total(aws);
                // once() fails, pointing at the function's output, when it exits, hangs or answers with an error.
                harness.once(function, mode, aws, null);
                assertTrue(total(aws) > before, function.name() + " reached AWS through its packaged SDK clients");
            }
        }
    }

    private static int total(CannedAwsEndpoint aws) {
        return aws.calls().values().stream().mapToInt(Integer::intValue).sum();
    }
}
