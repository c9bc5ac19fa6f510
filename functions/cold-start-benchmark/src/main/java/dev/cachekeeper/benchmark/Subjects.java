package dev.cachekeeper.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the benchmark starts: the three baselines, then every function whose package has been built. */
final class Subjects {
    /**
     * A deployed function: its logical id in template.yaml, its module, and the sample event it gets first (a path
     * from the repository root: events/ for what a rule or topic delivers, task-inputs/ here for Step Functions
     * task inputs, which no rule routes).
     */
    record Function(String logicalId, String module, String handler, String event, String wrapper, boolean primed) {
        Function(String logicalId, String module, String handler, String event, String wrapper) {
            this(logicalId, module, handler, event, wrapper, true);
        }

        Function(String logicalId, String module, String handler, String event) {
            this(logicalId, module, handler, event, "%s");
        }
    }

    /** Keep in step with template.yaml (PackagedFunctionsTest checks the ids and handlers match). */
    static final List<Function> FUNCTIONS = List.of(
            new Function("IngestFunction", "ingest", "dev.cachekeeper.ingest.IngestHandler::handleRequest",
                    "events/sns-failover-complete-keyed.json"),
            new Function("FailoverObserverFunction", "failover-observer",
                    "dev.cachekeeper.failover.FailoverObserverHandler::handleRequest",
                    "events/cachekeeper-failover-completed.json"),
            new Function("DestroyAuditFunction", "destroy-audit",
                    "dev.cachekeeper.audit.DestroyAuditHandler::handleRequest",
                    "events/cachekeeper-cache-delete-called-no-final-snapshot.json"),
            new Function("SnapshotArchiverFunction", "snapshot-archiver",
                    "dev.cachekeeper.archive.SnapshotArchiverHandler::handleRequest",
                    "events/cachekeeper-snapshot-completed-automatic.json"),
            new Function("SafeDestroyFunction", "safe-destroy",
                    "dev.cachekeeper.destroy.SafeDestroyHandler::handleRequest",
                    "events/cachekeeper-request-destroy-snapshot-only.json", "{\"action\":\"snapshot\",\"event\":%s}"),
            new Function("RestorePlannerFunction", "restore-planner",
                    "dev.cachekeeper.restore.RestorePlanHandler::handleRequest", "events/restore-input-by-name.json",
                    "{\"request\":%s,\"executionId\":\"arn:aws:states:eu-west-1:123456789012:execution:restore:b\"}"),
            // The cleanup and notify tasks ship in the planner's package and register no SnapStart priming (no
            // alert waits on them); the verifier needs a Redis server, so PackagedFunctionsTest starts it instead.
            new Function("RestoreCleanupFunction", "restore-planner",
                    "dev.cachekeeper.restore.RestoreCleanupHandler::handleRequest",
                    "functions/cold-start-benchmark/task-inputs/restore-cleanup.json", "%s", false),
            new Function("RestoreNotifierFunction", "restore-planner",
                    "dev.cachekeeper.restore.RestoreNotifyHandler::handleRequest",
                    "functions/cold-start-benchmark/task-inputs/restore-notify-failed.json", "%s", false));

    private static final Map<String, String> FUNCTION_ENV = Map.of(
            "CACHEKEEPER_BUS_NAME", "cachekeeper-bench",
            "CACHEKEEPER_ALERT_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:cachekeeper-alerts",
            "CACHEKEEPER_TABLE_NAME", "cachekeeper-bench",
            "POWERTOOLS_METRICS_NAMESPACE", "cachekeeper",
            "POWERTOOLS_SERVICE_NAME", "cachekeeper");

    private Subjects() {
    }

    static List<Subject> discover(Path root, Path module) throws IOException {
        Path target = module.resolve("target");
        Path benchJar = single(target, "cachekeeper-cold-start-benchmark-");
        Path empty = Files.createDirectories(target.resolve("cold-start/empty-java"));
        Files.copy(benchJar, empty.resolve(benchJar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Path bare = target.resolve("bare-sdk/lib");
        Files.copy(benchJar, bare.resolve(benchJar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        String baselineEvent = Files.readString(module.resolve("baseline-event.json"));

        List<Subject> subjects = new ArrayList<>();
        subjects.add(new Subject("empty-java", Subject.Kind.JAVA, empty,
                "dev.cachekeeper.benchmark.baseline.EmptyHandler::handleRequest", baselineEvent, Map.of(), false));
        subjects.add(new Subject("empty-typed-java", Subject.Kind.JAVA, empty,
                "dev.cachekeeper.benchmark.baseline.EmptyTypedHandler::handleRequest", baselineEvent, Map.of(), false));
        subjects.add(new Subject("bare-sdk-java", Subject.Kind.JAVA, bare,
                "dev.cachekeeper.benchmark.baseline.BareSdkHandler::handleRequest", baselineEvent, Map.of(), false));
        Path packed = target.resolve("bare-sdk-packed/lib");
        if (Files.isDirectory(packed)) {
            subjects.add(new Subject("bare-sdk-packed", Subject.Kind.JAVA, packed,
                    "dev.cachekeeper.benchmark.baseline.BareSdkHandler::handleRequest", baselineEvent, Map.of(), false));
        }
        subjects.add(new Subject("python-boto3", Subject.Kind.PYTHON, module.resolve("python"), "handler.handle",
                baselineEvent, Map.of(), false));
        subjects.addAll(functions(root));
        return subjects;
    }

    /** Every function whose package has been built, with the sample event it gets first. */
    static List<Subject> functions(Path root) throws IOException {
        List<Subject> subjects = new ArrayList<>();
        for (Function f : FUNCTIONS) {
            Path lib = root.resolve("functions").resolve(f.module()).resolve("target/lambda/lib");
            if (!Files.isDirectory(lib)) {
                System.err.println("skipping " + f.logicalId() + ": " + lib + " not built (run ./mvnw -B -q package -DskipTests)");
                continue;
            }
            subjects.add(new Subject(f.logicalId(), Subject.Kind.JAVA, lib, f.handler(),
                    f.wrapper().formatted(Files.readString(root.resolve(f.event()))), FUNCTION_ENV,
                    f.primed()));
        }
        return subjects;
    }

    /** The restore verifier's package, given the Step Functions task input it verifies. */
    static Subject restoreVerifier(Path root, String event) {
        return new Subject("RestoreVerifierFunction", Subject.Kind.JAVA,
                root.resolve("functions/restore-verifier/target/lambda/lib"),
                "dev.cachekeeper.restore.verify.RestoreVerifyHandler::handleRequest", event, FUNCTION_ENV, true);
    }

    /** The Lambda Runtime Interface Client and what it needs: provided by Lambda, so not in any package. */
    static List<Path> runtimeClientJars(Path module) {
        try (Stream<Path> files = Files.list(module.resolve("target/ric"))) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("run ./mvnw -B -q -pl functions/cold-start-benchmark -am package first", e);
        }
    }

    private static Path single(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.toString().endsWith(".jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("build the benchmark module first: no " + prefix
                            + "*.jar in " + dir));
        }
    }
}
