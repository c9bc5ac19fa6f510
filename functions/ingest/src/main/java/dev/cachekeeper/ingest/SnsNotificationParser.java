package dev.cachekeeper.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.event.MalformedEventException;
import dev.cachekeeper.core.event.Origin;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the body of an ElastiCache SNS notification. Three shapes are accepted, because which one ElastiCache sends
 * today is unconfirmed (aws-notes.md):
 * <ul>
 *   <li>keyed by event name: {@code {"ElastiCache:FailoverComplete": "my-rg", "Cache Cluster ID": "my-rg-0001-001"}}
 *       (no event time: SNS's own Timestamp stands in);</li>
 *   <li>an event record: {@code {"Date": "...", "Message": "...", "SourceIdentifier": "...", "SourceType": "..."}};</li>
 *   <li>the documentation's plain text {@code ElastiCache:SnapshotComplete : my-rg-0001-001}.</li>
 * </ul>
 */
public final class SnsNotificationParser {
    private static final Pattern PLAIN = Pattern.compile("^\\s*(ElastiCache:[A-Za-z]+)[^:]*:\\s*([\\w.-]+)\\s*$",
            Pattern.CASE_INSENSITIVE);

    private SnsNotificationParser() {
    }

    /**
     * @param body          the SNS {@code Message}
     * @param snsTimestamp  the SNS {@code Timestamp}: when the notification was published
     */
    public static List<Notice> parse(String body, Instant snsTimestamp) {
        if (body == null || body.isBlank()) {
            throw new MalformedEventException("the SNS message is empty");
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            Matcher m = PLAIN.matcher(body);
            if (m.matches()) {
                return List.of(new Notice(m.group(1), null, m.group(2), null, body.trim(), snsTimestamp, Origin.SNS));
            }
            throw new MalformedEventException("the SNS message is neither a JSON object nor 'ElastiCache:<Event> : <id>'");
        }
        List<Notice> keyed = keyed(json, body.trim(), snsTimestamp);
        if (!keyed.isEmpty()) {
            return keyed;
        }
        if (json.has("Message")) {
            Instant date = Times.parse("Date", json.get("Date"));
            return List.of(new Notice(null, Times.text(json, "SourceType"), Times.text(json, "SourceIdentifier"), null,
                    Times.text(json, "Message"), date != null ? date : snsTimestamp, Origin.SNS));
        }
        throw new MalformedEventException("the SNS message has neither an 'ElastiCache:<Event>' key nor 'Message'");
    }

    /** The keyed shape has no text of its own: the body itself is kept as the event's original message. */
    private static List<Notice> keyed(JsonNode json, String body, Instant snsTimestamp) {
        String node = Times.text(json, "Cache Cluster ID");
        List<Notice> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = json.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            if (f.getKey().regionMatches(true, 0, "ElastiCache:", 0, 12)) {
                if (!f.getValue().isTextual()) {
                    throw new MalformedEventException(f.getKey() + " must name a cache");
                }
                out.add(new Notice(f.getKey(), null, f.getValue().asText().trim(), node, body, snsTimestamp, Origin.SNS));
            }
        }
        return out;
    }
}
