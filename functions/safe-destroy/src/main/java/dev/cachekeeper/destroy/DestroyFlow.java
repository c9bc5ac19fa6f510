package dev.cachekeeper.destroy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * What the safe-destroy state machine carries from one state to the next ({@code $.flow}). Each Lambda task
 * returns a new one; the Choice states read {@code ok}, {@code dryRun}, {@code snapshotStatus},
 * {@code request.deleteAfterSnapshot} and the Wait state {@code waitSeconds}.
 *
 * @param request        the validated request (null only when the request itself was invalid)
 * @param ok             false once something failed; {@code error} and {@code cause} then say what
 * @param dryRun         the flow only logs and announces what it would do
 * @param snapshotName   the pre-destroy snapshot
 * @param snapshotOf     what was snapshotted, e.g. {@code replication group orders} or {@code node orders-002}
 * @param snapshotStatus as ElastiCache reports it; {@code planned} in a dry run
 * @param reused         the snapshot was taken by an earlier request for the same cache and reason
 * @param deadline       when waiting for the snapshot gives up
 * @param polls          how many times the snapshot status was checked
 * @param waitSeconds    how long the Wait state waits before the next check
 * @param deleted        whether the cache is deleted (or being deleted) at the end
 * @param finalSnapshotName the final snapshot asked of the delete call
 * @param error          a short error name, also the execution's error (CacheNotAvailable, SnapshotFailed, ...)
 * @param cause          what went wrong and what to do, for a person
 * @param note           anything else worth telling (e.g. the cache was already gone)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DestroyFlow(DestroyRequest request, boolean ok, boolean dryRun, String snapshotName, String snapshotOf,
                          String snapshotStatus, boolean reused, Instant deadline, int polls, int waitSeconds,
                          Boolean deleted, String finalSnapshotName, String error, String cause, String note) {

    static DestroyFlow start(DestroyRequest request, boolean dryRun) {
        return new DestroyFlow(request, true, dryRun, null, null, null, false, null, 0, 0, null, null, null, null,
                null);
    }

    DestroyFlow fail(String error, String cause) {
        return new DestroyFlow(request, false, dryRun, snapshotName, snapshotOf, snapshotStatus, reused, deadline,
                polls, waitSeconds, deleted, finalSnapshotName, error, cause, note);
    }

    DestroyFlow snapshot(String name, String of, String status, boolean reusedIt, Instant deadlineAt, int wait) {
        return new DestroyFlow(request, ok, dryRun, name, of, status, reusedIt, deadlineAt, polls, wait, deleted,
                finalSnapshotName, error, cause, note);
    }

    DestroyFlow polled(String status, int wait) {
        return new DestroyFlow(request, ok, dryRun, snapshotName, snapshotOf, status, reused, deadline, polls + 1,
                wait, deleted, finalSnapshotName, error, cause, note);
    }

    DestroyFlow deleted(boolean isDeleted, String finalName, String noteText) {
        return new DestroyFlow(request, ok, dryRun, snapshotName, snapshotOf, snapshotStatus, reused, deadline, polls,
                waitSeconds, isDeleted, finalName, error, cause, noteText);
    }

    String cacheLabel() {
        return request == null ? "(unknown cache)" : request.cacheKind().wireName() + " " + request.cacheId();
    }
}
