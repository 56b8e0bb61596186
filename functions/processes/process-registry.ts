/**
 * The processes, one entry each: its name (contracts/processes.ts, which the UI shares), the
 * workflow that runs it (a key of WORKFLOWS, whose definition is its ASL file in workflows/), the
 * record types it starts on, and what its start makes of its body for the execution (checked
 * beyond its contract: the quick sale's client, products and prices, with the tenant's configuration).
 */
import { WORKFLOWS } from '../../infra/app-resources.ts';
import type { Principal } from '../access/permissions.ts';
import { PROCESS_INFOS, type ProcessName, type ProcessSubject, type StartProcessBody } from '../contracts/processes.ts';
import { quickSaleConfig } from './quick-sale-config.ts';
import { orderOfDeal, takeOrder } from './quick-sale-order.ts';
import type { StoredRecord } from '../records/errors.ts';

/** What a start of the process carries into its execution beyond its instance, made from the checked body. */
export interface StartPreparation {
  /** Whether the start makes records before it starts (then a retried start is answered from its execution first). */
  createsRecords(input: StartProcessBody['input']): boolean;
  /** The execution's input beyond the instance (the quick sale's order and configuration); throws a FieldValidationError naming the field. */
  prepare(principal: Principal, subject: ProcessSubject, input: StartProcessBody['input'], instance: string): Promise<Record<string, unknown>>;
  /**
   * The start's input when a deal entering a stage starts the process (the stage's `onEnter`),
   * made from the deal as it is; throws a FieldValidationError naming what the deal lacks.
   */
  inputOfDeal(principal: Principal, deal: StoredRecord): Promise<StartProcessBody['input']>;
}

export interface ProcessSpec extends StartPreparation {
  name: ProcessName;
  label: string;
  /** The key in WORKFLOWS of its state machine. */
  workflow: string;
  /** Record types (singular names) an instance may be started on. */
  startsOn: readonly string[];
}

const PREPARATIONS: Record<ProcessName, StartPreparation> = {
  'quick-sale': {
    createsRecords: (input) => input.client?.create !== undefined,
    // A running sale keeps the configuration it started with.
    prepare: async (principal, subject, input, instance) => ({ order: await takeOrder(principal, subject, input, instance), config: (await quickSaleConfig(principal.tenant)).config }),
    inputOfDeal: orderOfDeal,
  },
};

export const PROCESSES = Object.fromEntries(
  PROCESS_INFOS.map((info): [ProcessName, ProcessSpec] => {
    if (!WORKFLOWS[info.name]) throw new Error(`process ${info.name}: no workflow ${info.name} in WORKFLOWS`);
    return [info.name, { ...info, workflow: info.name, ...PREPARATIONS[info.name] }];
  }),
) as Record<ProcessName, ProcessSpec>;

/** The processes whose workflow this is: the status-change events of these are instances'. */
export const PROCESS_WORKFLOWS = Object.values(PROCESSES).map((spec) => spec.workflow);
