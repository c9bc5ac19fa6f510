package dev.cachekeeper.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.aws.EventLedger;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.CacheEvent;
import dev.cachekeeper.core.event.CacheEvents;
import dev.cachekeeper.core.event.EventBusPublisher;
import dev.cachekeeper.core.metrics.RecordingMetrics;
import dev.cachekeeper.simulation.PublishedMessage;
import dev.cachekeeper.simulation.SimulatedAws;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/** The ingest function wired to a simulated account, as the Dagger component wires it to a real one. */
final class IngestFixture {
    static final String TABLE = "cachekeeper-test";
    static final String BUS = "cachekeeper-test-bus";

    final SimulatedAws aws;
    final RecordingMetrics metrics = new RecordingMetrics();
    final EventLedger ledger;
    final IngestDispatcher dispatcher;
    final IngestHandler handler;

    /** What reached our bus. */
    record Published(String detailType, CacheEvent event) {
    }

    IngestFixture(SimulatedAws aws) {
        this.aws = aws;
        aws.dynamoDb().createTable(TABLE);
        Retrier.Sleeper sleeper = aws::advance;
        Retrier retrier = Retrier.standard(aws.clock(), sleeper);
        ledger = new EventLedger(aws.dynamoDb(), TABLE, aws.clock(), retrier);
        EventBusPublisher publisher = new EventBusPublisher(aws.eventBridge(), BUS, retrier, sleeper);
        dispatcher = IngestWiring.dispatcher(aws.elastiCache(), ledger, publisher, IngestConfig.defaults(),
                aws.clock(), retrier, metrics);
        handler = new IngestHandler(dispatcher, metrics);
    }

    IngestFixture() {
        this(new SimulatedAws());
    }

    static IngestFixture at(String instant) {
        return new IngestFixture(new SimulatedAws(SimulatedAws.DEFAULT_ACCOUNT_ID, SimulatedAws.DEFAULT_REGION,
                Instant.parse(instant)));
    }

    Tally dispatch(byte[] input) {
        return dispatcher.dispatch(input, () -> Duration.ofMinutes(1));
    }

    Tally dispatch(String input) {
        return dispatch(input.getBytes(StandardCharsets.UTF_8));
    }

    Tally sweep(Supplier<Duration> remaining) {
        return dispatcher.dispatch(sample("schedule-ingest-sweep.json"), remaining);
    }

    Tally sweep() {
        return sweep(() -> Duration.ofMinutes(1));
    }

    List<Published> published() {
        return aws.eventBridge().putEvents().stream().map(e -> {
            try {
                JsonNode detail = Json.MAPPER.readTree(e.detail());
                if (!BUS.equals(e.eventBusName()) || !"cachekeeper".equals(e.source())) {
                    throw new AssertionError("put on the wrong bus or with the wrong source: " + e);
                }
                return new Published(e.detailType(), CacheEvents.fromDetail(detail));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }).toList();
    }

    static byte[] sample(String name) {
        try (InputStream in = IngestFixture.class.getClassLoader().getResourceAsStream("events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample events/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Lambda SNS event as Lambda would hand the topic's message to the function. */
    static String snsDelivery(String topicArn, String message, Instant timestamp, String messageId) {
        ObjectNode sns = Json.MAPPER.createObjectNode();
        sns.put("Type", "Notification");
        sns.put("MessageId", messageId);
        sns.put("TopicArn", topicArn);
        sns.putNull("Subject");
        sns.put("Message", message);
        sns.put("Timestamp", timestamp.toString());
        sns.put("SignatureVersion", "1");
        ObjectNode record = Json.MAPPER.createObjectNode();
        record.put("EventSource", "aws:sns");
        record.put("EventVersion", "1.0");
        record.put("EventSubscriptionArn", topicArn + ":sub");
        record.set("Sns", sns);
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.putArray("Records").add(record);
        return root.toString();
    }

    static String snsDelivery(PublishedMessage m) {
        return snsDelivery(m.topicArn(), m.message(), m.at(), m.messageId());
    }
}
