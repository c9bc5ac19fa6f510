package dev.cachekeeper.core.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where a normalized event was first seen. */
public enum Origin {
    SNS("sns"),
    DESCRIBE_EVENTS("describe-events"),
    EVENTBRIDGE("eventbridge"),
    CLOUDTRAIL("cloudtrail"),
    /** Sent by a person or a pipeline, e.g. {@code Cache Destroy Requested}. */
    USER("user");

    private final String wireName;

    Origin(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static Origin fromWire(String value) {
        for (Origin o : values()) {
            if (o.wireName.equalsIgnoreCase(value)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown origin '" + value + "'");
    }
}
