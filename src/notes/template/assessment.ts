/**
 * Assessment and plan per problem, as a clinician writes it: the evidence that matters for that
 * problem (blood pressure for hypertension, A1c for diabetes, eGFR and potassium for CKD, LDL,
 * TSH), judged against its goal, and the plan the record carries (drugs started at this visit,
 * drugs continued, drugs stopped), never a change the record does not make. Also the follow-up
 * interval that fits the visit.
 */
import { evidenceFor } from '../../knowledge/assessment-evidence.js';
import { prenatalIntervalWeeks } from '../../knowledge/pregnancy.js';
import { presentationsByCode } from '../../knowledge/presentations.js';
import { doseTiming } from '../clinical-facts.js';
import type { Fact, FactSheet } from '../facts.js';
import type { Chooser } from './chooser.js';
import type { SectionWriter } from './note-builder.js';
import { forAge, formatVital } from './phrases.js';
import { duringEncounter, factsFor, factsOf, inSentence, labFlag, labText } from './sections.js';
import type { ClinicianStyle } from './style.js';

/**
 * Whether the patient is pregnant at the encounter: an active pregnancy on the problem list. Goals
 * change while she is (an A1c below 6%, not 7%), from the evidence data's `pregnancyGoal`.
 */
export function pregnantAt(sheet: FactSheet): boolean {
  return sheet.patient.sex === 'female' && sheet.facts.some((f) => f.kind === 'problem' && f.status === 'active' && /\bpregnan/i.test(f.label) && (f.date === undefined || f.date <= sheet.encounter.date));
}

/**
 * The cited evidence of a problem and whether it is at goal (undefined: no goal to judge); `below` when
 * under a goal range; `pregnancy` when the goal judged was the pregnancy goal.
 */
function evidence(sheet: FactSheet, p: Fact): { facts: Fact[]; atGoal: boolean | undefined; below?: boolean; pregnancy?: boolean; flag?: 'high' | 'low' | 'normal' } {
  const rule = evidenceFor(p.label);
  if (rule === undefined) {
    const labs = factsFor(sheet, 'lab', p).filter((f) => f.value !== undefined).slice(0, 2);
    return { facts: labs, atGoal: labs.length === 0 ? undefined : labs.every((l) => labFlag(l) === undefined) };
  }
  const facts: Fact[] = [];
  for (const id of rule.vitals) {
    const v = sheet.facts.find((f) => f.id === id);
    if (v !== undefined) facts.push(v);
  }
  for (const loinc of rule.labs) {
    const lab = sheet.facts.find((f) => f.kind === 'lab' && f.code?.code === loinc && f.value !== undefined);
    if (lab !== undefined) facts.push(lab);
  }
  const cited = facts.slice(0, 2);
  const first = cited[0];
  if (first === undefined) return { facts: [], atGoal: undefined };
  // The cited lab's own goal range (a fasting glucose of 80-130 mg/dL, not the A1c's 7%).
  const range = first.kind === 'lab' && first.code !== undefined ? rule.labGoals[first.code.code] : undefined;
  if (range !== undefined) {
    if (first.value === undefined) return { facts: cited, atGoal: undefined };
    return { facts: cited, atGoal: first.value >= range.low && first.value <= range.high, below: first.value < range.low };
  }
  const pregnancy = rule.pregnancyGoal !== undefined && pregnantAt(sheet);
  const goal = pregnancy ? rule.pregnancyGoal!.goal : rule.goal;
  // No treatment goal (prediabetes, CKD): the result is judged against its reference range, never called "above goal".
  if (goal === undefined) return { facts: cited, atGoal: undefined, ...(first.kind === 'lab' && first.range !== undefined && first.value !== undefined ? { flag: labFlag(first) ?? 'normal' } : {}) };
  const judged = pregnancy ? { pregnancy: true } : {};
  if ('systolic' in goal) {
    const [sys, dia] = first.components ?? [];
    if (sys === undefined || dia === undefined) return { facts: cited, atGoal: undefined };
    return { facts: cited, atGoal: sys.value < goal.systolic && dia.value < goal.diastolic, ...judged };
  }
  return { facts: cited, atGoal: first.value === undefined ? undefined : first.value < goal.above, ...judged };
}

/** A cancer's summary stage after its name, when the record has one (", stage II"). */
export function writeStage(w: SectionWriter, p: Fact, c: Chooser): void {
  if (p.stage !== undefined) w.add(c.pick([`, ${p.stage}`, ` (${p.stage})`, `, ${p.stage} at diagnosis`]));
}

