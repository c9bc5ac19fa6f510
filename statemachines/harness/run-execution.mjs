// Validates one ASL definition with asl-validator and executes it with aws-local-stepfunctions.
// Every Task state is sent to a Java bridge over loopback HTTP; Wait states and retry back-offs do not sleep,
// they tell the bridge how long they would have waited so the Java side can advance a simulated clock.
//
// Request (JSON on stdin, or in the file named by the first argument):
//   { "definitionPath": "...", "substitutions": { "Name": "value" }, "input": {...},
//     "bridgeUrl": "http://127.0.0.1:PORT", "context": {...}?, "timeoutSeconds": 60?, "validateOnly": false? }
// Bridge calls (POST, JSON, answered in order: one call at a time):
//   /task  {state, resource, input}                 -> {output} | {error, cause} | {fatal}
//   /wait  {state, seconds} | {state, timestamp}     -> {seconds}   (seconds actually waited on the simulated clock)
//   /retry {state, error, attempt, seconds}          -> {}
// Result (one JSON document on stdout):
//   exit 0: {status: SUCCEEDED|FAILED|TIMED_OUT, output?, error?, cause?, transitions, statesEntered, retries,
//            waitedSeconds, retryDelaySeconds, history}
//   exit 0: {status: VALID}                   (validateOnly)
//   exit 2: {status: INVALID, errors: [...]}   (the definition was rejected; messages also on stderr)
//   exit 1: {status: HARNESS_ERROR, message}   (the harness itself could not run)

import { readFileSync } from 'node:fs';
import { setImmediate as nextMacrotask } from 'node:timers/promises';

// aws-local-stepfunctions 3 calls Promise.withResolvers (Node 22+). Defined before the dynamic import below,
// because static imports would run the library's module code first.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

const { StateMachine, ExecutionError } = await import('aws-local-stepfunctions');
const { JSONPath } = await import('jsonpath-plus');
const aslValidator = (await import('asl-validator')).default;

function emit(result, exitCode) {
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(exitCode));
}

function readRequest() {
  const source = process.argv[2] && process.argv[2] !== '-' ? process.argv[2] : 0; // 0 = stdin
  return JSON.parse(readFileSync(source, 'utf8'));
}

// SAM DefinitionSubstitutions are textual: ${Name} anywhere in the file. Values land inside JSON strings.
function substitute(text, substitutions) {
  const replaced = text.replace(/\$\{([^}\s]+)\}/g, (whole, name) =>
    Object.hasOwn(substitutions, name) ? JSON.stringify(String(substitutions[name])).slice(1, -1) : whole,
  );
  const left = [...new Set([...replaced.matchAll(/\$\{([^}\s]+)\}/g)].map((m) => m[0]))];
  return { text: replaced, unresolved: left };
}

// Every state by name, including those inside Parallel branches and Map processors (names are unique
// across a whole state machine; asl-validator checks that).
function collectStates(machine, into = new Map()) {
  for (const [name, state] of Object.entries(machine.States ?? {})) {
    into.set(name, state);
    for (const branch of state.Branches ?? []) collectStates(branch, into);
    if (state.Iterator) collectStates(state.Iterator, into);
    if (state.ItemProcessor) collectStates(state.ItemProcessor, into);
  }
  return into;
}

function query(path, json, context) {
  const fromContext = path.startsWith('$$');
  const found = JSONPath({ path: fromContext ? path.slice(1) : path, json: fromContext ? context : json, wrap: false });
  if (found === undefined) throw new Error(`Path expression '${path}' does not point to a value`);
  return found;
}

// What a Wait state asks for, evaluated the way the interpreter would (InputPath first, then the *Path field).
function waitRequest(name, state, rawInput, context) {
  let input = rawInput;
  if ('InputPath' in state) input = state.InputPath === null ? {} : query(state.InputPath, rawInput, context);
  if (state.Seconds !== undefined) return { state: name, seconds: state.Seconds };
  if (state.Timestamp !== undefined) return { state: name, timestamp: state.Timestamp };
  if (state.SecondsPath !== undefined) {
    const seconds = query(state.SecondsPath, input, context);
    if (!Number.isInteger(seconds) || seconds < 0) {
      throw new Error(`SecondsPath '${state.SecondsPath}' of Wait state '${name}' is not a non-negative integer: ${JSON.stringify(seconds)}`);
    }
    return { state: name, seconds };
  }
  const timestamp = query(state.TimestampPath, input, context);
  if (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp))) {
    throw new Error(`TimestampPath '${state.TimestampPath}' of Wait state '${name}' is not a timestamp: ${JSON.stringify(timestamp)}`);
  }
  return { state: name, timestamp };
}

