package dev.cachekeeper.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachekeeper.restore.verify.LocalRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
                // Over HTTPS, each service on its own port as on its own host in AWS (one handshake each).
                assertEquals(0, aws.unrouted(), function.name() + " called a service the benchmark gives no own "
                        + "endpoint (CannedAwsEndpoint.SERVICES): " + aws.calls());
                assertLogsJsonOnly(function, harness.output(function));
            }
        }
    }

    /**
     * What SnapStart runs before its snapshot, run from the package itself ({@code PrimedRuntime}): each primable
     * function's warm-up, its TLS step, and then the first event served by the same JVM.
     */
    @Test
    void everyPrimableFunctionPackagePrimesThenAnswers() throws Exception {
        List<Subject> primable = Subjects.functions(ColdStartBenchmark.ROOT).stream().filter(Subject::primable)
                .toList();
        assertFalse(primable.isEmpty());
        ColdStartBenchmark harness = harness(primable);
        ColdStartBenchmark.Mode primed = new ColdStartBenchmark.Mode("primed", ColdStartBenchmark.C1,
                ColdStartBenchmark.Training.NONE, true);
        try (CannedAwsEndpoint aws = new CannedAwsEndpoint()) {
            for (Subject function : primable) {
                int before = total(aws);
                harness.once(function, primed, aws, null);
                assertTrue(total(aws) > before, function.name() + " answered its event through AWS after priming");
                String output = Files.readString(harness.output(function));
                assertTrue(output.contains("TLS: key agreements [x25519, secp256r1], roots checked"),
                        function.name() + " primed its TLS handshake; output in " + harness.output(function));
                assertTrue(Pattern.compile("\"priming\":\\{[^}]*\"answered\":[1-9]").matcher(output).find(),
                        function.name() + " read made-up answers while priming; output in " + harness.output(function));
                // A warm-up may end only where made-up answers lead, with cachekeeper's own exception: a stopped
                // request, a restore refused for want of the snapshot, the ingest's put read as failed (no entry
                // ids). A JVM or SDK exception (a class the packer left out, say) fails the package.
                assertFalse(Pattern.compile("warm-up ended with (?!dev\\.cachekeeper\\.)").matcher(output).find(),
                        function.name() + "'s warm-up failed; output in " + harness.output(function));
            }
        }
    }

    /**
     * The package registers only some Log4j plugins (functions/core/log4j-plugins.txt): its output must still be
     * JSON records in the Lambda layout, each naming the invocation, and nothing else: a missing plugin, a bad
     * configuration or a formatting complaint shows up as a plain-text Log4j status line.
     */
    private static void assertLogsJsonOnly(Subject function, Path output) throws Exception {
        ObjectMapper json = new ObjectMapper();
        int records = 0;
        for (String line : Files.readAllLines(output)) {
            if (line.isBlank() || line.startsWith("WARNING: ")) {
                continue; // the JVM's notes about the runtime client's native library
            }
            assertTrue(line.startsWith("{"), function.name() + " wrote a line that is not JSON: " + line);
            JsonNode record = json.readTree(line);
            if (record.has("level")) {
                records++;
                assertTrue(record.path("message").isTextual(), line);
                assertEquals(RuntimeApiServer.REQUEST_ID, record.path("function_request_id").asText(), line);
                assertEquals(function.name(), record.path("function_name").asText(), line);
                assertTrue(record.path("cold_start").asBoolean(), "the first invocation is the cold start: " + line);
            } else {
                assertTrue(record.has("_aws"), "an EMF metrics record: " + line);
            }
        }
        assertTrue(records > 0, function.name() + " logged no record; its output is in " + output);
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
                String response = harness(List.of(verifier)).firstResponse(verifier, MODE, aws, null, false)
                        .response();

                JsonNode result = new ObjectMapper().readTree(response);
                assertTrue(result.path("passed").asBoolean(), response);
                assertEquals(1, result.path("canaries").size(), response);
                assertEquals(1, aws.calls().getOrDefault("GetSecretValue", 0), "the token came from Secrets Manager");
                assertFalse(response.contains(CannedAwsEndpoint.AUTH_TOKEN), "the token never appears in the answer");
            }
        }
    }

    @Test
    void theFunctionsStartedHereAreTemplateYamlsWithTheirHandlers() throws Exception {
        String template = Files.readString(ColdStartBenchmark.ROOT.resolve("template.yaml"));
        Map<String, String> deployed = new HashMap<>();
        // Each top-level resource block: "  LogicalId:" up to the next resource; functions carry a Handler line.
        Matcher block = Pattern.compile("(?m)^  ([A-Za-z0-9]+):\\n((?:(?!  \\S).*\\n|\\n)*)").matcher(template);
        while (block.find()) {
            Matcher handler = Pattern.compile("(?m)^      Handler: (\\S+)").matcher(block.group(2));
            if (block.group(2).contains("Type: AWS::Serverless::Function") && handler.find()) {
                deployed.put(block.group(1), handler.group(1));
            }
        }
        Map<String, String> started = new HashMap<>();
        Subjects.FUNCTIONS.forEach(f -> started.put(f.logicalId(), f.handler()));
        Subject verifier = Subjects.restoreVerifier(ColdStartBenchmark.ROOT, "{}");
        started.put(verifier.name(), verifier.handler());
        assertEquals(deployed, started, "every deployed function's package is started, with template.yaml's handler");
    }

    private static ColdStartBenchmark harness(List<Subject> subjects) throws java.io.IOException {
        return new ColdStartBenchmark(Path.of(System.getProperty("java.home"), "bin", "java"), 1, subjects,
                List.of(MODE), null, "", null, java.util.Set.of());
    }

    /**
     * The archiver's sweep, from its packed jar: it reads the caches' tags with the Resource Groups Tagging API
     * client, whose only available version (2.35.0) is older than the SDK core it runs on (2.40.13). The sweep
     * copies the one backup only if that client sent GetResources and understood the answer (the group's
     * protect tag); a failure would have been alerted (an SNS Publish) instead.
     */
    @Test
    void theArchiverPackageSweepsReadingTagsThroughTheTaggingApiClient() throws Exception {
        Subject archiver = Subjects.functions(ColdStartBenchmark.ROOT).stream()
                .filter(f -> f.name().equals("SnapshotArchiverFunction")).findFirst().orElseThrow();
        Map<String, String> env = new HashMap<>(archiver.env());
        // The harness gives the invocation 60 s; the sweep's default margin would leave it no time to work.
        env.put("CACHEKEEPER_ARCHIVE_STOP_MARGIN", "1s");
        String schedule = Files.readString(ColdStartBenchmark.ROOT.resolve("events/schedule-archiver-sweep.json"));
        Subject sweep = new Subject(archiver.name() + "-sweep", archiver.kind(), archiver.packageDir(),
                archiver.handler(), schedule, env, false);
        try (CannedAwsEndpoint aws = new CannedAwsEndpoint()) {
            harness(List.of(sweep)).once(sweep, MODE, aws, null);
            Map<String, Integer> calls = aws.calls();
            assertEquals(1, calls.getOrDefault("GetResources", 0), calls.toString());
            assertEquals(1, calls.getOrDefault("CopySnapshot", 0), "the selected group's backup is copied: " + calls);
            assertEquals(0, calls.getOrDefault("Publish", 0), "no failure alert: " + calls);
            assertEquals(0, calls.getOrDefault("ListTagsForResource", 0), "no tag read per cache: " + calls);
        }
    }

    private static int total(CannedAwsEndpoint aws) {
        return aws.calls().values().stream().mapToInt(Integer::intValue).sum();
    }
}
