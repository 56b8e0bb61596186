/**
 * Only the storage kernel and the few adapters speak an AWS SDK: a module that needs the table
 * goes through functions/store/ (its commands, its keys), so the next kind of item or consumer
 * cannot grow a client, a key scheme or an error mapping of its own.
 */
import { describe, expect, it } from 'vitest';
import { importsUnder } from '../support/import-graph.ts';

/** The modules that may import `@aws-sdk/*` at runtime, and why. */
const ADAPTERS: Record<string, string> = {
  'functions/store/table.ts': 'the DynamoDB client',
  'functions/store/commands.ts': 'the table\'s commands',
  'functions/store/stream-images.ts': 'the table stream\'s DynamoDB JSON read as items (unmarshall)',
  'functions/users/identity-admin.ts': 'the identity provider\'s admin API (Cognito)',
  'functions/files/files-bucket.ts': 'the files bucket (S3, its presigner and multipart upload)',
  'functions/workflows/start-workflow.ts': 'starting a workflow (Step Functions)',
  'functions/notifications/mailer.ts': 'notification e-mail (SES v2 SendEmail)',
  'functions/workflows/executions.ts': 'a process\'s executions: started on the live alias, described, their tasks answered (Step Functions)',
};

describe('the AWS SDK', () => {
  it('is imported only by the storage kernel and the adapters', () => {
    // A type-only import of the SDK loads nothing and sends nothing, but names the SDK's shapes
    // where the kernel's (store/commands.ts: TransactItem, Item) should be used: it counts too.
    const speaking = importsUnder('functions').filter((edge) => edge.specifier.startsWith('@aws-sdk/'));
    expect(speaking.filter((edge) => !ADAPTERS[edge.from]).map((edge) => `${edge.from} imports ${edge.specifier}${edge.typeOnly ? ' (types)' : ''}`)).toEqual([]);
    // An adapter that no longer needs the SDK leaves the list.
    expect(Object.keys(ADAPTERS).filter((path) => !speaking.some((edge) => edge.from === path))).toEqual([]);
  });
});
