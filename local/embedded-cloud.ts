/**
 * The embedded cloud: everything AWS provides to Sheetflow, on one machine, in one process.
 * `npm start` runs it on fixed ports; tests run it on free ports with a temporary data folder.
 *
 * The functions in functions/ are imported only after the environment points the AWS SDK at
 * the local endpoints, exactly as Lambda would give them their configuration.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FUNCTIONS, ENV, TABLE, STREAM_CONSUMERS, FILES_BUCKET, WORKFLOW_EVENT_RULES, type FunctionKey } from '../infra/app-resources.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { startDynamo } from './dynamo/index.ts';
import { startGateway } from './gateway/index.ts';
import { startStates, type States } from './states/index.ts';
import { systemClock, type Clock } from './states/clock.ts';
import { startMailService, type MailService } from './email/index.ts';
import { startSchedules } from './schedules.ts';
import { startObjectStore } from './storage/index.ts';
import { createIdentityProvider, type IdentityProvider } from './identity/index.ts';
import { repoRoot } from './ensure-installed.mjs';
import { functionBundleFile } from './server-bundle.mjs';
import { lambdaContext, type LambdaHandler } from './lambda.ts';

export interface EmbeddedCloudOptions {
  dataDir: string;
  /** 0 picks a free port. */
  httpPort: number;
  dynamoPort: number;
  sfnPort: number;
  /** The S3 API (files bucket); default 0, a free port. */
  s3Port?: number;
  /** The SES API (notification e-mail); default 0, a free port. */
  sesPort?: number;
  host?: string;
  /** Serve this folder as the SPA (default: frontend/build). */
  staticDir?: string;
  /** Test hook: the clock of the identity pool's lockouts and reset codes (default Date.now). */
  identityClock?: () => number;
  /**
   * Test hook: the clock of the Step Functions engine and of the schedules (SCHEDULES: reminders),
   * an AdjustableClock tests move; default the system's.
   */
  statesClock?: Clock;
  /** Bench and test hook: more functions the engine's lambda:invoke tasks may call, by name. */
  extraTaskFunctions?: Record<string, LambdaHandler>;
}

export interface EmbeddedCloud {
  url: string;
  dynamoEndpoint: string;
  sfnEndpoint: string;
  /** The Step Functions engine (its figures: executions in memory, timers). */
  states: States;
  s3Endpoint: string;
  /** The local SES: the messages sent, kept under `<dataDir>/mail/`. */
  mail: MailService;
  dataDir: string;
  identity: IdentityProvider;
  /** The admin of the demo tenant, with a password only when this start created it. */
  demoAdmin: { email: string; password?: string; tenant: string };
  /**
   * Deletes the items whose TTL has passed now, as the sweeper does every 10 s: tests drive the
   * sweep instead of waiting for it. Returns how many were deleted.
   */
  sweepExpired(): Promise<number>;
  /** Stream records the consumers have yet to process (local/dynamo's `streamBacklog`: 0 when they caught up). */
  streamBacklog(): number;
  /** Runs the scheduled functions (SCHEDULES) now, by the clock, as their timers and a jump of the clock do; resolves when they are done. */
  runSchedules(): Promise<void>;
  close(): Promise<void>;
}

/** The address notifications are sent from locally (the local SES takes it as verified). */
export const LOCAL_MAIL_FROM = 'Sheetflow <notifications@sheetflow.local>';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';
/** The local Step Functions engine's own table (executions, history, timers, task tokens). */
export const STATES_TABLE = 'sheetflow-states';

