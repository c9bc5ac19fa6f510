package dev.cachekeeper.simulation;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON object of a world file together with where it sits ({@code replicationGroups[1] 'sessions'}), so every
 * loading error can say which field of which entry is wrong. Unknown fields are errors: a typo must not be
 * silently ignored.
 */
final class WorldNode {
    private final JsonNode node;
    private final String path;

    WorldNode(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    String path() {
        return path;
    }

    WorldFileException error(String field, String problem) {
        return new WorldFileException("world file: " + path + (field == null ? "" : ": field '" + field + "'") + " "
                + problem);
    }

    void allowOnly(String... fields) {
        Set<String> known = Set.of(fields);
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!known.contains(n)) {
                throw error(n, "is not a known field here (known: " + String.join(", ", fields) + ")");
            }
        }
    }

    boolean has(String field) {
        return node.hasNonNull(field);
    }

    String string(String field, String dflt) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isTextual()) {
            throw error(field, "must be a string, got " + v.getNodeType().toString().toLowerCase());
        }
        return v.asText();
    }

    String requiredString(String field) {
        String s = string(field, null);
        if (s == null || s.isEmpty()) {
            throw error(field, "is required");
        }
        return s;
    }

    String oneOf(String field, String dflt, String... allowed) {
        String s = string(field, dflt);
        if (s != null && !List.of(allowed).contains(s)) {
            throw error(field, "must be one of " + String.join(", ", allowed) + ", got '" + s + "'");
        }
        return s;
    }

    int integer(String field, int dflt, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw error(field, "must be a whole number from " + min + " to " + max + ", got " + v);
        }
        return v.asInt();
    }

    boolean bool(String field, boolean dflt) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw error(field, "must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    Instant instant(String field, Instant dflt) {
        String s = string(field, null);
        if (s == null) {
            return dflt;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw error(field, "must be an ISO-8601 UTC time like 2026-11-01T03:00:00Z, got '" + s + "'");
        }
    }

    List<String> strings(String field) {
        JsonNode v = node.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw error(field, "must be a list of strings");
        }
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw error(field, "must be a list of strings, found " + e);
            }
            out.add(e.asText());
        }
        return out;
    }

    Map<String, String> stringMap(String field) {
        JsonNode v = node.get(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw error(field, "must be an object of string values");
        }
        v.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw error(field + "." + e.getKey(), "must be a string, got " + e.getValue());
            }
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }

    /** The entries of a list field, each labelled with its index and, when it has one, its name. */
    List<WorldNode> list(String field, String nameField) {
        JsonNode v = node.get(field);
        List<WorldNode> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw error(field, "must be a list");
        }
        int i = 0;
        for (JsonNode e : v) {
            String label = (path.isEmpty() ? "" : path + ".") + field + "[" + i + "]";
            if (nameField != null && e.hasNonNull(nameField) && e.get(nameField).isTextual()) {
                label += " '" + e.get(nameField).asText() + "'";
            }
            if (!e.isObject()) {
                throw new WorldFileException("world file: " + label + " must be an object, got " + e);
            }
            out.add(new WorldNode(e, label));
            i++;
        }
        return out;
    }

    WorldNode object(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw error(field, "must be an object");
        }
        return new WorldNode(v, (path.isEmpty() ? "" : path + ".") + field);
    }
}
