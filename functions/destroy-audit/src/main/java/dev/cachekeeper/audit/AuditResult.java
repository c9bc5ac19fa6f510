package dev.cachekeeper.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The outcome of auditing one delete event, as the handler returns it (and tests read it).
 *
 * @param evidence the snapshot (or fact) that makes the cache recoverable, or for a critical alert the newest
 *                 snapshot that does exist ("none" if there is none)
 * @param alerted  whether an alert was published
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditResult(AuditVerdict verdict, String cacheKind, String cacheId, String actor, String evidence,
                          boolean alerted, String reason) {
}
