package dev.cachekeeper.benchmark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a function's first event spent its wall-clock time, by AWS request, read from async-profiler's wall-clock
 * samples ({@code --first-event}). A sample of the main thread while it runs a handler under the runtime client's
 * loop counts for the SDK operation on its stack (the client's {@code Default<Service>Client.<operation>} frame),
 * whether the thread was running or waiting for the answer; one with no operation on its stack is the handler's
 * own code, logging and metrics. The JVM's start, the handler's construction and priming are not counted: no
 * handler runs under the runtime client's loop then.
 */
final class FirstEventProfile implements CollapsedStacks {
    static final String ALL = "first event in all";
    static final String NO_REQUEST = "no AWS request on the stack (handler code, logging, metrics)";

    private static final String RUNTIME_CLIENT = "com/amazonaws/services/lambda/runtime/api/client/";
    private static final Pattern OPERATION =
            Pattern.compile("^software/amazon/awssdk/services/\\w+/Default(\\w+)Client\\.(\\w+)$");
    // async-profiler may mark a frame as compiled or interpreted with a suffix such as _[j].
    private static final Pattern FRAME_TYPE = Pattern.compile("_\\[\\w\\]$");

    private final long millisPerSample;
    /** Per start: the samples of each place the first event's time went. */
    private final List<Map<String, Long>> starts = new ArrayList<>();

    FirstEventProfile(long millisPerSample) {
        this.millisPerSample = millisPerSample;
    }

    @Override
    public void add(Stream<String> collapsed) {
        Map<String, Long> start = new HashMap<>();
        collapsed.filter(l -> !l.isBlank()).map(Stack::parse)
                .forEach(s -> where(s.frames()).ifPresent(w -> start.merge(w, s.samples(), Long::sum)));
        starts.add(start);
    }

    /** The AWS request (or {@link #NO_REQUEST}) a main-thread sample of the first event was in; empty otherwise. */
    static Optional<String> where(String[] frames) {
        if (!frames[0].startsWith("[main")) {
            return Optional.empty();
        }
        boolean underRuntimeClient = false;
        boolean inHandler = false;
        for (int i = 1; i < frames.length; i++) {
            String f = FRAME_TYPE.matcher(frames[i]).replaceFirst("");
            underRuntimeClient |= f.startsWith(RUNTIME_CLIENT);
            inHandler |= underRuntimeClient && f.endsWith(".handleRequest");
            if (inHandler) {
                Matcher op = OPERATION.matcher(f);
                if (op.matches()) {
                    return Optional.of(op.group(1) + " " + op.group(2));
                }
            }
        }
        return inHandler ? Optional.of(NO_REQUEST) : Optional.empty();
    }

    /** A place the first event's time went, in ms over the starts: the median, the least and the most. */
    record Share(String where, long median, long min, long max) {
    }

    /** {@link #ALL} first, then each request and {@link #NO_REQUEST}, the longest first. */
    List<Share> shares() {
        if (starts.isEmpty()) {
            return List.of();
        }
        Set<String> places = new LinkedHashSet<>();
        starts.forEach(s -> places.addAll(s.keySet()));
        List<Share> shares = new ArrayList<>();
        shares.add(share(ALL, starts.stream()
                .map(s -> s.values().stream().mapToLong(Long::longValue).sum()).toList()));
        places.stream().map(p -> share(p, starts.stream().map(s -> s.getOrDefault(p, 0L)).toList()))
                .sorted(Comparator.comparingLong(Share::median).reversed().thenComparing(Share::where))
                .forEach(shares::add);
        return shares;
    }

    private Share share(String where, List<Long> samplesPerStart) {
        List<Long> ms = samplesPerStart.stream().map(n -> n * millisPerSample).sorted().toList();
        return new Share(where, ms.get(ms.size() / 2), ms.getFirst(), ms.getLast());
    }
}
