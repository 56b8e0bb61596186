/**
 * The order a quick sale takes at its start, made whole before anything starts: the client
 * (picked, the record the sale starts on, or created now), the lines priced as a deal's are
 * (deals/deal-amounts.ts) with their products checked, delivery and notes. The order rides in the
 * execution's input; a sale on a deal writes its lines and amount to the deal as its first step
 * (`writeOrderToDeal`).
 *
 * A client created with the sale gets an id derived from the instance's, and its creation is
 * marked with it: a retried start finds the client its first attempt made rather than making
 * another.
 */
import { createHash } from 'node:crypto';
import { assertCan, assertWritable, type Principal } from '../access/permissions.ts';
import { systemActor } from '../access/actor.ts';
import type { DealLine } from '../contracts/deal.ts';
import type { ProcessSubject } from '../contracts/processes.ts';
import type { QuickSaleOrder, QuickSaleStart } from '../contracts/quick-sale.ts';
import { deriveDealAmounts } from '../deals/deal-amounts.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import { VersionConflictError, type StoredRecord } from '../records/errors.ts';
import { parseFields, recordSchemaFor } from '../records/record-schema.ts';
import { recordTypeNamed } from '../records/record-types.ts';
import { planCreation, updateRecord } from '../records/records.ts';
import { commit, findRecord, madeByRequest, readRecordUnscoped, visibleRecords } from '../records/repository.ts';

