/**
 * The parts of a specialist's progress note on a care pathway (nephrology, oncology, radiation,
 * chemotherapy and biopsy visits): a chief complaint naming the condition as the clinic does ("f/u
 * lung ca", "Cycle 3 of chemotherapy"), an HPI on that condition (stage, treatment so far with its
 * dates, dialysis), the specialty's focused exam, and an assessment of that condition with the next
 * step the record holds; the patient's other problems get one line ("per PCP"). Every statement
 * cites the sheet's facts (specialist-facts.ts).
 */
import { loadSpecialistNotes } from '../../knowledge/specialist-notes.js';
import type { Fact, FactSheet } from '../facts.js';
import type { Chooser } from './chooser.js';
import { writeStage } from './assessment.js';
import { examConcepts, SHORT } from './history.js';
import { withArticle } from './grammar.js';
import type { SectionWriter } from './note-builder.js';
import { ageNoun, ageText, formatVital, patientRef } from './phrases.js';
import { factsOf, inSentence, labFlag, labText } from './sections.js';
import type { ClinicianStyle } from './style.js';

/** The treatment-course facts of specialist-facts.ts. */
const COURSE = 'history.procedure.';
const CHEMO = `${COURSE}chemotherapy`;
const RADIATION = `${COURSE}radiation`;
const NEXT = 'history.plan.next';

function fact(sheet: FactSheet, id: string): Fact | undefined {
  return sheet.facts.find((f) => f.id === id);
}

/** Whether a course fact is today's treatment ("cycle 3 of chemotherapy" given at this visit). */
function today(sheet: FactSheet, id: string): Fact | undefined {
  const f = fact(sheet, id);
  return f !== undefined && f.date === sheet.encounter.date ? f : undefined;
}

/**
 * The clinic's name for the condition ("lung cancer", "CKD stage 4"), else the record's label in a
 * sentence. The record codes a dialysed patient's CKD as end-stage from the first dialysis on, for
 * the whole entry; before a dialysis the sheet holds, the nephrologist calls it advanced CKD.
 */
