/**
 * The facts of a specialist's visit on a pathway (pathways.yaml): which specialty sees the patient,
 * the treatment of the condition followed so far (chemotherapy cycles, weeks of radiation, the
 * operation, endocrine therapy, dialysis or conservative care, each with its dates) and what the
 * record holds next for it (the next cycle, the start of dialysis, the next follow-up and when).
 * So a specialist's note can say where the patient is in their care from the record alone.
 */
import { instantToDate, MS_PER_DAY } from '../core/time.js';
import { loadPathways } from '../knowledge/pathways.js';
import { loadSpecialists } from '../knowledge/specialists.js';
import { once } from '../knowledge/load.js';
import type { Encounter, PatientRecord, ProcedureEntry } from '../record/types.js';
import type { Fact } from './facts.js';
import { plainDisplay } from './plain-display.js';

/** The specialties the pathways book visits with, by NUCC taxonomy code. */
const pathwaySpecialties = once((): ReadonlyMap<string, string> => {
  const p = loadPathways();
  const keys = new Set([p.kidney.referral.specialty, p.cancers.oncologist, p.cancers.radiationOncologist]);
  for (const t of Object.values(p.cancers.types)) {
    keys.add(t.biopsy.specialty);
    if (t.surgery !== undefined) keys.add(t.surgery.specialty);
  }
  const all = loadSpecialists().specialists;
  return new Map([...keys].map((k) => [all[k]!.code, k]));
});

/** The specialty (specialists.yaml key) of an ambulatory pathway visit, or undefined for any other encounter. */
export function visitSpecialty(record: PatientRecord, encounter: Encounter): string | undefined {
  if (encounter.class !== 'AMB' || encounter.reasonConditionId === undefined) return undefined;
  const p = record.providers.practitioners.find((x) => x.id === encounter.practitionerId);
  return p === undefined ? undefined : pathwaySpecialties().get(p.specialty.code);
}

/** "in 3 weeks", "in 4 months": how far ahead the next visit is. */
export function intervalText(days: number): string {
  if (days < 11) return 'in 1 week';
  if (days < 56) return `in ${Math.round(days / 7)} weeks`;
  const months = Math.max(2, Math.round(days / 30.4));
  return months >= 12 && months % 12 === 0 ? `in ${months / 12 === 1 ? '1 year' : `${months / 12} years`}` : `in ${months} months`;
}

interface Course {
  readonly chemo: readonly ProcedureEntry[];
  readonly radiation: readonly ProcedureEntry[];
  readonly other: readonly { readonly p: ProcedureEntry; readonly label: string; readonly role: 'biopsy' | 'surgery' | 'hormone' | 'kidney' }[];
}

function courseOf(record: PatientRecord, encounter: Encounter, until: number): Course {
  const p = loadPathways();
  const m = p.cancers.modalities;
  const condition = record.conditions.find((c) => c.id === encounter.reasonConditionId);
  const type = condition === undefined ? undefined : p.cancers.types[condition.key];
  const kidney = new Map(p.kidney.kidneyFailure.options.map((o) => [o.procedure.code, o.text]));
  const mine = record.procedures.filter((x) => x.reasonConditionId === encounter.reasonConditionId && x.start <= until).sort((a, b) => a.start - b.start);
  const other: Course['other'][number][] = [];
  for (const x of mine) {
    // A laboratory procedure (the preoperative type and screen) is no treatment.
    if (x.category !== undefined || x.code.code === m.chemotherapy.code || x.code.code === m.radiation.code) continue;
    if (x.code.code === m.hormone.code && type?.hormone !== undefined) other.push({ p: x, label: type.hormone.text.replace(/\s*\(.*\)$/, '').toLowerCase(), role: 'hormone' });
    else if (type !== undefined && x.code.code === type.biopsy.procedure.code) other.push({ p: x, label: plainDisplay(x.code.display).toLowerCase(), role: 'biopsy' });
    else if (kidney.has(x.code.code)) other.push({ p: x, label: kidneyLabel(x.code.code), role: 'kidney' });
    else {
      const option = type?.surgery?.options.find((o) => o.procedure.code === x.code.code);
      other.push({ p: x, label: (option?.text ?? plainDisplay(x.code.display)).toLowerCase(), role: 'surgery' });
    }
  }
  return { chemo: mine.filter((x) => x.code.code === m.chemotherapy.code), radiation: mine.filter((x) => x.code.code === m.radiation.code), other };
}

