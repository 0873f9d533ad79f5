/**
 * Careers: every practitioner a resource names is in practice on the date of the act (their
 * qualification period, first year in practice to retirement), and practises a specialty that
 * existed then (no emergency physician before 1979, no hospitalist before 1996).
 */
import { periodOf } from '../knowledge/availability.js';
import type { FhirResource } from './bundle-source.js';
import { codingsOf, forEachReference, instantOf, referenceOf, resourceDates, type BundleView } from './bundle-view.js';
import type { CheckRule } from './rule.js';

const day = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** The date a resource's practitioners act on: its encounter's start, else its own first date. */
function actDate(r: FhirResource, view: BundleView): number | undefined {
  if (r.resourceType === 'Patient') {
    // generalPractitioner: the physician at the end of the record.
    return view.deathTime ?? (view.referenceDate === undefined ? undefined : instantOf(view.referenceDate));
  }
  const encRef = referenceOf(r['encounter']) ?? referenceOf((r['context'] as { encounter?: unknown[] } | undefined)?.encounter?.[0]);
  const enc = encRef === undefined ? undefined : view.resolve(encRef);
  const source = enc ?? r;
  const dates = resourceDates(source);
  const first = dates.find(([f]) => f === 'period.start') ?? dates[0];
  return first === undefined ? undefined : instantOf(first[1]);
}

interface Career {
  readonly start: number | undefined;
  readonly end: number | undefined;
  readonly specialty: { readonly system?: string; readonly code?: string } | undefined;
}

function careerOf(p: FhirResource): Career {
  const q = (p['qualification'] as { code?: unknown; period?: { start?: unknown; end?: unknown } }[] | undefined)?.[0];
  const at = (v: unknown): number | undefined => (typeof v === 'string' ? instantOf(v) : undefined);
  const end = at(q?.period?.end);
  // A date-only end is the whole of that day (the last day in practice).
  const endOfDay = end !== undefined && typeof q?.period?.end === 'string' && q.period.end.length === 10 ? end + 86_400_000 - 1 : end;
  return { start: at(q?.period?.start), end: endOfDay, specialty: codingsOf(q?.code)[0] };
}

export const practitionerActive: CheckRule = {
  id: 'clinical.practitioner-active',
  family: 'clinical',
  title: "every practitioner named is in practice on the act's date (qualification period) in a specialty of that era",
  check(view, emit) {
    const careers = new Map<string, Career>();
    for (const r of view.resources) {
      if (r.resourceType === 'Practitioner' || r.resourceType === 'Organization' || r.resourceType === 'Location') continue;
      let at: number | undefined | null = null;
      forEachReference(r, (reference, path) => {
        const p = view.resolve(reference);
        if (p?.resourceType !== 'Practitioner') return;
        if (at === null) at = actDate(r, view);
        // A recorder records when the item was recorded, not when it happened (past surgical
        // history taken at the window's first visit); without a recorded date there is none to check.
        // Likewise a Goal's expressedBy: R4 gives no date of expression (a goal set before the record
        // window is re-entered at its first visit, its start date kept).
        const where = path();
        const recording = /^(recorder|asserter|expressedBy)/.test(where);
        // A participant with a period of its own (a CareTeam member) acts from its start.
        const i = /^participant\[(\d+)\]/.exec(where)?.[1];
        const own = i === undefined ? undefined : (r['participant'] as { period?: { start?: unknown } }[] | undefined)?.[Number(i)]?.period?.start;
        const when = recording ? (typeof r['recordedDate'] === 'string' ? instantOf(r['recordedDate']) : undefined) : typeof own === 'string' ? instantOf(own) : at;
        if (when === undefined) return;
        let c = careers.get(reference);
        if (c === undefined) careers.set(reference, (c = careerOf(p)));
        const who = `Practitioner/${p.id}`;
        if (c.start === undefined) emit(r, `${who} has no career period (Practitioner.qualification.period)`);
        else if (when < c.start) emit(r, `${who} acts on ${day(when)}, before starting practice on ${day(c.start)}`);
        else if (c.end !== undefined && when > c.end) emit(r, `${who} acts on ${day(when)}, after retiring on ${day(c.end)}`);
        const s = c.specialty;
        const era = s?.system === undefined || s.code === undefined ? undefined : periodOf(s.system, s.code);
        if (era !== undefined && !(when >= era.from && when < era.until)) {
          emit(r, `${who} acts as ${era.coding.display} on ${day(when)}, before the specialty existed (from ${day(era.from)}: ${era.source})`);
        }
      });
    }
  },
};
