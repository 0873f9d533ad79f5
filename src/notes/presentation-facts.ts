/**
 * The presentation part of a fact sheet: for a visit or stay for an acute condition or an
 * exacerbation, the symptoms the patient reports (with their onset), the chief complaint in the
 * patient's words, the pertinent negatives and the exam findings, drawn from the presentation data
 * (`presentations.yaml`) and kept consistent with the record: the onset is the condition's recorded
 * onset, fever is reported exactly when the recorded temperature is febrile, and nothing the sheet
 * names is denied. The draw is seeded by the episode (the condition), so the ED note, the H&P and
 * the discharge summary of one illness tell the same story.
 */
import { presentationsByCode, verbalSymptoms, type Presentation, type PresentationSymptom } from '../knowledge/presentations.js';
import { instantToDate } from '../core/time.js';
import { rosBand } from '../knowledge/review-of-systems.js';
import type { Encounter, PatientRecord } from '../record/types.js';
import type { Fact } from './facts.js';
import { Chooser } from './template/chooser.js';

/** Febrile from 37.8 °C, the threshold the episode model records fevers from. */
export const FEVER_C = 37.8;

export interface PresentationFacts {
  readonly facts: Fact[];
  /** "denies ..." negatives the presentation supports. */
  readonly negatives: string[];
  readonly chiefComplaint: string;
  readonly presentation: string;
}

const HOUR_MS = 3_600_000;

function presentationFor(record: PatientRecord, encounter: Encounter): Presentation | undefined {
  const byCode = presentationsByCode();
  const reason = encounter.reasonConditionId === undefined ? undefined : record.conditions.find((c) => c.id === encounter.reasonConditionId);
  return (encounter.reason === undefined ? undefined : byCode.get(encounter.reason.code)) ?? (reason === undefined ? undefined : byCode.get(reason.code.code));
}

/** The longest an episode's own symptoms can have run before its visit (acute modules see patients within weeks). */
const EPISODE_ONSET_MAX_MS = 60 * 24 * HOUR_MS;

/** Fills `{side}`, `{Side}`, `{days}` and `{hours}`, with "x1 days" made singular. */
export function fillPresentationText(text: string, side: string, hours: number): string {
  const days = Math.max(1, Math.round(hours / 24));
  return text
    .replaceAll('{side}', side)
    .replaceAll('{Side}', side.charAt(0).toUpperCase() + side.slice(1))
    .replaceAll('{days}', String(days))
    .replaceAll('{hours}', String(Math.max(1, Math.round(hours))))
    // "x1 days" and "1 days" alike (the x joins the number, so no word boundary before the 1), and "x2 day" the other way.
    .replace(/(?<![\d.])1 (day|hour)s\b/g, '1 $1')
    .replace(/(?<![\d.])((?:[2-9]|\d{2,})) (day|hour)\b(?!s)/g, '$1 $2s');
}

/**
 * Symptoms, findings and negatives for the encounter, or undefined when its reason is not a
 * presentation the data knows. `named` is the text of every other fact on the sheet: a symptom it
 * names is never denied.
 */
