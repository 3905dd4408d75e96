// One-shot set-up of the compose MongoDB (docker-compose.yml, service mongodb-init), run with mongosh as the root user
// over a direct connection. Idempotent: safe on every `docker compose up`.
//  1. Initiates replica set rs0 with its one member, as the seed's mongodb-init does, and waits for a writable primary.
//  2. Creates (or updates the passwords of) two users with only what they need:
//     - the workers' user: readWrite on each QuikApp database (indexes are built through readWrite);
//     - the backup user: the built-in "backup" role (mongodump of every database).
const env = process.env;
const member = env.MONGO_REPLICA_SET_HOST || 'mongodb:27017';

try {
  const status = rs.status();
  print(`replica set ${status.set} is already initiated`);
} catch (e) {
  if (e.codeName !== 'NotYetInitialized') {
    throw e;
  }
  rs.initiate({ _id: 'rs0', members: [{ _id: 0, host: member }] });
  print(`initiated replica set rs0 with member ${member}`);
}

for (let i = 0; i < 60 && !db.hello().isWritablePrimary; i++) {
  sleep(1000);
}
if (!db.hello().isWritablePrimary) {
  print('error: no writable primary after 60 s');
  quit(1);
}

const admin = db.getSiblingDB('admin');
function ensureUser(name, password, roles) {
  if (!name || !password) {
    print(`error: the user name and password for ${JSON.stringify(roles)} are not set`);
    quit(1);
  }
  if (admin.getUser(name)) {
    admin.updateUser(name, { pwd: password, roles });
    print(`updated user ${name}`);
  } else {
    admin.createUser({ user: name, pwd: password, roles });
    print(`created user ${name}`);
  }
}

const databases = ['QuikApp_messages', 'QuikApp_moderation', 'QuikApp_ml', 'QuikApp_smartreply', 'QuikApp_files', 'QuikApp_analytics'];
ensureUser(env.MONGO_WORKERS_USERNAME, env.MONGO_WORKERS_PASSWORD, databases.map(d => ({ role: 'readWrite', db: d })));
ensureUser(env.MONGO_BACKUP_USERNAME, env.MONGO_BACKUP_PASSWORD, [{ role: 'backup', db: 'admin' }]);
print('mongodb ready');
