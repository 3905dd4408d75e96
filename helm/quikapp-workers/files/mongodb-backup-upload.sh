#!/bin/sh
# Step 2 of the MongoDB backup: upload the archives mongodb-backup-dump.sh wrote to S3 (any S3-compatible store), then
# delete backups older than RETENTION_DAYS there. Runs in the minio/mc image: the chart's backup CronJob and the
# compose service mongodb-backup-upload.
#
# Environment:
#   S3_ENDPOINT        required, e.g. https://s3.eu-west-1.amazonaws.com or http://minio:9000
#   S3_ACCESS_KEY, S3_SECRET_KEY   required; allowed to list, put and delete under the prefix
#   S3_BUCKET          required, e.g. quikapp-backups
#   S3_PREFIX          default mongodb
#   RETENTION_DAYS     default 14
#   BACKUP_DIR         default /backup
#
# Objects: s3://$S3_BUCKET/$S3_PREFIX/<UTC timestamp>/<database>.archive.gz
set -eu

root="${BACKUP_DIR:-/backup}"
prefix="${S3_PREFIX:-mongodb}"
days="${RETENTION_DAYS:-14}"
: "${S3_ENDPOINT:?set S3_ENDPOINT}" "${S3_ACCESS_KEY:?set S3_ACCESS_KEY}" "${S3_SECRET_KEY:?set S3_SECRET_KEY}" "${S3_BUCKET:?set S3_BUCKET}"
stamp="$(cat "$root/LATEST")"
# mc keeps its configuration in a writable place: the root filesystem is read-only.
mc_() { mc --config-dir /tmp/mc --quiet "$@"; }

mc_ alias set backup "$S3_ENDPOINT" "$S3_ACCESS_KEY" "$S3_SECRET_KEY" >/dev/null
mc_ cp --recursive "$root/$stamp/" "backup/$S3_BUCKET/$prefix/$stamp/"
echo "uploaded $stamp to $S3_BUCKET/$prefix/$stamp/"

# Keep RETENTION_DAYS days, counted from each object's upload time (the seed's find -mtime +14, applied to the bucket:
# its aws s3 sync never deleted anything remotely).
mc_ rm --recursive --force --older-than "${days}d" "backup/$S3_BUCKET/$prefix/" || {
  echo "error: pruning backups older than $days days failed" >&2
  exit 1
}
echo "kept the last $days days under $S3_BUCKET/$prefix/"
