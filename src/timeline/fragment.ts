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

/**
 * The steps of `simulatePatient` that add to the record, in merge order (the order of the items in
 * each of the record's lists). {@link mergeSteps} takes exactly one fragment per name, so a step
 * named here but not merged fails to compile; a producer's return type names its step
 * ({@link StepFragment}), so a new producer cannot be written without a name here; and
 * test/architecture.test.ts refuses a timeline function returning a bare {@link RecordFragment}.
 */
export const RECORD_STEPS = ['clinic', 'lateStays', 'allergies', 'course', 'specialist', 'specialistCare', 'episodes', 'screening', 'pregnancy', 'postpartum', 'ward', 'inr', 'wardOrders'] as const;
export type RecordStep = (typeof RECORD_STEPS)[number];

/** Type-only: fragments carry their step's name in their type, never at run time. */
declare const stepOf: unique symbol;

/**
 * The fragment of one named step. The name lives only in the type, so one step's fragment passed
 * under another's name fails to compile.
 */
export type StepFragment<S extends RecordStep> = RecordFragment & { readonly [stepOf]?: S };

/** One fragment for every step of {@link RECORD_STEPS}, by name. */
export type StepFragments = { readonly [S in RecordStep]: StepFragment<S> };

/** The record's items from every step's fragment, merged in {@link RECORD_STEPS} order (see {@link mergeFragments}). */
export function mergeSteps(steps: StepFragments): RecordItems {
  return mergeFragments(RECORD_STEPS.map((s) => steps[s]));
}

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
