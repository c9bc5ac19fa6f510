package dev.cachekeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Bad arguments and unreadable files: one line on stderr that names the problem, and a non-zero exit. */
class MainArgumentsTest {
    static final String SAMPLE = Samples.CHECKOUT.events().resolve("cachekeeper-failover-completed.json").toString();

    static void fails(int code, String expected, String... args) {
        InvokeEverySampleTest.Run run = InvokeEverySampleTest.main(args);
        assertEquals(code, run.code(), run.err());
        assertEquals("", run.out());
        assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
        assertTrue(run.err().contains(expected), run.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "bogus                                   | unknown command 'bogus'",
            "demo extra                              | demo takes no arguments",
            "invoke                                  | invoke needs a function's logical id",
            "invoke IngestFunction                   | invoke needs --event FILE",
            "invoke IngestFunction --event           | --event needs a file name",
            "invoke IngestFunction --frobnicate      | unknown option --frobnicate",
            "invoke A B --event x.json               | invoke takes one logical id",
            "invoke IngestFunction --event x --apply | --apply only goes with --aws"})
    void badArgumentsExitWithTwo(String args, String expected) {
        fails(2, expected, args.trim().split("\\s+"));
    }

    @Test
    void noArgumentsPrintUsageAndExitWithTwo() {
        InvokeEverySampleTest.Run run = InvokeEverySampleTest.main();
        assertEquals(2, run.code());
        assertTrue(run.err().contains("usage:"));
    }

    @Test
    void anUnknownFunctionIsNamed() {
        fails(2, "no function or state machine NoSuchFunction in template.yaml", "invoke", "NoSuchFunction", "--event",
                SAMPLE);
    }

    @Test
    void aMissingEventFileIsNamed() {
        fails(2, "event file does-not-exist.json does not exist", "invoke", "IngestFunction", "--event",
                "does-not-exist.json");
    }

    @Test
    void anEventFileThatIsNotJsonIsNamed(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{ not json");
        fails(2, "event file " + bad + " is not valid JSON", "invoke", "IngestFunction", "--event", bad.toString());
    }

    @Test
    void aWorldFileThatBreaksTheRulesIsNamed(@TempDir Path dir) throws Exception {
        Path world = Files.writeString(dir.resolve("world.json"),
                "{\"replicationGroups\": [{\"id\": \"x\", \"engine\": \"memcached\"}]}");
        fails(2, "field 'engine' must be one of", "invoke", "FailoverObserverFunction", "--event", SAMPLE,
                "--world", world.toString());
    }

    @Test
    void aWorldFileGivesTheAccountItsCaches(@TempDir Path dir) throws Exception {
        Path world = Files.writeString(dir.resolve("world.json"),
                "{\"replicationGroups\": [{\"id\": \"orders-cache\", \"automaticFailover\": true, \"multiAz\": true,"
                        + " \"replicasPerShard\": 1}]}");
        InvokeEverySampleTest.Run run = InvokeEverySampleTest.main("invoke", "FailoverObserverFunction", "--event",
                SAMPLE, "--world", world.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("\"orders-cache\""), run.out());
        assertTrue(!run.out().contains("\"sessions\""), "the bundled world was used instead of the file");
    }
}
