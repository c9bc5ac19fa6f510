package dev.cachekeeper.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.contract.SamTemplate;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.local.Checkout;
import dev.cachekeeper.local.LocalDeployment;
import dev.cachekeeper.local.LocalFunction;
import dev.cachekeeper.local.SampleTargets;
import dev.cachekeeper.simulation.ApiCall;
import dev.cachekeeper.simulation.PublishedMessage;
import dev.cachekeeper.simulation.SimulatedAws;
import dev.cachekeeper.statemachine.ExecutionResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The stack of template.yaml deployed by the local runner ({@link LocalDeployment}) on a fresh copy of the bundled
 * default world, with routing on: a sample delivered to one of its targets (as the rule or subscription would
 * deliver it, the same envelope each time) runs the function or state machine, and everything it causes on the
 * bus, the topics and CloudTrail is delivered too before {@link #deliver} returns.
 */
final class Stack {
    static final Checkout CHECKOUT = Checkout.current();
    /** The samples in events/ happen on 2026-11-21 between 03:00 and 12:05. */
    static final Instant START = Instant.parse("2026-11-21T12:30:00Z");
    /** Tags whose values are times: equal runs differ only by when a delivery happened. */
    static final Set<String> TIME_TAGS = Set.of("cachekeeper:created", "cachekeeper:expires");

    /** What one delivery ended with: a function's result or a state machine's execution. */
    record Outcome(String target, String trigger, LocalFunction.Result result, ExecutionResult execution,
                   List<PublishedMessage> alerts, List<ApiCall> calls) {
        boolean failed() {
            return execution != null ? !execution.succeeded() : !result.ok();
        }

        /** The error a user (or Lambda's retry) sees. */
        String error() {
            if (execution != null) {
                return execution.error() + ": " + execution.cause();
            }
            return result.ok() ? "" : result.errorType() + ": " + result.errorMessage();
        }

        @Override
        public String toString() {
            return target + " <- " + trigger + (execution != null ? " " + execution.status()
                    : result.ok() ? " ok" : " ERROR") + (failed() ? " (" + error() + ")" : "");
        }
    }

    /**
     * What a user would look at afterwards: snapshots (node-based and serverless) with their tags (time-valued
     * tags reduced to "&lt;time&gt;"), caches with their status, and the number of alerts per (subject, cache id).
     */
    record State(SortedMap<String, SortedMap<String, String>> snapshots, SortedMap<String, String> caches,
                 SortedMap<String, Integer> alerts) {
        /** What differs from {@code other}, one line per entry, for assertion messages. */
        String diff(State other) {
            StringBuilder out = new StringBuilder();
            diff("snapshot", snapshots, other.snapshots, out);
            diff("cache", caches, other.caches, out);
            diff("alert", alerts, other.alerts, out);
            return out.toString();
        }

        private static <V> void diff(String what, SortedMap<String, V> a, SortedMap<String, V> b, StringBuilder out) {
            java.util.TreeSet<String> keys = new java.util.TreeSet<>(a.keySet());
            keys.addAll(b.keySet());
            for (String k : keys) {
                if (!java.util.Objects.equals(a.get(k), b.get(k))) {
                    out.append("\n  ").append(what).append(' ').append(k).append(": ").append(a.get(k))
                            .append(" -> ").append(b.get(k));
                }
            }
        }
    }

    final SimulatedAws sim;
    final LocalDeployment deployment;

    private Stack(SimulatedAws sim, Map<String, String> parameters) {
        this.sim = sim;
        this.deployment = new LocalDeployment(CHECKOUT, sim, parameters);
        deployment.startRouting();
    }

    /**
     * The bundled default world, its clock set to {@link #START}: after every sample's time, as when a sample is
     * delivered for real (a request's time is never in the future of the account's clock).
     */
    static Stack fresh() {
        return new Stack(defaultWorld(), Map.of());
    }

    static SimulatedAws defaultWorld() {
        try (var in = SimulatedAws.class.getResourceAsStream("/worlds/default.json")) {
            ObjectNode world = (ObjectNode) Json.MAPPER.readTree(in);
            ((ObjectNode) world.path("account")).put("now", START.toString());
            return SimulatedAws.fromWorld(world.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stack on {@code sim}, template parameters overridden by {@code parameters}. */
    static Stack on(SimulatedAws sim, Map<String, String> parameters) {
        return new Stack(sim, parameters);
    }

    static SamTemplate template() {
        try {
            return SamTemplate.load(CHECKOUT.template());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every (target, sample) pair of events/ that template.yaml routes somewhere. */
    static List<SampleTargets.Target> targets() {
        try {
            return SampleTargets.targets(CHECKOUT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path sample) {
        try {
            return Json.MAPPER.readTree(sample.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isStateMachine(String logicalId) {
        return deployment.stateMachineIds().contains(logicalId);
    }

    Outcome deliver(SampleTargets.Target t) {
        return deliver(t.logicalId(), read(t.sample()), t.sample().getFileName().toString());
    }

    /** Delivers {@code event} to {@code logicalId} (function or state machine), then what follows, until quiet. */
    Outcome deliver(String logicalId, JsonNode event, String trigger) {
        int alertsBefore = alerts().size();
        int callsBefore = calls().size();
        ExecutionResult execution = null;
        LocalFunction.Result result = null;
        if (isStateMachine(logicalId)) {
            execution = deployment.startExecution(logicalId, event, trigger);
        } else {
            result = deployment.invoke(logicalId, event, trigger);
        }
        deployment.drain();
        List<PublishedMessage> all = alerts();
        return new Outcome(logicalId, trigger, result, execution, List.copyOf(all.subList(alertsBefore, all.size())),
                List.copyOf(calls().subList(callsBefore, calls().size())));
    }

    /** Alerts: messages published by a function or state machine (not by AWS) on the stack's alert topic. */
    List<PublishedMessage> alerts() {
        return sim.sns().published(deployment.alertTopicArn()).stream()
                .filter(m -> m.publishedBy().equals("api")).toList();
    }

    List<ApiCall> calls() {
        return sim.calls();
    }

    State state() {
        JsonNode world = sim.worldSnapshot();
        SortedMap<String, SortedMap<String, String>> snapshots = new TreeMap<>();
        for (String part : List.of("snapshots", "serverlessSnapshots")) {
            for (JsonNode s : world.path(part)) {
                SortedMap<String, String> tags = new TreeMap<>();
                s.path("tags").properties().forEach(e -> tags.put(e.getKey(),
                        TIME_TAGS.contains(e.getKey()) ? "<time>" : e.getValue().asText()));
                tags.put("(status)", s.path("status").asText());
                snapshots.put(s.path("name").asText(), tags);
            }
        }
        SortedMap<String, String> caches = new TreeMap<>();
        for (JsonNode g : world.path("replicationGroups")) {
            caches.put("replication-group " + g.path("id").asText(), g.path("status").asText());
        }
        for (JsonNode c : world.path("cacheClusters")) {
            caches.put("cache-cluster " + c.path("id").asText(), c.path("status").asText());
        }
        for (JsonNode c : world.path("serverlessCaches")) {
            caches.put("serverless-cache " + c.path("name").asText(), c.path("status").asText());
        }
        SortedMap<String, Integer> alerts = new TreeMap<>();
        for (PublishedMessage m : alerts()) {
            alerts.merge(alertKey(m), 1, Integer::sum);
        }
        return new State(snapshots, caches, alerts);
    }

    /** An alert's (subject, cache id), as {@link State} counts them. */
    static String alertKey(PublishedMessage m) {
        return m.subject() + " [" + m.attributes().getOrDefault("cache_id", "-") + "]";
    }

    /** Mutating calls made since {@code from} (an index into {@link #calls()}). */
    List<ApiCall> mutatingSince(int from) {
        List<ApiCall> all = calls();
        List<ApiCall> out = new ArrayList<>();
        for (ApiCall c : all.subList(from, all.size())) {
            if (c.mutating()) {
                out.add(c);
            }
        }
        return out;
    }
}
