package dev.cachekeeper.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachekeeper.restore.verify.LocalRedis;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What `sam build` ships is what runs: each function's packaged jar (shrunk and merged by the lambda-packager)
 * started as Lambda starts it — a fresh JVM, the real Runtime Interface Client, a local Runtime API and a local
 * AWS endpoint — answers its first event without an error. The unit and end-to-end tests run on the modules'
 * class paths; only this test runs the package itself.
 */
class PackagedFunctionsTest {
    private static final ColdStartBenchmark.Mode MODE = new ColdStartBenchmark.Mode("tiered-c1",
            ColdStartBenchmark.C1, ColdStartBenchmark.Training.NONE);

    @Test
    void everyFunctionPackageAnswersItsFirstEventUnderTheRealRuntimeClient() throws Exception {
        List<Subject> functions = Subjects.functions(ColdStartBenchmark.ROOT);
        assertEquals(Subjects.FUNCTIONS.size(), functions.size(),
                "every function's package is built before this module (see its test dependencies)");
        ColdStartBenchmark harness = harness(functions);
        try (CannedAwsEndpoint aws = new CannedAwsEndpoint()) {
            for (Subject function : functions) {
                assertEquals(1, function.jars().size(), function.name() + " ships one jar: " + function.jars());
                int before = total(aws);
                // once() fails, pointing at the function's output, when it exits, hangs or answers with an error.
                harness.once(function, MODE, aws, null);
                assertTrue(total(aws) > before, function.name() + " reached AWS through its packaged SDK clients");
            }
        }
    }

    @Test
    void theRestoreVerifierPackageChecksARealRedisWithTheAuthTokenFromSecretsManager() throws Exception {
        try (LocalRedis redis = LocalRedis.start(CannedAwsEndpoint.AUTH_TOKEN)
                .load(Map.of("canary:orders", "restored-ok"))) {
            // What the state machine's Verify task passes: the described group and the plan's verify block.
            String event = """
                    {"group": {"ReplicationGroupId": "orders-cache-restored", "Status": "available",
                               "AuthTokenEnabled": true, "TransitEncryptionEnabled": false,
                               "NodeGroups": [{"PrimaryEndpoint": {"Address": "127.0.0.1", "Port": %d}}]},
                     "verify": {"enabled": true, "authSecretArn": "%s",
                                "canaryKeys": {"canary:orders": "restored-ok"}, "minKeys": 1}}
                    """.formatted(redis.port(), CannedAwsEndpoint.AUTH_SECRET_ARN);
            Subject verifier = Subjects.restoreVerifier(ColdStartBenchmark.ROOT, event);
            assertEquals(1, verifier.jars().size(), "the verifier ships one jar: " + verifier.jars());
            try (CannedAwsEndpoint aws = new CannedAwsEndpoint()) {
                String response = harness(List.of(verifier)).firstResponse(verifier, MODE, aws, null).response();

                JsonNode result = new ObjectMapper().readTree(response);
                assertTrue(result.path("passed").asBoolean(), response);
                assertEquals(1, result.path("canaries").size(), response);
                assertEquals(1, aws.calls().getOrDefault("GetSecretValue", 0), "the token came from Secrets Manager");
                assertFalse(response.contains(CannedAwsEndpoint.AUTH_TOKEN), "the token never appears in the answer");
            }
        }
    }

    private static ColdStartBenchmark harness(List<Subject> subjects) throws java.io.IOException {
        return new ColdStartBenchmark(Path.of(System.getProperty("java.home"), "bin", "java"), 1, subjects,
                List.of(MODE), null, "");
    }

    private static int total(CannedAwsEndpoint aws) {
        return aws.calls().values().stream().mapToInt(Integer::intValue).sum();
    }
}
