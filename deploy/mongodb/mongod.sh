#!/usr/bin/env bash
# Starts mongod as the one member of replica set rs0 with access control (docker-compose.yml, service mongodb).
# With MONGO_INITDB_ROOT_USERNAME/PASSWORD set, members of a replica set must authenticate each other with a key file,
# even when there is only one member. It is created once, in the config volume, and must be owned by mongod's user
# (999 in the mongo image) with mode 400. The image's entrypoint then creates the root user on first start (without
# --replSet and --keyFile) and restarts mongod with them.
set -euo pipefail
keyfile=/data/configdb/replica-set.key
if [ ! -s "$keyfile" ]; then
  head -c 756 /dev/urandom | base64 -w 0 > "$keyfile"
fi
chown 999:999 "$keyfile"
chmod 400 "$keyfile"
exec docker-entrypoint.sh mongod --replSet rs0 --bind_ip_all --keyFile "$keyfile"
