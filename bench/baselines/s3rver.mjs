// Scenario 8: an S3-protocol server for Parley's S3 driver and the raw S3 PUT baseline, as the
// api's S3 tests start it (s3rver, objects under a directory, signatures checked against its own
// keys S3RVER / S3RVER), in its own process so its CPU is counted apart from the server's.
// Environment: PORT, S3_DIR (where the objects go), S3_BUCKET (created at start). Tells its parent
// { s3rverReady } over IPC once it listens.
import S3rver from 's3rver';

const port = Number(process.env.PORT);
const server = new S3rver({
  address: '127.0.0.1',
  port,
  directory: process.env.S3_DIR,
  silent: true,
  configureBuckets: [{ name: process.env.S3_BUCKET }],
});
await server.run();
process.send?.({ s3rverReady: true, port });
process.once('SIGTERM', () => {
  server.close().finally(() => process.exit(0));
});
