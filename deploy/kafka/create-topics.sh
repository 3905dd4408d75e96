#!/usr/bin/env bash
# Creates the event contract's topics and their .dlq topics (topics.txt beside this script) with their partition
# counts. Idempotent: existing topics are kept; one with fewer partitions than listed is grown (never shrunk: Kafka
# cannot, and a warning says so). Runs in the apache/kafka image (docker-compose.yml, service kafka-topics) or anywhere
# kafka-topics.sh is installed:
#   BOOTSTRAP_SERVERS=broker:9092 REPLICATION_FACTOR=3 deploy/kafka/create-topics.sh
# Settings (environment):
#   BOOTSTRAP_SERVERS      required, host:port[,host:port...]
#   REPLICATION_FACTOR     default 1 (one broker); use 3 on a real cluster
#   KAFKA_COMMAND_CONFIG   optional client properties file (SASL/TLS) passed as --command-config
#   KAFKA_TOPICS           path of kafka-topics.sh (default /opt/kafka/bin/kafka-topics.sh, the apache/kafka image's)
#   TOPICS_FILE            default: topics.txt beside this script
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
topics_file="${TOPICS_FILE:-$here/topics.txt}"
bootstrap="${BOOTSTRAP_SERVERS:?set BOOTSTRAP_SERVERS to the brokers, e.g. kafka:9092}"
replication="${REPLICATION_FACTOR:-1}"
kafka_topics="${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}"

topics() {
  if [ -n "${KAFKA_COMMAND_CONFIG:-}" ]; then
    "$kafka_topics" --bootstrap-server "$bootstrap" --command-config "$KAFKA_COMMAND_CONFIG" "$@"
  else
    "$kafka_topics" --bootstrap-server "$bootstrap" "$@"
  fi
}

# <name> <partitions> per line; '#' comments and blank lines are skipped.
wanted="$(grep -Ev '^[[:space:]]*(#|$)' "$topics_file")"

# One JVM start per call is the slow part: list once, create only what is missing, describe once.
existing="$(topics --list)"
created=0
while read -r name partitions; do
  if ! grep -qxF "$name" <<<"$existing"; then
    topics --create --if-not-exists --topic "$name" --partitions "$partitions" --replication-factor "$replication"
    created=$((created + 1))
  fi
done <<<"$wanted"

# Topic lines of --describe read "Topic: <name> TopicId: <id> PartitionCount: <n> ReplicationFactor: <r> Configs: ...".
current="$(topics --describe --exclude-internal | awk '/PartitionCount:/ {
  for (i = 1; i < NF; i++) { if ($i == "Topic:") t = $(i + 1); if ($i == "PartitionCount:") c = $(i + 1) }
  print t, c }')"
grown=0
status=0
while read -r name partitions; do
  have="$(awk -v t="$name" '$1 == t { print $2 }' <<<"$current")"
  if [ -z "$have" ]; then
    echo "error: $name is missing after creation" >&2
    status=1
  elif [ "$have" -lt "$partitions" ]; then
    echo "growing $name from $have to $partitions partitions (keys move to new partitions from now on)"
    topics --alter --topic "$name" --partitions "$partitions"
    grown=$((grown + 1))
  elif [ "$have" -gt "$partitions" ]; then
    echo "warning: $name has $have partitions, more than the $partitions listed; Kafka cannot shrink a topic" >&2
  fi
done <<<"$wanted"

echo "topics ready: $(wc -l <<<"$wanted") listed, $created created, $grown grown"
exit "$status"
