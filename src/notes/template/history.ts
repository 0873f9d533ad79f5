/**
 * The history and exam of a note as a clinician takes them: the chief complaint in the patient's
 * words, an HPI built from the reported symptoms (onset, duration, associated symptoms, pertinent
 * negatives), a review of systems, and a physical exam whose findings follow the presentation and
 * the recorded vitals, with normal findings (by age) for the other systems. Everything comes from
 * the fact sheet; the normal findings state nothing about the record except negatives it supports.
 */
import { normalExam, type NormalExamOption } from '../../knowledge/exam-normal.js';
import type { Fact, FactSheet } from '../facts.js';
import type { Chooser } from './chooser.js';
import { withArticle } from './grammar.js';
import type { NoteBuilder, SectionWriter } from './note-builder.js';
import { ageNoun, ageText, dayPlace, listJoin, patientRef } from './phrases.js';
import { factsOf, inSentence, symptomDenials } from './sections.js';
import { heading, type ClinicianStyle } from './style.js';

export const symptomsOf = (sheet: FactSheet): Fact[] => sheet.facts.filter((f) => f.kind === 'symptom');
export const findingsOf = (sheet: FactSheet): Fact[] => sheet.facts.filter((f) => f.kind === 'finding');

/** Whether the sheet lets a note state this symptom as absent. */
export function mayDeny(sheet: FactSheet, symptom: string): boolean {
  return sheet.negatives.includes(`denies ${symptom}`);
}

/** How long a symptom has lasted, as histories say it: "since this morning", "for 3 days", "x2 wks". */
export function durationText(hours: number, style: ClinicianStyle, c: Chooser): string {
  if (hours < 12) return style.abbreviates ? c.pick([`x${Math.max(1, hours)}h`, `x ${Math.max(1, hours)} hrs`]) : c.pick([`for ${plural(Math.max(1, hours), 'hour')}`, 'since earlier today', `over the past ${plural(Math.max(1, hours), 'hour')}`]);
  if (hours < 36) return style.abbreviates ? c.pick(['x1 day', 'since yesterday']) : c.pick(['since yesterday', 'for 1 day', 'since last night']);
  const days = Math.round(hours / 24);
  if (days < 14) return style.abbreviates ? c.pick([`x${days} days`, `x${days}d`]) : c.pick([`for ${days} days`, `for the past ${days} days`, `that began ${days} days ago`]);
  const weeks = Math.round(days / 7);
  return style.abbreviates ? `x${weeks} wks` : c.pick([`for ${plural(weeks, 'week')}`, `for about ${plural(weeks, 'week')}`]);
}

/** When a later symptom began: "earlier today", "yesterday", "2 days ago". */
function sinceText(hours: number, c: Chooser): string {
  if (hours < 12) return c.pick(['earlier today', 'this morning', 'a few hours ago']);
  if (hours < 36) return c.pick(['yesterday', 'last night']);
  return `${Math.round(hours / 24)} days ago`;
}

function plural(n: number, unit: string): string {
  return `${n} ${n === 1 ? unit : `${unit}s`}`;
}

function reporter(sheet: FactSheet, c: Chooser): string | undefined {
  if (sheet.patient.age >= 12) return undefined;
  return c.pick(['Mother', 'Parent', 'Father', 'Caregiver', 'Mom']);
}

/** The chief complaint: the patient's words at an acute visit, else what the visit is for. */
export function writeChiefComplaint(s: SectionWriter, sheet: FactSheet, style: ClinicianStyle, c: Chooser, fallback: (s: SectionWriter) => void): void {
  const cc = sheet.encounter.chiefComplaint;
  if (cc === undefined) {
    fallback(s);
    return;
  }
  const first = symptomsOf(sheet)[0];
  const text = style.abbreviates ? cc : cc.charAt(0).toUpperCase() + cc.slice(1);
  if (first !== undefined && text.toLowerCase().includes(first.label)) {
    const at = text.toLowerCase().indexOf(first.label);
    s.add(text.slice(0, at)).fact(text.slice(at, at + first.label.length), first.id).add(text.slice(at + first.label.length));
  } else s.add(text);
  if (!style.abbreviates && c.chance(0.3)) {
    const who = reporter(sheet, c);
    s.add(who === undefined ? '' : c.pick([` (per ${who.toLowerCase()})`, ' (per family)']));
  }
}