export function conditionName(sheet: FactSheet, reason: Fact, short: boolean): string {
  const n = reason.code === undefined ? undefined : loadSpecialistNotes().names[reason.code.code];
  if (n?.beforeDialysis !== undefined && !sheet.facts.some((f) => f.id.startsWith(COURSE) && /dialysis/.test(f.label))) return n.beforeDialysis;
  return n === undefined ? inSentence(reason.label) : short ? n.short : n.name;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Today's procedure at a biopsy or procedure visit, from the sheet's procedure facts. */
function procedureToday(sheet: FactSheet): Fact | undefined {
  return sheet.facts.find((f) => f.kind === 'procedure' && f.date === sheet.encounter.date && !f.id.startsWith('history.'));
}

/** The chief complaint: today's treatment, or the condition followed in the clinic's words (never the coded display). */
export function writeSpecialistComplaint(s: SectionWriter, sheet: FactSheet, reason: Fact, style: ClinicianStyle, c: Chooser): void {
  const chemo = today(sheet, CHEMO);
  const rt = today(sheet, RADIATION);
  if (chemo !== undefined) {
    const lead = c.pick(['', 'Scheduled ', 'Due for ']);
    s.add(lead).fact(lead === '' ? capital(chemo.label) : chemo.label, chemo.id);
    return;
  }
  if (rt !== undefined) {
    s.add(c.pick(['On-treatment visit, ', 'OTV, ', 'Weekly check, '])).fact(rt.label, rt.id);
    return;
  }
  const name = conditionName(sheet, reason, style.abbreviates);
  const procedure = procedureToday(sheet);
  if (procedure !== undefined) {
    s.fact(capital(procedure.label.toLowerCase()), procedure.id).add(' for ').fact(name, reason.id);
    return;
  }
  if (style.abbreviates) s.add('f/u ').fact(name, reason.id);
  else s.add(c.pick(['Follow-up of ', 'Follow-up, ', 'Recheck of '])).fact(name, reason.id);
}

/** The course so far: "s/p lobectomy of lung (2023-03-02); 4 cycles of chemotherapy, last 2023-07-01". */
function writeCourse(s: SectionWriter, sheet: FactSheet, c: Chooser): void {
  const done = sheet.facts.filter((f) => f.id.startsWith(COURSE) && f.date !== sheet.encounter.date).sort((a, b) => (a.date! < b.date! ? -1 : a.date! > b.date! ? 1 : 0));
  if (done.length === 0) return;
  s.add(c.pick(['Treatment to date: ', 'Course so far: ', 'History of treatment: ']));
  done.forEach((f, i) => {
    if (i > 0) s.add('; ');
    s.fact(f.label, f.id).add(f.id === CHEMO || f.id === RADIATION ? `, last on ${f.date}` : ` (${f.date})`);
  });
  s.add('. ');
}

/** The HPI of a specialist visit: the condition, its stage and diagnosis date, the treatment so far and what today is for. */
export function writeSpecialistHpi(s: SectionWriter, sheet: FactSheet, reason: Fact, style: ClinicianStyle, c: Chooser): void {
  s.add(`${patientRef(sheet, style, c)} is ${withArticle(ageText(sheet))} ${ageNoun(sheet)} with `);
  s.fact(conditionName(sheet, reason, false), reason.id);
  writeStage(s, reason, c);
  const chemo = today(sheet, CHEMO);
  const rt = today(sheet, RADIATION);
  const procedure = procedureToday(sheet);
  s.add(', ');
  if (chemo !== undefined) s.add('who presents for ').fact(chemo.label, chemo.id).add('. ');
  else if (rt !== undefined) s.add('seen for the weekly on-treatment visit during ').fact(rt.label, rt.id).add('. ');
  else if (procedure !== undefined) s.add('seen today for ').fact(procedure.label.toLowerCase(), procedure.id).add('. ');
  else s.add(c.pick(['seen in follow-up. ', 'returning for a scheduled visit. ', 'seen for ongoing specialty care. ']));
  writeCourse(s, sheet, c);
}

/**
 * The specialty's focused exam lines, added to the exam section (specialist-notes.yaml): a system
 * the general exam already wrote, or a phrase saying what it said, is left out (each thing examined once).
 */
export function writeFocusedExam(s: SectionWriter, sheet: FactSheet, style: ClinicianStyle, c: Chooser): void {
  const lines = sheet.encounter.specialty === undefined ? undefined : loadSpecialistNotes().exam[sheet.encounter.specialty];
  const said = new Set(examConcepts(s.value));
  for (const line of lines ?? []) {
    const label = style.abbreviates ? (SHORT[line.system] ?? line.system) : line.system;
    if ([line.system, SHORT[line.system]].some((l) => l !== undefined && new RegExp(`(?:^|[\\s.])${l}:`).test(s.value))) continue;
    const fresh = line.options.filter((o) => !examConcepts(o).some((k) => said.has(k)));
    if (fresh.length === 0) continue;
    const text = c.pick(fresh);
    for (const k of examConcepts(text)) said.add(k);
    s.add(`${style.vitalsLayout === 'inline' ? ' ' : '\n'}${label}: ${text}.`);
  }
}

/** The labs of today by LOINC code, for citing in the assessment. */
function todaysLab(sheet: FactSheet, codes: readonly string[]): Fact[] {
  return codes.flatMap((code) => sheet.facts.filter((f) => f.kind === 'lab' && f.code?.code === code && f.date === sheet.encounter.date).slice(0, 1));
}

function citeLabs(w: SectionWriter, labs: readonly Fact[], c: Chooser): void {
  labs.forEach((f, i) => {
    if (i > 0) w.add(', ');
    w.fact(labText(f, c), f.id);
  });
}

const COUNTS = ['6690-2', '751-8', '718-7', '777-3'];
const RENAL = ['33914-3', '62238-1', '98979-8', '48642-3', '48643-1', '50044-7', '88293-6', '88294-4', '77147-7', '2823-3', '2028-9', '1963-8', '2777-1', '2731-8', '718-7'];

/**
 * The assessment of the condition the specialist follows: its stage, what was done today, the
 * results that matter for it, and the next step the record holds ("cycle 4 of chemotherapy in 3 weeks").
 */
export function writeSpecialistAssessment(w: SectionWriter, sheet: FactSheet, reason: Fact, style: ClinicianStyle, c: Chooser): void {
  w.fact(capital(conditionName(sheet, reason, style.abbreviates)), reason.id);
  writeStage(w, reason, c);
  w.add(': ');
  const chemo = today(sheet, CHEMO);
  const rt = today(sheet, RADIATION);
  const procedure = procedureToday(sheet);
  const specialty = sheet.encounter.specialty ?? '';
  if (chemo !== undefined) {
    const counts = todaysLab(sheet, COUNTS);
    if (counts.length > 0) {
      w.add(c.pick(['pre-treatment counts ', 'labs today ', 'CBC today ']));
      citeLabs(w, counts, c);
      const low = counts.some((f) => labFlag(f) === 'low');
      w.add(low ? c.pick(['; counts mildly lower from prior cycles, within treatment parameters. ', '; counts lower after prior cycles but adequate to treat. ']) : c.pick(['; adequate to treat. ', '; counts acceptable. ']));
    }
    w.add('Proceed with ').fact(chemo.label, chemo.id).add(' today. ');
  } else if (rt !== undefined) {
    w.add(c.pick(['tolerating ', 'continuing ', 'on ']));
    w.fact(rt.label, rt.id);
    const weight = sheet.facts.find((f) => f.id === 'vital.bodyWeight');
    if (weight !== undefined) w.add('; ').fact(formatVital(weight, style), weight.id).add(' today');
    w.add(c.pick(['. Skin care and nutrition reviewed. ', '. Continue planned course. ', '. ']));
  } else if (procedure !== undefined) {
    w.fact(procedure.label.toLowerCase(), procedure.id).add(c.pick([' performed today; pathology to follow. ', ' done without complication; specimen to pathology. ']));
  } else if (specialty === 'nephrology') {
    const labs = todaysLab(sheet, RENAL);
    if (labs.length > 0) {
      w.add(c.pick(['labs today ', 'today ', 'latest ']));
      citeLabs(w, labs, c);
      w.add('. ');
    }
    const bp = sheet.facts.find((f) => f.id === 'vital.bp');
    if (bp !== undefined) w.fact(formatVital(bp, style), bp.id).add(c.pick([' today. ', ' in clinic. ']));
    const kidney = sheet.facts.find((f) => f.id.startsWith(COURSE) && /dialysis|conservative/.test(f.label));
    if (kidney !== undefined) w.add(c.pick(['On ', 'Continues ', 'Managed with '])).fact(kidney.label, kidney.id).add(c.pick([' since ', ' from ']) + `${kidney.date}. `);
  } else {
    const labs = todaysLab(sheet, COUNTS.slice(0, 1).concat(['718-7']));
    w.add(c.pick(['surveillance visit', 'in surveillance', 'follow-up after treatment']));
    if (labs.length > 0) {
      w.add('; ');
      citeLabs(w, labs, c);
    }
    w.add('. ');
    const hormone = sheet.facts.find((f) => f.id.startsWith(COURSE) && /endocrine|androgen/.test(f.label));
    if (hormone !== undefined) w.add('Continue ').fact(hormone.label, hormone.id).add('. ');
  }
  const next = fact(sheet, NEXT);
  if (next !== undefined) w.add(c.pick(['Next: ', 'Plan: ', 'Scheduled: '])).fact(next.label, next.id).add('.');
  else w.add(c.pick(['Continue specialty follow-up.', 'Follow-up per specialty schedule.']));
}

/** The patient's other problems in one line: the PCP manages them. */
export function writeOtherProblems(w: SectionWriter, sheet: FactSheet, reason: Fact, style: ClinicianStyle, c: Chooser): void {
  const others = factsOf(sheet, 'problem').filter((p) => p.id !== reason.id).slice(0, 3);
  if (others.length === 0) return;
  w.add(c.pick(['Other chronic problems (', 'Other problems (', 'Comorbidities (']));
  others.forEach((p, i) => {
    if (i > 0) w.add(', ');
    const abbreviations = (p.synonyms ?? []).filter((x) => /^[A-Z][A-Z0-9]+$/.test(x));
    w.fact(style.abbreviates && abbreviations.length > 0 ? abbreviations[0]! : inSentence(p.label), p.id);
  });
  w.add(c.pick([') per PCP.', ') managed by primary care.', ') per primary care; no changes today.']));
}

/** The close: when the record has the patient back, else the specialty's schedule. */
export function specialistFollowUp(sheet: FactSheet, c: Chooser): string {
  return fact(sheet, NEXT) === undefined
    ? c.pick(['Return per specialty schedule; call with concerns.', 'Follow up as scheduled; call the clinic with questions.'])
    : c.pick(['Call the clinic with any new concerns before then.', 'Return sooner with concerns.', 'Questions answered; contact numbers given.']);
}

/** Abnormal results outside the specialty, in one line for primary care ("Glucose 105 mg/dL noted; to PCP."). */
export function writeResultsForPcp(w: SectionWriter, labs: readonly Fact[], c: Chooser): void {
  w.add(c.pick(['Other abnormal results (', 'Results outside this visit\'s focus (', 'Incidental results (']));
  labs.forEach((f, i) => {
    if (i > 0) w.add(', ');
    w.fact(labText(f, c), f.id);
  });
  w.add(c.pick([') forwarded to the PCP.', ') to be addressed by primary care.', ') copied to the PCP.']));
}

/** Abnormal results of the specialty's own draw today, said once in the plan ("Also reviewed today: BUN 27 mg/dL."). */
export function writeReviewedResults(w: SectionWriter, labs: readonly Fact[], c: Chooser): void {
  w.add(c.pick(['Also reviewed today: ', 'Other results today: ', 'Remaining labs reviewed: ']));
  labs.forEach((f, i) => {
    if (i > 0) w.add(', ');
    w.fact(labText(f, c), f.id);
  });
  w.add('.');
}