function evidenceText(f: Fact, style: ClinicianStyle, c: Chooser): string {
  return f.kind === 'vital' ? formatVital(f, style) : labText(f, c);
}

/**
 * One problem: "Essential hypertension: BP 148/92 today, above goal of <130/80. Started amlodipine
 * 5 mg tablet." The judgement words follow the goal, and the plan follows the record's orders.
 */
export function writeProblemAssessment(w: SectionWriter, sheet: FactSheet, p: Fact, style: ClinicianStyle, c: Chooser, prenatal = false): void {
  const meds = factsFor(sheet, 'medication', p);
  const startedToday = meds.filter((m) => m.date === sheet.encounter.date);
  const continuing = meds.filter((m) => m.date !== sheet.encounter.date);
  const stoppedAll = factsOf(sheet, 'medication', false).filter((m) => m.status === 'stopped' && (m.relatesTo?.includes(p.id) ?? false));
  // At a prenatal visit a drug stopped that day was stopped for the pregnancy (the only change a prenatal visit makes).
  const stoppedForPregnancy = prenatal ? stoppedAll.filter((m) => m.endDate === sheet.encounter.date) : [];
  const stopped = stoppedAll.filter((m) => !stoppedForPregnancy.includes(m));
  const abbreviations = (p.synonyms ?? []).filter((x) => /^[A-Z][A-Z0-9]+$/.test(x));
  w.fact(style.abbreviates && abbreviations.length > 0 && c.chance(0.6) ? c.pick(abbreviations) : p.label, p.id);
  writeStage(w, p, c);
  const diagnosedToday = p.date === sheet.encounter.date;
  if (diagnosedToday) w.add(c.pick([', new diagnosis', ', newly diagnosed today', ' (new)']));
  const { facts, atGoal, below, pregnancy, flag } = evidence(sheet, p);
  const rule = evidenceFor(p.label);
  if (facts.length > 0) {
    w.add(c.pick([': ', ' - ', ': latest ']));
    facts.forEach((f, i) => {
      if (i > 0) w.add(', ');
      w.fact(evidenceText(f, style, c), f.id);
      if (f.date !== undefined && f.date !== sheet.encounter.date && c.chance(0.5)) w.add(` (${f.date})`);
      else if (f.kind === 'vital' && c.chance(0.4)) w.add(' today');
    });
    // Judged against the pregnancy goal, the note says so: "at goal" alone would read as the nonpregnant one.
    if (atGoal === true && pregnancy === true) w.add(c.pick(['; at goal for pregnancy', ', at the pregnancy goal', '; at goal for pregnancy']));
    else if (atGoal === true) w.add(c.pick(['; at goal', ', at goal', '; well controlled', ', controlled']));
    else if (atGoal === false && below === true) w.add(c.pick(['; below goal range', ', below target']));
    else if (atGoal === false && pregnancy === true) w.add(c.pick(['; above goal for pregnancy', ', above the pregnancy goal', '; not at goal for pregnancy']));
    else if (atGoal === false) w.add(c.pick(['; above goal', ', not at goal', '; not controlled', ', above target']));
    else if (flag === 'high') w.add(c.pick(['; above the reference range', ', elevated', '; high']));
    else if (flag === 'low') w.add(c.pick(['; below the reference range', ', low', '; reduced']));
    else if (flag === 'normal') w.add(c.pick(['; within the reference range', ', in the normal range', '; normal']));
  } else if (rule?.missing !== undefined) {
    // Followed by a test the sheet does not hold (no A1c in the past year): the plan says so and what is due.
    w.add(`: ${c.pick(rule.missing)}`);
    if (meds.length === 0 && stoppedForPregnancy.length === 0) {
      w.add('.');
      return;
    }
  } else if (meds.length === 0 && stoppedForPregnancy.length === 0 && !diagnosedToday) {
    w.add(c.pick([': stable, continue to monitor.', ' - monitoring.', ': no active issues today.', ': stable, no change in plan.', ': reviewed; no changes.']));
    return;
  }
  if (stoppedForPregnancy.length > 0) {
    // "Stopped lisinopril 20 mg tablet for pregnancy; started labetalol 100 mg tablet twice daily."
    w.add(c.pick(['. Stopped ', '. Discontinued ', '. Stopped ']));
    writeList(w, stoppedForPregnancy);
    w.add(c.pick([' for pregnancy', ' (not safe in pregnancy)', ' for pregnancy']));
    if (startedToday.length > 0) {
      w.add(c.pick(['; started ', '; changed to ', '; started ']));
      startedToday.forEach((f, i) => {
        if (i > 0) w.add(i === startedToday.length - 1 ? ' and ' : ', ');
        w.fact(f.label, f.id);
        if (f.code !== undefined) w.add(` ${doseTiming(f.code.code)}`);
      });
    }
  } else if (startedToday.length > 0) {
    w.add(c.pick(['. Start ', '. Starting ', '; prescribed ', '. Started ']));
    writeList(w, startedToday);
  }
  if (stopped.length > 0) {
    w.add(c.pick(['. Off ', '; previously on ', '; discontinued ']));
    writeList(w, stopped);
  }
  if (continuing.length > 0) {
    w.add(startedToday.length > 0 ? c.pick([' and continue ', '; continue ']) : c.pick(['. Continue ', '; continue ', '; remains on ', '. Tolerating ']));
    writeList(w, continuing);
  }
  if (atGoal === false && startedToday.length === 0 && stoppedForPregnancy.length === 0) {
    // The record changed nothing: say so, as a chart would, rather than claim an intensification.
    w.add(c.pick(['; no medication change today, adherence and lifestyle reviewed', '; will reassess after lifestyle measures before changing therapy', '; no change made today, recheck at follow-up']));
  } else if (meds.length === 0) {
    w.add(
      diagnosedToday
        ? c.pick(['; lifestyle measures discussed', '; education provided', '; will recheck at follow-up'])
        : c.pick(['; lifestyle measures reinforced', '; will recheck at next visit', '; monitor']),
    );
  }
  w.add('.');
}

