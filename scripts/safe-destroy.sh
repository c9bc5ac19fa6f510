#!/usr/bin/env bash
# Sends a "Cache Destroy Requested" event to cachekeeper and blocks until the safe-destroy execution it starts has
# ended. Exit 0: the pre-destroy snapshot is available (and the cache deleted, if --delete was given). Anything
# else: nothing was deleted by the flow, and the reason is printed. Made for Terraform's destroy-time
# provisioners (see README, "Safe destroy"), usable by hand.
#
# Needs: bash, the AWS CLI v2 with events:PutEvents on the bus and states:ListExecutions/DescribeExecution on the
# state machine. No jq.
set -euo pipefail

usage() {
  cat >&2 <<'USAGE'
usage: safe-destroy.sh --bus NAME --state-machine-arn ARN --kind KIND --id CACHE_ID --requester WHO --reason WHY
                       [--delete [--final-snapshot]] [--timeout SECONDS] [--poll SECONDS]
  --bus                the cachekeeper bus (stack output EventBusName), or $CACHEKEEPER_BUS_NAME
  --state-machine-arn  the safe-destroy state machine (stack output SafeDestroyStateMachineArn),
                       or $CACHEKEEPER_SAFE_DESTROY_ARN
  --kind               replication-group | cache-cluster | serverless-cache
  --delete             delete the cache once the snapshot is available (default: snapshot only)
  --final-snapshot     with --delete: also ask the delete call for a final snapshot
  --timeout            give up waiting after this many seconds (default 10800); the flow itself keeps running
  --poll               seconds between status checks (default 15)
exit codes: 0 succeeded, 1 the flow failed, 2 bad usage, 3 could not send or find the request, 4 timed out waiting
USAGE
  exit 2
}

bus="${CACHEKEEPER_BUS_NAME:-}"
machine="${CACHEKEEPER_SAFE_DESTROY_ARN:-}"
kind="" id="" requester="" reason="" delete=false final=false timeout=10800 poll=15
while [ $# -gt 0 ]; do
  case "$1" in
    --bus) bus="${2:-}"; shift 2 ;;
    --state-machine-arn) machine="${2:-}"; shift 2 ;;
    --kind) kind="${2:-}"; shift 2 ;;
    --id) id="${2:-}"; shift 2 ;;
    --requester) requester="${2:-}"; shift 2 ;;
    --reason) reason="${2:-}"; shift 2 ;;
    --delete) delete=true; shift ;;
    --final-snapshot) final=true; shift ;;
    --timeout) timeout="${2:-}"; shift 2 ;;
    --poll) poll="${2:-}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "safe-destroy: unknown argument '$1'" >&2; usage ;;
  esac
done
for v in bus machine kind id requester reason; do
  if [ -z "${!v}" ]; then echo "safe-destroy: --${v//_/-} is required" >&2; usage; fi
done
case "$kind" in replication-group|cache-cluster|serverless-cache) ;; *)
  echo "safe-destroy: --kind must be replication-group, cache-cluster or serverless-cache" >&2; exit 2 ;; esac
if [ "$final" = true ] && [ "$delete" != true ]; then echo "safe-destroy: --final-snapshot needs --delete" >&2; exit 2; fi
case "$timeout$poll" in *[!0-9]*) echo "safe-destroy: --timeout and --poll are whole seconds" >&2; exit 2 ;; esac

# JSON string escaping for the few characters that need it (the request is validated again by cachekeeper).
json_string() {
  local s="$1"
  s="${s//\\/\\\\}"; s="${s//\"/\\\"}"; s="${s//$'\t'/ }"; s="${s//$'\n'/ }"; s="${s//$'\r'/ }"
  printf '"%s"' "$s"
}

detail="{\"cacheKind\":$(json_string "$kind"),\"cacheId\":$(json_string "$id"),\"requester\":$(json_string "$requester"),\"reason\":$(json_string "$reason"),\"deleteAfterSnapshot\":$delete,\"finalSnapshot\":$final}"
entry="[{\"EventBusName\":$(json_string "$bus"),\"Source\":\"cachekeeper.request\",\"DetailType\":\"Cache Destroy Requested\",\"Detail\":$(json_string "$detail")}]"

started=$(date +%s)
read -r event_id error_code error_message < <(aws events put-events --entries "$entry" \
  --query 'Entries[0].[EventId,ErrorCode,ErrorMessage]' --output text) || { echo "safe-destroy: put-events failed" >&2; exit 3; }
if [ -z "$event_id" ] || [ "$event_id" = None ]; then
  echo "safe-destroy: EventBridge refused the request: $error_code $error_message" >&2
  exit 3
fi
echo "safe-destroy: request $event_id sent for $kind $id; waiting for its execution" >&2

# EventBridge names executions itself: find ours by the event id in its input.
execution="" checked=" "
while [ -z "$execution" ]; do
  for arn in $(aws stepfunctions list-executions --state-machine-arn "$machine" --max-results 50 \
                 --query 'executions[].executionArn' --output text); do
    case "$checked" in *" $arn "*) continue ;; esac
    checked="$checked$arn "
    if aws stepfunctions describe-execution --execution-arn "$arn" --query input --output text \
        | grep -q "\"id\": *\"$event_id\""; then
      execution="$arn"
      break
    fi
  done
  if [ -z "$execution" ]; then
    if [ $(( $(date +%s) - started )) -ge 120 ]; then
      echo "safe-destroy: no execution of $machine started for request $event_id within 2 minutes" \
           "(is the stack's rule enabled, and the bus right?)" >&2
      exit 3
    fi
    sleep "$poll"
  fi
done
echo "safe-destroy: execution $execution" >&2

while :; do
  status=$(aws stepfunctions describe-execution --execution-arn "$execution" --query status --output text)
  case "$status" in
    SUCCEEDED)
      aws stepfunctions describe-execution --execution-arn "$execution" --query output --output text
      echo "safe-destroy: succeeded" >&2
      exit 0 ;;
    RUNNING|PENDING_REDRIVE) ;;
    *)
      error=$(aws stepfunctions describe-execution --execution-arn "$execution" --query error --output text)
      cause=$(aws stepfunctions describe-execution --execution-arn "$execution" --query cause --output text)
      echo "safe-destroy: $status: $error: $cause" >&2
      exit 1 ;;
  esac
  if [ $(( $(date +%s) - started )) -ge "$timeout" ]; then
    echo "safe-destroy: still $status after ${timeout}s; stopped waiting (the flow goes on: $execution)" >&2
    exit 4
  fi
  sleep "$poll"
done