/** How a nephrologist names the kidney-failure decision the record holds. */
function kidneyLabel(code: string): string {
  const o = loadPathways().kidney.kidneyFailure.options.find((x) => x.procedure.code === code)!;
  return o.kind === 'hemodialysis' ? 'in-center hemodialysis' : o.kind === 'peritoneal-dialysis' ? 'peritoneal dialysis' : 'conservative kidney management (dialysis declined)';
}

/**
 * The course and next-step facts of a pathway visit (empty for any other encounter). Ids:
 * `history.procedure.chemotherapy`, `history.procedure.radiation`, `history.procedure.course<n>`
 * (biopsy, operation, endocrine therapy, dialysis), `history.plan.next` (what is booked next).
 */
export function specialistFacts(record: PatientRecord, encounter: Encounter): Fact[] {
  const specialty = visitSpecialty(record, encounter);
  if (specialty === undefined) return [];
  const course = courseOf(record, encounter, encounter.end);
  const facts: Fact[] = [];
  const today = (x: ProcedureEntry): boolean => x.encounterId === encounter.id;
  const n = course.chemo.length;
  if (n > 0) {
    const last = course.chemo.at(-1)!;
    const label = today(last) ? `cycle ${n} of chemotherapy` : `${n} ${n === 1 ? 'cycle' : 'cycles'} of chemotherapy`;
    facts.push({ id: 'history.procedure.chemotherapy', kind: 'history', label, synonyms: ['chemotherapy', 'chemo'], date: instantToDate(last.start), resourceId: last.id });
  }
  const w = course.radiation.length;
  if (w > 0) {
    const last = course.radiation.at(-1)!;
    const label = today(last) ? `week ${w} of radiation therapy` : `${w} ${w === 1 ? 'week' : 'weeks'} of radiation therapy`;
    facts.push({ id: 'history.procedure.radiation', kind: 'history', label, synonyms: ['radiation therapy', 'radiation', 'XRT'], date: instantToDate(last.start), resourceId: last.id });
  }
  course.other.forEach((o, k) => {
    facts.push({ id: `history.procedure.course${k + 1}`, kind: 'history', label: o.label, date: instantToDate(o.p.start), resourceId: o.p.id, synonyms: [o.role] });
  });
  const next = nextVisit(record, encounter);
  if (next !== undefined) facts.push({ id: 'history.plan.next', kind: 'history', label: next, synonyms: [] });
  return facts;
}

/** What the record holds next for the condition, and when ("cycle 4 of chemotherapy in 3 weeks"); undefined when nothing is booked. */
function nextVisit(record: PatientRecord, encounter: Encounter): string | undefined {
  const next = record.encounters
    .filter((e) => e.reasonConditionId === encounter.reasonConditionId && e.start > encounter.end && e.class !== 'EMER')
    .reduce<Encounter | undefined>((a, e) => (a === undefined || e.start < a.start ? e : a), undefined);
  if (next === undefined) return undefined;
  const when = intervalText((next.start - encounter.start) / MS_PER_DAY);
  const m = loadPathways().cancers.modalities;
  const there = record.procedures.filter((x) => x.encounterId === next.id);
  const course = courseOf(record, encounter, encounter.end);
  if (there.some((x) => x.code.code === m.chemotherapy.code)) return `cycle ${course.chemo.length + 1} of chemotherapy ${when}`;
  if (there.some((x) => x.code.code === m.radiation.code)) return `next radiation treatment ${when}`;
  const kidney = there.find((x) => loadPathways().kidney.kidneyFailure.options.some((o) => o.procedure.code === x.code.code));
  if (kidney !== undefined) {
    const label = kidneyLabel(kidney.code.code);
    return label.startsWith('conservative') ? `kidney replacement therapy decision visit ${when}` : `${label} to start ${when}`;
  }
  if (next.class === 'IMP') return `${(there[0] === undefined ? 'surgery' : plainDisplay(there[0].code.display)).toLowerCase()} ${when}`;
  const specialty = visitSpecialty(record, next);
  const visit = /consult/i.test(next.type.display) ? 'consultation' : 'follow-up';
  const name = specialty === undefined ? visit : `${loadSpecialists().specialists[specialty]!.display.replace(/ Physician$/, '').replace(/\s*\(.*\)$/, '').toLowerCase()} ${visit}`;
  return `${name} ${when}`;
}