function writeList(w: SectionWriter, facts: readonly Fact[]): void {
  facts.forEach((f, i) => {
    if (i > 0) w.add(i === facts.length - 1 ? ' and ' : ', ');
    w.fact(f.label, f.id);
  });
}

/**
 * The acute diagnosis: what was found, what was done, the presentation's counseling. A discharge
 * summary tells it after the stay: the presentation and the admission exam in the past tense, what
 * the patient underwent, and the presentation's discharge instructions (diet, wound care, warning
 * signs), never the admission's orders ("NPO, IV fluids", "Surgical consultation") or "done today".
 */
export function writeAcuteAssessment(w: SectionWriter, sheet: FactSheet, reason: Fact, style: ClinicianStyle, c: Chooser): void {
  const discharge = sheet.encounter.noteType === 'discharge-summary';
  const presentation = reason.code === undefined ? undefined : presentationsByCode().get(reason.code.code);
  // Sent home from the ED with a respiratory infection: the condition's discharge instructions too.
  const homeFromEd = sentHomeFromEd(sheet) && presentation?.discharge?.fromEd === true;
  w.fact(reason.label, reason.id);
  const findings = sheet.facts.filter((f) => f.kind === 'finding');
  const symptoms = sheet.facts.filter((f) => f.kind === 'symptom');
  const key = findings.find((f) => f.synonyms?.[0] !== 'General');
  if (symptoms.length > 0 && c.chance(0.5)) {
    w.add(discharge ? c.pick([', presented with ', ', admitted with ']) : c.pick([', presenting with ', ' in a patient with ']));
    w.fact(symptoms[0]!.label, symptoms[0]!.id);
    w.add(` ${c.pick(['of', 'lasting'])} ${days(symptoms[0]!.value ?? 24)}`);
  } else w.add(c.pick([', clinical diagnosis', ' by history and exam', '']));
  w.add('.');
  if (key !== undefined && c.chance(0.7)) {
    w.add(discharge ? c.pick([' Admission exam notable for ', ' On admission, ', ' Exam on arrival showed ']) : c.pick([' Exam notable for ', ' On exam, ', ' Supporting findings: ']));
    w.fact(inSentence(key.label), key.id);
    w.add('.');
  }
  const procedures = sheet.facts.filter((f) => f.kind === 'procedure' && f.date === sheet.encounter.date);
  if (procedures.length > 0) {
    w.add(discharge ? c.pick([' Underwent ', ' During the stay underwent ']) : c.pick([' Done today: ', ' Performed: ', ' ']));
    writeList(w, discharge ? procedures.map((p) => ({ ...p, label: inSentence(p.label) })) : procedures);
    w.add('.');
  }
  const started = factsFor(sheet, 'medication', reason).filter((m) => m.date === sheet.encounter.date);
  if (started.length > 0) {
    w.add(discharge ? c.pick([' Started on ', ' Treated with ', ' Started ']) : c.pick([' Start ', ' Prescribed ', ' Rx: ']));
    writeList(w, started);
    w.add('.');
  } else if (sheet.encounter.class !== 'IMP' && c.chance(0.5)) {
    // Not "Supportive care. Supportive care: fluids, rest..." when the plan says it in full.
    const said = presentation?.plan.some((l) => /^(?:supportive|symptomatic)/i.test(l)) === true;
    w.add(c.pick(said ? [' No prescription needed today.'] : [' Supportive care.', ' No prescription needed today.', ' Symptomatic treatment.']));
  }
  // A patient who died in the stay is given no instructions and no plan: a death summary says so instead.
  if (presentation !== undefined && sheet.encounter.disposition !== 'Expired') {
    // After a stay the admission's orders are done: its discharge instructions take their place (none when the data has none).
    const instructing = discharge || homeFromEd;
    // An admitted patient's plan is the ward's: no recheck in 48-72 hours, no return or home advice.
    const admitted = sheet.encounter.noteType === 'history-and-physical' || (sheet.encounter.noteType === 'ed-note' && admittedFromEd(sheet));
    const lines = instructing ? (presentation.discharge?.instructions ?? []) : admitted ? presentation.plan.filter((l) => !OUTPATIENT_ADVICE.test(l)) : presentation.plan;
    // At most one return-precaution line from the presentation: two ("Return if... Return if...") read as pasted.
    let precaution = false;
    if (instructing && lines.length > 0) w.add(c.pick([' Discharge instructions:', ' Instructions at discharge:', ' Discharge instructions reviewed:']));
    // Discharge instructions: one or two of the care lines and the return precautions, so no two patients' read alike.
    // "Take the discharge medications" only when the stay (or the ED visit) prescribed some.
    const care = lines.filter((l) => !RETURN_PRECAUTION.test(l) && (!DISCHARGE_MEDICATIONS.test(l) || prescribedHere(sheet)));
    const chosen = instructing ? [...c.shuffle(c.some(care, 0.4, 1)).slice(0, 2), ...lines.filter((l) => RETURN_PRECAUTION.test(l)).slice(0, 1)] : c.some(lines, style.verbose ? 0.6 : 0.35, 1);
    for (const line of lines.length === 0 ? [] : chosen) {
      const isPrecaution = RETURN_PRECAUTION.test(line);
      if (isPrecaution && precaution) continue;
      precaution ||= isPrecaution;
      w.add(` ${forAge(line, sheet.patient.age)}.`);
    }
  }
}

