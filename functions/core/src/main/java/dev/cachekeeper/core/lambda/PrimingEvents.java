package dev.cachekeeper.core.lambda;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.joda.time.DateTime;

/**
 * Sample events for priming warm-ups. Each function module packages one of the repository's {@code events/}
 * samples under {@code priming/} (the {@code priming.event} property of its pom), so the warm-up runs on the same
 * shape the tests and the contract check use.
 */
public final class PrimingEvents {
    private PrimingEvents() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = PrimingEvents.class.getClassLoader().getResourceAsStream("priming/" + name)) {
            if (in == null) {
                throw new IllegalStateException("priming/" + name + " is not packaged: set <priming.event> in the "
                        + "module's pom");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, Object> map(String name) {
        try {
            return Json.MAPPER.readValue(bytes(name), new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The event type Lambda's serializer hands an EventBridge rule target, built without that serializer. */
    public static ScheduledEvent scheduledEvent(String name) {
        try {
            JsonNode n = Json.MAPPER.readTree(bytes(name));
            return new ScheduledEvent()
                    .withId(n.path("id").asText())
                    .withDetailType(n.path("detail-type").asText())
                    .withSource(n.path("source").asText())
                    .withAccount(n.path("account").asText())
                    .withRegion(n.path("region").asText())
                    .withTime(DateTime.parse(n.path("time").asText()))
                    .withResources(Json.MAPPER.convertValue(n.path("resources"), new TypeReference<>() {
                    }))
                    .withDetail(Json.MAPPER.convertValue(n.path("detail"), new TypeReference<>() {
                    }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
