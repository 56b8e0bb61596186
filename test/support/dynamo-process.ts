/**
 * Child process for the crash test (test/dynamo/crash.test.ts): runs the local DynamoDB on the
 * folder given as argv[2] and prints its endpoint as one JSON line. It is meant to be killed
 * with SIGKILL.
 */
import { startDynamo } from '../../local/dynamo/index.ts';

const server = await startDynamo({ dataDir: process.argv[2], port: 0 });
await server.ensureTable();
process.stdout.write(JSON.stringify({ endpoint: server.endpoint }) + '\n');
setInterval(() => undefined, 60_000);
