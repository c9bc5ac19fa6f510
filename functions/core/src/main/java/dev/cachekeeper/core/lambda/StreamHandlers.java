package dev.cachekeeper.core.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.event.BusEvent;
import dev.cachekeeper.core.event.MalformedEventException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.lambda.powertools.metrics.Metrics;

/**
 * What every deployed handler's {@code RequestStreamHandler} entry point does: read the input with
 * {@link Json#MAPPER}, run the work, write the answer with {@link Json#MAPPER}. A typed
 * {@code RequestHandler<ScheduledEvent|Map, ...>} would make the Lambda runtime load its own serialization library
 * (about 1,000 classes, some 200 ms of cold start) to do what the Jackson we already load does nearly for free.
 * Exceptions propagate unchanged, so Lambda retries and Step Functions error names stay what they were.
 */
public final class StreamHandlers {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private StreamHandlers() {
    }

    /**
     * An EventBridge rule target: the envelope is read inside the invocation (so a rejection is logged with its
     * context); input that is not an EventBridge event goes to {@code malformed} with the raw text, to be logged
     * and acknowledged.
     */
    public static <T> void busEvent(InputStream input, OutputStream output, Context context, Metrics metrics,
                                    Function<BusEvent, T> work, BiFunction<MalformedEventException, String, T> malformed)
            throws IOException {
        byte[] bytes = input.readAllBytes();
        write(output, busEvent(context, metrics, () -> BusEvent.parse(new ByteArrayInputStream(bytes)),
                () -> new String(bytes, StandardCharsets.UTF_8), work, malformed));
    }

    /** The same path from the event type aws-lambda-java-tests' {@code @Event} loads: the handlers' test entry. */
    public static <T> T busEvent(ScheduledEvent event, Context context, Metrics metrics, Function<BusEvent, T> work,
                                 BiFunction<MalformedEventException, String, T> malformed) {
        return busEvent(context, metrics, () -> BusEvent.from(event), () -> String.valueOf(event), work, malformed);
    }

    private static <T> T busEvent(Context context, Metrics metrics, Supplier<BusEvent> read, Supplier<String> raw,
                                  Function<BusEvent, T> work, BiFunction<MalformedEventException, String, T> malformed) {
        return Invocations.run(context, metrics, () -> {
            BusEvent event;
            try {
                event = read.get();
            } catch (MalformedEventException e) {
                return malformed.apply(e, raw.get());
            }
            return work.apply(event);
        });
    }

    /** A JSON object as a map; input that is not JSON is a {@link MalformedEventException} naming the reason. */
    public static Map<String, Object> readMap(InputStream input) throws IOException {
        byte[] bytes = input.readAllBytes();
        try {
            return Json.MAPPER.readValue(bytes, MAP);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("the input is not a JSON object: " + e.getOriginalMessage());
        }
    }

    /** A task's result (a JSON tree, a record) as the JSON object map a Step Functions task hands back. */
    public static Map<String, Object> asMap(Object result) {
        return Json.MAPPER.convertValue(result, MAP);
    }

    public static void write(OutputStream output, Object result) throws IOException {
        Json.MAPPER.writeValue(output, result);
    }

    /**
     * Calls a stream handler as the Lambda runtime does: the input's bytes in, its answer read back as JSON
     * (missing when it wrote nothing). Exceptions come out as the handler threw them. For tests and tools.
     */
    public static JsonNode invoke(RequestStreamHandler handler, byte[] input, Context context) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(input), output, context);
            return Json.MAPPER.readTree(output.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers a SnapStart warm-up that runs the handler's stream entry point once on {@code sample}. */
    public static Priming prime(RequestStreamHandler handler, byte[] sample) {
        return prime(handler, sample, () -> {
        });
    }

    /**
     * The same, then {@code beyond}: code the sample cannot reach because priming's answers are empty (a found
     * group, say), run on its own without passing invented data through the handler.
     */
    public static Priming prime(RequestStreamHandler handler, byte[] sample, Runnable beyond) {
        return Priming.register(() -> {
            try {
                handler.handleRequest(new ByteArrayInputStream(sample), OutputStream.nullOutputStream(),
                        new LocalContext("priming"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            beyond.run();
        });
    }

    /** A packaged priming sample wrapped as a task's input, e.g. {@code {"action":"snapshot","event":%s}}. */
    public static byte[] wrapped(String template, String sample) {
        return template.formatted(new String(PrimingEvents.bytes(sample), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
    }
}
