/**
 * A visit note says what the visit was: a note worded as an immunization visit has a vaccine given
 * at its encounter, and a specialist's note on a care pathway (nephrology, oncology, radiation,
 * the biopsy) addresses the condition the visit was for in its assessment and plan.
 */
import { loadPathways } from '../knowledge/pathways.js';
import { clinicNames } from '../knowledge/specialist-notes.js';
import { loadSpecialists } from '../knowledge/specialists.js';
import type { FhirResource } from './bundle-source.js';
import { referenceOf, type BundleView } from './bundle-view.js';
import type { CheckRule } from './rule.js';

/** What the template writer says of a vaccine-only visit ("seen today for scheduled immunizations"). */
export const IMMUNIZATION_WORDING = /scheduled immunizations|vaccine administration|nurse visit for immunizations|immunizations given as above|encounter for immunization/i;

/** The heading of a note's assessment and plan, on a line of its own ("Assessment and Plan:", "A/P:", "Impression and Recommendations:"). */
const PLAN_HEADING = /^(?:assessment|plan|a\/p|impression)[^\n:]{0,40}:?[ \t]*$/gim;

const PROGRESS_OR_CONSULT = new Set(['11506-3', '11488-4']);

function noteText(doc: FhirResource): string | undefined {
  const content = doc['content'] as { attachment?: { data?: unknown } }[] | undefined;
  const data = content?.[0]?.attachment?.data;
  return typeof data === 'string' ? Buffer.from(data, 'base64').toString('utf8') : undefined;
}

/** The NUCC taxonomy codes of the specialists the pathways book (pathways.yaml). */
function pathwayTaxonomies(): Set<string> {
  const p = loadPathways();
  const keys = new Set([p.kidney.referral.specialty, p.cancers.oncologist, p.cancers.radiationOncologist]);
  for (const t of Object.values(p.cancers.types)) keys.add(t.biopsy.specialty);
  const all = loadSpecialists().specialists;
  return new Set([...keys].map((k) => all[k]!.code));
}

/** The text of the note's last assessment/plan section, or undefined when it has none. */
export function planSection(text: string): string | undefined {
  let start: number | undefined;
  for (const m of text.matchAll(PLAN_HEADING)) start = m.index + m[0].length;
  return start === undefined ? undefined : text.slice(start);
}

/** The names a note may give a condition: its code's text and displays (without the semantic tag) and the clinic names. */
function namesOf(condition: FhirResource): string[] {
  const code = condition['code'] as { text?: string; coding?: { code?: string; display?: string }[] } | undefined;
  const names = [code?.text ?? '', ...(code?.coding ?? []).map((c) => (c.display ?? '').replace(/\s*\([^)]*\)$/, ''))];
  for (const c of code?.coding ?? []) if (c.code !== undefined) names.push(...clinicNames(c.code));
  return names.filter((n) => n.length > 0).map((n) => n.toLowerCase());
}

function isSpecialistVisit(view: BundleView, encounter: FhirResource, taxonomies: ReadonlySet<string>): boolean {
  const participants = (encounter['participant'] as { individual?: unknown }[] | undefined) ?? [];
  return participants.some((p) => {
    const ref = referenceOf(p.individual);
    const who = ref === undefined ? undefined : view.resolve(ref);
    const qualifications = (who?.['qualification'] as { code?: { coding?: { code?: string }[] } }[] | undefined) ?? [];
    return qualifications.some((q) => (q.code?.coding ?? []).some((c) => c.code !== undefined && taxonomies.has(c.code)));
  });
}

export const noteVisitKind: CheckRule = {
  id: 'clinical.note-visit-kind',
  family: 'clinical',
  title: "an immunization-worded note has a vaccine given at its encounter; a pathway specialist's note addresses the visit's reason in its plan",
  check(view, emit) {
    const vaccinated = new Set<FhirResource>();
    for (const r of view.resources) {
      if (r.resourceType !== 'Immunization') continue;
      const ref = referenceOf(r['encounter']);
      const e = ref === undefined ? undefined : view.resolve(ref);
      if (e !== undefined) vaccinated.add(e);
    }
    let taxonomies: Set<string> | undefined;
    for (const doc of view.resources) {
      if (doc.resourceType !== 'DocumentReference') continue;
      const text = noteText(doc);
      const ref = referenceOf((doc['context'] as { encounter?: unknown[] } | undefined)?.encounter?.[0]);
      const encounter = ref === undefined ? undefined : view.resolve(ref);
      if (text === undefined || encounter?.resourceType !== 'Encounter') continue;
      if (IMMUNIZATION_WORDING.test(text) && !vaccinated.has(encounter)) emit(doc, `is worded as an immunization visit, but no Immunization was given at ${ref}`);
      const type = (doc['type'] as { coding?: { code?: string }[] } | undefined)?.coding?.[0]?.code;
      const reasonRef = referenceOf((encounter['reasonReference'] as unknown[] | undefined)?.[0]);
      const reason = reasonRef === undefined ? undefined : view.resolve(reasonRef);
      if (type === undefined || !PROGRESS_OR_CONSULT.has(type) || reason?.resourceType !== 'Condition') continue;
      taxonomies ??= pathwayTaxonomies();
      if (!isSpecialistVisit(view, encounter, taxonomies)) continue;
      const plan = planSection(text)?.toLowerCase();
      const names = namesOf(reason);
      if (plan === undefined) emit(doc, `specialist note for ${names[0] ?? reasonRef} has no assessment and plan`);
      else if (!names.some((n) => plan.includes(n))) emit(doc, `specialist note's plan does not address the visit's reason (${names[0] ?? reasonRef})`);
    }
  },
};