export async function startEmbeddedCloud(options: EmbeddedCloudOptions): Promise<EmbeddedCloud> {
  const host = options.host ?? '127.0.0.1';
  const unlock = await lockDataDir(options.dataDir);
  const closers: Array<() => Promise<void> | void> = [unlock];
  let closing: Promise<void> | undefined;
  // In reverse order of starting: the gateway stops taking requests before what serves them.
  const close = () =>
    (closing ??= (async () => {
      for (const closer of [...closers].reverse()) await closer();
    })());
  try {
    const dynamo = await startDynamo({ dataDir: join(options.dataDir, 'dynamo'), port: options.dynamoPort, host });
    closers.push(() => dynamo.close());

    // Only endpoints and names: the same variables Lambda and the SDK read in AWS.
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      [ENV.tableName]: TABLE.name,
    });
    await dynamo.ensureTable();

    // The files bucket: presigned URLs must be signed with the key pair the store checks.
    const storage = await startObjectStore({
      dataDir: join(options.dataDir, 'storage'),
      port: options.s3Port ?? 0,
      host,
      credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY! },
    });
    closers.push(() => storage.close());
    storage.ensureBucket(FILES_BUCKET.name);
    storage.expireObjects(FILES_BUCKET.name, { prefixes: Object.values(FILES_BUCKET.prefixes), days: FILES_BUCKET.expireAfterDays });
    Object.assign(process.env, { AWS_ENDPOINT_URL_S3: storage.endpoint, [ENV.filesBucket]: FILES_BUCKET.name });

    // SES: notifications are e-mailed through SESv2's SendEmail, kept as files here.
    const mail = await startMailService({
      dataDir: join(options.dataDir, 'mail'),
      port: options.sesPort ?? 0,
      host,
      credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY! },
      verifiedIdentities: ['sheetflow.local'],
      region: LOCAL_REGION,
    });
    closers.push(() => mail.close());
    Object.assign(process.env, { AWS_ENDPOINT_URL_SESV2: mail.endpoint, [ENV.mailFrom]: LOCAL_MAIL_FROM });

    // The engine's checkpoints live in a table of their own: in AWS they are no item of ours,
    // and here they should not flow through the application table's change stream.
    const lambdas: Record<string, LambdaHandler> = { ...options.extraTaskFunctions };
    const states = await startStates({
      port: options.sfnPort,
      host,
      // Its checkpoints are written in process (no SDK, no HTTP): a transition costs one write.
      dynamo: { endpoint: dynamo.endpoint, tableName: STATES_TABLE, inProcess: dynamo.dispatch },
      appTableName: TABLE.name,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT,
      lambdas,
      // Executions resume only once the functions they call are loaded (below).
      autoResume: false,
      clock: options.statesClock,
      // As EventBridge's rules deliver them in AWS: each event to each rule's function.
      statusEvents: async (event) => {
        for (const rule of WORKFLOW_EVENT_RULES) {
          if (rule.detailType === event['detail-type']) await lambdas[rule.function](event, lambdaContext(rule.function, FUNCTIONS[rule.function].timeoutSeconds));
        }
      },
    });
    closers.push(() => states.close());
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SFN: states.endpoint,
      [ENV.stateMachineArns]: JSON.stringify(states.stateMachineArns),
    });

    // Cognito's admin calls must be signed with the key pair the functions' SDK uses, as S3's are.
    const identity = await createIdentityProvider({
      dataDir: join(options.dataDir, 'identity'),
      credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY! },
      now: options.identityClock,
    });
    const functions = await loadFunctions();
    Object.assign(lambdas, functions);
    // Cognito invokes the trigger Lambdas after a sign-in and before it mails an invitation; the local pool calls the same handlers.
    identity.setTriggers({
      postAuthentication: (event) => functions.postAuthentication(event, lambdaContext('sheetflow-postAuthentication', FUNCTIONS.postAuthentication.timeoutSeconds)),
      customMessage: (event) => functions.invitationMessage(event, lambdaContext('sheetflow-invitationMessage', FUNCTIONS.invitationMessage.timeoutSeconds)),
    });
    await states.resume();

    for (const consumer of STREAM_CONSUMERS) {
      dynamo.attachStreamConsumer({ ...consumer, tableName: TABLE.name, handler: functions[consumer.function] });
    }
    // Stopped before what they call (the engine, SES, S3) is: a batch delivered during the close
    // would fail on a closed service, be logged as failed, and come again at the next start.
    closers.push(() => dynamo.stopStreamConsumers());
    // As EventBridge's scheduled rules invoke them in AWS, on the cloud's clock.
    const schedules = startSchedules({ clock: options.statesClock ?? systemClock, functions, region: LOCAL_REGION, accountId: LOCAL_ACCOUNT });
    closers.push(() => schedules.close());

    const gateway = await startGateway({
      port: options.httpPort,
      host,
      functions,
      identity,
      staticDir: options.staticDir ?? join(repoRoot, 'frontend', 'build'),
      // The SPA PUTs import files to the bucket's presigned URLs.
      connectTo: [storage.endpoint],
      // The issuer is the gateway's own URL, known once it listens; the gateway sets it.
      onListening: (url) => {
        process.env[ENV.authIssuer] = identity.issuerFor(url);
        // The app is served where the gateway listens: the invitation links to its sign-in page.
        process.env[ENV.appUrl] = url;
        // The functions administer users through the Cognito API the pool serves at its issuer.
        process.env[ENV.userPoolId] = identity.userPoolId;
        process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = identity.issuerFor(url);
      },
    });
    closers.push(() => gateway.close());

    const demoAdmin = await identity.ensureDemoAdmin();
    return {
      url: gateway.url,
      dynamoEndpoint: dynamo.endpoint,
      sfnEndpoint: states.endpoint,
      states,
      s3Endpoint: storage.endpoint,
      mail,
      dataDir: options.dataDir,
      identity,
      demoAdmin,
      sweepExpired: () => dynamo.sweepExpired(),
      streamBacklog: () => dynamo.streamBacklog(),
      runSchedules: () => schedules.runNow(),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

async function loadFunctions(): Promise<Record<FunctionKey, LambdaHandler>> {
  const entries = await Promise.all(
    (Object.keys(FUNCTIONS) as FunctionKey[]).map(async (key) => {
      const spec = FUNCTIONS[key];
      // `npm start` runs from esbuild bundles (see server-bundle.mjs); tests load the sources.
      const file = process.env.SHEETFLOW_FUNCTION_BUNDLES ? functionBundleFile(key) : join(repoRoot, spec.entry);
      const mod = await import(pathToFileURL(file).href);
      const handler = mod[spec.handler];
      if (typeof handler !== 'function') throw new Error(`${spec.entry} does not export ${spec.handler}`);
      return [key, handler as LambdaHandler] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<FunctionKey, LambdaHandler>;
}
