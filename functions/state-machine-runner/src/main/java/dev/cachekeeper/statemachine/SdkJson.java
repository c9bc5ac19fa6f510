package dev.cachekeeper.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.InvocationTargetException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * Converts between Step Functions' PascalCase JSON (the shape of aws-sdk integration Parameters and results) and
 * SDK v2 model objects, generically, through the models' own field metadata ({@link SdkField#memberName()} is the
 * API's member name, which is what Step Functions uses).
 *
 * <p>Timestamps are written as ISO-8601 strings and read from ISO-8601 strings or epoch seconds; blobs as Base64.
 */
public final class SdkJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SdkJson() {
    }

    /** Builds a request (or any model class with a static {@code builder()}) from PascalCase JSON parameters. */
    public static <T extends SdkPojo> T toModel(JsonNode parameters, Class<T> modelClass) {
        SdkPojo builder;
        try {
            builder = (SdkPojo) modelClass.getMethod("builder").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(modelClass.getName() + " has no static builder()", e);
        }
        return modelClass.cast(fill(builder, parameters, modelClass.getSimpleName()));
    }

    /** A model object as Step Functions shows it: PascalCase member names, absent members left out. */
    public static ObjectNode toJson(SdkPojo model) {
        ObjectNode json = NODES.objectNode();
        for (SdkField<?> field : model.sdkFields()) {
            Object value = field.getValueOrDefault(model);
            if (isPresent(value)) {
                json.set(field.memberName(), valueToJson(field, value));
            }
        }
        return json;
    }

    // Lists and maps the service did not send come back as "auto construct" empties: Step Functions omits them.
    private static boolean isPresent(Object value) {
        return value != null && !(value instanceof SdkAutoConstructList) && !(value instanceof SdkAutoConstructMap);
    }

    private static Object fill(SdkPojo builder, JsonNode json, String where) {
        if (!json.isObject()) {
            throw new IllegalArgumentException(where + ": expected a JSON object, got " + json.getNodeType());
        }
        Map<String, SdkField<?>> fields = new LinkedHashMap<>();
        builder.sdkFields().forEach(f -> fields.put(f.memberName(), f));
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            SdkField<?> field = fields.get(entry.getKey());
            if (field == null) {
                // Step Functions refuses unknown parameters when the definition is created; so do we, loudly.
                throw new IllegalArgumentException("unknown parameter " + where + "." + entry.getKey()
                        + "; known: " + fields.keySet());
            }
            if (!entry.getValue().isNull()) {
                field.set(builder, jsonToValue(field, entry.getValue(), where + "." + entry.getKey()));
            }
        }
        return ((SdkBuilder<?, ?>) builder).build();
    }

    private static Object jsonToValue(SdkField<?> field, JsonNode json, String where) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.SDK_POJO) {
            return fill(field.constructor().get(), json, where);
        }
        if (type == MarshallingType.LIST) {
            if (!json.isArray()) {
                throw new IllegalArgumentException(where + ": expected a JSON array, got " + json.getNodeType());
            }
            SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < json.size(); i++) {
                list.add(jsonToValue(member, json.get(i), where + "[" + i + "]"));
            }
            return list;
        }
        if (type == MarshallingType.MAP) {
            if (!json.isObject()) {
                throw new IllegalArgumentException(where + ": expected a JSON object, got " + json.getNodeType());
            }
            SdkField<?> value = field.getTrait(MapTrait.class).valueFieldInfo();
            Map<String, Object> map = new LinkedHashMap<>();
            json.fields().forEachRemaining(e -> map.put(e.getKey(), jsonToValue(value, e.getValue(), where + "." + e.getKey())));
            return map;
        }
        return scalar(type, json, where);
    }

    private static Object scalar(MarshallingType<?> type, JsonNode json, String where) {
        if (type == MarshallingType.STRING) {
            require(json.isTextual(), where, "a string", json);
            return json.asText();
        }
        if (type == MarshallingType.BOOLEAN) {
            require(json.isBoolean(), where, "true or false", json);
            return json.asBoolean();
        }
        if (type == MarshallingType.INTEGER) {
            require(json.isIntegralNumber() && json.canConvertToInt(), where, "an integer", json);
            return json.asInt();
        }
        if (type == MarshallingType.LONG) {
            require(json.isIntegralNumber() && json.canConvertToLong(), where, "an integer", json);
            return json.asLong();
        }
        if (type == MarshallingType.SHORT) {
            require(json.isIntegralNumber(), where, "an integer", json);
            return (short) json.asInt();
        }
        if (type == MarshallingType.BYTE) {
            require(json.isIntegralNumber(), where, "an integer", json);
            return (byte) json.asInt();
        }
        if (type == MarshallingType.DOUBLE) {
            require(json.isNumber(), where, "a number", json);
            return json.asDouble();
        }
        if (type == MarshallingType.FLOAT) {
            require(json.isNumber(), where, "a number", json);
            return (float) json.asDouble();
        }
        if (type == MarshallingType.BIG_DECIMAL) {
            require(json.isNumber(), where, "a number", json);
            return json.decimalValue();
        }
        if (type == MarshallingType.INSTANT) {
            if (json.isNumber()) {
                return Instant.ofEpochMilli(Math.round(json.asDouble() * 1000));
            }
            require(json.isTextual(), where, "an ISO-8601 timestamp", json);
            try {
                return OffsetDateTime.parse(json.asText()).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(where + ": not an ISO-8601 timestamp: " + json.asText(), e);
            }
        }
        if (type == MarshallingType.SDK_BYTES) {
            require(json.isTextual(), where, "a Base64 string", json);
            return SdkBytes.fromByteArray(Base64.getDecoder().decode(json.asText()));
        }
        throw new IllegalArgumentException(where + ": unsupported member type " + type);
    }

    private static void require(boolean ok, String where, String expected, JsonNode got) {
        if (!ok) {
            throw new IllegalArgumentException(where + ": expected " + expected + ", got " + got);
        }
    }

    private static JsonNode valueToJson(SdkField<?> field, Object value) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.SDK_POJO) {
            return toJson((SdkPojo) value);
        }
        if (type == MarshallingType.LIST) {
            SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
            ArrayNode array = NODES.arrayNode();
            ((List<?>) value).forEach(v -> array.add(v == null ? NODES.nullNode() : valueToJson(member, v)));
            return array;
        }
        if (type == MarshallingType.MAP) {
            SdkField<?> member = field.getTrait(MapTrait.class).valueFieldInfo();
            ObjectNode object = NODES.objectNode();
            ((Map<?, ?>) value).forEach((k, v) -> object.set(String.valueOf(k), v == null ? NODES.nullNode() : valueToJson(member, v)));
            return object;
        }
        return switch (value) {
            case String s -> NODES.textNode(s);
            case Boolean b -> NODES.booleanNode(b);
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Short s -> NODES.numberNode(s);
            case Byte b -> NODES.numberNode(b);
            case Double d -> NODES.numberNode(d);
            case Float f -> NODES.numberNode(f);
            case java.math.BigDecimal d -> NODES.numberNode(d);
            case Instant i -> NODES.textNode(i.toString());
            case SdkBytes bytes -> NODES.textNode(Base64.getEncoder().encodeToString(bytes.asByteArray()));
            default -> throw new IllegalArgumentException(field.memberName() + ": unsupported member type " + type);
        };
    }

    static RuntimeException unwrap(InvocationTargetException e) {
        return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
}
