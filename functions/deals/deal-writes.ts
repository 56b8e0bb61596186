/**
 * A deal's rules of writing in one tenant (records/record-types.ts `writeRules`): its amounts
 * from its lines (deal-amounts.ts), then its place in the tenant's pipelines with the stage's
 * rules and the stage moves the write makes (deal-stage.ts), written in the deal's transaction.
 * The pipelines are read once per record schema (one request, one import), and only by a write
 * that touches the stage: a PATCH of a deal's name costs no read.
 */
import type { Pipeline } from '../contracts/deal-stages.ts';
import { deriveDealAmounts } from './deal-amounts.ts';
import { planDealStage, touchesStage, type DealWrite, type GivenMove } from './deal-stage.ts';
import { tenantPipelines } from './pipelines.ts';
import { stageMovePut } from './stage-moves.ts';
import type { TransactItem } from '../store/commands.ts';

type Fields = Record<string, unknown>;

export function dealWriteRules(tenant: string) {
  let pipelines: Promise<Pipeline[]> | undefined;
  return {
    async plan(write: DealWrite & { given?: unknown }): Promise<{ fields: Fields; items: TransactItem[] }> {
      const amounts = deriveDealAmounts(write.next, write.changed);
      if (!touchesStage(write)) return { fields: amounts, items: [] };
      const stage = planDealStage(await (pipelines ??= tenantPipelines(tenant)), { ...write, next: { ...write.next, ...amounts } }, write.given as readonly GivenMove[] | undefined);
      return { fields: { ...amounts, ...stage.fields }, items: stage.moves.map((move) => stageMovePut(tenant, move)) };
    },
  };
}
