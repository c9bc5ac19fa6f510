package dev.cachekeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar itself, as the README runs it (this test runs in the package phase, after the shade plugin):
 * the report on stdout is clean JSON, and the handlers' JSON logs (log4j plugins merged) are on stderr; the demo's
 * timeline is on stdout and its logs in a file.
 */
class PackagedJarTest {
    private static final Path ROOT = Samples.CHECKOUT.root();

    /** What a run of the jar left: its exit code, stdout and stderr. */
    private record Run(int exit, String out, String err) {
    }

    /** {@code java [jvmOptions] -jar cachekeeper-local.jar args...} in {@code dir}, as a user types it. */
    private static Run runJar(Path dir, List<String> jvmOptions, String... args) throws Exception {
        Path jar = ROOT.resolve("functions/local-runner/target/cachekeeper-local.jar");
        assertTrue(Files.isRegularFile(jar), "build the jar first: " + jar);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("jar-out", ".txt");
        Path err = Files.createTempFile("jar-err", ".txt");
        out.toFile().deleteOnExit();
        err.toFile().deleteOnExit();
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the jar did not finish: " + command);
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void theJarRunsInvokeWithJsonOnStdoutAndJsonLogsOnStderr() throws Exception {
        Run run = runJar(ROOT, List.of(), "invoke", "FailoverObserverFunction", "--event",
                "events/cachekeeper-failover-completed.json");

        assertEquals(0, run.exit(), run.err());
        JsonNode report = Json.MAPPER.readTree(run.out());
        assertEquals("FailoverObserverFunction", report.path("function").asText());
        assertEquals(1, report.path("alerts").size(), report.toString());
        List<String> logs = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertTrue(!logs.isEmpty(), "no logs on stderr");
        for (String line : logs) {
            JsonNode record = Json.MAPPER.readTree(line);
            assertTrue(record.has("level") && record.has("message"), "not a JSON log record: " + line);
        }
    }

    @Test
    void theJarsDemoPrintsOnlyTheTimelineAndKeepsTheFunctionLogsInAFile() throws Exception {
        Path tmp = Files.createTempDirectory("demo-tmp");
        Run run = runJar(ROOT, List.of("-Djava.io.tmpdir=" + tmp), "demo");

        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err().strip(), "nothing on stderr when the demo succeeds");
        assertTrue(run.out().contains("== Summary"), run.out());
        assertTrue(run.out().lines().noneMatch(l -> l.startsWith("{")),
                "a JSON log record among the timeline:\n" + run.out());

        Path logs = tmp.resolve("cachekeeper-demo-logs.jsonl");
        List<String> records = Files.readAllLines(logs).stream().filter(l -> !l.isBlank()).toList();
        String last = run.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("Function logs: " + records.size() + " JSON records in " + logs), last);
        List<String> messages = new ArrayList<>();
        List<String> notInfo = new ArrayList<>();
        for (String line : records) {
            JsonNode record = Json.MAPPER.readTree(line);
            assertTrue(record.has("level") && record.has("function_name"), "not a function's log record: " + line);
            messages.add(record.path("message").asText());
            if (!record.path("level").asText().equals("INFO")) {
                notInfo.add(record.path("level").asText() + " " + record.path("message").asText());
            }
        }
        assertTrue(messages.contains("failover completed"), messages.toString());
        assertTrue(messages.contains("restore succeeded"), messages.toString());
        // What the last line's jq filter shows: the careless delete, and nothing the story does on purpose.
        assertEquals(List.of("WARN delete of replication-group sessions audited: NOTHING_RECOVERABLE"), notInfo);
    }

    @Test
    void theDemoNeverWritesThroughALinkPlantedWhereItsLogFileGoes() throws Exception {
        Path tmp = Files.createTempDirectory("demo-tmp");
        Path victim = Files.writeString(tmp.resolve("someone-elses-file"), "keep");
        Files.createSymbolicLink(tmp.resolve("cachekeeper-demo-logs.jsonl"), victim);

        Run run = runJar(ROOT, List.of("-Djava.io.tmpdir=" + tmp), "demo");

        assertEquals(0, run.exit(), run.err());
        assertEquals("keep", Files.readString(victim));
        List<String> err = run.err().lines().toList();
        assertTrue(err.get(0).startsWith("cachekeeper-local: cannot write the demo's logs to "), err.get(0));
        assertTrue(err.get(0).endsWith("the function logs stay on stderr"), err.get(0));
        assertTrue(err.stream().skip(1).anyMatch(l -> l.contains("\"failover completed\"")), "logs on stderr");
    }

    @Test
    void theJarSaysWhatIsWrongOutsideACheckout() throws Exception {
        Run run = runJar(Files.createTempDirectory("not-a-checkout"), List.of(), "demo");

        assertEquals(1, run.exit());
        assertTrue(run.err().strip().startsWith("cachekeeper-local: no cachekeeper checkout"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }
}
