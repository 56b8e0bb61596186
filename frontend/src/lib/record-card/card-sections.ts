/**
 * The record card is a list of sections, each a component that gets the card's context. A later
 * panel (a record's processes, its calls) is one more entry here: the card itself does not change.
 * Order here is order on screen.
 */
import type { Component } from 'svelte';
import type { ApiClient } from '../api/api-client.ts';
import type { FieldDefinition } from '$contracts/fields.ts';
import type { UiRecordType } from '../records/record-types.ts';
import FieldsSection from './FieldsSection.svelte';
import RelatedSection from './RelatedSection.svelte';
import HistorySection from './HistorySection.svelte';
import ActivityLogSection from './ActivityLogSection.svelte';
import ProcessesSection from '../processes/ProcessesSection.svelte';
import StageTimelineSection from '../pipelines/StageTimelineSection.svelte';
import { processesFor } from '../processes/process-starts.ts';
import { relatedListsOf } from './related-lists.ts';
import type { CardRecord } from './card-record.ts';

export interface CardContext {
  api: ApiClient;
  type: UiRecordType;
  /** The record as last read or saved; sections show it and save through `saved`. */
  record: CardRecord;
  /** The tenant's live custom fields of the type. */
  customFields: FieldDefinition[];
  /** A section saved the record (or learned its current state from a conflict). */
  saved: (record: CardRecord) => void;
  /** Opens another record in the card (a related record). */
  open: (type: UiRecordType, id: string) => void;
  /** Bumped when a section made records related to this one (a call logged): lists read again. */
  relatedRevision: number;
  relatedChanged: () => void;
}

export interface CardSection {
  id: string;
  title: string;
  component: Component<{ card: CardContext }>;
  appliesTo: (type: UiRecordType) => boolean;
}

export const CARD_SECTIONS: readonly CardSection[] = [
  { id: 'fields', title: 'Fields', component: FieldsSection, appliesTo: () => true },
  // Wherever activities can point at the record: a call or a note, logged as an activity.
  { id: 'log', title: 'Log a call or note', component: ActivityLogSection, appliesTo: (type) => relatedListsOf(type).some((list) => list.type.info.key === 'ACTIVITY') },
  // Where a process starts on the type: its instances (a deal's sale and how far it got), and Start.
  { id: 'processes', title: 'Processes', component: ProcessesSection, appliesTo: (type) => processesFor(type).length > 0 },
  // A deal's moves through its pipeline's stages, newest first (its stage moves, not its field history).
  { id: 'stages', title: 'Stage history', component: StageTimelineSection, appliesTo: (type) => type.info.key === 'DEAL' },
  { id: 'related', title: 'Related records', component: RelatedSection, appliesTo: () => true },
  { id: 'history', title: 'History', component: HistorySection, appliesTo: () => true },
];

export const sectionsFor = (type: UiRecordType) => CARD_SECTIONS.filter((section) => section.appliesTo(type));
