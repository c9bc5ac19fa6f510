package dev.cachekeeper.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildCheckTest {
    @TempDir
    Path root;

    static final String FUNCTIONS = """
            Resources:
              IngestFunction:
                Type: AWS::Serverless::Function
                Metadata: {BuildMethod: makefile}
                Properties: {CodeUri: ., Handler: x.Y}
              RestoreFunction:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: functions/restore, Handler: x.Y}
            """;

    @Test
    void readsOneLinePerFunction() {
        assertEquals(Map.of("IngestFunction", "ingest", "FailoverObserverFunction", "failover-observer"),
                BuildCheck.makefileModules("""
                        # MODULE_Commented := no
                        MODULE_IngestFunction := ingest
                        MODULE_FailoverObserverFunction = failover-observer
                        """));
    }

    @Test
    void flagsFunctionsSamBuildCannotBuild() throws Exception {
        Files.writeString(root.resolve("Makefile"), "MODULE_IngestFunction := ingest\nMODULE_OldFunction := old\n");
        Files.createDirectories(root.resolve("functions/ingest"));
        Files.writeString(root.resolve("functions/ingest/pom.xml"), "<project/>");
        List<String> problems = BuildCheck.check(SamTemplate.parse(FUNCTIONS), root);
        String all = String.join("\n", problems);
        assertEquals(6, problems.size(), all);
        assertTrue(all.contains("IngestFunction: functions/ingest/pom.xml does not declare maven-dependency-plugin"), all);
        assertTrue(all.contains("IngestFunction: functions/ingest/pom.xml does not turn on the lambda-package"), all);
        assertTrue(all.contains("RestoreFunction: Metadata.BuildMethod must be makefile"), all);
        assertTrue(all.contains("RestoreFunction: CodeUri must be '.'"), all);
        assertTrue(all.contains("RestoreFunction: the Makefile has no line 'MODULE_RestoreFunction"), all);
        assertTrue(all.contains("the Makefile maps OldFunction"), all);
    }

    @Test
    void aWellFormedFunctionPasses() throws Exception {
        Files.writeString(root.resolve("Makefile"), "MODULE_IngestFunction := ingest\n");
        Files.createDirectories(root.resolve("functions/ingest"));
        Files.writeString(root.resolve("functions/ingest/pom.xml"),
                "<project><build><plugins><plugin><artifactId>maven-dependency-plugin</artifactId></plugin>"
                        + "<plugin><artifactId>exec-maven-plugin</artifactId><executions>"
                        + "<execution><id>lambda-package</id><phase>package</phase></execution>"
                        + "</executions></plugin></plugins></build></project>");
        SamTemplate one = SamTemplate.parse(FUNCTIONS.substring(0, FUNCTIONS.indexOf("  RestoreFunction")));
        assertEquals(List.of(), BuildCheck.check(one, root));
    }
}
