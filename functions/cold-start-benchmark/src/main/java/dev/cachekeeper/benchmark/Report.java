package dev.cachekeeper.benchmark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns samples into the Markdown table printed and written to docs/performance.md. */
final class Report {
    private Report() {
    }

    static String render(List<ColdStartBenchmark.Sample> samples, Map<String, Integer> classes, List<Subject> subjects,
                         List<ColdStartBenchmark.Mode> modes, int rounds, String jvms, String cpuShare) {
        StringBuilder sb = new StringBuilder();
        sb.append("| function | JVM mode | first response ms, median (min–max) | of which the first invocation ms "
                + "| CPU ms (of which JIT) | classes loaded | peak RSS MB | zip MB (unzipped) | × empty Java "
                + "| × bare SDK | × Python boto3 |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        Optional<Long> python = median(samples, "python-boto3", "python");
        for (Subject s : subjects) {
            // MB as Lambda's quotas count them (10^6 bytes); the zip is what is uploaded and fetched at a cold start.
            String size = String.format("%.1f (%.1f)", s.zipBytes() / 1e6, s.unzippedBytes() / 1e6);
            List<String> modeNames = s.kind() == Subject.Kind.PYTHON ? List.of("python")
                    : modes.stream().map(ColdStartBenchmark.Mode::name).toList();
            for (String mode : modeNames) {
                List<ColdStartBenchmark.Sample> mine = samples.stream()
                        .filter(x -> x.subject().equals(s.name()) && x.mode().equals(mode)).toList();
                if (mine.isEmpty()) {
                    continue;
                }
                long med = med(mine.stream().map(ColdStartBenchmark.Sample::millis).toList());
                long min = mine.stream().mapToLong(ColdStartBenchmark.Sample::millis).min().orElse(0);
                long max = mine.stream().mapToLong(ColdStartBenchmark.Sample::millis).max().orElse(0);
                long invoke = med(mine.stream().map(ColdStartBenchmark.Sample::invokeMillis).toList());
                long cpu = med(mine.stream().map(ColdStartBenchmark.Sample::cpuMillis).toList());
                long jit = med(mine.stream().map(ColdStartBenchmark.Sample::jitMillis).toList());
                long rss = med(mine.stream().map(ColdStartBenchmark.Sample::peakRssKb).toList());
                Integer cls = classes.get(s.name() + "/" + mode);
                sb.append("| ").append(s.name()).append(" | ").append(mode).append(" | ")
                        .append(med).append(" (").append(min).append("–").append(max).append(") | ")
                        .append(invoke).append(" | ").append(cpu)
                        .append(s.kind() == Subject.Kind.JAVA ? " (" + jit + ")" : "").append(" | ")
                        .append(cls == null ? "n/a" : cls).append(" | ")
                        .append(String.format("%.0f", rss / 1024.0)).append(" | ")
                        .append(size).append(" | ")
                        .append(ratio(med, median(samples, "empty-java", mode))).append(" | ")
                        .append(ratio(med, median(samples, "bare-sdk-java", mode))).append(" | ")
                        // A primed start's first response includes the priming: only its invocation compares.
                        .append(primed(modes, mode) ? "n/a" : ratio(med, python)).append(" |\n");
            }
        }
        sb.append("\n").append(rounds).append(" interleaved rounds; ").append(jvms).append("; ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores")
                .append(cpuShare == null ? ", each subject free to use them all"
                        : "; each subject limited to " + cpuShare)
                .append(".\n");
        return sb.toString();
    }

    /** The profiled starts of one subject in one mode ({@code --profile}) and the CPU time each one took. */
    record Profiled(String subject, String mode, StartupProfile profile, List<Long> cpuMillis) {
    }

    /** Where the CPU time of the profiled starts went, by library, in ms: the share of samples times the CPU. */
    static String profiles(List<Profiled> profiles, int rounds) {
        StringBuilder sb = new StringBuilder(profiled("Where the CPU time went", rounds,
                " (`--profile`, a CPU timer on every thread)"));
        sb.append(". Each sample counts for the innermost "
                + "library on its stack, so the JDK's class loading or TLS count for the library that asked for "
                + "them. Figures are ms of CPU: a part's share of the samples times the median CPU time of the "
                + "profiled starts. The last three columns are counted wherever they happen, so they overlap the "
                + "others and each other.\n\n");
        sb.append("| function | JVM mode | CPU ms | samples");
        for (StartupProfile.Part p : StartupProfile.Part.values()) {
            sb.append(" | ").append(p.label);
        }
        for (StartupProfile.Across a : StartupProfile.Across.values()) {
            sb.append(" | ").append(a.label);
        }
        sb.append(" |\n|---|---|---|---").append("|---".repeat(StartupProfile.Part.values().length
                + StartupProfile.Across.values().length)).append("|\n");
        for (Profiled p : profiles) {
            long cpu = med(p.cpuMillis());
            sb.append("| ").append(p.subject()).append(" | ").append(p.mode()).append(" | ").append(cpu)
                    .append(" | ").append(p.profile().samples());
            for (StartupProfile.Part part : StartupProfile.Part.values()) {
                sb.append(" | ").append(Math.round(p.profile().share(part) * cpu));
            }
            for (StartupProfile.Across a : StartupProfile.Across.values()) {
                sb.append(" | ").append(Math.round(p.profile().share(a) * cpu));
            }
            sb.append(" |\n");
        }
        return sb.toString();
    }

    /** The wall-clock starts of one subject in one mode ({@code --first-event}). */
    record FirstEvent(String subject, String mode, FirstEventProfile profile) {
    }

    /** Where each first event's wall-clock time went, by AWS request, in ms: medians over the profiled starts. */
    static String firstEvents(List<FirstEvent> events, int rounds) {
        StringBuilder sb = new StringBuilder(profiled("Where each first event spent its time", rounds,
                "'s wall clock (`--first-event`, the main thread sampled every ms, running or waiting)"));
        sb.append(". Only the handler's run for the first event counts. Each sample counts for "
                + "the AWS request on its stack (the SDK client's operation), from building the request to reading "
                + "the answer, its connection and TLS handshake included; the rest is the handler's own code, "
                + "logging and metrics. Figures are ms, the median over the starts (least–most); the profiler "
                + "makes these starts slower than the timed ones.\n\n");
        sb.append("| function | JVM mode | where | ms, median (least–most) |\n|---|---|---|---|\n");
        for (FirstEvent e : events) {
            for (FirstEventProfile.Share share : e.profile().shares()) {
                boolean all = share.where().equals(FirstEventProfile.ALL);
                sb.append("| ").append(all ? e.subject() : "").append(" | ").append(all ? e.mode() : "")
                        .append(" | ").append(share.where()).append(" | ").append(share.median()).append(" (")
                        .append(share.min()).append("–").append(share.max()).append(") |\n");
            }
        }
        return sb.toString();
    }

    /** The opening of a profile's explanation: what it says, and from which starts. */
    private static String profiled(String what, int rounds, String how) {
        return what + ", from " + rounds + " more starts of each Java subject under async-profiler" + how;
    }

    static String document(String table, String date, String args) {
        return "# Cold-start performance\n\n"
                + "Measured on " + date + " by `./mvnw -B -q install -DskipTests && ./mvnw -q -pl "
                + "functions/cold-start-benchmark exec:java -Dexec.args=\"" + args + "\"` on " + machine()
                + " (see the README's Performance section for how to read it). The local AWS endpoint answers over "
                + "HTTPS, each service on its own port, so every subject pays for TLS as it would against AWS: its "
                + "trust store, and one handshake per service it calls.\n\n" + table;
    }

    /** Where the figures come from: they only compare with figures from the same kind of machine. */
    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (java.io.IOException | RuntimeException ignored) {
            // not Linux: the CPU stays unnamed
        }
        return System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores (" + cpu + ")";
    }

    private static boolean primed(List<ColdStartBenchmark.Mode> modes, String name) {
        return modes.stream().anyMatch(m -> m.name().equals(name) && m.primedAtInit());
    }

    private static Optional<Long> median(List<ColdStartBenchmark.Sample> samples, String subject, String mode) {
        List<Long> v = samples.stream().filter(x -> x.subject().equals(subject) && x.mode().equals(mode))
                .map(ColdStartBenchmark.Sample::millis).toList();
        return v.isEmpty() ? Optional.empty() : Optional.of(med(v));
    }

    private static String ratio(long value, Optional<Long> base) {
        return base.filter(b -> b > 0).map(b -> String.format("%.2f", value / (double) b)).orElse("n/a");
    }

    private static long med(List<Long> values) {
        List<Long> v = new ArrayList<>(values);
        Collections.sort(v);
        return v.get(v.size() / 2);
    }
}
