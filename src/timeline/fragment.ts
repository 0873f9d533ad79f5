/**
 * The one shape every timeline step hands back: the record items it produced, each list in the
 * order it was charted. A patient's record is the merge of its steps' fragments, so a new step
 * adds a fragment to the list instead of splicing into another step's arrays.
 */
import type { PatientRecord } from '../record/types.js';

/** The record's item lists, in the order the record declares them. */
export const ITEM_LISTS = [
  'encounters',
  'vitals',
  'bloodPressures',
  'smoking',
  'immunizations',
  'allergies',
  'conditions',
  'medications',
  'labReports',
  'procedures',
  'carePlans',
  'goals',
  'pregnancyStatuses',
  'prenatalExams',
  'deliveries',
  'screeningScores',
] as const satisfies readonly (keyof PatientRecord)[];

export type ItemList = (typeof ITEM_LISTS)[number];

/** Every item list of a record. */
export type RecordItems = Pick<PatientRecord, ItemList>;

/** What one step adds to the record: any of its item lists, each readonly. */
export type RecordFragment = Partial<RecordItems>;

type ListKeys<T> = { [K in keyof T]-?: NonNullable<T[K]> extends readonly unknown[] ? K : never }[keyof T];
/**
 * A list added to {@link PatientRecord} but not to {@link ITEM_LISTS} would be dropped by every merge;
 * this makes that a compile error naming the list.
 */
export type UnmergedLists = Exclude<ListKeys<PatientRecord>, ItemList>;
const everyListMerged: [UnmergedLists] extends [never] ? true : UnmergedLists = true;
void everyListMerged;

/** Joins fragments list by list, keeping the order of the fragments and of the items in each. */
export function concatFragments(fragments: readonly RecordFragment[]): RecordItems {
  const out: Record<ItemList, unknown[]> = Object.fromEntries(ITEM_LISTS.map((k) => [k, []])) as unknown as Record<ItemList, unknown[]>;
  for (const f of fragments) {
    for (const k of ITEM_LISTS) {
      const items = f[k];
      if (items !== undefined) for (const item of items) out[k].push(item);
    }
  }
  return out as unknown as RecordItems;
}

/**
 * The record's items from all its steps' fragments: lists joined in fragment order, encounters then
 * sorted by start (stably, so encounters starting together keep their charting order).
 */
export function mergeFragments(fragments: readonly RecordFragment[]): RecordItems {
  const items = concatFragments(fragments);
  return { ...items, encounters: [...items.encounters].sort((a, b) => a.start - b.start) };
}
