package dev.cachekeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.contract.SamTemplate;
import dev.cachekeeper.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code invoke} works for every function and state machine with every sample in events/ routed to it. */
class InvokeEverySampleTest {

    static List<SampleTargets.Target> targets() throws Exception {
        return Samples.targets();
    }

    record Run(int code, String out, String err) {
    }

    static Run main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void givesAWellFormedReport(SampleTargets.Target target) throws Exception {
        Run run = main("invoke", target.logicalId(), "--event", target.sample().toString());
        assertEquals(0, run.code(), run.err());
        JsonNode report = Json.MAPPER.readTree(run.out());
        for (String field : List.of("events", "alerts", "calls", "metrics")) {
            assertTrue(report.path(field).isArray(), field + " in " + run.out());
        }
        assertTrue(report.path("world").path("snapshots").isArray(), "world.snapshots");
        assertTrue(report.path("world").path("replicationGroups").isArray(), "world.replicationGroups");
        JsonNode result = report.path("result");
        assertFalse(result.has("errorType"), "the handler threw: " + result);
        if (result.has("status")) {
            // a state machine: it ran to an end state without a harness problem
            assertTrue(List.of("SUCCEEDED", "FAILED").contains(result.path("status").asText()), result.toString());
        } else {
            assertNotNull(result.get("output"), result.toString());
        }
        for (JsonNode call : report.path("calls")) {
            assertTrue(call.path("service").isTextual() && call.path("operation").isTextual(), call.toString());
        }
        for (JsonNode event : report.path("events")) {
            assertEquals("cachekeeper-local", event.path("bus").asText(), "normalized events go to the stack's bus");
        }
    }

    @Test
    void everySampleReachesSomethingAndEveryStateMachineHasASample() throws Exception {
        SamTemplate template = Samples.template();
        List<String> unrouted = new ArrayList<>();
        for (Path sample : Samples.all()) {
            if (Samples.owners(template, sample).isEmpty()) {
                unrouted.add(sample.getFileName().toString());
            }
        }
        assertEquals(List.of(), unrouted, "samples that reach no function or state machine");
        List<String> covered = targets().stream().map(SampleTargets.Target::logicalId).distinct().toList();
        for (String id : template.idsOfType(SamTemplate.STATE_MACHINE)) {
            assertTrue(covered.contains(id), id + " has no sample");
        }
    }

    @Test
    void dryRunChangesNothingInTheAccount() throws Exception {
        Run run = main("invoke", "SnapshotArchiverFunction", "--dry-run", "--event",
                Samples.CHECKOUT.events().resolve("cachekeeper-snapshot-completed-automatic.json").toString());
        assertEquals(0, run.code(), run.err());
        JsonNode report = Json.MAPPER.readTree(run.out());
        assertTrue(report.path("dryRun").asBoolean());
        for (JsonNode call : report.path("calls")) {
            String op = call.path("operation").asText();
            assertFalse(op.startsWith("Copy") || op.startsWith("Delete") || op.startsWith("Create"),
                    "dry run made " + op);
        }
    }
}
