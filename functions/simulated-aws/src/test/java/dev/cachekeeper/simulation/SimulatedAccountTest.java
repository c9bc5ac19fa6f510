package dev.cachekeeper.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cachekeeper.core.aws.AwsAccount;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;

class SimulatedAccountTest {

    @Test
    void handsOutTheSimulationsClientsSettingsAndClock() {
        SimulatedAws aws = new SimulatedAws();
        SimulatedAccount account = new SimulatedAccount(aws, Map.of("CACHEKEEPER_BUS_NAME", "cachekeeper-local"));
        assertSame(aws.elastiCache(), account.elastiCache());
        assertSame(aws.s3(), account.client(S3Client.class));
        assertSame(aws.secretsManager(), account.client(SecretsManagerClient.class));
        assertSame(aws.sfn(), account.client(SfnClient.class));
        assertSame(aws.resourceGroupsTagging(), account.client(ResourceGroupsTaggingApiClient.class));
        assertEquals("cachekeeper-local", account.settings().busName());
        assertEquals(aws.region(), account.settings().region());
        assertEquals(aws.now(), account.clock().instant());
    }

    @Test
    void backOffMovesTheSimulatedClockInsteadOfSleeping() throws Exception {
        SimulatedAws aws = new SimulatedAws();
        var before = aws.now();
        new SimulatedAccount(aws, Map.of()).sleeper().sleep(Duration.ofMinutes(3));
        assertEquals(before.plus(Duration.ofMinutes(3)), aws.now());
    }

    @Test
    void siblingAccountsShareTheSimulationAndMetrics() {
        SimulatedAws aws = new SimulatedAws();
        SimulatedAccount a = new SimulatedAccount(aws, Map.of("X", "1"));
        SimulatedAccount b = a.withSettings(Map.of("X", "2"));
        assertSame(a.recordedMetrics(), b.recordedMetrics());
        assertSame(a.dynamoDb(), b.dynamoDb());
        assertEquals("2", b.settings().required("X"));
    }

    @Test
    void aClientTheSimulationLacksIsNamed() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new SimulatedAccount(new SimulatedAws(), Map.of()).client(Runnable.class));
        assertEquals("the simulated account has no " + Runnable.class.getName(), e.getMessage());
    }

    @Test
    void isWhatComponentsBuiltAfterUseSee() {
        SimulatedAccount account = new SimulatedAccount(new SimulatedAws(), Map.of());
        AwsAccount.use(account);
        try {
            assertSame(account, AwsAccount.current());
        } finally {
            AwsAccount.use(null);
        }
    }
}
