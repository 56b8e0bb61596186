/**
 * The embedded cloud in a process of its own, for tests that kill it (test/processes/kill-restart):
 * on CLOUD_DATA_DIR, on the ports of CLOUD_PORTS (the same after a restart, so the token issuer
 * stays), the users of CLOUD_USERS created (first start only). Prints `READY <json>` with its
 * endpoints once it serves.
 */
import { startEmbeddedCloud } from '../../local/embedded-cloud.ts';

const ports = JSON.parse(process.env.CLOUD_PORTS!) as { http: number; dynamo: number; sfn: number; s3: number };
const cloud = await startEmbeddedCloud({ dataDir: process.env.CLOUD_DATA_DIR!, httpPort: ports.http, dynamoPort: ports.dynamo, sfnPort: ports.sfn, s3Port: ports.s3 });
for (const user of JSON.parse(process.env.CLOUD_USERS ?? '[]')) await cloud.identity.createUser(user);
const ready = { url: cloud.url, clientId: cloud.identity.clientId, dynamo: cloud.dynamoEndpoint, sfn: cloud.sfnEndpoint, machines: cloud.states.stateMachineArns };
process.stdout.write(`READY ${JSON.stringify(ready)}\n`);
