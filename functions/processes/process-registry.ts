/**
 * The processes, one entry each: its name (contracts/processes.ts, which the UI shares), the
 * workflow that runs it (a key of WORKFLOWS, whose definition is its ASL file in workflows/), the
 * record types it starts on, and what its start needs checked beyond its contract.
 */
import { WORKFLOWS } from '../../infra/app-resources.ts';
import { PROCESS_INFOS, type ProcessName, type StartProcessBody } from '../contracts/processes.ts';

export interface ProcessSpec {
  name: ProcessName;
  label: string;
  /** The key in WORKFLOWS of its state machine. */
  workflow: string;
  /** Record types (singular names) an instance may be started on. */
  startsOn: readonly string[];
  /** What the contract cannot know (a team of the tenant): throws a FieldValidationError naming the field. */
  checkStart(tenant: string, input: StartProcessBody['input']): Promise<void>;
}

const CHECKS: Record<ProcessName, ProcessSpec['checkStart']> = {
  // The teams come from the tenant's configuration now, checked when it is saved.
  'quick-sale': async () => {},
};

export const PROCESSES = Object.fromEntries(
  PROCESS_INFOS.map((info): [ProcessName, ProcessSpec] => {
    if (!WORKFLOWS[info.name]) throw new Error(`process ${info.name}: no workflow ${info.name} in WORKFLOWS`);
    return [info.name, { ...info, workflow: info.name, checkStart: CHECKS[info.name] }];
  }),
) as Record<ProcessName, ProcessSpec>;

/** The processes whose workflow this is: the status-change events of these are instances'. */
export const PROCESS_WORKFLOWS = Object.values(PROCESSES).map((spec) => spec.workflow);