// The delay AWS would apply before retry number `attempt` (1-based). FULL jitter is random in AWS; the
// un-jittered upper bound is reported so runs are reproducible.
function retryDelaySeconds(retrier, attempt) {
  const interval = (retrier.IntervalSeconds ?? 1) * Math.pow(retrier.BackoffRate ?? 2, attempt - 1);
  return retrier.MaxDelaySeconds !== undefined ? Math.min(interval, retrier.MaxDelaySeconds) : interval;
}

function runtimeError(message) {
  // Not retryable, not catchable: like States.Runtime in AWS (and like a bad definition, which AWS would reject).
  const error = new Error(message);
  error.name = 'States.Runtime';
  error.isRetryable = false;
  error.isCatchable = false;
  return error;
}

async function main() {
  let request;
  try {
    request = readRequest();
  } catch (e) {
    return emit({ status: 'HARNESS_ERROR', message: `cannot read the request: ${e.message}` }, 1);
  }
  const watchdog = setTimeout(() => {
    process.stderr.write(`run-execution: no result after ${request.timeoutSeconds ?? 60} s, giving up\n`);
    emit({ status: 'HARNESS_ERROR', message: `execution did not finish within ${request.timeoutSeconds ?? 60} s` }, 1);
  }, (request.timeoutSeconds ?? 60) * 1000);
  watchdog.unref();

  let definition;
  try {
    const { text, unresolved } = substitute(readFileSync(request.definitionPath, 'utf8'), request.substitutions ?? {});
    if (unresolved.length > 0) {
      const errors = unresolved.map((p) => `unresolved placeholder ${p}: pass it as a definition substitution`);
      process.stderr.write(errors.join('\n') + '\n');
      return emit({ status: 'INVALID', errors }, 2);
    }
    definition = JSON.parse(text);
  } catch (e) {
    const errors = [`${request.definitionPath}: ${e.message}`];
    process.stderr.write(errors[0] + '\n');
    return emit({ status: 'INVALID', errors }, 2);
  }

  // asl-validator adds QueryLanguage to every state it sees: give it a copy.
  const validation = aslValidator(structuredClone(definition), { checkArn: true, checkPaths: true });
  if (!validation.isValid) {
    const errors = validation.errors.map((e) => `${e['Error code'] ?? ''} ${e.Message ?? JSON.stringify(e)}`.trim());
    process.stderr.write(`asl-validator rejected ${request.definitionPath}:\n${errors.join('\n')}\n`);
    return emit({ status: 'INVALID', errors }, 2);
  }

  let machine;
  try {
    machine = new StateMachine(definition, { validationOptions: { checkArn: true, checkPaths: true } });
  } catch (e) {
    const errors = [`aws-local-stepfunctions rejected the definition: ${e.message}`];
    process.stderr.write(errors[0] + '\n');
    return emit({ status: 'INVALID', errors }, 2);
  }
  if (request.validateOnly) return emit({ status: 'VALID' }, 0);

  const states = collectStates(definition);
  const bridge = request.bridgeUrl.replace(/\/$/, '');
  let chain = Promise.resolve();
  // One bridge call at a time, in the order the interpreter produced them.
  let fatal = null; // set when the harness must stop the execution (the Java side gets told via the result)
  const call = (path, body, onAnswer = (answer) => answer) => {
    const next = chain.then(async () => {
      // Nothing reaches Java after the execution was stopped (e.g. simulated TimeoutSeconds exceeded).
      if (fatal) throw new Error(`execution stopped: ${fatal}`);
      const response = await fetch(bridge + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`bridge ${path} answered HTTP ${response.status}: ${text}`);
      return onAnswer(JSON.parse(text));
    });
    chain = next.catch(() => {});
    return next;
  };

  let timedOut = false;
  let execution;
  const stop = (why) => {
    fatal ??= why;
    execution?.abort();
  };

  const taskResourceLocalHandlers = {};
  const waitTimeOverrides = {};
  const retryIntervalOverrides = {};
  for (const [name, state] of states) {
    if (state.Type === 'Task') {
      taskResourceLocalHandlers[name] = async (input) => {
        // Let the event-log reader catch up first, so a preceding Wait or retry reaches the bridge (and the
        // simulated clock) before this task does. The reader runs on microtasks only; one macrotask suffices.
        await nextMacrotask();
        let answer;
        try {
          answer = await call('/task', { state: name, resource: state.Resource, input });
        } catch (e) {
          stop(`bridge call for Task '${name}' failed: ${e.message}`);
          throw runtimeError(fatal);
        }
        if (answer.fatal) {
          stop(answer.fatal);
          throw runtimeError(answer.fatal);
        }
        if (answer.error !== undefined) {
          const error = new Error(answer.cause ?? '');
          error.name = answer.error; // Retry/Catch match on the name, Cause is the message
          throw error;
        }
        return answer.output ?? null;
      };
    }
    if (state.Type === 'Wait') waitTimeOverrides[name] = 0;
    if (state.Retry) retryIntervalOverrides[name] = 0;
  }


  const context = request.context ?? {};
  execution = machine.run(request.input ?? {}, {
    overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides },
    context,
  });

  const statesEntered = [];
  const retries = [];
  const history = [];
  let transitions = 0;
  let waitedSeconds = 0;
  let retrySeconds = 0;
  let failure = null;
  const budget = definition.TimeoutSeconds; // compared with simulated, not real, time
  const spend = (seconds) => {
    if (budget !== undefined && waitedSeconds + retrySeconds > budget && !timedOut) {
      timedOut = true;
      stop(`simulated time ${waitedSeconds + retrySeconds} s exceeded TimeoutSeconds ${budget}`);
    }
    return seconds;
  };

  const reader = (async () => {
    for await (const event of execution.eventLogs) {
      const name = event.state?.name;
      switch (event.type) {
        case 'StateEntered':
          transitions++;
          statesEntered.push(name);
          history.push({ type: event.type, state: name });
          if (event.state.type === 'Wait') {
            let wait;
            try {
              wait = waitRequest(name, states.get(name), event.state.input, { ...context, Execution: { ...context.Execution, Input: request.input } });
            } catch (e) {
              stop(e.message);
              break;
            }
            call('/wait', wait, (answer) => {
              waitedSeconds += answer.seconds;
              spend(answer.seconds);
            }).catch((e) => stop(`bridge call for Wait '${name}' failed: ${e.message}`));
          }
          break;
        case 'StateRetried': {
          // A retry re-enters the state without a new StateEntered event, but AWS bills it as a transition.
          transitions++;
          const lastFailure = [...history].reverse().find((h) => h.type === 'StateFailed' && h.state === name);
          const seconds = retryDelaySeconds(event.retry.retrier, event.retry.attempt);
          const retry = { state: name, attempt: event.retry.attempt, error: lastFailure?.error, seconds };
          retries.push(retry);
          history.push({ type: event.type, state: name, attempt: retry.attempt });
          retrySeconds += seconds;
          spend(seconds);
          call('/retry', retry).catch((e) => stop(`bridge call for a retry of '${name}' failed: ${e.message}`));
          break;
        }
        case 'StateFailed':
          history.push({ type: event.type, state: name, error: event.Error });
          break;
        case 'StateCaught':
        case 'StateExited':
          history.push({ type: event.type, state: name });
          break;
        case 'ExecutionFailed':
          failure = { error: event.Error, cause: typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause) };
          history.push({ type: event.type, error: event.Error });
          break;
        default:
          history.push({ type: event.type });
      }
    }
  })();

  let output;
  let status = 'SUCCEEDED';
  try {
    output = await execution.result;
  } catch (e) {
    status = 'FAILED';
    if (!(e instanceof ExecutionError) && !fatal) failure ??= { error: e.name, cause: e.message };
  }
  await reader;
  await chain;

  const result = { status, transitions, statesEntered, retries, waitedSeconds, retryDelaySeconds: retrySeconds, history };
  if (timedOut) {
    Object.assign(result, { status: 'TIMED_OUT', error: 'States.Timeout', cause: fatal });
  } else if (fatal) {
    Object.assign(result, { status: 'FAILED', error: 'States.Runtime', cause: fatal, harnessError: fatal });
  } else if (status === 'SUCCEEDED') {
    result.output = output ?? null;
  } else {
    Object.assign(result, failure ?? { error: 'States.Runtime', cause: 'execution failed without an error event' });
  }
  emit(result, 0);
}

main().catch((e) => {
  process.stderr.write(`run-execution: ${e.stack ?? e}\n`);
  emit({ status: 'HARNESS_ERROR', message: String(e.message ?? e) }, 1);
});
