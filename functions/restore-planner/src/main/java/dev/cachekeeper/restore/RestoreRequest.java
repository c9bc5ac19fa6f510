package dev.cachekeeper.restore;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an operator asks the restore flow for: the execution input, validated before anything is created. Every
 * problem is reported at once, each naming its field and saying why, so a 3 a.m. operator fixes the input in one go.
 *
 * @param snapshotName     restore this snapshot (exactly one of this and {@code latestSnapshotOf})
 * @param latestSnapshotOf restore the newest available snapshot of this cache (manual, archived copies, automatic)
 * @param canaryKeys       key to expected value; a null value only checks that the key exists
 * @param authSecretArn    Secrets Manager secret holding the AUTH token (or {"username","password"}) the verifier
 *                         uses; only its ARN travels through the execution, never the token
 * @param dryRun           plan only: validate, resolve the snapshot and show the request, create nothing
 */
public record RestoreRequest(
        String snapshotName,
        String latestSnapshotOf,
        String targetReplicationGroupId,
        Overrides overrides,
        boolean verify,
        Map<String, String> canaryKeys,
        Long minKeys,
        String authSecretArn,
        boolean keepOnFailure,
        String note,
        boolean dryRun) {

    /** Settings that replace what the snapshot (or the source group) would give; null = not overridden. */
    public record Overrides(
            String cacheNodeType,
            Integer numNodeGroups,
            Integer replicasPerNodeGroup,
            String engineVersion,
            String cacheSubnetGroupName,
            List<String> securityGroupIds,
            String cacheParameterGroupName,
            Boolean multiAzEnabled,
            String kmsKeyId,
            Boolean transitEncryptionEnabled,
            List<String> userGroupIds,
            Map<String, String> tags) {
        static final Overrides NONE = new Overrides(null, null, null, null, null, null, null, null, null, null, null,
                Map.of());
    }

    static final Set<String> FIELDS = Set.of("snapshotName", "latestSnapshotOf", "targetReplicationGroupId",
            "overrides", "verify", "canaryKeys", "minKeys", "authSecretArn", "keepOnFailure", "note", "dryRun");
    static final Set<String> OVERRIDE_FIELDS = Set.of("cacheNodeType", "numNodeGroups", "replicasPerNodeGroup",
            "engineVersion", "cacheSubnetGroupName", "securityGroupIds", "cacheParameterGroupName", "multiAzEnabled",
            "kmsKeyId", "transitEncryptionEnabled", "userGroupIds", "tags");

    private static final Pattern SNAPSHOT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.\\-]{0,254}");
    private static final Pattern NODE_TYPE = Pattern.compile("cache\\.[a-z0-9\\-]+\\.[a-z0-9]+");
    private static final Pattern ENGINE_VERSION = Pattern.compile("\\d+(\\.\\d+){0,2}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9\\-]{0,254}");
    private static final Pattern SECURITY_GROUP = Pattern.compile("sg-[0-9a-f]{8,17}");
    private static final Pattern USER_GROUP = Pattern.compile("[A-Za-z][A-Za-z0-9\\-]{0,119}");
    private static final Pattern KMS_KEY = Pattern.compile("(arn:aws[a-z\\-]*:kms:[a-z0-9\\-]+:\\d{12}:(key|alias)/\\S+)"
            + "|(alias/\\S+)|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|(mrk-[0-9a-f]{32})");
    private static final Pattern SECRET_ARN =
            Pattern.compile("arn:aws[a-z\\-]*:secretsmanager:[a-z0-9\\-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@\\-]+");
    static final int MAX_NOTE = 1000;
    static final int MAX_CANARY_KEYS = 100;

    /** Parses and validates the execution input; throws {@link InvalidRestoreRequestException} listing every problem. */
    public static RestoreRequest parse(JsonNode input) {
        Problems p = new Problems();
        if (input == null || !input.isObject()) {
            throw new InvalidRestoreRequestException(List.of("input: must be a JSON object, e.g. "
                    + "{\"snapshotName\": \"...\", \"targetReplicationGroupId\": \"...\"}"));
        }
        unknownFields(input, FIELDS, "", p);
        String snapshotName = text(input, "snapshotName", p);
        String latestOf = text(input, "latestSnapshotOf", p);
        if (snapshotName == null && latestOf == null) {
            p.add("snapshotName: give the snapshot to restore, or latestSnapshotOf: a cache id to restore its newest "
                    + "available snapshot");
        } else if (snapshotName != null && latestOf != null) {
            p.add("latestSnapshotOf: give either snapshotName or latestSnapshotOf, not both");
        }
        if (snapshotName != null && !SNAPSHOT_NAME.matcher(snapshotName).matches()) {
            p.add("snapshotName: '" + clip(snapshotName) + "' is not a snapshot name (1 to 255 letters, digits, '-' "
                    + "or '.', starting with a letter or digit)");
        }
        if (latestOf != null) {
            String why = replicationGroupIdProblem(latestOf);
            if (why != null) {
                p.add("latestSnapshotOf: " + why);
            }
            latestOf = latestOf.toLowerCase(Locale.ROOT);
        }
        String target = text(input, "targetReplicationGroupId", p);
        if (target == null) {
            p.add("targetReplicationGroupId: required; the id of the NEW replication group to create (a restore "
                    + "never writes into a running cluster)");
        } else {
            String why = replicationGroupIdProblem(target);
            if (why != null) {
                p.add("targetReplicationGroupId: " + why);
            }
            target = target.toLowerCase(Locale.ROOT);
        }
        Overrides overrides = overrides(input.get("overrides"), p);
        boolean verify = bool(input, "verify", false, p);
        Map<String, String> canaries = canaryKeys(input.get("canaryKeys"), p);
        Long minKeys = null;
        JsonNode mk = input.get("minKeys");
        if (mk != null && !mk.isNull()) {
            if (!mk.canConvertToLong() || !mk.isIntegralNumber() || mk.asLong() < 0) {
                p.add("minKeys: must be a whole number of at least 0");
            } else {
                minKeys = mk.asLong();
            }
        }
        String secret = text(input, "authSecretArn", p);
        if (secret != null && !SECRET_ARN.matcher(secret).matches()) {
            p.add("authSecretArn: must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:"
                    + "secret:<name>); never put the token itself in the input");
        }
        if (!verify && (!canaries.isEmpty() || minKeys != null)) {
            p.add("verify: canaryKeys or minKeys were given but verify is false; set \"verify\": true to check them");
        }
        boolean keep = bool(input, "keepOnFailure", false, p);
        String note = text(input, "note", p);
        if (note != null && note.length() > MAX_NOTE) {
            p.add("note: at most " + MAX_NOTE + " characters (it goes into the alert)");
        }
        boolean dryRun = bool(input, "dryRun", false, p);
        p.throwIfAny();
        return new RestoreRequest(snapshotName, latestOf, target, overrides, verify, canaries, minKeys, secret,
                keep, note, dryRun);
    }

    /** Why this is not a valid replication group id (ElastiCache's naming rules), or null if it is one. */
    static String replicationGroupIdProblem(String id) {
        if (id.isEmpty() || id.length() > 40) {
            return "must be 1 to 40 characters, not " + id.length();
        }
        if (!Character.isLetter(id.charAt(0)) || id.charAt(0) > 'z') {
            return "must start with a letter ('" + clip(id) + "')";
        }
        for (char c : id.toCharArray()) {
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok) {
                return "may contain only letters, digits and hyphens ('" + clip(id) + "' has '" + c + "')";
            }
        }
        if (id.contains("--")) {
            return "may not contain two consecutive hyphens ('" + clip(id) + "')";
        }
        if (id.endsWith("-")) {
            return "may not end with a hyphen ('" + clip(id) + "')";
        }
        return null;
    }

    private static Overrides overrides(JsonNode node, Problems p) {
        if (node == null || node.isNull()) {
            return Overrides.NONE;
        }
        if (!node.isObject()) {
            p.add("overrides: must be an object, e.g. {\"cacheNodeType\": \"cache.r7g.large\"}");
            return Overrides.NONE;
        }
        unknownFields(node, OVERRIDE_FIELDS, "overrides.", p);
        String nodeType = text(node, "cacheNodeType", "overrides.", p);
        if (nodeType != null && !NODE_TYPE.matcher(nodeType).matches()) {
            p.add("overrides.cacheNodeType: '" + clip(nodeType) + "' is not a node type like cache.r7g.large");
        }
        Integer shards = integer(node, "numNodeGroups", 1, 500, p);
        Integer replicas = integer(node, "replicasPerNodeGroup", 0, 5, p);
        String version = text(node, "engineVersion", "overrides.", p);
        if (version != null && !ENGINE_VERSION.matcher(version).matches()) {
            p.add("overrides.engineVersion: '" + clip(version) + "' is not a version like 7.1 or 7.0.7");
        }
        String subnetGroup = name(node, "cacheSubnetGroupName", p);
        List<String> sgs = list(node, "securityGroupIds", SECURITY_GROUP, "a security group id like sg-0123abcd", p);
        String parameterGroup = name(node, "cacheParameterGroupName", p);
        Boolean multiAz = optionalBool(node, "multiAzEnabled", p);
        String kms = text(node, "kmsKeyId", "overrides.", p);
        if (kms != null && !KMS_KEY.matcher(kms).matches()) {
            p.add("overrides.kmsKeyId: '" + clip(kms) + "' is not a KMS key id, key ARN or alias");
        }
        Boolean transit = optionalBool(node, "transitEncryptionEnabled", p);
        List<String> userGroups = list(node, "userGroupIds", USER_GROUP, "a user group id", p);
        Map<String, String> tags = tags(node.get("tags"), p);
        if (Boolean.TRUE.equals(multiAz) && replicas != null && replicas == 0) {
            p.add("overrides.multiAzEnabled: Multi-AZ needs at least one replica per shard (replicasPerNodeGroup is 0)");
        }
        return new Overrides(nodeType, shards, replicas, version, subnetGroup, sgs, parameterGroup, multiAz, kms,
                transit, userGroups, tags);
    }

    private static Map<String, String> canaryKeys(JsonNode node, Problems p) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isArray()) {
            // a plain list of keys: existence only
            for (JsonNode k : node) {
                if (!k.isTextual() || k.asText().isEmpty()) {
                    p.add("canaryKeys: list entries must be non-empty key names");
                    return out;
                }
                out.put(k.asText(), null);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().isEmpty()) {
                    p.add("canaryKeys: a key name may not be empty");
                } else if (e.getValue().isNull()) {
                    out.put(e.getKey(), null);
                } else if (e.getValue().isTextual()) {
                    out.put(e.getKey(), e.getValue().asText());
                } else {
                    p.add("canaryKeys." + e.getKey() + ": the expected value must be a string, or null to check only "
                            + "that the key exists");
                }
            }
        } else {
            p.add("canaryKeys: must be a list of keys or an object {key: expected value or null}");
        }
        if (out.size() > MAX_CANARY_KEYS) {
            p.add("canaryKeys: at most " + MAX_CANARY_KEYS + " keys (" + out.size() + " given)");
        }
        return out;
    }

    private static Map<String, String> tags(JsonNode node, Problems p) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            p.add("overrides.tags: must be an object of strings, e.g. {\"team\": \"payments\"}");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            String k = e.getKey();
            String lower = k.toLowerCase(Locale.ROOT);
            if (k.isEmpty() || k.length() > 128) {
                p.add("overrides.tags: a key must be 1 to 128 characters");
            } else if (lower.startsWith("aws:")) {
                p.add("overrides.tags." + k + ": keys starting with aws: are reserved by AWS");
            } else if (lower.startsWith(RestoreTags.PREFIX)) {
                p.add("overrides.tags." + k + ": keys starting with " + RestoreTags.PREFIX
                        + " are set by cachekeeper itself (they prove which execution created the group)");
            } else if (!e.getValue().isTextual() || e.getValue().asText().length() > 256) {
                p.add("overrides.tags." + k + ": the value must be a string of at most 256 characters");
            } else {
                out.put(k, e.getValue().asText());
            }
        }
        return out;
    }

    private static void unknownFields(JsonNode node, Set<String> known, String prefix, Problems p) {
        node.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                p.add(prefix + f + ": unknown field (known: " + String.join(", ", known.stream().sorted().toList())
                        + ")");
            }
        });
    }

    private static String text(JsonNode node, String field, Problems p) {
        return text(node, field, "", p);
    }

    private static String text(JsonNode node, String field, String prefix, Problems p) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            p.add(prefix + field + ": must be a string");
            return null;
        }
        String s = v.asText().trim();
        if (s.isEmpty()) {
            p.add(prefix + field + ": may not be empty (leave it out instead)");
            return null;
        }
        return s;
    }

    private static String name(JsonNode node, String field, Problems p) {
        String s = text(node, field, "overrides.", p);
        if (s != null && !NAME.matcher(s).matches()) {
            p.add("overrides." + field + ": '" + clip(s) + "' may contain only letters, digits and hyphens");
        }
        return s;
    }

    private static Integer integer(JsonNode node, String field, int min, int max, Problems p) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            p.add("overrides." + field + ": must be a whole number from " + min + " to " + max);
            return null;
        }
        return v.asInt();
    }

    private static boolean bool(JsonNode node, String field, boolean dflt, Problems p) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            p.add(field + ": must be true or false (a JSON boolean, not a string)");
            return dflt;
        }
        return v.asBoolean();
    }

    private static Boolean optionalBool(JsonNode node, String field, Problems p) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            p.add("overrides." + field + ": must be true or false (a JSON boolean, not a string)");
            return null;
        }
        return v.asBoolean();
    }

    private static List<String> list(JsonNode node, String field, Pattern each, String what, Problems p) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray() || v.isEmpty()) {
            p.add("overrides." + field + ": must be a non-empty list");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual() || !each.matcher(e.asText()).matches()) {
                p.add("overrides." + field + ": '" + clip(e.asText()) + "' is not " + what);
            } else {
                out.add(e.asText());
            }
        }
        return out;
    }

    static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }

    private static final class Problems {
        private final List<String> list = new ArrayList<>();

        void add(String problem) {
            list.add(problem);
        }

        void throwIfAny() {
            if (!list.isEmpty()) {
                throw new InvalidRestoreRequestException(list);
            }
        }
    }
}
