#!/bin/sh
# One-shot set-up of the compose MinIO (docker-compose.yml, service minio-init), in the minio/mc image. Idempotent.
#  - buckets: originals (file-service uploads), derivatives (thumbnails), quarantine, backups;
#  - two users with bucket-scoped policies: the workers' (deploy/minio/workers-policy.json) and the backup
#    CronJob's (backup-policy.json). The root credentials are used for nothing else.
set -eu
mc_() { mc --config-dir /tmp/mc "$@"; }

mc_ alias set local "${MINIO_URL:-http://minio:9000}" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
for bucket in quikapp-files quikapp-derivatives quikapp-quarantine quikapp-backups; do
  mc_ mb --ignore-existing "local/$bucket"
done

ensure_user() { # <access key> <secret key> <policy name> <policy file>
  mc_ admin user add local "$1" "$2" >/dev/null
  mc_ admin policy create local "$3" "$4" >/dev/null
  # Attaching an attached policy fails with "policy already attached"; that is the state we want.
  mc_ admin policy attach local "$3" --user "$1" >/dev/null 2>&1 || true
  echo "user $1 has policy $3"
}
ensure_user "$S3_WORKERS_ACCESS_KEY" "$S3_WORKERS_SECRET_KEY" quikapp-workers /policies/workers-policy.json
ensure_user "$S3_BACKUP_ACCESS_KEY" "$S3_BACKUP_SECRET_KEY" quikapp-backup /policies/backup-policy.json
echo "minio ready"