export function presentationFacts(
  record: PatientRecord,
  encounter: Encounter,
  age: number,
  temperatureC: number | undefined,
  isNamed: (symptom: string) => boolean,
): PresentationFacts | undefined {
  const p = presentationFor(record, encounter);
  if (p === undefined) return undefined;
  const c = new Chooser(`presentation|${encounter.reasonConditionId ?? encounter.id}`);
  const side = c.pick(['left', 'right']);
  const condition = record.conditions.find((x) => x.id === encounter.reasonConditionId);
  // The recorded onset when it is earlier than the visit; else the presentation's typical lead time.
  // An onset months or years back is the chronic condition's, not this episode's (a new stroke in a
  // patient whose first one is on the problem list): then the lead time too.
  const recent = condition !== undefined && encounter.start - condition.onset <= EPISODE_ONSET_MAX_MS;
  // An onset at the visit that diagnosed it (an exacerbation recorded on arrival in the ED) says when it was
  // seen, not when it began: the admission's H&P would otherwise date 3 days of dyspnea "x3h", from the ED wait.
  const seenAt = record.encounters.find((e) => e.id === condition?.encounterId)?.start ?? encounter.start;
  const episodeStart = condition !== undefined && recent && condition.onset < Math.min(encounter.start, seenAt) - HOUR_MS ? condition.onset : undefined;
  const drawnHours = p.onsetHours !== undefined ? p.onsetHours.min + c.next() * (p.onsetHours.max - p.onsetHours.min) : 24 * (p.onsetDays!.min + c.next() * (p.onsetDays!.max - p.onsetDays!.min));
  const hours = episodeStart === undefined ? Math.round(drawnHours) : Math.round((encounter.start - episodeStart) / HOUR_MS);
  const febrile = temperatureC === undefined ? undefined : temperatureC >= FEVER_C;
  const unreportable = new Set(rosBand((encounter.start - record.demographics.birthTime) / (365.25 * 86_400_000)).unreportable);

  const present = (s: PresentationSymptom, first: boolean): boolean => {
    if (age < s.minAge || age >= s.maxAge) return false;
    if (age < 3 && s.childWords === undefined && verbalSymptoms().has(s.name)) return false;
    // Nor does a caregiver report for a child what only the child could say (a toddler's headache).
    if (s.childWords === undefined && unreportable.has(s.name)) return false;
    if (s.fever) return febrile ?? c.chance(s.share);
    return first || c.chance(s.share);
  };
  const facts: Fact[] = [];
  const reported = new Set<string>();
  p.symptoms.forEach((s) => {
    const i = facts.length;
    if (!present(s, i === 0)) return;
    const words = age < 5 && s.childWords !== undefined ? s.childWords : s.words;
    // Associated symptoms may start after the first one.
    const startedHours = i === 0 ? hours : Math.max(0, Math.round(hours * (c.chance(0.6) ? 1 : c.next())));
    reported.add(s.name);
    facts.push({
      id: `symptom.${facts.length + 1}`,
      kind: 'symptom',
      label: s.name,
      synonyms: [fillPresentationText(c.pick(words), side, hours)],
      date: instantToDate(encounter.start - startedHours * HOUR_MS),
      value: startedHours,
      unit: 'h',
    });
  });
  // A febrile patient reports the fever even when the presentation does not list it.
  if (febrile === true && !reported.has('fever')) {
    reported.add('fever');
    facts.push({ id: `symptom.${facts.length + 1}`, kind: 'symptom', label: 'fever', synonyms: [c.pick(['fever', 'fevers at home', 'subjective fever'])], date: instantToDate(encounter.start - hours * HOUR_MS), value: hours, unit: 'h' });
  }
  if (facts.length === 0) {
    // Nothing the patient could put in words (an infant): what the caregiver sees.
    facts.push({ id: 'symptom.1', kind: 'symptom', label: 'fussiness', synonyms: [c.pick(['fussiness', 'irritability and poor feeding', 'being more fussy than usual'])], date: instantToDate(encounter.start - hours * HOUR_MS), value: hours, unit: 'h' });
  }
  const findings: Fact[] = [];
  for (const f of p.findings) {
    if (findings.some((g) => g.synonyms?.[0] === f.system) && c.chance(0.3)) continue;
    findings.push({ id: `finding.${findings.length + 1}`, kind: 'finding', label: fillPresentationText(c.pick(age < 5 && f.childWords !== undefined ? f.childWords : f.words), side, hours), synonyms: [f.system] });
  }
  const negatives: string[] = [];
  for (const n of p.negatives) {
    if (reported.has(n) || isNamed(n)) continue;
    // Fever is denied only by a patient whose recorded temperature is normal.
    if (n === 'fever' && febrile !== false) continue;
    negatives.push(`denies ${n}`);
  }
  if (febrile === false && p.symptoms.some((s) => s.fever) && !isNamed('fever') && !negatives.includes('denies fever')) negatives.push('denies fever');
  const complaints = age < 5 && p.childComplaints !== undefined ? p.childComplaints : p.complaints;
  // A complaint names only symptoms the patient reports (no "fever" from an afebrile patient).
  const fitting = complaints.filter((x) => p.symptoms.every((s) => !x.toLowerCase().includes(s.name) || reported.has(s.name)));
  const chiefComplaint = fillPresentationText(c.pick(fitting.length > 0 ? fitting : complaints), side, hours);
  return { facts: [...facts, ...findings], negatives, chiefComplaint, presentation: p.key };
}
