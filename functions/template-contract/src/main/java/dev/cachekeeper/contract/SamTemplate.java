package dev.cachekeeper.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parsed SAM template with the lookups the checks need. Read-only; nothing is resolved eagerly. */
public final class SamTemplate {
    public static final String FUNCTION = "AWS::Serverless::Function";
    public static final String STATE_MACHINE = "AWS::Serverless::StateMachine";

    private final Map<String, Object> root;

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
    }

    public static SamTemplate parse(String yaml) {
        return new SamTemplate(CfnYaml.parse(yaml));
    }

    public static SamTemplate load(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    public Map<String, Object> root() {
        return root;
    }

    public Map<String, Object> section(String name) {
        return asMap(root.get(name));
    }

    public Map<String, Object> parameters() {
        return section("Parameters");
    }

    public Map<String, Object> conditions() {
        return section("Conditions");
    }

    public Map<String, Object> resources() {
        return section("Resources");
    }

    public Map<String, Object> globals() {
        return section("Globals");
    }

    public Map<String, Object> outputs() {
        return section("Outputs");
    }

    public Map<String, Object> mappings() {
        return section("Mappings");
    }

    public Map<String, Object> resource(String logicalId) {
        return asMap(resources().get(logicalId));
    }

    public String typeOf(String logicalId) {
        Object type = resource(logicalId).get("Type");
        return type instanceof String s ? s : null;
    }

    /** Logical ids of resources of one type, in template order. */
    public List<String> idsOfType(String type) {
        List<String> ids = new ArrayList<>();
        resources().forEach((id, body) -> {
            if (type.equals(asMap(body).get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** A resource's own Properties, without Globals. */
    public Map<String, Object> properties(String logicalId) {
        return asMap(resource(logicalId).get("Properties"));
    }

    /**
     * A resource's Properties as SAM sees them after merging Globals: maps merge key by key, lists concatenate,
     * anything else (including an intrinsic function) is replaced by the resource's own value.
     */
    public Map<String, Object> effectiveProperties(String logicalId) {
        String type = typeOf(logicalId);
        Map<String, Object> own = properties(logicalId);
        if (type == null || !type.startsWith("AWS::Serverless::")) {
            return own;
        }
        Map<String, Object> global = asMap(globals().get(type.substring("AWS::Serverless::".length())));
        if (global.isEmpty()) {
            return own;
        }
        Object ignore = resource(logicalId).get("IgnoreGlobals");
        Map<String, Object> effectiveGlobals = new LinkedHashMap<>(global);
        if ("*".equals(ignore)) {
            effectiveGlobals.clear();
        } else if (ignore instanceof List<?> list) {
            list.forEach(effectiveGlobals::remove);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> merged = (Map<String, Object>) merge(effectiveGlobals, own);
        return merged;
    }

    private static Object merge(Object global, Object local) {
        if (global instanceof Map<?, ?> g && local instanceof Map<?, ?> l
                && CfnYaml.intrinsicName(g) == null && CfnYaml.intrinsicName(l) == null) {
            Map<Object, Object> out = new LinkedHashMap<>(g);
            l.forEach((k, v) -> out.merge(k, v, SamTemplate::merge));
            return out;
        }
        if (global instanceof List<?> g && local instanceof List<?> l) {
            List<Object> out = new ArrayList<>(g);
            out.addAll(l);
            return out;
        }
        return local;
    }

    /** The resource's Metadata map (e.g. BuildMethod). */
    public Map<String, Object> metadata(String logicalId) {
        return asMap(resource(logicalId).get("Metadata"));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