type Client = QuickSaleOrder['client'];

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A record id (a ULID's form) from the instance's: the same for every attempt of one start. */
export function clientIdOf(instance: string): string {
  const digest = createHash('sha256').update(`quick-sale client\u0000${instance}`).digest();
  // The first character of a ULID is at most 7 (48 bits of time).
  return Array.from({ length: 26 }, (_, i) => CROCKFORD[i === 0 ? digest[i] % 8 : digest[i] % 32]).join('');
}

/** The order of a start on `subject` by `principal`, its client made if the start creates one; refused naming the field. */
export async function takeOrder(principal: Principal, subject: ProcessSubject, input: QuickSaleStart, instance: string): Promise<QuickSaleOrder> {
  const priced = priceLines(input.lines);
  await assertProducts(principal, input.lines);
  const client = await clientOf(principal, subject, input, instance);
  return { client, lines: priced.lines, amount: priced.amount, delivery: input.delivery, ...(input.notes ? { notes: input.notes } : {}) };
}

function priceLines(lines: QuickSaleStart['lines']): Pick<QuickSaleOrder, 'lines' | 'amount'> {
  try {
    return deriveDealAmounts({ lines }, { lines }) as Pick<QuickSaleOrder, 'lines' | 'amount'>;
  } catch (err) {
    throw err instanceof FieldValidationError ? err.under('input') : err;
  }
}

async function assertProducts(principal: Principal, lines: QuickSaleStart['lines']): Promise<void> {
  const named = lines.flatMap((line, i) => (line.productId ? [{ i, id: line.productId }] : []));
  if (!named.length) return;
  const seen = new Set((await visibleRecords(principal, named.map(({ id }) => ({ type: 'PRODUCT', id })), ['id'])).map((product) => product.id));
  const issues = named.filter(({ id }) => !seen.has(id)).map(({ i, id }) => ({ path: `input.lines.${i}.productId`, message: 'is no product of the catalogue', value: id }));
  if (issues.length) throw new FieldValidationError(issues);
}

async function clientOf(principal: Principal, subject: ProcessSubject, input: QuickSaleStart, instance: string): Promise<Client> {
  const given = input.client;
  if (given?.create) return createClient(principal, given.create, instance);
  if (given?.type && given.id) {
    const type = recordTypeNamed(given.type)!;
    if (!(await findRecord(principal, type.key, given.id))) throw new FieldValidationError([{ path: 'input.client.id', message: `is no ${given.type} you can see`, value: given.id }]);
    return { type: given.type, id: given.id };
  }
  if (subject.type === 'company' || subject.type === 'contact') return { type: subject.type, id: subject.id };
  const deal = await findRecord(principal, 'DEAL', subject.id);
  if (typeof deal?.companyId === 'string') return { type: 'company', id: deal.companyId };
  throw new FieldValidationError([{ path: 'input.client', message: 'is required: the deal has no company' }]);
}

async function createClient(principal: Principal, create: { type: 'company' | 'contact'; fields: Record<string, unknown> }, instance: string): Promise<Client> {
  const type = recordTypeNamed(create.type)!;
  assertCan(principal, 'create', type.name);
  const schema = await recordSchemaFor(principal.tenant, type);
  const fields = parseFields(schema.create, create.fields, 'input.client.create.fields');
  assertWritable(principal, type.name, Object.keys(fields));
  const id = clientIdOf(instance);
  const write = await planCreation(principal, schema, fields, new Date().toISOString(), { id, request: instance });
  for (let attempt = 1; ; attempt++) {
    try {
      await commit(principal, [write]);
      return { type: create.type, id };
    } catch (err) {
      // There already: made by another attempt of this start (a copy sent at once, a retry), which is ours to use.
      if (await madeByRequest(principal.tenant, type.key, id, 1, instance)) return { type: create.type, id };
      // A copy's creation in flight cancels ours without a condition failing: once it has landed, it is found above.
      if (err instanceof VersionConflictError || attempt >= CREATE_ATTEMPTS) throw err;
    }
  }
}

/** How often a client's creation is tried when copies of the start create it at once. */
const CREATE_ATTEMPTS = 3;

/** How often a write to the deal meets another change of it before giving up (the step is retried). */
const DEAL_ATTEMPTS = 5;

/**
 * The order's lines on the deal (its amount follows from them), conditional on the version read:
 * a concurrent edit is read again and the lines applied over it. Written as the sale's starter.
 * At least once: lines the deal has already are not written again; a deal gone is left alone.
 */
export async function writeOrderToDeal(tenant: string, startedBy: string, dealId: string, order: { lines: DealLine[] }): Promise<'written' | 'unchanged' | 'gone'> {
  const actor = systemActor(tenant, startedBy);
  const schema = await recordSchemaFor(tenant, recordTypeNamed('deal')!);
  const lines = order.lines.map(({ amount: _amount, ...line }) => line);
  for (let attempt = 1; ; attempt++) {
    const deal = await readRecordUnscoped(tenant, 'DEAL', dealId);
    if (!deal || deal.deletedAt) return 'gone';
    const current = ((deal.lines ?? []) as Array<Record<string, unknown>>).map(({ amount: _amount, ...line }) => line);
    if (JSON.stringify(current) === JSON.stringify(lines)) return 'unchanged';
    try {
      await updateRecord(actor, schema, dealId, deal.version, { lines }, { source: 'process' });
      return 'written';
    } catch (err) {
      if (!(err instanceof VersionConflictError) || attempt >= DEAL_ATTEMPTS) throw err;
    }
  }
}

/**
 * The order of a quick sale a deal starts by entering a stage (a won deal fulfilled): the deal's
 * lines, delivered to its company's address by its expected close (today when that is past).
 * The sale writes these lines to the deal as its first step, which finds them there: it never
 * changes the deal's stage, so the move that started it is not made again.
 */
export async function orderOfDeal(principal: Principal, deal: StoredRecord): Promise<QuickSaleStart> {
  const lines = ((deal.lines ?? []) as Array<Record<string, unknown>>).map(({ amount: _amount, ...line }) => line) as QuickSaleStart['lines'];
  const company = typeof deal.companyId === 'string' ? await findRecord(principal, 'COMPANY', deal.companyId) : undefined;
  const address = company?.address as Record<string, string | undefined> | undefined;
  const written = address && [address.street, [address.postalCode, address.city].filter(Boolean).join(' '), address.region, address.country].filter(Boolean).join(', ');
  const issues = [
    ...(lines.length ? [] : [{ path: 'lines', message: 'are required to start a quick sale: the order is the deal\'s lines' }]),
    ...(written ? [] : [{ path: 'companyId', message: 'must be a company with an address to start a quick sale: its order is delivered there' }]),
  ];
  if (issues.length) throw new FieldValidationError(issues);
  const today = new Date().toISOString().slice(0, 10);
  const close = typeof deal.expectedClose === 'string' && deal.expectedClose > today ? deal.expectedClose : today;
  return { client: { type: 'company', id: company!.id }, lines, delivery: { address: written!, date: close } };
}
