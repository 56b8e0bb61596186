/**
 * The tenant's configuration of the quick sale (`T#<tenant>#PROCESSCONFIG` / `quick-sale`):
 * its fulfilment steps (each with its team, form and due time), quality control, follow-up,
 * reminder share and escalation. Versioned and audited like every administrative item
 * (tenant-items/tenant-items.ts): a save is conditional on the version the administrator saw. A
 * tenant that never saved one has DEFAULT_QUICK_SALE_CONFIG at version 0. A sale takes a copy
 * when it starts (its execution's input), so a change reaches only sales started after it.
 */
import type { AuditActor } from '../audit/audit-log.ts';
import type { PutQuickSaleConfigBody, QuickSaleConfig, QuickSaleConfigFields } from '../contracts/quick-sale.ts';
import { FieldValidationError, type FieldIssue } from '../errors/field-validation-error.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';
import { teams } from '../teams/teams.ts';
import { TenantItemConflictError, TenantItemExistsError, TenantItemNotFoundError, TenantItems } from '../tenant-items/tenant-items.ts';

const ID = 'quick-sale';
type Stored = QuickSaleConfig & { id: string };
const configs = new TenantItems<Stored>('process configuration', ITEM_KINDS.processConfigs, (item) => item.id);

const DAYS = (amount: number) => ({ amount, unit: 'days' as const });

/**
 * A tenant that never configured its quick sale: the person who takes the order fulfils it
 * within 3 working days and rates it 2 working days later; a rating below 3 asks the client's
 * owner to follow up; reminders at half the time; a late step goes to its team's supervisor.
 */
export const DEFAULT_QUICK_SALE_CONFIG: QuickSaleConfigFields = {
  fulfilment: [
    {
      name: 'Fulfil the order',
      team: null,
      form: {
        fields: [
          { key: 'shippedOn', label: 'Shipped on', type: 'date', required: true },
          { key: 'note', label: 'Note', type: 'long_text' },
        ],
      },
      due: DAYS(3),
    },
  ],
  qc: { team: null, delay: 2, threshold: 3, due: DAYS(2) },
  followUp: { due: DAYS(2) },
  reminderShare: 0.5,
  escalation: 'supervisor',
};

export async function quickSaleConfig(tenant: string): Promise<QuickSaleConfig> {
  const stored = await configs.find(tenant, ID);
  if (!stored) return { config: DEFAULT_QUICK_SALE_CONFIG, version: 0 };
  const { id: _id, ...config } = stored;
  return config;
}

/** Saves the whole configuration over `version` (0: the default, never saved); its teams must be the tenant's. */
export async function putQuickSaleConfig(actor: AuditActor, { version, config }: PutQuickSaleConfigBody): Promise<QuickSaleConfig> {
  await assertTeams(actor.tenant, config);
  const next: Stored = { id: ID, config, version: version + 1, updatedAt: new Date().toISOString(), updatedBy: actor.sub };
  const event = { action: 'process-config.change', target: `process:${ID}`, details: { version: next.version } };
  try {
    if (version === 0) await configs.create(actor, next, event);
    else {
      await configs.atVersion(actor.tenant, ID, version);
      await configs.replace(actor, version, next, event);
    }
  } catch (err) {
    // Saved meanwhile by another administrator (or a first save raced by another): 409 with the configuration as it is.
    if (err instanceof TenantItemExistsError || err instanceof TenantItemConflictError || err instanceof TenantItemNotFoundError) {
      throw new TenantItemConflictError(version, await quickSaleConfig(actor.tenant));
    }
    throw err;
  }
  const { id: _id, ...saved } = next;
  return saved;
}

/** Every team named is one of the tenant's, or the save is refused naming each that is not. */
async function assertTeams(tenant: string, config: QuickSaleConfigFields): Promise<void> {
  const named = [...config.fulfilment.map((step, i) => ({ path: `config.fulfilment.${i}.team`, team: step.team })), { path: 'config.qc.team', team: config.qc.team }];
  const known = new Set((await teams.list(tenant)).map((team) => team.id));
  const issues: FieldIssue[] = named.filter(({ team }) => team !== null && !known.has(team)).map(({ path, team }) => ({ path, message: 'is not a team of the tenant', value: team }));
  if (issues.length) throw new FieldValidationError(issues);
}
