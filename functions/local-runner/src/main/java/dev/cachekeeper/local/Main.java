package dev.cachekeeper.local;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cachekeeper.core.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar cachekeeper-local.jar demo | invoke ...}: cachekeeper on a machine with no AWS account.
 * Reports and the timeline go to stdout, logs (JSON) to stderr, the demo's to a file ({@link DemoLogs}). Exit 0 on
 * success, 2 for bad arguments or unreadable input files, 1 when the run itself fails.
 */
public final class Main {
    static final String USAGE = """
            usage: java -jar cachekeeper-local.jar demo
                   java -jar cachekeeper-local.jar invoke <LogicalId> --event FILE [--world FILE] [--dry-run]
                   java -jar cachekeeper-local.jar invoke <LogicalId> --event FILE --aws [--apply]
              demo     a scripted story on the simulated account, printed as a timeline
              invoke   runs one function (or state machine) of template.yaml on an event; prints a JSON report
              --world  seeds the simulated account from a world file (docs/world-file.md); default: the bundled one
              --dry-run  the stack's DryRun parameter set to true
              --aws    the real account of the default credentials chain and region; dry run unless --apply
            Run from the cachekeeper checkout (template.yaml, statemachines/ and events/ are read from there).""";

    private Main() {
    }

    public static void main(String[] args) {
        // Before any logger exists: core's log4j2.json sends the JSON logs here, keeping stdout for the report.
        System.setProperty("cachekeeper.log.target", "SYSTEM_ERR");
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        PrintStream err = System.err;
        DemoLogs demoLogs = args.length == 1 && args[0].equals("demo") ? demoLogs(err) : null;
        int code = run(args, out, err);
        if (demoLogs != null) {
            demoLogs.report(code == 0 ? out : err);
        }
        out.flush();
        System.exit(code);
    }

    private static DemoLogs demoLogs(PrintStream err) {
        try {
            return DemoLogs.redirectStderr(DemoLogs.DEFAULT_FILE);
        } catch (java.io.IOException e) {
            err.println("cachekeeper-local: cannot write the demo's logs to " + DemoLogs.DEFAULT_FILE + " ("
                    + e.getMessage() + "); the function logs stay on stderr");
            return null;
        }
    }

    /** Runs one command; returns the exit code. Errors are one line on {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
                (args.length == 0 ? err : out).println(USAGE);
                return args.length == 0 ? 2 : 0;
            }
            switch (args[0]) {
                case "demo" -> {
                    if (args.length > 1) {
                        throw new UsageException("demo takes no arguments, got: " + String.join(" ",
                                Arrays.copyOfRange(args, 1, args.length)));
                    }
                    Demo.run(Checkout.current(), out);
                }
                case "invoke" -> {
                    InvokeCommand.Options options = parseInvoke(Arrays.copyOfRange(args, 1, args.length));
                    var report = InvokeCommand.run(Checkout.current(), options);
                    out.println(Json.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
                }
                default -> throw new UsageException("unknown command '" + args[0] + "': use demo or invoke (--help)");
            }
            return 0;
        } catch (UsageException e) {
            err.println("cachekeeper-local: " + e.getMessage());
            return e.exitCode();
        } catch (Exception | LinkageError e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString());
            err.println("cachekeeper-local: " + e.getClass().getSimpleName() + ": " + message);
            return 1;
        }
    }

    static InvokeCommand.Options parseInvoke(String[] args) {
        String id = null;
        Path event = null;
        Path world = null;
        boolean dryRun = false;
        boolean aws = false;
        boolean apply = false;
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String a = rest.remove(0);
            switch (a) {
                case "--event" -> event = Path.of(value(a, rest));
                case "--world" -> world = Path.of(value(a, rest));
                case "--dry-run" -> dryRun = true;
                case "--aws" -> aws = true;
                case "--apply" -> apply = true;
                default -> {
                    if (a.startsWith("-")) {
                        throw new UsageException("unknown option " + a + " (--help)");
                    }
                    if (id != null) {
                        throw new UsageException("invoke takes one logical id, got " + id + " and " + a);
                    }
                    id = a;
                }
            }
        }
        if (id == null) {
            throw new UsageException("invoke needs a function's logical id from template.yaml, e.g. invoke IngestFunction"
                    + " --event events/sns-failover-complete-keyed.json");
        }
        if (event == null) {
            throw new UsageException("invoke needs --event FILE");
        }
        if (apply && !aws) {
            throw new UsageException("--apply only goes with --aws");
        }
        if (aws && (world != null || dryRun)) {
            throw new UsageException(world != null ? "--world is for the simulated account, not with --aws"
                    : "--dry-run is the default with --aws (use --apply to change the account)");
        }
        return new InvokeCommand.Options(id, event, world, dryRun, aws, apply);
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new UsageException(option + " needs a file name");
        }
        return rest.remove(0);
    }
}
