package dev.cachekeeper.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that {@code sam build} can build every function: it must use {@code BuildMethod: makefile} with
 * {@code CodeUri: .} (a module with parent {@code ../../pom.xml} cannot be built from its own folder, see
 * aws-notes.md), the root Makefile must map its logical id to a module ({@code MODULE_<LogicalId> := <module>}),
 * and that module must exist and build its Lambda jar (the {@code lambda-lib} and {@code lambda-package}
 * executions).
 */
public final class BuildCheck {
    /** {@code MODULE_IngestFunction := ingest} (also {@code =}, {@code ?=}). */
    static final Pattern MODULE_LINE = Pattern.compile("^MODULE_([A-Za-z0-9]+)\\s*[:?]?=\\s*(\\S+)\\s*$",
            Pattern.MULTILINE);

    static final Pattern LAMBDA_PACKAGE = Pattern.compile(
            "<id>\\s*lambda-package\\s*</id>\\s*<phase>\\s*package\\s*</phase>");

    private BuildCheck() {
    }

    /** LogicalId to module folder name, as the Makefile maps them. */
    public static Map<String, String> makefileModules(String makefile) {
        Map<String, String> modules = new LinkedHashMap<>();
        Matcher m = MODULE_LINE.matcher(makefile);
        while (m.find()) {
            modules.put(m.group(1), m.group(2));
        }
        return modules;
    }

    public static List<String> check(SamTemplate template, Path root) throws IOException {
        Path makefilePath = root.resolve("Makefile");
        if (!Files.isRegularFile(makefilePath)) {
            return List.of("no Makefile at the repository root");
        }
        String makefile = Files.readString(makefilePath);
        Map<String, String> modules = makefileModules(makefile);
        List<String> problems = new ArrayList<>();
        List<String> functions = template.idsOfType(SamTemplate.FUNCTION);
        for (String id : functions) {
            Map<String, Object> props = template.effectiveProperties(id);
            Object buildMethod = template.metadata(id).get("BuildMethod");
            if (!"makefile".equals(buildMethod)) {
                problems.add(id + ": Metadata.BuildMethod must be makefile (sam build cannot build a module whose"
                        + " parent pom is ../../pom.xml from its own folder), found " + buildMethod);
            }
            if (!".".equals(props.get("CodeUri"))) {
                problems.add(id + ": CodeUri must be '.', so that make runs at the repository root; found "
                        + props.get("CodeUri"));
            }
            String module = modules.get(id);
            if (module == null) {
                problems.add(id + ": the Makefile has no line 'MODULE_" + id + " := <module under functions/>'");
                continue;
            }
            Path pom = root.resolve("functions").resolve(module).resolve("pom.xml");
            if (!Files.isRegularFile(pom)) {
                problems.add(id + ": the Makefile maps it to functions/" + module + ", which has no pom.xml");
            } else {
                String text = Files.readString(pom);
                if (!text.contains("maven-dependency-plugin")) {
                    problems.add(id + ": functions/" + module + "/pom.xml does not declare maven-dependency-plugin"
                            + " (the lambda-lib execution that copies its dependencies to target/lambda/deps)");
                }
                if (!LAMBDA_PACKAGE.matcher(text).find()) {
                    problems.add(id + ": functions/" + module + "/pom.xml does not turn on the lambda-package"
                            + " execution (exec-maven-plugin, <id>lambda-package</id><phase>package</phase>), which"
                            + " writes the jar in target/lambda/lib that the Makefile ships");
                }
            }
        }
        for (String id : modules.keySet()) {
            if (!functions.contains(id)) {
                problems.add("the Makefile maps " + id + " (MODULE_" + id + "), but template.yaml has no"
                        + " AWS::Serverless::Function with that logical id");
            }
        }
        return problems;
    }
}
