/**
 * The task resources the engine runs, parsed from their ARNs (AWS docs: "Integrating services
 * with Step Functions"). Anything else is refused when a definition is loaded.
 */
export type IntegrationPattern = 'requestResponse' | 'waitForTaskToken' | 'sync';

export interface ResourceRef {
  service: 'lambda' | 'dynamodb' | 'states';
  action: string;
  pattern: IntegrationPattern;
  /** As history events name them: resourceType 'lambda', resource 'invoke.waitForTaskToken'. */
  resourceType: string;
  resource: string;
}

const DYNAMODB_ACTIONS = ['getItem', 'putItem', 'updateItem', 'deleteItem'];

export function parseResource(arn: string): ResourceRef | undefined {
  const m = /^arn:aws:states:::(.+)$/.exec(arn);
  if (!m) return undefined;
  const spec = m[1];
  const ref = (service: ResourceRef['service'], action: string, pattern: IntegrationPattern, resourceType: string, resource: string) =>
    ({ service, action, pattern, resourceType, resource }) satisfies ResourceRef;
  switch (spec) {
    case 'lambda:invoke':
      return ref('lambda', 'invoke', 'requestResponse', 'lambda', 'invoke');
    case 'lambda:invoke.waitForTaskToken':
      return ref('lambda', 'invoke', 'waitForTaskToken', 'lambda', 'invoke.waitForTaskToken');
    case 'states:startExecution':
      return ref('states', 'startExecution', 'requestResponse', 'states', 'startExecution');
    case 'states:startExecution.sync:2':
      return ref('states', 'startExecution', 'sync', 'states', 'startExecution.sync:2');
    case 'states:startExecution.waitForTaskToken':
      return ref('states', 'startExecution', 'waitForTaskToken', 'states', 'startExecution.waitForTaskToken');
  }
  const optimized = /^dynamodb:(\w+)$/.exec(spec);
  if (optimized && DYNAMODB_ACTIONS.includes(optimized[1])) {
    return ref('dynamodb', optimized[1], 'requestResponse', 'dynamodb', optimized[1]);
  }
  const sdk = /^aws-sdk:dynamodb:(\w+)$/.exec(spec);
  if (sdk && [...DYNAMODB_ACTIONS, 'query'].includes(sdk[1])) {
    return ref('dynamodb', sdk[1], 'requestResponse', 'aws-sdk:dynamodb', sdk[1]);
  }
  return undefined;
}

export function isSupportedResource(arn: string): boolean {
  return parseResource(arn) !== undefined;
}
