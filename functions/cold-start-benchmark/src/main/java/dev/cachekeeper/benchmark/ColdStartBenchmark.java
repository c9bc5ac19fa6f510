package dev.cachekeeper.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cold-start benchmark: every function started the way Lambda starts it — a fresh JVM on its package
 * ({@code lib/*.jar}), the real Runtime Interface Client, a local Runtime API and a local AWS endpoint — over
 * several rounds, interleaved with an empty Java handler, a bare SDK v2 handler and a Python boto3 handler so all
 * share the same machine conditions. Prints a table and writes it to docs/performance.md.
 *
 * <p>Usage (from the repository root, after {@code ./mvnw -B -q package -DskipTests}):
 * {@code ./mvnw -q -pl functions/cold-start-benchmark exec:java -Dexec.args="--rounds 5"}; add
 * {@code --lambda-memory 1024} to give every subject the CPU share of a 1,024 MB function ({@link LambdaCpuShare}),
 * {@code --profile} to say which library each start's CPU time went to ({@link StartupProfile}),
 * {@code --first-event} to say which AWS request each function's first event spent its time in
 * ({@link FirstEventProfile}), and
 * {@code --jvm java21=/path/to/bin/java} to run every no-cache mode again on another JVM, in the same rounds.
 */
public final class ColdStartBenchmark {
    /** The repository root: the working directory, or {@code cachekeeper.root} (the tests run in the module). */
    static final Path ROOT = Path.of(System.getProperty("cachekeeper.root", "")).toAbsolutePath();
    static final Path MODULE = ROOT.resolve("functions/cold-start-benchmark");
    static final String C1 = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";
    /** The container image's {@code JVM_FLAGS} (deploy/container/Dockerfile): what the AOT modes measure. */
    static final String IMAGE_FLAGS = C1 + " -XX:+UseSerialGC -XX:CompileThresholdScaling=4";

    /** How an AOT cache is trained: not at all, on one real invocation, or offline from the priming warm-up. */
    enum Training { NONE, INVOCATION, PRIMING }

    /**
     * A JVM configuration to compare: flags, whether (and how) a trained AOT cache is used, and whether the handler
     * is primed before the runtime client starts ({@code PrimedRuntime}, the stand-in for a SnapStart restore).
     * {@code java} is the JVM it runs on, or null for the one running the harness.
     */
    record Mode(String name, String javaToolOptions, Training training, boolean primedAtInit, Path java) {
        Mode(String name, String javaToolOptions, Training training) {
            this(name, javaToolOptions, training, false, null);
        }

        Mode(String name, String javaToolOptions, Training training, boolean primedAtInit) {
            this(name, javaToolOptions, training, primedAtInit, null);
        }

        /** The same mode on another JVM, named {@code mode@jvm}: the runtime choice, measured like a flag. */
        Mode on(String jvm, Path otherJava) {
            return new Mode(name + "@" + jvm, javaToolOptions, training, primedAtInit, otherJava);
        }

        boolean aotCache() {
            return training != Training.NONE;
        }
    }

    /** One start: time to the first response, of which the first invocation (event handed out to response). */
    record Sample(String subject, String mode, long millis, long invokeMillis, long cpuMillis, long jitMillis,
                  long peakRssKb) {
    }

    private final Path java;
    private final int rounds;
    private final List<Subject> subjects;
    private final List<Mode> modes;
    private final Path out;
    private final Path work;
    private final String args;
    /** The CPU every subject is limited to, or null to run on this machine's idle cores. */
    private final LambdaCpuShare share;
    /** Extra starts of each Java subject under async-profiler, after the timed rounds, and what they are to say. */
    enum Profiling {
        /** {@code --profile}: which library each start's CPU time went to. */
        CPU_BY_LIBRARY,
        /** {@code --first-event}: which AWS request each first event's wall-clock time went to. */
        FIRST_EVENT_BY_REQUEST
    }

    private final Set<Profiling> profiling;

    ColdStartBenchmark(Path java, int rounds, List<Subject> subjects, List<Mode> modes, Path out, String args,
                       LambdaCpuShare share, Set<Profiling> profiling) throws IOException {
        this.args = args;
        this.share = share;
        this.profiling = Set.copyOf(profiling);
        this.java = java;
        this.rounds = rounds;
        this.subjects = subjects;
        this.modes = modes;
        this.out = out;
        this.work = Files.createDirectories(MODULE.resolve("target/cold-start"));
    }

    public static void main(String[] args) throws Exception {
        int rounds = 7;
        Path out = ROOT.resolve("docs/performance.md");
        List<String> only = new ArrayList<>();
        List<String> onlyModes = new ArrayList<>();
        List<Mode> tried = new ArrayList<>();
        Map<String, Path> jvms = new LinkedHashMap<>();
        Integer lambdaMemory = null;
        Set<Profiling> profiling = EnumSet.noneOf(Profiling.class);
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--only" -> only.add(args[++i]);
                    case "--mode" -> onlyModes.add(args[++i]);
                    case "--try", "--try-aot" -> tried.add(tried(args[i], args[++i]));
                    case "--lambda-memory" -> lambdaMemory = Integer.parseInt(args[++i]);
                    case "--profile" -> profiling.add(Profiling.CPU_BY_LIBRARY);
                    case "--first-event" -> profiling.add(Profiling.FIRST_EVENT_BY_REQUEST);
                    case "--jvm" -> {
                        String takes = "NAME=PATH to an executable java";
                        String[] jvm = named("--jvm", args[++i], takes);
                        Path path = Path.of(jvm[1]);
                        if (!Files.isExecutable(path)) {
                            throw new BadArgument("--jvm takes " + takes + ", not " + args[i]);
                        }
                        jvms.put(jvm[0], path);
                    }
                    default -> throw new BadArgument("unknown argument " + args[i] + " (known: --rounds N, --out FILE, "
                            + "--only NAME, --mode NAME, --try NAME=FLAGS, --try-aot NAME=FLAGS, --jvm NAME=PATH, "
                            + "--lambda-memory MB, --profile, --first-event)");
                }
            }
        } catch (BadArgument bad) {
            System.err.println(bad.getMessage());
            System.exit(2);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<Subject> subjects = Subjects.discover(ROOT, MODULE);
        if (!only.isEmpty()) {
            subjects = subjects.stream().filter(s -> only.contains(s.name())).toList();
        }
        List<Mode> modes = List.of(
                new Mode("plain", "", Training.NONE),
                new Mode("tiered-c1", C1, Training.NONE),
                new Mode("c1+serialgc", C1 + " -XX:+UseSerialGC", Training.NONE),
                new Mode("aot-invocation", IMAGE_FLAGS, Training.INVOCATION),
                new Mode("aot-primed", IMAGE_FLAGS, Training.PRIMING),
                new Mode("primed", C1, Training.NONE, true));
        List<Mode> all = new ArrayList<>(modes);
        all.addAll(tried);
        modes = all;
        if (!onlyModes.isEmpty()) {
            modes = modes.stream().filter(m -> onlyModes.contains(m.name())).toList();
        }
        modes = withOtherJvms(modes, jvms);
        // --lambda-memory MB: every subject gets the CPU share a function of that size gets in Lambda.
        try (LambdaCpuShare share = lambdaMemory == null ? null : LambdaCpuShare.create(lambdaMemory)) {
            new ColdStartBenchmark(java, rounds, subjects, modes, out, String.join(" ", args), share, profiling)
                    .run();
        }
    }

    /**
     * {@code --try name=flag,flag}: an extra no-cache mode, to measure a JVM flag before it goes into template.yaml.
     * {@code --try-aot name=flag,flag} trains a cache on one invocation, as {@code aot-invocation} does, to measure a
     * flag before it goes into the container image's {@code JVM_FLAGS}.
     */
    static Mode tried(String option, String spec) {
        String[] nameAndFlags = named(option, spec, "NAME=FLAG,FLAG (e.g. x=-XX:TieredStopAtLevel=1)");
        return new Mode(nameAndFlags[0], nameAndFlags[1].replace(',', ' '),
                option.equals("--try-aot") ? Training.INVOCATION : Training.NONE);
    }

    /** An option's {@code NAME=VALUE}, split at the first '=', or a {@link BadArgument} saying what it takes. */
    static String[] named(String option, String spec, String takes) {
        int eq = spec.indexOf('=');
        // A name starting with '-' is a flag whose own '=' was taken for the name's: the name was left out.
        if (eq <= 0 || eq == spec.length() - 1 || spec.startsWith("-")) {
            throw new BadArgument(option + " takes " + takes + ", not " + spec);
        }
        return new String[] {spec.substring(0, eq), spec.substring(eq + 1)};
    }

    /** A command-line argument the harness cannot use: its message goes to stderr, and the run exits with 2. */
    static final class BadArgument extends IllegalArgumentException {
        BadArgument(String message) {
            super(message);
        }
    }

    /**
     * {@code --jvm name=path}: each mode again on each of those JVMs, after the harness's own. Not the AOT modes: a
     * cache is specific to the JVM build that wrote it, and JDKs before 24 cannot write one.
     */
    static List<Mode> withOtherJvms(List<Mode> modes, Map<String, Path> jvms) {
        List<Mode> all = new ArrayList<>(modes);
        jvms.forEach((name, path) -> modes.stream().filter(m -> !m.aotCache())
                .forEach(m -> all.add(m.on(name, path))));
        return all;
    }

    void run() throws Exception {
        List<Report.Profiled> profiles = List.of();
        List<Report.FirstEvent> firstEvents = List.of();
        List<Sample> samples = new ArrayList<>();
        Map<String, Integer> classes = new LinkedHashMap<>();
        try (CannedAwsEndpoint aws = new CannedAwsEndpoint()) {
            for (Subject s : subjects) {
                for (Mode m : modesFor(s)) {
                    if (m.training() == Training.INVOCATION) {
                        train(s, m, aws);
                    } else if (m.training() == Training.PRIMING) {
                        trainFromPriming(s, m);
                    }
                }
            }
            for (int round = 1; round <= rounds; round++) {
                System.err.printf("round %d/%d%n", round, rounds);
                for (Subject s : subjects) {
                    for (Mode m : modesFor(s)) {
                        samples.add(once(s, m, aws, null));
                    }
                }
            }
            for (Subject s : subjects) {
                if (s.kind() == Subject.Kind.JAVA) {
                    for (Mode m : modesFor(s)) {
                        Path log = work.resolve(s.name() + "-" + m.name() + ".classes.log");
                        once(s, m, aws, "-Xlog:class+load:file=" + log);
                        classes.put(s.name() + "/" + m.name(), (int) Files.lines(log).count());
                    }
                }
            }
            if (profiling.contains(Profiling.CPU_BY_LIBRARY)) {
                profiles = profileAll(aws);
            }
            if (profiling.contains(Profiling.FIRST_EVENT_BY_REQUEST)) {
                firstEvents = firstEventAll(aws);
            }
            System.err.println("AWS calls answered: " + aws.calls());
        }
        String report = Report.render(samples, classes, subjects, modes, rounds, describeJvms(),
                share == null ? null : share.describe());
        if (profiling.contains(Profiling.CPU_BY_LIBRARY)) {
            report += "\n" + Report.profiles(profiles, rounds);
        }
        if (profiling.contains(Profiling.FIRST_EVENT_BY_REQUEST)) {
            report += "\n" + Report.firstEvents(firstEvents, rounds);
        }
        System.out.println(report);
        Files.createDirectories(out.getParent());
        Files.writeString(out, Report.document(report, LocalDate.now().toString(), args));
        System.err.println("written to " + out);
    }

    /** Which library each start's CPU time went to, from {@link #profiledStarts} under a CPU timer. */
    private List<Report.Profiled> profileAll(CannedAwsEndpoint aws) throws Exception {
        List<Report.Profiled> profiles = new ArrayList<>();
        for (ProfiledStarts starts : profiledStarts(aws, StartupProfile.CPU)) {
            StartupProfile p = new StartupProfile();
            p.addAll(starts.stacks());
            profiles.add(new Report.Profiled(starts.subject(), starts.mode(), p, starts.cpuMillis()));
        }
        return profiles;
    }

    /** Which AWS request each first event's time went to, from {@link #profiledStarts} under the wall clock. */
    private List<Report.FirstEvent> firstEventAll(CannedAwsEndpoint aws) throws Exception {
        List<Report.FirstEvent> events = new ArrayList<>();
        for (ProfiledStarts starts : profiledStarts(aws, StartupProfile.WALL)) {
            FirstEventProfile p = new FirstEventProfile(StartupProfile.INTERVAL_MILLIS);
            p.addAll(starts.stacks());
            events.add(new Report.FirstEvent(starts.subject(), starts.mode(), p));
        }
        return events;
    }

    /** The stacks async-profiler wrote for each start of one subject in one mode, and each start's CPU time. */
    private record ProfiledStarts(String subject, String mode, List<Path> stacks, List<Long> cpuMillis) {
    }

    /**
     * As many more starts of each Java subject as there are rounds, each under async-profiler sampling
     * {@code event} ({@link StartupProfile#CPU} or {@link StartupProfile#WALL}). Not part of the timed rounds: the
     * profiler's own start and signals cost time.
     */
    private List<ProfiledStarts> profiledStarts(CannedAwsEndpoint aws, String event) throws Exception {
        Path agent = StartupProfile.extractAgent(MODULE.resolve("target/profiler"), work);
        List<ProfiledStarts> all = new ArrayList<>();
        for (Subject s : subjects) {
            if (s.kind() != Subject.Kind.JAVA) {
                continue;
            }
            for (Mode m : modesFor(s)) {
                System.err.printf("profiling %s (%s, %s)%n", s.name(), m.name(), event);
                List<Path> stacks = new ArrayList<>();
                List<Long> cpu = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    Path file = work.resolve(s.name() + "-" + m.name() + "-" + event + "-" + round + ".collapsed");
                    Files.deleteIfExists(file);
                    Run run = firstResponse(s, m, aws, StartupProfile.agentFlag(agent, event, file), true);
                    if (!Files.exists(file)) {
                        throw new IllegalStateException("the profiler wrote nothing for " + s.name() + " (see "
                                + output(s) + ")");
                    }
                    stacks.add(file);
                    cpu.add(run.sample().cpuMillis());
                }
                all.add(new ProfiledStarts(s.name(), m.name(), stacks, cpu));
            }
        }
        return all;
    }

    private List<Mode> modesFor(Subject s) {
        // Python has no JVM flags: run it once per round, under the first mode's name.
        if (s.kind() == Subject.Kind.PYTHON) {
            return List.of(new Mode("python", "", Training.NONE));
        }
        return modes.stream().filter(m -> (m.training() != Training.PRIMING && !m.primedAtInit()) || s.primable())
                .toList();
    }

    private Path aotCache(Subject s, Mode m) {
        return work.resolve(s.name() + "-" + m.name() + ".aot");
    }

    /** JDK 25 one-step training (JEP 514): one invocation, then a clean exit writes the cache. */
    private void train(Subject s, Mode m, CannedAwsEndpoint aws) throws Exception {
        Path cache = aotCache(s, m);
        Files.deleteIfExists(cache);
        try (RuntimeApiServer api = new RuntimeApiServer(s.event())) {
            Process p = start(s, m, aws, api, "-XX:AOTCacheOutput=" + cache);
            answer(s, api, p);
            p.destroy(); // SIGTERM: an orderly JVM exit, which is when the cache is written
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("training run of " + s.name() + " did not exit");
            }
        }
        if (!Files.exists(cache)) {
            throw new IllegalStateException("no AOT cache was written for " + s.name() + " (see "
                    + output(s) + ")");
        }
    }

    /** What a container image build can do with no AWS account: the handler's priming warm-up, then exit. */
    private void trainFromPriming(Subject s, Mode m) throws Exception {
        Path cache = aotCache(s, m);
        Files.deleteIfExists(cache);
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.addAll(List.of(m.javaToolOptions().split(" ")));
        cmd.add("-XX:AOTCacheOutput=" + cache);
        cmd.add("-cp");
        cmd.add(classpath(s));
        cmd.add("dev.cachekeeper.core.lambda.AotTraining");
        cmd.add(s.handler());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve(s.name() + "-training.log").toFile());
        pb.environment().putAll(s.env());
        pb.environment().put("AWS_REGION", "eu-west-1");
        pb.environment().put("AWS_ACCESS_KEY_ID", "AKIDBENCHMARK");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "benchmark-secret");
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(cache)) {
            p.destroyForcibly();
            throw new IllegalStateException("priming-trained AOT cache failed for " + s.name() + " (see "
                    + work.resolve(s.name() + "-training.log") + ")");
        }
    }

    private static String classpath(Subject s) {
        List<String> cp = new ArrayList<>();
        s.jars().forEach(j -> cp.add(j.toString()));
        Subjects.runtimeClientJars(MODULE).forEach(j -> cp.add(j.toString()));
        return String.join(":", cp);
    }

    Sample once(Subject s, Mode m, CannedAwsEndpoint aws, String extraFlag) throws Exception {
        return firstResponse(s, m, aws, extraFlag, false).sample();
    }

    /** Where the last start of {@code s} wrote its stdout and stderr (the function's logs). */
    Path output(Subject s) {
        return work.resolve(s.name() + ".log");
    }

    /** One fresh start: its measurements and the function's answer to its first event. */
    record Run(Sample sample, String response) {
    }

    /** {@code orderlyExit}: end the JVM with SIGTERM, so an agent writes its output, rather than killing it. */
    Run firstResponse(Subject s, Mode m, CannedAwsEndpoint aws, String extraFlag, boolean orderlyExit)
            throws Exception {
        try (RuntimeApiServer api = new RuntimeApiServer(s.event())) {
            long t0 = System.nanoTime();
            Process p = start(s, m, aws, api, extraFlag);
            RuntimeApiServer.Answer a = answer(s, api, p);
            ProcessStats stats = ProcessStats.of(p.pid());
            if (orderlyExit) {
                p.destroy();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } else {
                p.destroyForcibly();
            }
            p.waitFor(30, TimeUnit.SECONDS);
            if (a.error()) {
                throw new IllegalStateException(s.name() + " answered with an error: " + a.body());
            }
            return new Run(new Sample(s.name(), m.name(), (a.receivedNanos() - t0) / 1_000_000,
                    (a.receivedNanos() - a.handedOutNanos()) / 1_000_000, stats.cpuMillis(), stats.jitMillis(),
                    stats.peakRssKb()),
                    a.body());
        }
    }

    /** The first response, or a clear failure when the process dies first (a bad flag) or hangs. */
    private RuntimeApiServer.Answer answer(Subject s, RuntimeApiServer api, Process p) throws Exception {
        Object first;
        try {
            first = CompletableFuture.anyOf(api.answer(), p.onExit()).get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException(s.name() + " gave no response in 120 s; its output is in "
                    + output(s));
        }
        if (first instanceof RuntimeApiServer.Answer a) {
            return a;
        }
        throw new IllegalStateException(s.name() + " exited with status " + p.exitValue()
                + " before answering; its output is in " + output(s));
    }

    private Process start(Subject s, Mode m, CannedAwsEndpoint aws, RuntimeApiServer api, String extraFlag)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("AWS_LAMBDA_FUNCTION_NAME", s.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(share == null ? 1024 : share.memoryMb()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + s.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "benchmark");
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_DEFAULT_REGION", "eu-west-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIDBENCHMARK");
        env.put("AWS_SECRET_ACCESS_KEY", "benchmark-secret");
        env.put("AWS_SESSION_TOKEN", "benchmark-token");
        env.putAll(aws.environment());
        env.put("_HANDLER", s.handler());
        env.putAll(s.env());
        if (s.kind() == Subject.Kind.PYTHON) {
            cmd.add("/usr/bin/python3");
            cmd.add(s.packageDir().resolve("bootstrap.py").toString());
        } else {
            cmd.add((m.java() == null ? java : m.java()).toString());
            if (share != null) {
                cmd.addAll(share.javaFlags());
            }
            if (!m.javaToolOptions().isBlank()) {
                cmd.addAll(List.of(m.javaToolOptions().split(" ")));
            }
            if (m.aotCache() && (extraFlag == null || !extraFlag.startsWith("-XX:AOTCacheOutput"))) {
                cmd.add("-XX:AOTCache=" + aotCache(s, m));
            }
            if (extraFlag != null) {
                cmd.add(extraFlag);
            }
            cmd.addAll(aws.javaFlags());
            cmd.add("-cp");
            cmd.add(classpath(s));
            cmd.add(m.primedAtInit() ? "dev.cachekeeper.core.lambda.PrimedRuntime"
                    : "com.amazonaws.services.lambda.runtime.api.client.AWSLambda");
            cmd.add(s.handler());
        }
        ProcessBuilder pb = new ProcessBuilder(share == null ? cmd : share.wrap(cmd)).redirectErrorStream(true)
                .redirectOutput(output(s).toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Each JVM the run used, as {@code java -version} names its build, for the report. */
    private String describeJvms() throws IOException, InterruptedException {
        Map<String, Path> used = new LinkedHashMap<>();
        used.put("java", java);
        for (Mode m : modes) {
            if (m.java() != null) {
                used.put(m.name().substring(m.name().indexOf('@') + 1), m.java());
            }
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Path> e : used.entrySet()) {
            Process p = new ProcessBuilder(e.getValue().toString(), "-version").redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes()).lines()
                    .filter(l -> !l.isBlank()).toList();
            p.waitFor();
            parts.add(e.getKey() + ": " + e.getValue() + " (" + (lines.isEmpty() ? "?" : lines.getLast()) + ")");
        }
        return String.join("; ", parts);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
