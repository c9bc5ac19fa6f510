# Build targets for `sam build` (Metadata: BuildMethod: makefile, CodeUri: .).
#
# sam build runs `make build-<LogicalId>` at the repository root with ARTIFACTS_DIR set to the folder it zips for
# that function. A function module leaves one jar in functions/<module>/target/lambda/lib/ (its code and its
# runtime dependencies, packed by the lambda-packager: the lambda-lib and lambda-package executions in the root
# pom); Lambda's Java runtime puts lib/*.jar of the zip on the class path.
#
# Adding a function is one line: MODULE_<LogicalId> := <folder under functions/>
# (the template contract test fails if a function in template.yaml has no line here, or a line has no function).

MODULE_IngestFunction := ingest
MODULE_FailoverObserverFunction := failover-observer
MODULE_SnapshotArchiverFunction := snapshot-archiver

MODULE_RestorePlannerFunction := restore-planner
MODULE_RestoreCleanupFunction := restore-planner
MODULE_RestoreNotifierFunction := restore-planner
MODULE_RestoreVerifierFunction := restore-verifier
MODULE_SafeDestroyFunction := safe-destroy
MODULE_DestroyAuditFunction := destroy-audit

MVNW ?= ./mvnw
MVN_FLAGS ?= -B -q

.PHONY: list-functions
# One "LogicalId module" pair per line, for scripts (e.g. .ci/sam-build-check).
list-functions:
	@$(foreach v,$(filter MODULE_%,$(.VARIABLES)),$(if $($(v)),echo "$(patsubst MODULE_%,%,$(v)) $($(v))";))true

build-%:
	@test -n "$(MODULE_$*)" || { echo "Makefile: no module mapped for $*: add 'MODULE_$* := <module>'" >&2; exit 2; }
	@test -n "$(ARTIFACTS_DIR)" || { echo "Makefile: ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 2; }
	$(MVNW) $(MVN_FLAGS) -pl functions/$(MODULE_$*) -am package -DskipTests
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp functions/$(MODULE_$*)/target/lambda/lib/*.jar "$(ARTIFACTS_DIR)/lib/"
