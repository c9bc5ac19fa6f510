package dev.cachekeeper.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/** What one invocation did; returned by the handler and asserted by tests. */
public final class Tally {
    int published;
    int duplicates;
    int recognised;
    int unknown;
    int malformed;
    int failed;
    /** Sweep only: DescribeEvents pages read, whether it stopped before reaching now, the mark it left. */
    int pages;
    boolean incomplete;
    String mark;

    public int published() { return published; }
    public int duplicates() { return duplicates; }
    public int recognised() { return recognised; }
    public int unknown() { return unknown; }
    public int malformed() { return malformed; }
    public int failed() { return failed; }
    public int pages() { return pages; }
    public boolean incomplete() { return incomplete; }
    public String mark() { return mark; }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("published", published);
        m.put("duplicates", duplicates);
        m.put("recognised", recognised);
        m.put("unknown", unknown);
        m.put("malformed", malformed);
        m.put("failed", failed);
        if (pages > 0 || mark != null || incomplete) {
            m.put("pages", pages);
            m.put("incomplete", incomplete);
            m.put("mark", mark);
        }
        return m;
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
