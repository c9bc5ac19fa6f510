package dev.cachekeeper.restore.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.lambda.JsonLogs;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The verifier against a real redis-server loaded with known keys. */
class RestoreVerifierTest {
    static final String TOKEN = "s3cret-Token-that-must-never-leak-42";
    static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-auth-AbCdEf";
    private static LocalRedis plain;
    private static LocalRedis withAuth;

    @BeforeAll
    static void start() {
        plain = LocalRedis.start().load(Map.of("user:1", "alice", "user:2", "bob", "config:version", "42"));
        withAuth = LocalRedis.start(TOKEN).load(Map.of("user:1", "alice"));
    }

    @AfterAll
    static void stop() {
        if (plain != null) {
            plain.close();
        }
        if (withAuth != null) {
            withAuth.close();
        }
    }

    private static RestoreVerifier verifier(LocalRedis redis, Secrets secrets) {
        // The simulated group's endpoint is a made-up DNS name: dial the local server instead.
        return new RestoreVerifier(secrets.client(), Retrier.standard(Clock.systemUTC(), d -> { }),
                address -> redis.address());
    }

    static ObjectNode group(String id) {
        ObjectNode g = Json.MAPPER.createObjectNode().put("ReplicationGroupId", id).put("Status", "available");
        g.putArray("NodeGroups").addObject().putObject("PrimaryEndpoint")
                .put("Address", id + ".abc123.ng.0001.euw1.cache.amazonaws.com").put("Port", 6379);
        return g;
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void passesWithPingRoleKeyCountAndCanaryKeys() {
        JsonNode r = verifier(plain, Secrets.none()).verify(group("orders-restored"), json("""
                {"canaryKeys": {"user:1": "alice", "config:version": "42", "user:2": null}, "minKeys": 3}"""));

        assertTrue(r.path("passed").asBoolean(), r::toString);
        assertEquals("PONG", r.path("ping").asText());
        assertEquals("master", r.path("role").asText());
        assertEquals(3, r.path("keys").asLong());
        assertEquals(3, r.path("canaries").size());
        assertTrue(r.path("summary").asText().startsWith("PASSED: PING PONG, role master, 3 keys, 3/3 canary keys"),
                r.path("summary").asText());
    }

    @Test
    void failsWhenACanaryKeyHasAnotherValueOrIsMissing() {
        JsonNode r = verifier(plain, Secrets.none()).verify(group("orders-restored"), json("""
                {"canaryKeys": {"user:1": "mallory", "session:gone": null}}"""));

        assertFalse(r.path("passed").asBoolean(), r::toString);
        String summary = r.path("summary").asText();
        assertTrue(summary.contains("canary key 'user:1' is 'alice', expected 'mallory'"), summary);
        assertTrue(summary.contains("canary key 'session:gone' is missing"), summary);
    }

    @Test
    void failsWhenFewerKeysThanMinKeys() {
        JsonNode r = verifier(plain, Secrets.none()).verify(group("orders-restored"), json("{\"minKeys\": 1000}"));

        assertFalse(r.path("passed").asBoolean());
        assertTrue(r.path("summary").asText().contains("only 3 keys, fewer than minKeys 1000"), r::toString);
    }

    @Test
    void authenticatesWithTheTokenFromSecretsManagerAndNeverShowsIt() {
        ObjectNode g = group("orders-restored").put("AuthTokenEnabled", true);
        try (JsonLogs logs = new JsonLogs()) {
            JsonNode r = verifier(withAuth, Secrets.of(SECRET_ARN, TOKEN)).verify(g,
                    json("{\"authSecretArn\": \"" + SECRET_ARN + "\", \"canaryKeys\": [\"user:1\"]}"));

            assertTrue(r.path("passed").asBoolean(), r::toString);
            assertTrue(r.path("auth").asBoolean());
            assertFalse(r.toString().contains(TOKEN), "the result must not contain the token");
            assertTrue(logs.text().contains("restore verification passed"), logs.text());
            assertFalse(logs.text().contains(TOKEN), "the logs must not contain the token");
        }
    }

    @Test
    void aRbacSecretGivesUsernameAndPassword() {
        ObjectNode g = group("orders-restored");
        g.putArray("UserGroupIds").add("orders-users");
        JsonNode r = verifier(withAuth, Secrets.of(SECRET_ARN, "{\"username\": \"default\", \"password\": \"" + TOKEN
                + "\"}")).verify(g, json("{\"authSecretArn\": \"" + SECRET_ARN + "\"}"));

        assertTrue(r.path("passed").asBoolean(), r::toString);
    }

    @Test
    void aWrongTokenFailsVerificationWithoutShowingEitherToken() {
        try (JsonLogs logs = new JsonLogs()) {
            JsonNode r = verifier(withAuth, Secrets.of(SECRET_ARN, "wrong-token-xyz")).verify(
                    group("orders-restored").put("AuthTokenEnabled", true),
                    json("{\"authSecretArn\": \"" + SECRET_ARN + "\"}"));

            assertFalse(r.path("passed").asBoolean(), r::toString);
            assertTrue(r.path("summary").asText().contains("cannot talk to"), r::toString);
            assertFalse(r.toString().contains("wrong-token-xyz"));
            assertFalse(logs.text().contains("wrong-token-xyz"), logs.text());
        }
    }

    @Test
    void aGroupThatNeedsAuthWithoutASecretFailsWithAClearReason() {
        JsonNode r = verifier(withAuth, Secrets.none()).verify(group("orders-restored").put("AuthTokenEnabled", true),
                json("{}"));

        assertFalse(r.path("passed").asBoolean());
        assertEquals("FAILED: the group requires AUTH but the input gave no authSecretArn", r.path("summary").asText());
    }

    @Test
    void aStoppedServerFailsVerification() {
        LocalRedis gone = LocalRedis.start();
        gone.close();
        JsonNode r = verifier(gone, Secrets.none()).verify(group("orders-restored"), json("{}"));

        assertFalse(r.path("passed").asBoolean());
        assertTrue(r.path("summary").asText().startsWith("FAILED: cannot talk to orders-restored."), r::toString);
    }

    @Test
    void aGroupWithoutEndpointFails() {
        ObjectNode g = Json.MAPPER.createObjectNode().put("ReplicationGroupId", "x");
        JsonNode r = verifier(plain, Secrets.none()).verify(g, json("{}"));

        assertEquals("FAILED: the group reports no endpoint to connect to", r.path("summary").asText());
    }
}
