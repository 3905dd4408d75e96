#!/usr/bin/env bash
# Step 1 of the MongoDB backup (the seed's scripts/backup-mongodb.sh, split so each step runs in an image that has its
# tool): dump each QuikApp database into one gzip-compressed archive, under $BACKUP_DIR/<UTC timestamp>/.
# Runs in the mongo image (mongodump): the chart's backup CronJob (init container) and the compose service
# mongodb-backup. Step 2, mongodb-backup-upload.sh, uploads the archives and keeps RETENTION_DAYS days.
#
# Environment:
#   MONGODB_URI        required; a user with the "backup" role, e.g.
#                      mongodb://backup:<password>@mongodb:27017/?replicaSet=rs0&authSource=admin
#                      (do not set readPreference in it: the dump reads from a secondary when there is one)
#   BACKUP_DATABASES   default: every QuikApp database (the seed listed four; smartreply and analytics are ours too)
#   BACKUP_DIR         default /backup
#
# Restore one database:  mongorestore --uri="$MONGODB_URI" --gzip --archive=QuikApp_files.archive.gz --drop
set -euo pipefail

uri="${MONGODB_URI:?set MONGODB_URI (a user with the backup role)}"
databases="${BACKUP_DATABASES:-QuikApp_messages QuikApp_moderation QuikApp_ml QuikApp_smartreply QuikApp_files QuikApp_analytics}"
root="${BACKUP_DIR:-/backup}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$root/$stamp"
mkdir -p "$out"

for db in $databases; do
  # One archive per database, compressed while it is written: no uncompressed copy on disk, unlike dump-then-tar.
  mongodump --uri="$uri" --db="$db" --readPreference=secondaryPreferred --gzip --archive="$out/$db.archive.gz" --quiet
  echo "dumped $db: $(du -h "$out/$db.archive.gz" | cut -f1)"
done

echo "$stamp" > "$root/LATEST"
echo "backup $stamp complete in $out"
