package dev.cachekeeper.core;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration from environment variables (set by template.yaml parameters; there is no configuration file at run
 * time). A malformed value fails at start-up naming the variable, rather than half-way through a sweep.
 */
public final class Settings {
    public static final String BUS_NAME = "CACHEKEEPER_BUS_NAME";
    public static final String ALERT_TOPIC_ARN = "CACHEKEEPER_ALERT_TOPIC_ARN";
    public static final String TABLE_NAME = "CACHEKEEPER_TABLE_NAME";
    public static final String SELECTION_TAG_KEY = "CACHEKEEPER_SELECTION_TAG_KEY";
    public static final String SELECTION_TAG_VALUE = "CACHEKEEPER_SELECTION_TAG_VALUE";
    public static final String PROTECT_ALL = "CACHEKEEPER_PROTECT_ALL";
    public static final String DRY_RUN = "CACHEKEEPER_DRY_RUN";

    private final Map<String, String> env;

    public Settings(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static Settings fromEnvironment() {
        return new Settings(System.getenv());
    }

    /** A copy with some variables replaced; tests and the local runner use it. */
    public Settings with(Map<String, String> overrides) {
        var m = new java.util.HashMap<>(env);
        m.putAll(overrides);
        return new Settings(m);
    }

    public String busName() {
        return text(BUS_NAME, "default");
    }

    public String alertTopicArn() {
        return required(ALERT_TOPIC_ARN);
    }

    public String tableName() {
        return required(TABLE_NAME);
    }

    public CacheSelection selection() {
        return new CacheSelection(text(SELECTION_TAG_KEY, "cachekeeper:protect"),
                text(SELECTION_TAG_VALUE, "true"), flag(PROTECT_ALL, false));
    }

    /** Dry-run logs the planned actions and changes nothing. */
    public boolean dryRun() {
        return flag(DRY_RUN, false);
    }

    public String region() {
        return text("AWS_REGION", text("AWS_DEFAULT_REGION", "us-east-1"));
    }

    public Optional<String> optional(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String text(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    public String required(String name) {
        return optional(name).orElseThrow(() -> new IllegalStateException(
                "environment variable " + name + " is not set (template.yaml sets it; set it yourself when running locally)"));
    }

    public boolean flag(String name, boolean defaultValue) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalStateException(
                    "environment variable " + name + " must be true or false, not '" + v.get() + "'");
        };
    }

    public int integer(String name, int defaultValue, int min, int max) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n < min || n > max) {
                throw new IllegalStateException("environment variable " + name + " must be between " + min + " and "
                        + max + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " must be a whole number, not '"
                    + v.get() + "'");
        }
    }

    /** Durations are written as whole minutes, hours or days: {@code 90m}, {@code 24h}, {@code 30d}. */
    public Duration duration(String name, Duration defaultValue) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        String s = v.get().toLowerCase(Locale.ROOT);
        try {
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            if (n >= 0) {
                switch (s.charAt(s.length() - 1)) {
                    case 's': return Duration.ofSeconds(n);
                    case 'm': return Duration.ofMinutes(n);
                    case 'h': return Duration.ofHours(n);
                    case 'd': return Duration.ofDays(n);
                    default: break;
                }
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException ignored) {
            // fall through to the message below
        }
        throw new IllegalStateException("environment variable " + name
                + " must be a duration like 90s, 30m, 24h or 7d, not '" + v.get() + "'");
    }
}
