package dev.cachekeeper.restore.verify;

import java.util.Map;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** Secrets for the verifier tests: the one call the verifier makes, answered like Secrets Manager does. */
record Secrets(Map<String, String> values) {
    static Secrets none() {
        return new Secrets(Map.of());
    }

    static Secrets of(String arn, String value) {
        return new Secrets(Map.of(arn, value));
    }

    SecretsManagerClient client() {
        return new SecretsManagerClient() {
            @Override
            public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
                String v = values.get(request.secretId());
                if (v == null) {
                    throw ResourceNotFoundException.builder()
                            .message("Secrets Manager can't find the specified secret.").build();
                }
                return GetSecretValueResponse.builder().arn(request.secretId()).secretString(v).build();
            }

            @Override
            public String serviceName() {
                return "secretsmanager";
            }

            @Override
            public void close() {
            }
        };
    }
}
