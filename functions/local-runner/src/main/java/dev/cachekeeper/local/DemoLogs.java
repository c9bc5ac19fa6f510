package dev.cachekeeper.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Where the demo's function logs go: a file, because on a terminal a few dozen JSON records of 400 characters each
 * would bury the timeline they repeat. The functions log to the process's stderr (core's log4j2.json, target
 * {@code SYSTEM_ERR}), so this points stderr at the file before the first logger exists; the command's own errors
 * keep the real stderr, which {@link Main} holds.
 */
final class DemoLogs {
    /** Overwritten by each demo run, so runs do not pile up files. */
    static final Path DEFAULT_FILE = Path.of(System.getProperty("java.io.tmpdir"), "cachekeeper-demo-logs.jsonl");

    private final Path file;
    private final PrintStream stream;

    private DemoLogs(Path file, PrintStream stream) {
        this.file = file;
        this.stream = stream;
    }

    /**
     * Sends everything later written to {@code System.err} to {@code file}, emptied first. A symbolic link there is
     * refused rather than followed: the name is fixed and the temporary directory is shared.
     */
    static DemoLogs redirectStderr(Path file) throws IOException {
        PrintStream stream = new PrintStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), true,
                StandardCharsets.UTF_8);
        System.setErr(stream);
        return new DemoLogs(file, stream);
    }

    /**
     * Closes the file and says on {@code to} how many records it holds and how to read them; nothing when no function
     * ran (the demo stopped before its first invocation, and its one-line error says why).
     */
    void report(PrintStream to) {
        stream.close();
        long records;
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            records = lines.filter(l -> !l.isBlank()).count();
        } catch (IOException e) {
            to.println("cachekeeper-local: the demo's logs in " + file + " are unreadable: " + e.getMessage());
            return;
        }
        if (records > 0) {
            to.println("Function logs: " + records + " JSON records in " + file + " (what the functions' CloudWatch"
                    + " log groups would hold; e.g. jq -c 'select(.level != \"INFO\")' " + file + ")");
        }
    }
}
