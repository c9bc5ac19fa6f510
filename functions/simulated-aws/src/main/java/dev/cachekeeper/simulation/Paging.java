package dev.cachekeeper.simulation;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/** Marker paging over a sorted list, with the page-size limits each Describe operation enforces. */
final class Paging {
    record Page<T>(List<T> items, String nextMarker) {
    }

    private Paging() {
    }

    /**
     * One page. {@code maxRecords} null means {@code defaultSize}; outside [min, max] is InvalidParameterValue, as
     * ElastiCache answers. Markers are opaque (an offset), so a marker from another listing is rejected only if
     * malformed.
     */
    static <T> Page<T> page(List<T> all, String marker, Integer maxRecords, int min, int max, int defaultSize,
                            String parameterName) {
        return page(all, marker, maxRecords, min, max, defaultSize, parameterName, ElastiCacheErrors::invalidValue);
    }

    /** The same, for a service whose invalid-parameter error is another: {@code invalid} builds it from a message. */
    static <T> Page<T> page(List<T> all, String marker, Integer maxRecords, int min, int max, int defaultSize,
                            String parameterName, Function<String, RuntimeException> invalid) {
        int size = maxRecords == null ? defaultSize : maxRecords;
        if (size < min || size > max) {
            throw invalid.apply("The parameter " + parameterName + " must be between " + min
                    + " and " + max + ".");
        }
        int from = 0;
        if (marker != null && !marker.isEmpty()) {
            try {
                from = Integer.parseInt(new String(Base64.getDecoder().decode(marker), StandardCharsets.UTF_8)
                        .substring("offset:".length()));
            } catch (RuntimeException e) {
                throw invalid.apply("Invalid marker: " + marker);
            }
        }
        from = Math.min(Math.max(0, from), all.size());
        int to = Math.min(all.size(), from + size);
        String next = to < all.size()
                ? Base64.getEncoder().encodeToString(("offset:" + to).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(List.copyOf(all.subList(from, to)), next);
    }
}
