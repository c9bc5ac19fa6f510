package dev.cachekeeper.simulation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/** Secrets of the simulated account (string secrets only). Simulated operation: GetSecretValue by name or ARN. */
public final class SimulatedSecretsManager implements SecretsManagerClient {
    static final ServiceErrors ERRORS = new ServiceErrors("SecretsManager", SecretsManagerException::builder, Map.of(
            "ResourceNotFoundException", new ServiceErrors.Modelled(400, ResourceNotFoundException::builder),
            "InvalidParameterException", new ServiceErrors.Modelled(400, InvalidParameterException::builder)),
            "ThrottlingException", 400);

    record Secret(String name, String arn, String value, String versionId) {
    }

    private final SimulatedAws aws;
    private final Gate gate;
    private final Map<String, Secret> secrets = new LinkedHashMap<>();
    private final Random suffixes = new Random(7);

    SimulatedSecretsManager(SimulatedAws aws) {
        this.aws = aws;
        this.gate = new Gate(aws, "secretsmanager", ERRORS);
    }

    /** Stores (or replaces) a string secret and returns its ARN, which ends in a random 6-character suffix as in AWS. */
    public String putSecret(String name, String value) {
        return aws.locked(() -> {
            String suffix = suffixes.ints(6, 0, 52).mapToObj(i -> String.valueOf(
                    (char) (i < 26 ? 'a' + i : 'A' + i - 26))).reduce("", String::concat);
            Secret old = secrets.get(name);
            String arn = old != null ? old.arn() : "arn:" + aws.partition() + ":secretsmanager:" + aws.region() + ":"
                    + aws.accountId() + ":secret:" + name + "-" + suffix;
            secrets.put(name, new Secret(name, arn, value, UUID.randomUUID().toString()));
            return arn;
        });
    }

    @Override
    public GetSecretValueResponse getSecretValue(GetSecretValueRequest r) {
        return gate.call("GetSecretValue", false, Gate.params("SecretId", r.secretId()), () -> {
            Secret s = secrets.values().stream()
                    .filter(x -> x.name().equals(r.secretId()) || x.arn().equals(r.secretId()))
                    .findFirst()
                    .orElseThrow(() -> ERRORS.error("ResourceNotFoundException",
                            "Secrets Manager can't find the specified secret."));
            return GetSecretValueResponse.builder().name(s.name()).arn(s.arn()).secretString(s.value())
                    .versionId(s.versionId()).versionStages("AWSCURRENT").createdDate(aws.clock().now()).build();
        });
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
