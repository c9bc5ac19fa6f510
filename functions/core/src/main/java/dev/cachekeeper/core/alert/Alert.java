package dev.cachekeeper.core.alert;

import java.util.Objects;

/**
 * A message for a person: a subject readable at a glance, a short plain-text body, and attributes that let
 * subscribers filter (severity, cache id, event type).
 */
public record Alert(Severity severity, String subject, String body, String cacheId, String eventType) {
    public Alert {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(eventType, "eventType");
    }
}
