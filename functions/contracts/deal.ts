import { z } from 'zod';
import { ListResponse, recordOf } from './record.ts';
import { defineRecordType } from './record-type.ts';
import { divideRounded, Money, NonNegativeMoney, toMinor } from './money.ts';
import { LongText, Name } from './text.ts';
import { IsoDate, Percent, RecordId, Tags } from './values.ts';
import { DEFAULT_PIPELINE, MAX_LOSS_COMMENT } from './deal-stages.ts';

/** Quantities may be fractional (hours, kilograms) to three decimals. */
const Quantity = z
  .number()
  .positive('must be more than 0')
  .max(1_000_000_000)
  .refine((q) => Number.isInteger(Math.round(q * 1000)) && Math.abs(q * 1000 - Math.round(q * 1000)) < 1e-6, 'has at most 3 decimal places');

/** A product line as the client sends it; its `amount` is computed by the server. */
export const DealLineInput = z.strictObject({
  productId: RecordId.nullable().optional(),
  name: Name(200),
  quantity: Quantity,
  unitPrice: NonNegativeMoney,
  /** Percent off the line, 0-100. */
  discount: Percent.optional(),
});

/**
 * A line's amount in the currency's minor units: quantity x unit price x (1 - discount), quantity
 * to 3 decimals and discount to 2, rounded once at the end. The server's (deals/deal-amounts.ts)
 * and the order form's as it is typed.
 */
export function lineMinor(line: { quantity: number; unitPrice: Money; discount?: number | null }): bigint {
  const milliQuantity = BigInt(Math.round(line.quantity * 1000));
  const remainingBasisPoints = 10_000n - BigInt(Math.round((line.discount ?? 0) * 100));
  return divideRounded(toMinor(line.unitPrice) * milliQuantity * remainingBasisPoints, 1000n * 10_000n);
}

/** quantity x unitPrice x (1 - discount/100), rounded half away from zero to the currency's minor unit. */
export const DealLine = DealLineInput.extend({ amount: Money });
export type DealLine = z.infer<typeof DealLine>;

/**
 * A deal in a pipeline. With product lines, `amount` is their sum (computed, in the lines'
 * one currency); without, the user sets it.
 */
export const DealFields = z.strictObject({
  name: Name(200),
  pipeline: Name(100).optional(),
  stage: Name(100).optional(),
  amount: NonNegativeMoney.nullable().optional(),
  expectedClose: IsoDate.nullable().optional(),
  probability: Percent.nullable().optional(),
  /** Why the deal was lost: a key of its pipeline's `lossReasons` (or its label), required entering a lost stage and kept only while lost. */
  lossReason: Name(100).nullable().optional(),
  lossComment: LongText(MAX_LOSS_COMMENT).nullable().optional(),
  companyId: RecordId.nullable().optional(),
  contactIds: z.array(RecordId).max(50).nullable().optional(),
  lines: z.array(DealLineInput).max(200).nullable().optional(),
  tags: Tags.nullable().optional(),
});
export type DealFields = z.infer<typeof DealFields>;

export const dealType = defineRecordType({
  name: 'deal',
  plural: 'deals',
  key: 'DEAL',
  fields: DealFields,
  search: [{ field: 'name', kind: 'name' }],
  duplicates: [],
  relations: [
    { path: 'companyId', target: 'COMPANY' },
    { path: 'contactIds', target: 'CONTACT' },
    { path: 'lines.productId', target: 'PRODUCT' },
  ],
  // A stage shows by its label (`won`: Won) in a file and a search as in the grid; the first
  // pipeline's, as the grid's cells read them (frontend grid-fields CHOICES) while there is one.
  choices: { stage: DEFAULT_PIPELINE.stages },
});

export const Deal = recordOf(DealFields).extend({ lines: z.array(DealLine).optional() });
export type Deal = z.infer<typeof Deal>;
export const DealList = ListResponse(Deal);