/** The opening of an HPI: "Ms. Lee is a 34-year-old woman with a history of asthma who presents with". */
export function writeIntro(s: SectionWriter, sheet: FactSheet, style: ClinicianStyle, c: Chooser, verb: string): void {
  const history = factsOf(sheet, 'problem').filter((p) => p.id !== sheet.encounter.reasonFactId).slice(0, c.pick([0, 2, 3]));
  s.add(`${patientRef(sheet, style, c)} is ${withArticle(ageText(sheet))} ${ageNoun(sheet)}`);
  if (history.length > 0) {
    s.add(style.abbreviates ? c.pick([' with PMH of ', ' w/ hx of ', ' with PMHx ']) : c.pick([' with a history of ', ' with a past medical history of ', ' with known ']));
    history.forEach((p, i) => {
      if (i > 0) s.add(i === history.length - 1 ? ' and ' : ', ');
      s.fact(inSentence(p.label), p.id);
    });
    s.add(c.pick([' who ', ', who ']));
  } else s.add(' who ');
  s.add(verb);
}

/**
 * The HPI of an acute visit: the main symptom with its duration, the associated ones, the negatives.
 * `setting` completes the intro ("presents to the ED with").
 */
export function writeAcuteHpi(s: SectionWriter, sheet: FactSheet, style: ClinicianStyle, c: Chooser, setting: string): void {
  const symptoms = symptomsOf(sheet);
  const [main, ...others] = symptoms;
  if (main === undefined) return;
  const words = (f: Fact) => f.synonyms?.[0] ?? f.label;
  const who = reporter(sheet, c);
  // Young children are brought in; they do not report or complain.
  writeIntro(s, sheet, style, c, `${sheet.patient.age < 5 && /reports|complains/.test(setting) ? c.pick(['presents with', 'is brought in for']) : setting} `);
  s.fact(words(main), main.id).add(` ${durationText(main.value ?? 24, style, c)}. `);
  const same = others.filter((o) => (o.value ?? 0) >= (main.value ?? 0));
  const later = others.filter((o) => !same.includes(o));
  if (same.length > 0) {
    s.add(who !== undefined && c.chance(0.5) ? `${who} also reports ` : c.pick(['Associated with ', 'Also reports ', 'Endorses ', 'Accompanied by ']));
    writeList(s, same);
    s.add('. ');
  }
  for (const o of later) {
    s.add(c.pick(['Developed ', 'Then developed ', 'Later noted ']));
    s.fact(words(o), o.id);
    s.add(` ${sinceText(o.value ?? 24, c)}. `);
  }
  if (style.verbose) {
    s.add(
      c.pick([
        'Symptoms have been gradually worsening. ',
        'No improvement with rest and fluids at home. ',
        'Symptoms are worse at night. ',
        'Tried over-the-counter remedies with little relief. ',
        'No sick contacts identified. ',
        `Several sick contacts at home and at ${dayPlace(sheet.patient.age)}. `,
        'Symptoms started suddenly. ',
      ]),
    );
  }
  writePertinentNegatives(s, sheet, c);
}

/** The presentation's pertinent negatives, as one sentence. */
export function writePertinentNegatives(s: SectionWriter, sheet: FactSheet, c: Chooser, max = 4): void {
  const denied = c.some(symptomDenials(sheet), 0.7, 1).slice(0, max);
  if (denied.length === 0) return;
  const subject = sheet.patient.age < 5 ? c.pick(['No ', 'Family denies ']) : c.pick(['Denies ', 'No ', sheet.patient.sex === 'male' ? 'He denies ' : 'She denies ']);
  s.add(`${subject}${listJoin(denied, 'or')}. `);
}

