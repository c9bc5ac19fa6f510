package dev.cachekeeper.restore.verify;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.Truncate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Step 4 of the restore flow: connects to the restored group the way an application would (TLS when the group has
 * transit encryption, AUTH with a token or RBAC user read from Secrets Manager) and checks PING, the role behind the
 * primary endpoint, the number of keys and the operator's canary keys. The token is used for the connection only:
 * it is never logged nor returned.
 */
public final class RestoreVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreVerifier.class);
    static final int TIMEOUT_MILLIS = 5_000;

    private final SecretsManagerClient secrets;
    private final Retrier retrier;
    private final UnaryOperator<HostAndPort> route;

    /**
     * @param route maps the endpoint ElastiCache reports to the address to dial (identity in Lambda; tests point the
     *              simulated group's endpoint at a local redis-server)
     */
    public RestoreVerifier(SecretsManagerClient secrets, Retrier retrier, UnaryOperator<HostAndPort> route) {
        this.secrets = secrets;
        this.retrier = retrier;
        this.route = route;
    }

    /**
     * @param group  the described replication group (PascalCase JSON from DescribeReplicationGroups)
     * @param verify {canaryKeys: {key: expected or null}, minKeys?, authSecretArn?}
     */
    public ObjectNode verify(JsonNode group, JsonNode verify) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        List<String> problems = new ArrayList<>();
        String id = group.path("ReplicationGroupId").asText("(unknown)");
        boolean tls = group.path("TransitEncryptionEnabled").asBoolean(false);
        boolean authRequired = group.path("AuthTokenEnabled").asBoolean(false)
                || !group.path("UserGroupIds").isEmpty();
        String secretArn = verify.path("authSecretArn").asText(null);
        result.put("replicationGroupId", id);
        result.put("tls", tls);
        result.put("auth", secretArn != null);

        HostAndPort configuration = hostAndPort(group.path("ConfigurationEndpoint"));
        HostAndPort primary = hostAndPort(group.path("NodeGroups").path(0).path("PrimaryEndpoint"));
        HostAndPort endpoint = configuration != null ? configuration : primary;
        if (endpoint == null) {
            return finish(result, problems, id, "the group reports no endpoint to connect to");
        }
        result.put("endpoint", endpoint.toString());
        if (authRequired && secretArn == null) {
            return finish(result, problems, id, "the group requires AUTH but the input gave no authSecretArn");
        }
        Credentials credentials;
        try {
            credentials = secretArn == null ? Credentials.NONE : credentials(secretArn);
        } catch (RuntimeException e) {
            return finish(result, problems, id, "cannot read the AUTH secret " + secretArn + ": "
                    + e.getClass().getSimpleName());
        }
        JedisClientConfig config = DefaultJedisClientConfig.builder()
                .ssl(tls)
                .user(credentials.username())
                .password(credentials.password())
                .connectionTimeoutMillis(TIMEOUT_MILLIS)
                .socketTimeoutMillis(TIMEOUT_MILLIS)
                .clientName("cachekeeper-restore-verifier")
                .build();
        Map<String, String> canaries = canaries(verify.path("canaryKeys"));
        try {
            if (configuration != null) {
                checkCluster(route.apply(configuration), config, canaries, result, problems);
            } else {
                checkPrimary(route.apply(primary), config, canaries, result, problems);
            }
        } catch (JedisException e) {
            // Jedis messages name the server's reply (WRONGPASS, connection refused), never the password sent.
            problems.add("cannot talk to " + endpoint + ": " + Truncate.of(String.valueOf(e.getMessage()), 300));
        }
        if (verify.hasNonNull("minKeys") && result.has("keys")
                && result.path("keys").asLong() < verify.path("minKeys").asLong()) {
            problems.add("only " + result.path("keys").asLong() + " keys, fewer than minKeys "
                    + verify.path("minKeys").asLong());
        }
        return finish(result, problems, id, null);
    }

    private void checkPrimary(HostAndPort address, JedisClientConfig config, Map<String, String> canaries,
                              ObjectNode result, List<String> problems) {
        try (Jedis jedis = new Jedis(address, config)) {
            result.put("ping", jedis.ping());
            String role = role(jedis.info("replication"));
            result.put("role", role);
            if (!"master".equals(role)) {
                problems.add("the primary endpoint answers as " + role + ", not master");
            }
            result.put("keys", jedis.dbSize());
            checkCanaries(canaries, jedis::exists, jedis::get, result, problems);
        }
    }

    private void checkCluster(HostAndPort address, JedisClientConfig config, Map<String, String> canaries,
                              ObjectNode result, List<String> problems) {
        try (JedisCluster cluster = new JedisCluster(Set.of(address), config)) {
            long keys = 0;
            int primaries = 0;
            for (Map.Entry<String, ConnectionPool> node : cluster.getClusterNodes().entrySet()) {
                try (Connection c = node.getValue().getResource(); Jedis jedis = new Jedis(c)) {
                    if ("master".equals(role(jedis.info("replication")))) {
                        primaries++;
                        keys += jedis.dbSize();
                    }
                }
            }
            result.put("ping", primaries > 0 ? "PONG" : "no primary answered");
            result.put("role", "cluster with " + primaries + " primaries");
            if (primaries == 0) {
                problems.add("no primary node answered in the cluster");
            }
            result.put("keys", keys);
            checkCanaries(canaries, cluster::exists, cluster::get, result, problems);
        }
    }

    private static void checkCanaries(Map<String, String> canaries, java.util.function.Predicate<String> exists,
                                      UnaryOperator<String> get, ObjectNode result, List<String> problems) {
        ArrayNode out = result.putArray("canaries");
        for (Map.Entry<String, String> c : canaries.entrySet()) {
            ObjectNode check = out.addObject().put("key", c.getKey());
            boolean ok;
            if (c.getValue() == null) {
                ok = exists.test(c.getKey());
                check.put("check", "exists");
                if (!ok) {
                    problems.add("canary key '" + c.getKey() + "' is missing");
                }
            } else {
                check.put("check", "equals").put("expected", c.getValue());
                String actual;
                try {
                    actual = get.apply(c.getKey());
                } catch (JedisDataException e) {
                    actual = null;
                    check.put("error", Truncate.of(String.valueOf(e.getMessage()), 200));
                }
                ok = c.getValue().equals(actual);
                if (actual != null) {
                    check.put("actual", Truncate.of(actual, 200));
                }
                if (!ok) {
                    problems.add("canary key '" + c.getKey() + "' is " + (actual == null ? "missing or not a string"
                            : "'" + Truncate.of(actual, 60) + "'") + ", expected '" + Truncate.of(c.getValue(), 60) + "'");
                }
            }
            check.put("ok", ok);
        }
    }

    private ObjectNode finish(ObjectNode result, List<String> problems, String id, String fatal) {
        if (fatal != null) {
            problems.add(fatal);
        }
        boolean passed = problems.isEmpty();
        result.put("passed", passed);
        ArrayNode p = result.putArray("problems");
        problems.forEach(p::add);
        result.put("summary", summary(result, passed, problems));
        if (passed) {
            LOG.info("restore verification passed", entry("cacheId", id), entry("summary", result.path("summary").asText()));
        } else {
            LOG.warn("restore verification failed", entry("cacheId", id), entry("problems", problems));
        }
        return result;
    }

    private static String summary(ObjectNode r, boolean passed, List<String> problems) {
        if (!passed) {
            return "FAILED: " + String.join("; ", problems);
        }
        int canaries = r.path("canaries").size();
        return "PASSED: PING " + r.path("ping").asText() + ", role " + r.path("role").asText() + ", "
                + r.path("keys").asLong() + " keys" + (canaries > 0 ? ", " + canaries + "/" + canaries
                + " canary keys as expected" : "") + (r.path("tls").asBoolean() ? ", TLS" : "")
                + (r.path("auth").asBoolean() ? ", AUTH" : "");
    }

    static String role(String infoReplication) {
        for (String line : infoReplication.split("\r?\n")) {
            if (line.startsWith("role:")) {
                return line.substring("role:".length()).trim();
            }
        }
        return "unknown";
    }

    private static Map<String, String> canaries(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
            }
        } else if (node.isArray()) {
            node.forEach(k -> out.put(k.asText(), null));
        }
        return out;
    }

    private static HostAndPort hostAndPort(JsonNode endpoint) {
        String address = endpoint.path("Address").asText(null);
        return address == null ? null : new HostAndPort(address, endpoint.path("Port").asInt(6379));
    }

    record Credentials(String username, String password) {
        static final Credentials NONE = new Credentials(null, null);

        @Override
        public String toString() {
            return "Credentials[username=" + username + ", password=***]";
        }
    }

    /** A plain secret string is an AUTH token; a JSON secret gives {"password"} and, for RBAC, {"username"}. */
    private Credentials credentials(String secretArn) {
        String value = retrier.call(() -> secrets.getSecretValue(b -> b.secretId(secretArn))).secretString();
        if (value == null) {
            throw new IllegalStateException("the secret has no string value");
        }
        String trimmed = value.trim();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode json = Json.MAPPER.readTree(trimmed);
                String password = json.path("password").asText(json.path("authToken").asText(null));
                return new Credentials(json.path("username").asText(null), password);
            } catch (IOException e) {
                throw new IllegalStateException("the secret looks like JSON but does not parse");
            }
        }
        return new Credentials(null, value);
    }
}
