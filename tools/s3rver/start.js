#!/usr/bin/env node
// Starts s3rver for the object-storage tests (tests/TestSupport/Storage/S3rverFixture.cs).
//   node tools/s3rver/start.js --address 127.0.0.1 --port 0 --directory <dir> [--bucket <name>]...
// Prints "S3rver listening on <address>:<port>" once it accepts requests, then one "request <METHOD> <url>" line per
// request, so a test can prove that a rejected object was never asked for.
'use strict';

const S3rver = require('s3rver');

function parseArguments(argv) {
  const options = { address: '127.0.0.1', port: 0, directory: undefined, buckets: [] };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--address': options.address = value; i++; break;
      case '--port': options.port = Number(value); i++; break;
      case '--directory': options.directory = value; i++; break;
      case '--bucket': options.buckets.push({ name: value, configs: [] }); i++; break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!options.directory) throw new Error('--directory is required');
  return options;
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const server = new S3rver({
    address: options.address,
    port: options.port,
    directory: options.directory,
    configureBuckets: options.buckets,
    silent: true,
  });

  // Runs before s3rver's own middleware (Koa composes the array when the server starts listening).
  server.middleware.unshift(async (ctx, next) => {
    process.stdout.write(`request ${ctx.method} ${ctx.url}\n`);
    // s3rver 3.7.1 reads x-amz-copy-source with decodeURI, which leaves %2F encoded; AWS SDK for .NET v4 encodes the whole
    // "bucket/key" (bucket%2Fkey), as S3 allows. Re-encode it the way decodeURI undoes, so copies behave as on S3.
    const source = ctx.headers['x-amz-copy-source'];
    if (source) ctx.headers['x-amz-copy-source'] = encodeURI(decodeURIComponent(source));
    await next();
  });

  const { address, port } = await server.run();
  process.stdout.write(`S3rver listening on ${address}:${port}\n`);

  const stop = () => server.close().then(() => process.exit(0), () => process.exit(1));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(error => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
