/**
 * Who actually signed: the timeline books every item with a post (the clinic's pediatrician, the
 * hospital's nephrologist); this resolves each post to the physician holding it on the item's
 * date, so no one authors outside their career and a retired doctor's patients pass to the
 * successor. An item charted at an encounter takes the encounter's date; others their own.
 */
import type { Instant } from '../core/time.js';
import type { Encounter, Practitioner, PatientRecord, PractitionerId } from '../record/types.js';
import { ITEM_LISTS, type RecordItems } from './fragment.js';

/** Resolves a post to its holder at a date; undefined when the id is not a post. */
export type HolderAt = (id: string, time: Instant) => Practitioner | undefined;

/** The record's items restaffed, and every physician they now name, in first-use order. */
export interface Restaffed {
  readonly items: RecordItems;
  readonly primaryCarePractitionerId: PractitionerId;
  readonly practitioners: readonly Practitioner[];
  /** The post each named physician holds (for the organization they sign for). */
  readonly postOf: ReadonlyMap<PractitionerId, string>;
}

/** Date fields an item may carry, in the order they are read when it has no encounter. */
const TIME_FIELDS = ['start', 'authored', 'time', 'recorded'] as const;

type Item = { readonly [field: string]: unknown };

function ownTime(item: Item): Instant | undefined {
  for (const f of TIME_FIELDS) {
    const v = item[f];
    if (typeof v === 'number') return v;
  }
  return undefined;
}

/**
 * Restaffs `items` (and the death observation and the primary-care physician at `end`).
 * @param primaryCarePost the post of the patient's doctor at the end of the record.
 */
export function restaff(
  items: RecordItems,
  extra: { readonly death?: PatientRecord['death']; readonly primaryCarePost: PractitionerId; readonly end: Instant },
  holderAt: HolderAt,
): Restaffed & { readonly death: PatientRecord['death'] } {
  const used = new Map<string, Practitioner>();
  const postOf = new Map<PractitionerId, string>();
  const resolve = (id: PractitionerId, time: Instant): PractitionerId => {
    const holder = holderAt(id, time);
    if (holder === undefined) return id;
    if (!used.has(holder.id)) used.set(holder.id, holder);
    postOf.set(holder.id, id);
    return holder.id;
  };
  const encounterStart = new Map<string, Instant>(items.encounters.map((e: Encounter) => [e.id, e.start]));
  const timeOf = (item: Item): Instant | undefined => {
    const enc = item['encounterId'];
    return (typeof enc === 'string' ? encounterStart.get(enc) : undefined) ?? ownTime(item);
  };
  const fix = <T extends Item>(item: T): T => {
    const t = timeOf(item);
    if (t === undefined) return item;
    let out: T = item;
    for (const field of ['practitionerId', 'referrerId'] as const) {
      const id = item[field];
      if (typeof id !== 'string') continue;
      const holder = resolve(id as PractitionerId, t);
      if (holder !== id) out = { ...out, [field]: holder };
    }
    return out;
  };
  const lists = Object.fromEntries(ITEM_LISTS.map((k) => [k, (items[k] as unknown as readonly Item[]).map(fix)])) as unknown as RecordItems;
  const death = extra.death === undefined ? undefined : fix(extra.death as unknown as Item);
  return {
    items: lists,
    death: death as unknown as PatientRecord['death'],
    primaryCarePractitionerId: resolve(extra.primaryCarePost, extra.end),
    practitioners: [...used.values()],
    postOf,
  };
}
