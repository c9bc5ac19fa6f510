package dev.cachekeeper.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.event.MalformedEventException;
import dev.cachekeeper.core.event.Truncate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Event times as the sources write them: ISO-8601 with or without offset, or epoch milliseconds. */
final class Times {
    /** Events claiming to be from before ElastiCache existed, or far in the future, are not believed. */
    private static final Instant EARLIEST = Instant.parse("2011-01-01T00:00:00Z");

    private Times() {
    }

    static Instant parse(String field, JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        Instant t;
        if (v.isNumber()) {
            t = Instant.ofEpochMilli(v.asLong());
        } else if (v.isTextual()) {
            String s = v.asText().trim();
            try {
                t = Instant.parse(s);
            } catch (DateTimeParseException e) {
                try {
                    t = OffsetDateTime.parse(s).toInstant();
                } catch (DateTimeParseException e2) {
                    throw new MalformedEventException(field + ": not an ISO-8601 time: '" + Truncate.of(s, 64) + "'");
                }
            }
        } else {
            throw new MalformedEventException(field + " must be a time string");
        }
        if (t.isBefore(EARLIEST) || t.isAfter(Instant.parse("2200-01-01T00:00:00Z"))) {
            throw new MalformedEventException(field + ": " + t + " is not a plausible event time");
        }
        return t;
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw new MalformedEventException(field + " must be a string");
        }
        String s = v.asText();
        return s.isBlank() ? null : s.trim();
    }
}
