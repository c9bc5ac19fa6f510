package dev.cachekeeper.restore;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.aws.ElastiCacheTags;
import dev.cachekeeper.core.aws.EventLedger;
import dev.cachekeeper.core.aws.Retrier;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.InvalidReplicationGroupStateException;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;

/**
 * The failure path's cleanup: deletes the half-built group, but ONLY when its {@value RestoreTags#EXECUTION} tag
 * names this very execution. A group that existed before (same id, a race, a typo), or that another execution
 * created, is never deleted, whatever the state machine asks. {@code keepOnFailure} keeps even our own.
 */
public final class RestoreCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreCleanup.class);

    /** What cleanup did; {@code action} is one of deleted, kept, refused, nothing-to-delete, delete-failed. */
    public record Outcome(String action, String detail) {
        public ObjectNode toJson() {
            return Json.MAPPER.createObjectNode().put("action", action).put("detail", detail);
        }
    }

    /** Long enough for the delete to finish and its events to reach the audit; short enough to never linger. */
    static final java.time.Duration CLEANUP_MARK_TTL = java.time.Duration.ofDays(1);

    private final ElastiCacheClient elastiCache;
    private final EventLedger ledger;
    private final Retrier retrier;

    public RestoreCleanup(ElastiCacheClient elastiCache, EventLedger ledger, Retrier retrier) {
        this.elastiCache = elastiCache;
        this.ledger = ledger;
        this.retrier = retrier;
    }

    public Outcome cleanup(String targetId, String executionId, boolean keepOnFailure) {
        if (targetId == null || executionId == null || executionId.isBlank()) {
            return log(targetId, new Outcome("nothing-to-delete", "no target or execution id: nothing was created"));
        }
        ReplicationGroup group;
        try {
            List<ReplicationGroup> groups = retrier.call(() -> elastiCache.describeReplicationGroups(b -> b
                    .replicationGroupId(targetId))).replicationGroups();
            group = groups.isEmpty() ? null : groups.get(0);
        } catch (ReplicationGroupNotFoundException e) {
            group = null;
        }
        if (group == null) {
            return log(targetId, new Outcome("nothing-to-delete", "replication group " + targetId + " does not exist"));
        }
        String owner = null;
        String arn = group.arn();
        if (arn != null) {
            owner = ElastiCacheTags.of(elastiCache, retrier, arn).get(RestoreTags.EXECUTION);
        }
        if (!executionId.equals(owner)) {
            return log(targetId, new Outcome("refused", "replication group " + targetId + " was not created by this "
                    + "execution (" + RestoreTags.EXECUTION + " is " + (owner == null ? "absent" : "'" + owner + "'")
                    + "); it is left untouched"));
        }
        if (keepOnFailure) {
            return log(targetId, new Outcome("kept", "keepOnFailure is set: replication group " + targetId
                    + " (status " + group.status() + ") is kept for inspection; delete it yourself when done: "
                    + deleteCommand(targetId)));
        }
        if ("deleting".equalsIgnoreCase(group.status())) {
            return log(targetId, new Outcome("deleted", "replication group " + targetId + " is already being deleted"));
        }
        // Before deleting: the delete audit then knows this delete is the restore flow's own (announced by it).
        ledger.writeMark(EventLedger.restoreCleanupMark(targetId), executionId, CLEANUP_MARK_TTL);
        try {
            retrier.call(() -> elastiCache.deleteReplicationGroup(b -> b.replicationGroupId(targetId)
                    .retainPrimaryCluster(false)));
            return log(targetId, new Outcome("deleted", "replication group " + targetId + " (status "
                    + group.status() + ", created by this execution) is being deleted"));
        } catch (InvalidReplicationGroupStateException e) {
            // e.g. still creating after the time cap: ElastiCache refuses to delete it until it settles
            return log(targetId, new Outcome("delete-failed", "replication group " + targetId + " could not be "
                    + "deleted now (status " + group.status() + ": " + e.awsErrorDetails().errorMessage()
                    + "); delete it once it settles: " + deleteCommand(targetId)));
        }
    }

    private static String deleteCommand(String id) {
        return "aws elasticache delete-replication-group --replication-group-id " + id;
    }

    private static Outcome log(String targetId, Outcome outcome) {
        if ("refused".equals(outcome.action())) {
            LOG.warn("restore cleanup refused to delete", entry("cacheId", targetId), entry("action", outcome.action()),
                    entry("detail", outcome.detail()));
        } else {
            LOG.info("restore cleanup", entry("cacheId", targetId), entry("action", outcome.action()),
                    entry("detail", outcome.detail()));
        }
        return outcome;
    }
}
