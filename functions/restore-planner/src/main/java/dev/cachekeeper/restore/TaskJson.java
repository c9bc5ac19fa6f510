package dev.cachekeeper.restore;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.Json;
import java.util.Map;

/** Step Functions tasks take and return JSON objects; the Lambda runtime hands Java a Map. */
final class TaskJson {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private TaskJson() {
    }

    static Map<String, Object> toMap(JsonNode node) {
        return Json.MAPPER.convertValue(node, MAP);
    }
}
