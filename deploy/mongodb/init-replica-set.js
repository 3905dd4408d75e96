// One-shot set-up of the compose MongoDB (docker-compose.yml, service mongodb-init), run with mongosh as the root user
// over a direct connection. Idempotent: safe on every `docker compose up`.
//  1. Initiates replica set rs0 with its one member, as the seed's mongodb-init does, and waits for a writable primary.
//  2. Creates (or updates) the custom role quikappWorker and two users with only what they need:
//     - the workers' user: quikappWorker, the least-privilege role below (readWrite lacks collMod, indexStats and the
//       profiler, so ttl-indexes and index-usage-report could not work under it);
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

// Every privilege action the fleet's MongoDB calls need (docs/mongodb.md, "Operations ledger"; manual, "Privilege Actions"),
// on each QuikApp database's non-system collections. tests/Deployment.Tests/Mongo/WorkerRoleTests.cs holds this list to
// the commands the code sends.
const workerActions = [
  'find',             // find, aggregate (not $indexStats), count, distinct, getMore, GridFS reads
  'insert',           // insert, upserts, $merge into new documents, GridFS uploads
  'update',           // update, findAndModify, upserts, $merge replacing documents
  'remove',           // delete (expired files, message retention, orphan reactions, GridFS chunks)
  'createIndex',      // createIndexes: the index bootstrap, ensure-indexes, ttl-indexes, GridFS's own indexes
  'createCollection', // createIndexes or an insert on a collection that does not exist yet
  'collMod',          // ttl-indexes: changes a TTL index's expireAfterSeconds in place
  'listIndexes',      // the bootstrap's conflict report, ttl-indexes
  'listCollections',  // index-usage-report
  'indexStats',       // index-usage-report: $indexStats
  'enableProfiler',   // index-usage-report: { profile: -1 } reads the profiling level (the profile command)
  'killCursors',      // closing a cursor a job stopped reading
];
// system.* collections are not covered by a database-wide resource: index-usage-report reads system.profile by name.
const profileActions = ['find'];

function ensureRole(name, privileges) {
  if (admin.getRole(name)) {
    admin.updateRole(name, { privileges, roles: [] });
    print(`updated role ${name}`);
  } else {
    admin.createRole({ role: name, privileges, roles: [] });
    print(`created role ${name}`);
  }
}

ensureRole('quikappWorker', databases.flatMap(d => [
  { resource: { db: d, collection: '' }, actions: workerActions },
  { resource: { db: d, collection: 'system.profile' }, actions: profileActions },
]));
ensureUser(env.MONGO_WORKERS_USERNAME, env.MONGO_WORKERS_PASSWORD, [{ role: 'quikappWorker', db: 'admin' }]);
ensureUser(env.MONGO_BACKUP_USERNAME, env.MONGO_BACKUP_PASSWORD, [{ role: 'backup', db: 'admin' }]);
print('mongodb ready');
