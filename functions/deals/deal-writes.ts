/**
 * A deal's rules of writing in one tenant (records/record-types.ts `writeRules`): its amounts
 * from its lines (deal-amounts.ts), then its place in the tenant's pipelines with the stage's
 * rules and the stage moves the write makes (deal-stage.ts), written in the deal's transaction.
 */
import { deriveDealAmounts } from './deal-amounts.ts';
import { planDealStage, type DealWrite, type GivenMove } from './deal-stage.ts';
import { stageMovePut } from './stage-moves.ts';
import { tenantPipelines } from './pipelines.ts';
import type { TransactItem } from '../store/commands.ts';

type Fields = Record<string, unknown>;

/** The tenant's pipelines, read once for the rules (a record schema keeps them for its request). */
export async function dealWriteRules(tenant: string) {
  const pipelines = await tenantPipelines(tenant);
  return {
    plan(write: DealWrite & { given?: unknown }): { fields: Fields; items: TransactItem[] } {
      const amounts = deriveDealAmounts(write.next, write.changed);
      const stage = planDealStage(pipelines, { ...write, next: { ...write.next, ...amounts } }, write.given as readonly GivenMove[] | undefined);
      return { fields: { ...amounts, ...stage.fields }, items: stage.moves.map((move) => stageMovePut(tenant, move)) };
    },
  };
}