/** Plan lines for a patient going home: return precautions, rechecks, home care and follow-up. */
const OUTPATIENT_ADVICE = /\b(?:return|recheck|rtc|call)\b|\b(?:at|stay) home\b|\bprimary care\b|\bfull antibiotic course\b/i;

/** Whether an ED note's patient was admitted from it (or transferred to inpatient care). */
function admittedFromEd(sheet: FactSheet): boolean {
  return /admit|inpatient|hospital|transfer/i.test(sheet.encounter.disposition ?? '');
}

/** An instruction that presumes drugs were prescribed at discharge. */
const DISCHARGE_MEDICATIONS = /\bdischarge medications?\b/i;

/** Whether the record has a drug ordered during this encounter (from its first day to its last) and still running. */
function prescribedHere(sheet: FactSheet): boolean {
  return factsOf(sheet, 'medication').some((m) => m.status === 'active' && duringEncounter(m, sheet));
}

/** Whether an ED note's patient went home (a disposition that is no admission, transfer or death). */
export function sentHomeFromEd(sheet: FactSheet): boolean {
  const disposition = sheet.encounter.disposition;
  return sheet.encounter.noteType === 'ed-note' && disposition !== undefined && !/admit|inpatient|hospital|transfer|expired|deceased|died|death/i.test(disposition);
}

function days(hours: number): string {
  if (hours < 36) return hours < 12 ? `${Math.max(1, hours)} hours` : '1 day';
  return `${Math.round(hours / 24)} days`;
}

