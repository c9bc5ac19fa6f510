package dev.cachekeeper.restore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How long the state machine waits before each DescribeReplicationGroups poll. Standard workflows bill every state
 * transition (a poll round is four: Wait, Describe, Choice, next-wait Pass), and a restore takes 10 to 60+ minutes,
 * so the first wait covers the usual minimum creation time, then waits grow from 2 to 5 minutes and stay there;
 * their sum is the time cap, after which the restore is declared timed out.
 *
 * <p>Measured by the state machine tests: a 15-minute creation takes 3 poll rounds, a 60-minute one 13.
 */
public final class WaitSchedule {
    static final int FIRST_SECONDS = 600;
    static final int STEP_SECONDS = 60;
    static final int START_SECONDS = 120;
    static final int CAP_SECONDS = 300;
    public static final int MIN_TOTAL_MINUTES = 15;
    public static final int MAX_TOTAL_MINUTES = 24 * 60;

    private WaitSchedule() {
    }

    /** Waits in seconds, summing exactly to {@code total}. */
    public static List<Integer> waits(Duration total) {
        long remaining = total.toSeconds();
        if (total.toMinutes() < MIN_TOTAL_MINUTES || total.toMinutes() > MAX_TOTAL_MINUTES) {
            throw new IllegalArgumentException("the restore wait cap must be " + MIN_TOTAL_MINUTES + " to "
                    + MAX_TOTAL_MINUTES + " minutes, not " + total.toMinutes());
        }
        List<Integer> waits = new ArrayList<>();
        int next = FIRST_SECONDS;
        while (remaining > 0) {
            int w = (int) Math.min(next, remaining);
            waits.add(w);
            remaining -= w;
            next = waits.size() == 1 ? START_SECONDS : Math.min(CAP_SECONDS, next + STEP_SECONDS);
        }
        return waits;
    }
}
