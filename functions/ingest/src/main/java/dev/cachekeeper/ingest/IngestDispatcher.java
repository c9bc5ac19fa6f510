package dev.cachekeeper.ingest;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.event.BusEvent;
import dev.cachekeeper.core.event.MalformedEventException;
import dev.cachekeeper.core.event.Origin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the ingest function's four triggers apart by the shape of what arrived: an SNS delivery
 * ({@code Records[].Sns}), a serverless cache's own event or a CloudTrail call (source {@code aws.elasticache}), or
 * the schedule ({@code aws.events}, {@code Scheduled Event}).
 */
public final class IngestDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(IngestDispatcher.class);
    static final Set<String> CLOUDTRAIL_DETAIL_TYPES = Set.of("AWS API Call via CloudTrail",
            "Amazon API Call via CloudTrail");

    private final IngestService service;
    private final NoticeInterpreter interpreter;
    private final ServerlessEventParser serverless;
    private final CloudTrailCallParser cloudTrail;
    private final DescribeEventsSweep sweep;

    public IngestDispatcher(IngestService service, NoticeInterpreter interpreter, ServerlessEventParser serverless,
                            CloudTrailCallParser cloudTrail, DescribeEventsSweep sweep) {
        this.service = service;
        this.interpreter = interpreter;
        this.serverless = serverless;
        this.cloudTrail = cloudTrail;
        this.sweep = sweep;
    }

    /**
     * @throws IngestFailedException when an SNS or EventBridge delivery could not be fully published (Lambda then
     *                               retries it, a bounded number of times); never for malformed input
     */
    public Tally dispatch(byte[] input, Supplier<Duration> remaining) {
        Tally tally = new Tally();
        String raw = new String(input, StandardCharsets.UTF_8);
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(input);
        } catch (IOException e) {
            service.malformed("unknown", "the input is not JSON", raw, tally);
            return tally;
        }
        if (json == null || !json.isObject()) {
            service.malformed("unknown", "the input is not a JSON object", raw, tally);
            return tally;
        }
        if (json.has("Records")) {
            return records(json.get("Records"), raw, tally);
        }
        BusEvent event;
        try {
            event = BusEvent.parse(json);
        } catch (MalformedEventException e) {
            service.malformed("unknown", "neither an SNS delivery nor an EventBridge event: " + e.getMessage(), raw,
                    tally);
            return tally;
        }
        if ("aws.events".equals(event.source()) && "Scheduled Event".equals(event.detailType())) {
            return sweep.run(remaining);
        }
        if (!"aws.elasticache".equals(event.source())) {
            service.malformed("eventbridge", "source '" + event.source() + "' is not one ingest reads", raw, tally);
            return tally;
        }
        boolean isCall = CLOUDTRAIL_DETAIL_TYPES.contains(event.detailType());
        String channel = isCall ? Origin.CLOUDTRAIL.wireName() : Origin.EVENTBRIDGE.wireName();
        List<Normalized> events = service.interpret(channel, raw,
                () -> isCall ? cloudTrail.parse(event) : serverless.parse(event), tally);
        publishOrThrow(events, tally);
        return tally;
    }

    private Tally records(JsonNode records, String raw, Tally tally) {
        if (!records.isArray() || records.isEmpty()) {
            service.malformed("sns", "Records must be a non-empty array", raw, tally);
            return tally;
        }
        List<Normalized> events = new ArrayList<>();
        for (JsonNode record : records) {
            String recordRaw = record.toString();
            JsonNode sns = record.get("Sns");
            if (sns == null || !sns.isObject()) {
                service.malformed("sns", "a record without 'Sns': not an SNS delivery", recordRaw, tally);
                continue;
            }
            LOG.debug("SNS notification", entry("topicArn", sns.path("TopicArn").asText(null)),
                    entry("messageId", sns.path("MessageId").asText(null)));
            List<Notice> notices;
            try {
                Instant published = Times.parse("Sns.Timestamp", sns.get("Timestamp"));
                if (published == null) {
                    throw new MalformedEventException("Sns.Timestamp is required");
                }
                notices = SnsNotificationParser.parse(Times.text(sns, "Message"), published);
            } catch (MalformedEventException e) {
                service.malformed(Origin.SNS.wireName(), e.getMessage(), recordRaw, tally);
                continue;
            }
            for (Notice n : notices) {
                events.addAll(service.interpret(Origin.SNS.wireName(), recordRaw, () -> interpreter.interpret(n), tally));
            }
        }
        publishOrThrow(events, tally);
        return tally;
    }

    private void publishOrThrow(List<Normalized> events, Tally tally) {
        service.publish(events, tally);
        if (tally.failed > 0) {
            throw new IngestFailedException(tally.failed + " event(s) could not be put on the bus: " + tally, null);
        }
    }
}
