package dev.cachekeeper.simulation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/**
 * Step Functions, only as far as starting executions goes (restore drills, the local runner): StartExecution records
 * the execution, DescribeExecution reports it. Nothing runs the state machine here; a test finishes an execution
 * with {@link #finish} (the ASL itself is exercised by the state-machine tier).
 */
public final class SimulatedSfn implements SfnClient {
    static final ServiceErrors ERRORS = new ServiceErrors("Sfn", SfnException::builder, Map.of(
            "ExecutionAlreadyExists", new ServiceErrors.Modelled(400, ExecutionAlreadyExistsException::builder),
            "ExecutionDoesNotExist", new ServiceErrors.Modelled(400, ExecutionDoesNotExistException::builder),
            "InvalidArn", new ServiceErrors.Modelled(400, InvalidArnException::builder)),
            "ThrottlingException", 400);

    /** A recorded execution; {@code status} is RUNNING until {@link #finish}. */
    public record Execution(String executionArn, String stateMachineArn, String name, String input, Instant startDate,
                            ExecutionStatus status, String output, Instant stopDate) {
    }

    private final SimulatedAws aws;
    private final Gate gate;
    private final Map<String, Execution> executions = new LinkedHashMap<>();

    SimulatedSfn(SimulatedAws aws) {
        this.aws = aws;
        this.gate = new Gate(aws, "states", ERRORS);
    }

    public List<Execution> executions() {
        return aws.locked(() -> List.copyOf(executions.values()));
    }

    /** Ends an execution with SUCCEEDED, FAILED, TIMED_OUT or ABORTED and an output (or error) JSON. */
    public void finish(String executionArn, ExecutionStatus status, String output) {
        aws.locked(() -> executions.computeIfPresent(executionArn, (k, e) -> new Execution(e.executionArn(),
                e.stateMachineArn(), e.name(), e.input(), e.startDate(), status, output, aws.clock().now())));
    }

    @Override
    public StartExecutionResponse startExecution(StartExecutionRequest r) {
        return gate.call("StartExecution", true, Gate.params("StateMachineArn", r.stateMachineArn(), "Name", r.name()),
                () -> {
                    String sm = r.stateMachineArn();
                    if (sm == null || !sm.matches("arn:[\\w-]+:states:[\\w-]+:\\d{12}:stateMachine:[\\w-]+(:[\\w-]+)?")) {
                        throw ERRORS.error("InvalidArn", "Invalid Arn: '" + sm + "'");
                    }
                    String name = r.name() != null ? r.name() : UUID.randomUUID().toString();
                    String smName = sm.split(":")[6];
                    String arn = sm.substring(0, sm.indexOf(":stateMachine:")) + ":execution:" + smName + ":" + name;
                    if (executions.containsKey(arn)) {
                        throw ERRORS.error("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
                    }
                    Instant now = aws.clock().now();
                    executions.put(arn, new Execution(arn, sm, name, r.input() == null ? "{}" : r.input(), now,
                            ExecutionStatus.RUNNING, null, null));
                    return StartExecutionResponse.builder().executionArn(arn).startDate(now).build();
                });
    }

    @Override
    public DescribeExecutionResponse describeExecution(DescribeExecutionRequest r) {
        return gate.call("DescribeExecution", false, Gate.params("ExecutionArn", r.executionArn()), () -> {
            Execution e = executions.get(r.executionArn());
            if (e == null) {
                throw ERRORS.error("ExecutionDoesNotExist", "Execution Does Not Exist: '" + r.executionArn() + "'");
            }
            return DescribeExecutionResponse.builder().executionArn(e.executionArn())
                    .stateMachineArn(e.stateMachineArn()).name(e.name()).input(e.input()).status(e.status())
                    .startDate(e.startDate()).stopDate(e.stopDate()).output(e.output()).build();
        });
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
