package dev.cachekeeper.restore;

import dev.cachekeeper.core.Settings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The restore flow's stack settings (template.yaml parameters).
 *
 * @param maxWait                  how long to wait for the new group to become available before giving up
 * @param defaultSecurityGroupIds  used when neither the input nor a surviving source group gives security groups
 * @param dryRun                   the stack's DryRun: every restore only plans, as if its input said "dryRun": true
 */
public record RestoreConfig(Duration maxWait, List<String> defaultSecurityGroupIds, boolean dryRun) {
    public static final String MAX_WAIT_MINUTES = "CACHEKEEPER_RESTORE_MAX_WAIT_MINUTES";
    public static final String DEFAULT_SECURITY_GROUP_IDS = "CACHEKEEPER_RESTORE_DEFAULT_SECURITY_GROUP_IDS";
    public static final int DEFAULT_MAX_WAIT_MINUTES = 120;

    public static RestoreConfig from(Settings settings) {
        int minutes = settings.integer(MAX_WAIT_MINUTES, DEFAULT_MAX_WAIT_MINUTES, WaitSchedule.MIN_TOTAL_MINUTES,
                WaitSchedule.MAX_TOTAL_MINUTES);
        List<String> sgs = settings.optional(DEFAULT_SECURITY_GROUP_IDS)
                .map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList())
                .orElse(List.of());
        for (String sg : sgs) {
            if (!sg.matches("sg-[0-9a-f]{8,17}")) {
                throw new IllegalStateException("environment variable " + DEFAULT_SECURITY_GROUP_IDS
                        + " must be a comma-separated list of security group ids, not '" + sg + "'");
            }
        }
        return new RestoreConfig(Duration.ofMinutes(minutes), sgs, settings.dryRun());
    }
}