/** Months of age from the sheet. */
function ageMonths(sheet: FactSheet): number {
  return (Date.parse(sheet.encounter.date) - Date.parse(sheet.patient.birthDate)) / (30.44 * 86_400_000);
}

/** Bright Futures well-child schedule, in months (AAP periodicity schedule 2024). */
const WELL_CHILD_MONTHS = [1, 2, 4, 6, 9, 12, 15, 18, 24, 30, 36];

export type VisitKind = 'acute' | 'prenatal' | 'well-child' | 'preventive' | 'chronic' | 'immunization' | 'specialist';

/** The follow-up line that fits the visit: never "1 year" after an acute, prenatal or infant visit. */
/** A line telling the family when to come back sooner ("Return if...", "Call or return...", "Recheck in 1 week if..."). */
export const RETURN_PRECAUTION = /\b(?:return|call|rtc|recheck)\b[^.]*\b(?:if|for|when|should)\b|return precautions/i;

export function followUpLine(sheet: FactSheet, kind: VisitKind, anyAboveGoal: boolean, c: Chooser, precautionsGiven = false): string {
  switch (kind) {
    case 'acute':
      if (precautionsGiven) return c.pick(['Follow up as needed.', 'Follow up with primary care as needed.', 'No routine follow-up needed.', 'Questions answered; understanding voiced.']);
      return c.pick(['Return if not improving in 2-3 days or sooner if worse.', 'Follow up as needed; return precautions reviewed.', 'RTC PRN if symptoms persist or worsen.', 'Call or return if no better in 48-72 hours.', 'Recheck in 1 week if not resolved.']);
    case 'prenatal': {
      // The next visit by the schedule at this gestational age (weekly from 36 weeks), never "4 weeks" at term.
      const ga = sheet.facts.find((f) => f.id === 'prenatal.gestationalAge')?.value;
      if (ga === undefined) return c.pick(['Follow up at the next scheduled prenatal visit.', 'Next prenatal visit per schedule.']);
      const weeks = prenatalIntervalWeeks(ga);
      const when = weeks === 1 ? '1 week' : `${weeks} weeks`;
      // Fetal movement is felt from about 20 weeks (quickening, 18-20 weeks: Williams Obstetrics, 26th ed., ch. 9).
      const precautions = ga >= 20 ? '; fetal movement and warning signs reviewed' : '; warning signs reviewed';
      return c.pick([`Return in ${when} for routine prenatal care.`, `RTC ${when}${precautions}.`, `Next prenatal visit in ${when}.`]);
    }
    case 'well-child': {
      const months = ageMonths(sheet);
      const next = WELL_CHILD_MONTHS.find((m) => m > months + 0.5);
      if (next === undefined) return c.pick(['Return in 1 year for the next well-child check.', 'Next well visit in 1 year.', 'RTC 1 year for WCC, sooner as needed.']);
      const label = next < 24 ? `${next}-month` : `${next / 12}-year`;
      return c.pick([`Next well-child visit at ${label} check.`, `Return for ${label} well visit.`, `RTC at ${label} WCC.`]);
    }
    case 'preventive':
      return c.pick(['Return in 1 year for routine follow-up, sooner as needed.', 'Annual exam in 1 year.', 'RTC 1 year or sooner with concerns.']);
    case 'chronic':
    case 'specialist':
      return anyAboveGoal
        ? c.pick(['Return in 3 months to reassess control.', 'Follow up in 4-6 weeks with repeat readings.', 'RTC 3 months with labs before the visit.'])
        : c.pick(['Return in 6 months, sooner as needed.', 'Follow up in 3-6 months.', 'RTC 6 months with labs prior.']);
    case 'immunization': {
      // "Next doses" only while a series given today is still under way (never after a single flu shot).
      const continuing = sheet.facts.some((f) => f.kind === 'immunization' && f.course?.kind === 'series' && (f.course.dose === undefined || f.course.dose < f.course.of));
      return c.pick(continuing ? ['Next vaccines per the immunization schedule.', 'Return for next doses as scheduled.', 'Return for the next dose of the series as scheduled.'] : ['Next vaccines per the immunization schedule.', 'Follow up at the next scheduled visit.', 'Next vaccines at routine visits per the schedule.']);
    }
  }
}

/** Whether any problem's evidence is off goal (for the follow-up interval). */
export function anyAboveGoal(sheet: FactSheet, problems: readonly Fact[]): boolean {
  return problems.some((p) => evidence(sheet, p).atGoal === false);
}
