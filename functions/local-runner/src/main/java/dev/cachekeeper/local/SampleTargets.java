package dev.cachekeeper.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.contract.EventRouting;
import dev.cachekeeper.contract.SamTemplate;
import dev.cachekeeper.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Every sample in events/ with the functions and state machines template.yaml routes it to, decided as the
 * contract tests do: EventBridge samples by the rules' patterns (event-ruler) on their bus, SNS samples by the
 * subscriptions' filter policies, a scheduled event by its rule's name, {@code <machine>-input-*.json} to the state
 * machine whose definition is {@code statemachines/<machine>.asl.json}.
 */
public final class SampleTargets {
    /** One function or state machine (logical id) a sample reaches. */
    public record Target(String logicalId, Path sample) {
        @Override
        public String toString() {
            return logicalId + " <- " + sample.getFileName();
        }
    }

    private SampleTargets() {
    }

    /** The samples in the checkout's events/, sorted by name. */
    public static List<Path> all(Checkout checkout) throws IOException {
        try (Stream<Path> files = Files.list(checkout.events())) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** The owners (function or state machine logical ids) a sample reaches. */
    public static List<String> owners(SamTemplate template, Path sample) throws IOException {
        JsonNode json = Json.MAPPER.readTree(sample.toFile());
        TreeSet<String> rules = new TreeSet<>();
        switch (EventRouting.kindOf(json)) {
            case EVENTBRIDGE -> rules.addAll(EventRouting.reached(EventRouting.rules(template), json));
            case SNS -> rules.addAll(EventRouting.reachedSns(EventRouting.snsSubscriptions(template), json));
            default -> {
            }
        }
        TreeSet<String> owners = new TreeSet<>();
        String file = sample.getFileName().toString();
        if (EventRouting.kindOf(json) == EventRouting.Kind.OTHER && file.contains("-input")) {
            // A state machine's execution input: restore-input-*.json is for statemachines/restore.asl.json.
            String machine = file.substring(0, file.indexOf("-input")) + ".asl.json";
            for (String id : template.idsOfType(SamTemplate.STATE_MACHINE)) {
                if (String.valueOf(template.properties(id).get("DefinitionUri")).endsWith("/" + machine)) {
                    owners.add(id);
                }
            }
        }
        rules.forEach(r -> owners.add(r.contains(".") ? r.substring(0, r.indexOf('.')) : r));
        if ("Scheduled Event".equals(json.path("detail-type").asText())) {
            // A schedule has no pattern; its rule's name carries the function's id (SAM: <stack>-<Id><Event>-<hash>).
            String rule = json.path("resources").path(0).asText();
            for (String id : template.idsOfType(SamTemplate.FUNCTION)) {
                Map<String, Object> events = SamTemplate.asMap(template.properties(id).get("Events"));
                boolean scheduled = events.values().stream()
                        .anyMatch(e -> "Schedule".equals(SamTemplate.asMap(e).get("Type")));
                if (scheduled && rule.contains(id.replace("Function", ""))) {
                    owners.add(id);
                }
            }
        }
        return new ArrayList<>(owners);
    }

    /** Every (owner, sample) pair of the checkout, samples in name order. */
    public static List<Target> targets(Checkout checkout) throws IOException {
        SamTemplate template = SamTemplate.load(checkout.template());
        List<Target> out = new ArrayList<>();
        for (Path sample : all(checkout)) {
            for (String owner : owners(template, sample)) {
                out.add(new Target(owner, sample));
            }
        }
        return out;
    }
}