function writeList(s: SectionWriter, facts: readonly Fact[]): void {
  facts.forEach((f, i) => {
    if (i > 0) s.add(i === facts.length - 1 ? ' and ' : ', ');
    s.fact(f.synonyms?.[0] ?? f.label, f.id);
  });
}

/** Words too common to tell that a phrase was said ("Normal stools" is not "normal" again). */
const COMMON_WORDS = new Set(['normal', 'between', 'every', 'hours', 'several', 'times', 'night', 'today']);

/**
 * Whether the note already said this phrase: a symptom named in the history ("denies headache"
 * before "No headache" in the ROS), or a normal whose telling word it used ("Feeding well" in the
 * HPI before "Feeding well" in the ROS, "stools" before "Normal stools").
 */
export function saidBefore(written: string, phrase: string): boolean {
  const text = written.toLowerCase();
  return named(written, phrase) || phrase.toLowerCase().split(/[^a-z]+/).some((w) => w.length >= 5 && !COMMON_WORDS.has(w) && text.includes(w));
}

/** Whether the text names the phrase as words of its own. */
function named(text: string, phrase: string): boolean {
  return new RegExp(`\\b${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(text);
}

/** Review of systems: the reported symptoms positive, the supported negatives negative (those the history denied already left out). */
export function writeReviewOfSystems(note: NoteBuilder, sheet: FactSheet, style: ClinicianStyle, c: Chooser): void {
  const symptoms = symptomsOf(sheet);
  const written = note.written;
  const negatives = c.some(symptomDenials(sheet), 0.6, 0).filter((n) => !named(written, n)).slice(0, 6);
  if (symptoms.length === 0 && negatives.length === 0) return;
  const s = note.section(heading(style, 'Review of Systems', 'ROS'));
  if (symptoms.length > 0) {
    s.add(style.abbreviates ? '(+) ' : 'Positive for ');
    symptoms.forEach((f, i) => {
      if (i > 0) s.add(', ');
      s.fact(f.label, f.id);
    });
    s.add('. ');
  }
  if (negatives.length > 0) s.add(`${style.abbreviates ? '(-) ' : 'Negative for '}${negatives.join(', ')}. `);
  s.add(c.pick(['All other systems reviewed and negative.', `${c.pick(['10', '12', '14'])}-point ROS otherwise negative.`, 'Remainder of ROS negative.', 'ROS otherwise as per HPI.']));
}

interface VitalSign {
  readonly temp: number | undefined;
  readonly hr: number | undefined;
  readonly rr: number | undefined;
  readonly spo2: number | undefined;
}

function vitalsOf(sheet: FactSheet): VitalSign {
  const v = (id: string) => sheet.facts.find((f) => f.id === id)?.value;
  return { temp: v('vital.bodyTemperature'), hr: v('vital.heartRate'), rr: v('vital.respiratoryRate'), spo2: v('vital.oxygenSaturation') };
}

/** Upper limits of normal by age (PALS 2020 ranges; adults 20/min and 100/min). */
function upperRr(age: number): number {
  return age < 1 ? 60 : age < 3 ? 40 : age < 6 ? 34 : age < 12 ? 30 : age < 18 ? 24 : 22;
}
function upperHr(age: number): number {
  return age < 1 ? 180 : age < 3 ? 150 : age < 6 ? 140 : age < 12 ? 120 : 100;
}

/** What the recorded vitals show on general inspection: febrile, tachypneic, tachycardic, hypoxemic. */
function vitalFindings(sheet: FactSheet): string[] {
  const { temp, hr, rr, spo2 } = vitalsOf(sheet);
  const age = sheet.patient.age;
  const out: string[] = [];
  if (temp !== undefined && temp >= 37.8) out.push('febrile');
  if (rr !== undefined && rr > upperRr(age)) out.push('tachypneic');
  if (hr !== undefined && hr > upperHr(age)) out.push('tachycardic');
  if (spo2 !== undefined && spo2 < 92) out.push('hypoxemic on room air');
  return out;
}

const EXAM_ORDER = ['General', 'HEENT', 'Neck', 'Lungs', 'Cardiovascular', 'Abdomen', 'Back', 'Genitourinary', 'Musculoskeletal', 'Extremities', 'Skin', 'Neuro', 'Psych'];
/** The abbreviated system labels of a terse author's exam (a specialist's focused lines use them too). */
export const SHORT: Readonly<Record<string, string>> = {
  General: 'Gen',
  Cardiovascular: 'CV',
  Lungs: 'Pulm',
  Abdomen: 'Abd',
  Extremities: 'Ext',
  Musculoskeletal: 'MSK',
  Genitourinary: 'GU',
};

/**
 * The things an exam phrase speaks to, so one exam says each once: "Regular rate and rhythm" and
 * "RRR" are the same rhythm, "no murmurs" and "no m/r/g" the same murmur, and distal pulses are
 * felt once whether charted under CV or Extremities.
 */
const EXAM_CONCEPTS: readonly (readonly [string, RegExp])[] = [
  ['rhythm', /\bRRR\b|\bregular (?:rate|rhythm)|\bheart regular/i],
  ['murmur', /\bmurmurs?\b|\bm\/r\/g\b/i],
  ['pulses', /\bpulses\b/i],
  ['edema', /\bedema\b/i],
  ['lung sounds', /\bCTAB\b|clear to auscultation|breath sounds clear|lungs clear|(?<!TMs? )\bclear bilaterally/i],
  ['adventitious sounds', /\bwheez|\brales\b|\brhonchi\b|\bcrackles\b/i],
  ['tympanic membranes', /\bTMs?\b|tympanic/i],
  ['oropharynx', /\boropharynx\b/i],
  ['pupils', /\bPERRL\b|\bpupils\b/i],
  ['head', /\bNCAT\b|normocephalic/i],
  ['mucous membranes', /mucous membranes/i],
  ['fontanelle', /\bfontanelle\b/i],
  ['red reflex', /\bred reflex\b/i],
  ['lymph nodes', /adenopathy|\bnodes\b/i],
  ['tenderness', /\bnontender\b|\bNT\/ND\b|\btenderness\b/i],
  ['rash', /\brash(?:es)?\b/i],
  ['perfusion', /\bperfused\b|capillary refill/i],
  ['distress', /\bdistress\b|\bNAD\b/i],
  ['appearance', /\bwell-appearing\b/i],
  ['gait', /\bgait\b/i],
  // An infant is "alert" once (General or Neuro), skin is "warm" once (Skin or Extremities).
  ['alertness', /\balert\b/i],
  ['interaction', /\binteractive\b/i],
  ['warmth', /\bwarm\b/i],
  ['movement', /\bmoves all extremities\b/i],
  ['hips', /\bhips?\b|Ortolani/i],
];

export function examConcepts(text: string): string[] {
  return EXAM_CONCEPTS.filter(([, re]) => re.test(text)).map(([k]) => k);
}

/** The patient's age at the encounter in fractional years (an infant's months count). */
export function ageYearsAt(sheet: FactSheet): number {
  return (Date.parse(sheet.encounter.date) - Date.parse(sheet.patient.birthDate)) / (365.25 * 86_400_000);
}

function fits(o: NormalExamOption, sheet: FactSheet): boolean {
  const ageYears = ageYearsAt(sheet);
  if (ageYears < o.minAge || ageYears >= o.maxAge) return false;
  if (o.sex !== undefined && o.sex !== sheet.patient.sex) return false;
  return o.denies === undefined || mayDeny(sheet, o.denies);
}

/**
 * The physical exam: the presentation's findings under their systems, vitals-driven signs under
 * General, normal findings for the rest. `focused` keeps to the systems that matter (urgent visits).
 */
export function writePhysicalExam(note: NoteBuilder, sheet: FactSheet, style: ClinicianStyle, c: Chooser, focused: boolean, title = 'Physical Exam'): SectionWriter {
  const findings = findingsOf(sheet);
  const bySystem = new Map<string, Fact[]>();
  for (const f of findings) {
    const system = f.synonyms?.[0] ?? 'General';
    bySystem.set(system, [...(bySystem.get(system) ?? []), f]);
  }
  const always = ['General', 'Lungs', 'Cardiovascular'];
  const obstetric = /obstetric|labor|deliver/i.test(sheet.encounter.type);
  const signs = vitalFindings(sheet);
  const options = new Map(normalExam().map((n) => [n.system, n.options.filter((o) => fits(o, sheet))]));
  const ageYears = ageYearsAt(sheet);
  // The systems every routine exam at this age charts (an infant's fontanelle and hips: exam-normal.yaml).
  const required = new Set(normalExam().filter((n) => !focused && n.alwaysBelowAge !== undefined && ageYears < n.alwaysBelowAge).map((n) => n.system));
  // A system with nothing to say at this age (no finding, no age-appropriate normal line: a psychiatric
  // exam in a toddler) is left out rather than charted as "Unremarkable".
  const sayable = (system: string): boolean =>
    bySystem.has(system) || (system === 'General' && signs.length > 0) || (system === 'Abdomen' && obstetric) || (options.get(system)?.length ?? 0) > 0;
  const systems = EXAM_ORDER.filter((system) => {
    if (!sayable(system)) return false;
    if (bySystem.has(system) || always.includes(system) || required.has(system)) return true;
    if (system === 'Genitourinary') return sheet.patient.age < 2 && !focused;
    if (system === 'Back') return false;
    if (focused) return c.chance(0.25);
    return c.chance(style.verbose ? 0.8 : 0.5);
  });
  const s = note.section(heading(style, title, c.pick(['PE', 'Exam'])));
  // What the exam has said so far, by concept (see EXAM_CONCEPTS); the presentation's findings first.
  const said = new Set(findings.flatMap((f) => examConcepts(f.label)));
  let charted = 0;
  for (const system of systems) {
    const label = style.abbreviates ? (SHORT[system] ?? system) : system;
    const own = bySystem.get(system) ?? [];
    const parts: ((w: SectionWriter) => void)[] = [];
    for (const f of own) parts.push((w) => w.fact(f.label, f.id));
    if (system === 'General' && signs.length > 0) {
      const text = listJoin(signs, 'and');
      parts.push((w) => w.add(own.length > 0 ? text : text.charAt(0).toUpperCase() + text.slice(1)));
    }
    if (parts.length === 0) {
      const normal = options.get(system) ?? [];
      if (system === 'Abdomen' && obstetric) parts.push((w) => w.add(c.pick(['Gravid, soft, nontender', 'Gravid uterus, nontender between contractions', 'Gravid abdomen, fundus nontender'])));
      else if (normal.length === 0) parts.push((w) => w.add(c.pick(['Normal', 'Unremarkable', 'No abnormality noted'])));
      else {
        // Each thing is examined once: a phrase that says what an earlier one of this exam said
        // ("RRR" after "Regular rate and rhythm", distal pulses under Extremities after CV) is not used.
        const fresh = normal.filter((o) => !examConcepts(o.text).some((k) => said.has(k)));
        // Nothing new to say of an optional system (a child's Neuro after "alert" and "gait normal"): leave it out.
        if (fresh.length === 0 && !always.includes(system) && !required.has(system)) continue;
        const picked = c.some(fresh.length > 0 ? fresh : normal, 0.25, 1);
        const first = picked[0]!;
        const second = picked.find((o) => o !== first && !examConcepts(o.text).some((k) => examConcepts(first.text).includes(k)) && o.text.split(/[ ,;]/)[0] !== first.text.split(/[ ,;]/)[0]);
        for (const o of style.verbose && second !== undefined ? [first, second] : [first]) {
          for (const k of examConcepts(o.text)) said.add(k);
          parts.push((w) => w.add(o.text));
        }
      }
    }
    for (const f of own) for (const k of examConcepts(f.label)) said.add(k);
    s.add(`${charted > 0 ? (style.vitalsLayout === 'inline' ? ' ' : '\n') : ''}${label}: `);
    charted++;
    parts.forEach((p, k) => {
      if (k > 0) s.add('; ');
      p(s);
    });
    s.add('.');
  }
  // Returned so a specialist's note can add its specialty's focused lines to the same exam.
  return s;
}
