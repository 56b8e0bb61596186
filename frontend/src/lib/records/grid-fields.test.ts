// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { companyType } from '$contracts/company.ts';
import { dealType } from '$contracts/deal.ts';
import { activityType } from '$contracts/activity.ts';
import type { FieldDefinition } from '$contracts/fields.ts';
import { gridFields, namesToLookUp, shownNames, textOf, valueOf } from './grid-fields.ts';
import type { Pipeline } from '$contracts/deal-stages.ts';
import { tenantPipelines } from '../pipelines/tenant-pipelines.svelte.ts';
import { RENEWALS } from '../../../../test/support/pipelines.ts';
import { InputRefused } from './cell-input.ts';

const definition = (over: Partial<FieldDefinition>): FieldDefinition => ({
  key: 'cf_tier',
  recordType: 'COMPANY',
  label: 'Tier',
  type: 'single_select',
  options: ['gold', 'silver'],
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'u',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'u',
  ...over,
});

describe('grid fields', () => {
  it('knows which fields a record must hold: their dropdowns offer no empty choice', () => {
    const [kind, industry] = gridFields(activityType, ['kind'], []).concat(gridFields(companyType, ['industry'], []));
    expect(kind).toMatchObject({ kind: 'select', required: true });
    expect(industry.required).toBe(false);
    const [optional, required] = gridFields(companyType, ['cf_tier', 'cf_size'], [definition({}), definition({ key: 'cf_size', required: true })]);
    expect([optional.required, required.required]).toEqual([undefined, true]);
  });

  it('reads each built-in field kind from the contract', () => {
    const kinds = Object.fromEntries(gridFields(dealType, ['name', 'amount', 'expectedClose', 'probability', 'companyId', 'contactIds', 'tags', 'updatedAt'], []).map((f) => [f.key, f.kind]));
    expect(kinds).toEqual({
      name: 'text',
      amount: 'money',
      expectedClose: 'date',
      probability: 'percent',
      companyId: 'relation',
      contactIds: 'relation',
      tags: 'list',
      updatedAt: 'datetime',
    });
    const [kind, done, dueAt] = gridFields(activityType, ['kind', 'done', 'dueAt'], []);
    // Shown, offered and read by label; the key is what is stored.
    expect(kind).toMatchObject({ kind: 'select', options: ['Task', 'Call', 'Meeting', 'Email', 'Note'] });
    expect(textOf(kind, 'email')).toBe('Email');
    expect(['Call', 'call', ' CALL '].map((text) => valueOf(kind, text))).toEqual(['call', 'call', 'call']);
    // Any other text is refused on the cell, as a deal's stage is, in the words the server would use.
    expect(() => valueOf(kind, 'Lunch')).toThrow(new InputRefused('Kind must be one of Task, Call, Meeting, Email, Note.'));
    expect(done.kind).toBe('checkbox');
    expect(dueAt.kind).toBe('datetime');
  });

  it('takes custom fields from their definitions and skips deleted ones', () => {
    const fields = gridFields(companyType, ['name', 'cf_tier', 'cf_gone'], [definition({}), definition({ key: 'cf_gone', deletedAt: '2026-01-02T00:00:00.000Z' })]);
    expect(fields.map((f) => [f.key, f.kind])).toEqual([
      ['name', 'text'],
      ['cf_tier', 'select'],
    ]);
  });

  it('turns typed text into values by kind, and values back into text', () => {
    const [size, tags, name, updatedAt] = gridFields(companyType, ['size', 'tags', 'name', 'updatedAt'], []);
    expect(valueOf(size, '42')).toBe(42);
    expect(valueOf(tags, 'a; b')).toEqual(['a', 'b']);
    expect(valueOf(name, '  ')).toBeNull();
    expect(textOf(tags, ['a', 'b'])).toBe('a; b');
    expect(updatedAt.editable).toBe(false);
    const [amount] = gridFields(dealType, ['amount'], []);
    expect(valueOf(amount, '12.50 EUR')).toEqual({ amount: '12.50', currency: 'EUR' });
    expect(textOf(amount, { amount: '12.50', currency: 'EUR' })).toBe('12.50 EUR');
  });

  it("shows phones as the user's country writes them (jsdom: en-US) and reads them back as stored", () => {
    const [phones] = gridFields(companyType, ['phones'], []);
    expect(phones.phone).toBe(true);
    expect(textOf(phones, ['+14155550134', '+442079460958'])).toBe('(415) 555-0134; +44 20 7946 0958');
    expect(valueOf(phones, '(415) 555-0134; +44 20 7946 0958')).toEqual(['+14155550134', '+442079460958']);
    const [custom] = gridFields(companyType, ['cf_fax'], [definition({ key: 'cf_fax', label: 'Fax', type: 'phone', options: undefined })]);
    expect([custom.phone, textOf(custom, '+14155550134'), valueOf(custom, '(415) 555-0134')]).toEqual([true, '(415) 555-0134', '+14155550134']);
  });

  it('offers a deal\'s stage as a choice of the pipeline\'s stages: labels shown, keys stored, anything else refused', () => {
    const [stage, pipeline] = gridFields(dealType, ['stage', 'pipeline'], []);
    expect(stage).toMatchObject({ kind: 'select', editable: true, options: ['New', 'Qualified', 'Proposal', 'Negotiation', 'Won', 'Lost'] });
    expect(['won', 'WON', ' Won ', 'won'].map((text) => valueOf(stage, text))).toEqual(['won', 'won', 'won', 'won']);
    expect(valueOf(stage, 'negotiation')).toBe('negotiation');
    expect(() => valueOf(stage, 'Closed won')).toThrow(new InputRefused('Stage must be one of New, Qualified, Proposal, Negotiation, Won, Lost.'));
    // A deal is always in a stage: emptying the cell is refused here, not sent.
    expect(() => valueOf(stage, '  ')).toThrow(InputRefused);
    expect(textOf(stage, 'proposal')).toBe('Proposal');
    // Stored before stages were known: shown as the stage it names, or as it is.
    expect([textOf(stage, 'LOST'), textOf(stage, 'open'), textOf(stage, undefined)]).toEqual(['Lost', 'open', '']);
    expect(valueOf(pipeline, 'sales')).toBe('default');
    expect([textOf(pipeline, 'default'), textOf(pipeline, undefined)]).toEqual(['Sales', 'Sales']);
    expect(() => valueOf(pipeline, 'Renewals')).toThrow(new InputRefused('Pipeline must be one of Sales.'));
    // Views group, sort and search the column by what it shows, so `Lost` and `lost` are one group.
    const shown = shownNames([stage])!.of('stage')!;
    expect([shown('lost'), shown('Lost'), shown(null)]).toEqual(['Lost', 'Lost', null]);
    // They sort in the pipeline's order (not A to Z); a value that names no stage after them.
    const order = shownNames([stage])!.orderOf!('stage')!;
    expect([order('new'), order('Lost'), order('won'), order('open')]).toEqual([0, 5, 4, 'open']);
  });

  it('reads the stages and loss reasons of every pipeline of the tenant; the dropdown offers the row\'s pipeline\'s stages', () => {
    // The browser tests' renewals pipeline, with a reason the default has too (its key read once).
    const renewals: Pipeline = { ...RENEWALS, version: 1, lossReasons: [...RENEWALS.lossReasons, { key: 'price', label: 'Too dear' }] };

    tenantPipelines.replace('renewals', renewals);
    try {
      const [stage, pipeline, lossReason] = gridFields(dealType, ['stage', 'pipeline', 'lossReason'], []);
      expect(stage.options).toEqual(['New', 'Qualified', 'Proposal', 'Negotiation', 'Won', 'Lost', 'Due', 'Quote', 'Renewed', 'Churned']);
      expect([valueOf(stage, 'due'), valueOf(stage, 'Churned'), valueOf(stage, 'RENEWED')]).toEqual(['due', 'churned', 'renewed']);
      expect(() => valueOf(stage, 'Archived')).toThrow(new InputRefused('Stage must be one of New, Qualified, Proposal, Negotiation, Won, Lost, Due, Quote, Renewed, Churned.'));
      expect([valueOf(pipeline, 'Renewals'), textOf(pipeline, 'renewals')]).toEqual(['renewals', 'Renewals']);
      // Each reason once, labelled by the first pipeline that has it (`price` is Price, not Too dear).
      expect(lossReason.options).toEqual(['Price', 'Competitor', 'No budget', 'No decision', 'Timing', 'Other', 'Moved away', 'Budget cut']);
      expect([valueOf(lossReason, 'Moved away'), valueOf(lossReason, 'price'), textOf(lossReason, 'no_budget')]).toEqual(['moved_away', 'price', 'No budget']);
      // A deal offers its own pipeline's stages and reasons (no pipeline: the first; an unknown one: all).
      const labelsOf = (field: typeof stage, deal: Record<string, unknown>) => field.choices!.ofRecord!((key) => deal[key])?.map((choice) => choice.label);
      expect(labelsOf(stage, { pipeline: 'renewals' })).toEqual(['Due', 'Quote', 'Renewed', 'Churned']);
      expect(labelsOf(stage, {})).toEqual(['New', 'Qualified', 'Proposal', 'Negotiation', 'Won', 'Lost']);
      expect(labelsOf(stage, { pipeline: 'gone' })).toBeUndefined();
      expect(labelsOf(lossReason, { pipeline: 'Renewals' })).toEqual(['Moved away', 'Budget cut', 'Too dear']);
    } finally {
      tenantPipelines.replace('renewals', null);
    }
  });

  it('reads and shows a probability as a percent, refusing in plain words what is none', () => {
    const [probability] = gridFields(dealType, ['probability'], []);
    expect(['10%', '10 %', '25', '12,5%', '0.1'].map((text) => valueOf(probability, text))).toEqual([10, 10, 25, 12.5, 0.1]);
    expect(valueOf(probability, '')).toBeNull();
    expect(textOf(probability, 25)).toBe('25%');
    expect(textOf(probability, 0.25)).toBe('0.25%');
    for (const text of ['ten', '150%', '-5']) expect(() => valueOf(probability, text)).toThrow(new InputRefused('Probability must be a percent from 0 to 100, like 25%.'));
    // Custom percent fields read alike.
    const custom = gridFields(companyType, ['cf_share'], [definition({ key: 'cf_share', label: 'Share', type: 'percent', options: undefined })])[0];
    expect([valueOf(custom, '5 %'), textOf(custom, 5)]).toEqual([5, '5%']);
  });

  it('gathers the record names (not ids, not a hidden record) a write gives relation cells, by target type', () => {
    const [company, contacts, name] = gridFields(dealType, ['companyId', 'contactIds', 'name'], []);
    const id = '01J00000000000000000000000';
    const wanted = namesToLookUp([
      { field: company, text: ' Acme ' },
      { field: contacts, text: `Ann; ${id}\nBob` },
      { field: contacts, text: 'Hidden record; Ann' },
      { field: name, text: 'Not a name to look up' },
      { field: company, text: '' },
    ]);
    expect(Object.fromEntries([...wanted].map(([type, names]) => [type, [...names]]))).toEqual({ COMPANY: ['Acme'], CONTACT: ['Ann', 'Bob'] });
  });
});
