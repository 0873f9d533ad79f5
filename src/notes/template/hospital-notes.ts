/**
 * Notes of acute care: the emergency department note, the admission history and physical, the
 * discharge summary and the consult note. They share a skeleton (reason, history, data,
 * assessment) and differ in emphasis; every clinical statement comes from the sheet.
 */
import { dateToInstant, MS_PER_DAY, type IsoDate } from '../../core/time.js';
import { presentationsByCode } from '../../knowledge/presentations.js';
import type { Fact, FactSheet } from '../facts.js';
import type { NoteOutput } from '../note-output.js';
import type { Chooser } from './chooser.js';
import { NoteBuilder, type SectionWriter } from './note-builder.js';
import { sentHomeFromEd, writeAcuteAssessment, writeStage } from './assessment.js';
import { withArticle } from './grammar.js';
import { symptomsOf, writeAcuteHpi, writeChiefComplaint, writePhysicalExam, writeReviewOfSystems } from './history.js';
import { writeFocusedExam } from './specialist-visit.js';
import { ageNoun, ageText, patientRef, writeEncounterText, writeSignature } from './phrases.js';
import {
  duringEncounter,
  factsOf,
  inSentence,
  labFlag,
  labText,
  labTextInSentence,
  labUnitText,
  numberText,
  writeAllergies,
  writeDenials,
  writeFactList,
  writeLabs,
  writeMedications,
  writeProblems,
  writeProcedures,
  writeSocial,
  wardOrdersOf,
  writeVitals,
} from './sections.js';
import { heading, type ClinicianStyle } from './style.js';
import { birthFacts, deliveryChiefComplaint, DELIVERY_CLOSINGS, writeDelivery, writeDeliveryAdmission, writeGestationalAge } from './delivery.js';

/** A plan line naming facts after an opening: "Performed: X, Y." (each fact cited), chosen when written. */
function factLine(c: Chooser, openings: readonly string[], facts: readonly Fact[], separator: string): (w: SectionWriter) => void {
  return (w) => {
    w.add(c.pick(openings));
    facts.forEach((f, i) => {
      if (i > 0) w.add(separator);
      w.fact(f.label, f.id);
    });
    w.add('.');
  };
}

/** The encounter's own diagnosis first, then other problems diagnosed during it. */
function presentingProblems(sheet: FactSheet): Fact[] {
  const reason = sheet.facts.find((f) => f.id === sheet.encounter.reasonFactId);
  const diagnosedHere = factsOf(sheet, 'problem').filter((f) => f !== reason && duringEncounter(f, sheet));
  return reason === undefined ? diagnosedHere : [reason, ...diagnosedHere];
}

/** The operation a planned admission was booked for (the first procedure of the stay), when it is one. */
function plannedOperation(sheet: FactSheet): Fact | undefined {
  if (sheet.encounter.planned !== true) return undefined;
  return sheet.facts.find((f) => f.kind === 'procedure' && duringEncounter(f, sheet));
}

/** Whether the patient died at this encounter (disposition "Expired"): no follow-up plans then. */
function diedHere(sheet: FactSheet): boolean {
  return /expired|deceased|died|death/i.test(sheet.encounter.disposition ?? '');
}

const DEATH_CLOSINGS = [
  'The patient expired during this encounter; family notified.',
  'Patient expired; time of death documented and family informed.',
  'Despite treatment the patient expired; the family was at the bedside.',
];

/** Discharge date, length of stay and disposition, from the encounter. */
function writeStay(s: SectionWriter, sheet: FactSheet, c: Chooser): void {
  const { endDate, lengthOfStayDays, disposition } = sheet.encounter;
  if (endDate !== undefined) {
    s.add(c.pick(['\nDischarge date: ', '\nDischarged: ', '\nDate of discharge: ']));
    writeEncounterText(s, sheet, endDate);
  }
  if (lengthOfStayDays !== undefined) {
    s.add(`\n${c.pick(['Length of stay', 'LOS'])}: ${lengthOfStayDays} ${lengthOfStayDays === 1 ? 'day' : 'days'}`);
  }
  if (disposition !== undefined) writeDisposition(s, sheet, c);
}

function writeDisposition(s: SectionWriter, sheet: FactSheet, c: Chooser): void {
  const fact = sheet.facts.find((f) => f.id === 'encounter.disposition');
  if (fact === undefined) return;
  s.add(`\n${diedHere(sheet) ? 'Disposition: ' : c.pick(['Disposition: ', 'Discharge disposition: ', 'Discharged to: '])}`);
  s.fact(fact.label, fact.id);
}

/** The encounter's coded reason when it says more than the diagnosis ("Acute exacerbation of ..."). */
function reasonBeyondDiagnosis(sheet: FactSheet): string | undefined {
  const reason = sheet.encounter.reason;
  if (reason === undefined) return undefined;
  const presenting = presentingProblems(sheet);
  return presenting.some((p) => p.label.toLowerCase() === reason.toLowerCase()) ? undefined : reason;
}

function writeReason(s: SectionWriter, sheet: FactSheet, c: Chooser): void {
  const presenting = presentingProblems(sheet);
  const birth = birthFacts(sheet);
  const pregnancy = presenting.find((p) => /pregnan/i.test(p.label));
  if (birth !== undefined && pregnancy !== undefined) {
    // A delivery admission is for the pregnancy at its gestational age, not for the live birth that followed.
    s.fact(pregnancy.label, pregnancy.id).add(' at ');
    writeGestationalAge(s, birth);
    if (sheet.encounter.noteType === 'discharge-summary') s.add(c.pick([', delivered', '; delivered']));
    return;
  }
  const operation = plannedOperation(sheet);
  if (operation !== undefined && presenting.length > 0) {
    // A booked operation: the reason is the operation, for the diagnosis it treats.
    s.add(c.pick(['Scheduled ', 'Planned ', 'Elective ']));
    s.fact(inSentence(operation.label), operation.id);
    s.add(' for ');
    s.fact(inSentence(presenting[0]!.label), presenting[0]!.id);
    return;
  }
  const beyond = reasonBeyondDiagnosis(sheet);
  if (beyond !== undefined && presenting.length > 0) {
    writeEncounterText(s, sheet, beyond);
    s.add(c.pick(['; known ', ' in a patient with ']));
  }
  if (presenting.length > 0) {
    presenting.forEach((p, i) => {
      if (i > 0) s.add(', ');
      s.fact(beyond === undefined ? p.label : inSentence(p.label), p.id);
    });
  } else {
    writeEncounterText(s, sheet, sheet.encounter.reason ?? sheet.encounter.type);
  }
}

function writeOpening(s: SectionWriter, sheet: FactSheet, style: ClinicianStyle, c: Chooser, setting: string): void {
  s.add(`${patientRef(sheet, style, c)} is ${withArticle(ageText(sheet))} ${ageNoun(sheet)} ${setting} `);
  const presenting = presentingProblems(sheet);
  const operation = plannedOperation(sheet);
  if (operation !== undefined && presenting.length > 0) {
    // Booked from clinic for the operation: not a worsening, not an emergency.
    s.add(c.pick(['for a planned ', 'electively for ', 'for scheduled ']));
    s.fact(inSentence(operation.label), operation.id);
    s.add(c.pick([' for ', ' to treat ']));
    s.fact(inSentence(presenting[0]!.label), presenting[0]!.id);
    s.add('. ');
  } else if (presenting.length > 0) {
    s.add(/^(?:who )?(?:admitted|was|presented)/.test(setting) ? c.pick(['with ', 'for ', 'for management of ']) : c.pick(['with ', 'for evaluation of ']));
    // A known problem that brought the patient in is a worsening of it, not a new diagnosis.
    const first = presenting[0]!;
    if (first.date !== undefined && first.date < sheet.encounter.date) s.add(c.pick(['worsening ', 'symptoms related to known ', 'complications of ']));
    presenting.forEach((p, i) => {
      if (i > 0) s.add(' and ');
      s.fact(inSentence(p.label), p.id);
    });
    s.add('. ');
  } else {
    s.add(c.pick(['for evaluation. ', 'for further care. ']));
  }
  writeBackground(s, sheet, c, presenting, ['Past history is significant for ', 'Background of ', 'History includes ']);
}

/** Up to three other problems as background, then the pertinent denials. */
function writeBackground(s: SectionWriter, sheet: FactSheet, c: Chooser, presenting: readonly Fact[], openings: readonly string[]): void {
  const chronic = factsOf(sheet, 'problem').filter((f) => !presenting.includes(f)).slice(0, 3);
  if (chronic.length > 0) {
    s.add(c.pick(openings));
    chronic.forEach((p, i) => {
      if (i > 0) s.add(i === chronic.length - 1 ? ' and ' : ', ');
      s.fact(inSentence(p.label), p.id);
    });
    s.add('. ');
  }
  writeDenials(s, sheet, c, 3);
}

function writeAssessment(note: NoteBuilder, sheet: FactSheet, style: ClinicianStyle, c: Chooser, title: string, closing: readonly string[]): void {
  const s = note.section(heading(style, title, 'A/P'));
  const presenting = presentingProblems(sheet);
  const procedures = sheet.facts.filter((f) => f.kind === 'procedure' && duringEncounter(f, sheet));
  const lines: ((w: SectionWriter) => void)[] = [];
  // An acute presentation gets the clinician's reasoning: symptoms, findings, what was done for it.
  const reason = sheet.facts.find((f) => f.id === sheet.encounter.reasonFactId);
  const reasoned = reason !== undefined && symptomsOf(sheet).length > 0 && presenting.includes(reason);
  if (reasoned) lines.push((w) => writeAcuteAssessment(w, sheet, reason, style, c));
  const operation = plannedOperation(sheet);
  const birth = birthFacts(sheet);
  const admission = sheet.encounter.noteType === 'history-and-physical';
  for (const p of presenting) {
    if (reasoned && p === reason) continue;
    // Written on admission the birth has not happened yet; after it, the delivery line below says it all.
    if (birth !== undefined && (admission ? /livebirth/i.test(p.label) : /pregnan|livebirth/i.test(p.label))) continue;
    lines.push((w) => {
      w.fact(p.label, p.id);
      writeStage(w, p, c);
      if (operation !== undefined && p === presenting[0]) {
        const after = sheet.encounter.noteType === 'discharge-summary';
        w.add(after ? c.pick([': underwent planned ', ', status post scheduled ', ': admitted electively and underwent ']) : c.pick([': admitted for planned ', ': here for scheduled ', ', admitted electively for ']));
        w.fact(inSentence(operation.label), operation.id).add('.');
        return;
      }
      if (sheet.encounter.noteType === 'consult-note' && p === presenting[0] && newlyDiagnosed(p, sheet)) {
        // Staged already (the stage is written above): the plan, not the staging, is what is discussed.
        const staging = p.stage === undefined ? ': new diagnosis; staging and treatment plan discussed.' : ': new diagnosis; treatment plan discussed.';
        w.add(c.pick([', newly diagnosed; treatment options reviewed with the patient.', staging, ', recently diagnosed; options for treatment discussed with the patient.']));
        return;
      }
      w.add(/pregnan|livebirth|birth|deliver|labor/i.test(p.label) ? c.pick(['.', '; obstetric care as above.', '; see delivery record.']) : c.pick(['.', ', improving.', ', treated as above.', '; plan discussed with the patient.']));
    });
  }
  if (birth !== undefined && !admission) {
    const pregnancy = presenting.find((p) => /pregnan/i.test(p.label));
    lines.push((w) => {
      if (pregnancy !== undefined) w.fact(pregnancy.label, pregnancy.id).add(c.pick([', delivered at ', ', delivered at ', '; delivery at ']));
      else w.add(c.pick(['Delivered at ', 'Delivery at ']));
      writeGestationalAge(w, birth);
      w.add(': ');
      writeDelivery(w, birth, c);
      w.add('.');
    });
  }
  // A booked operation is named in its problem's line already; a delivery in its own line (and not yet on admission).
  if (procedures.length > 0 && !reasoned && operation === undefined && birth === undefined) {
    lines.push(factLine(c, ['Procedures: ', 'Performed: ', 'Interventions: '], procedures, ', '));
  }
  const meds = factsOf(sheet, 'medication').filter((m) => duringEncounter(m, sheet) && !(reasoned && m.relatesTo?.includes(reason.id) === true && m.date === sheet.encounter.date));
  if (meds.length > 0) {
    lines.push(factLine(c, ['Started ', 'New prescription: ', 'Prescribed '], meds, ' and '));
  }
  // The admission orders: what the team started on the ward (the H&P writes them as orders placed).
  const ward = wardOrdersOf(sheet);
  if (ward.length > 0 && admission) {
    lines.push(factLine(c, ['Admission orders: ', 'Orders placed: ', 'Inpatient orders: '], ward, '; '));
  }
  // An admission note is written before the outcome is known.
  const died = diedHere(sheet) && sheet.encounter.noteType !== 'history-and-physical';
  lines.push((w) => w.add(c.pick(died ? DEATH_CLOSINGS : closing)));
  lines.forEach((line, i) => {
    if (i > 0) s.add(style.planAsList ? '\n' : ' ');
    if (style.planAsList) s.add(`${i + 1}. `);
    line(s);
  });
}

/** The closing lines of an admission's plan: a booked operation's differ from a medical stay's. */
const STAY_CLOSINGS = {
  'history-and-physical': {
    planned: ['Proceed with surgery as scheduled; plan reviewed with the patient.', 'To the operating room as planned; postoperative care per the surgical team.', 'Surgery as scheduled; risks and benefits discussed with the patient.'],
    medical: ['Admit for monitoring and treatment; plan reviewed with the patient.', 'Will continue inpatient management and reassess daily.', 'Code status and plan discussed with the patient.'],
  },
  'discharge-summary': {
    planned: ['Discharged home in stable condition; postoperative visit in surgery clinic in 1-2 weeks.', 'Wound care and activity instructions reviewed; follow-up with the operating surgeon in 2 weeks.', 'Postoperative instructions reviewed with the patient at discharge.'],
    medical: ['Discharged in stable condition; follow up with primary care within 1-2 weeks.', 'Return precautions reviewed; follow-up arranged with primary care.', 'Instructions reviewed with the patient at discharge.'],
  },
} as const;

function stayClosings(sheet: FactSheet, note: keyof typeof STAY_CLOSINGS): readonly string[] {
  const lines = adultStayClosings(sheet, note);
  if (sheet.patient.age >= 18) return lines;
  // A child's plan is discussed with the parents too, and a child's admission carries no code-status discussion.
  const who = sheet.patient.age < 12 ? 'with the parents' : 'with the patient and parents';
  return lines.filter((l) => !/^code status/i.test(l)).map((l) => l.replace(/with the patient\b/, who));
}

function adultStayClosings(sheet: FactSheet, note: keyof typeof STAY_CLOSINGS): readonly string[] {
  const birth = birthFacts(sheet);
  if (birth !== undefined) {
    if (note === 'discharge-summary') return DELIVERY_CLOSINGS['discharge-summary'];
    return /cesarean/i.test(birth.method.label) ? DELIVERY_CLOSINGS['history-and-physical-cesarean'] : DELIVERY_CLOSINGS['history-and-physical'];
  }
  if (plannedOperation(sheet) !== undefined) return STAY_CLOSINGS[note].planned;
  // After an emergency stay the condition's own follow-up (the surgery clinic after an appendectomy), when the data has one.
  const reason = sheet.facts.find((f) => f.id === sheet.encounter.reasonFactId);
  const followUp = note === 'discharge-summary' && reason?.code !== undefined ? presentationsByCode().get(reason.code.code)?.discharge?.followUp : undefined;
  return followUp ?? STAY_CLOSINGS[note].medical;
}

/** The follow-up of a condition whose discharge instructions suit a patient sent home from the ED (pneumonia, influenza, COVID-19). */
function edFollowUp(sheet: FactSheet): readonly string[] | undefined {
  const reason = sheet.facts.find((f) => f.id === sheet.encounter.reasonFactId);
  const discharge = reason?.code === undefined ? undefined : presentationsByCode().get(reason.code.code)?.discharge;
  return sentHomeFromEd(sheet) && discharge?.fromEd === true ? discharge.followUp : undefined;
}

/** Whether the ED visit ended in an admission (the disposition the record gives). */
function admitted(sheet: FactSheet): boolean {
  return /admit|inpatient|hospital|transfer/i.test(sheet.encounter.disposition ?? '');
}

/** "X is a 29-year-old woman at 39 weeks 2 days admitted to labor and delivery in labor." and her background. */
function writeDeliveryOpening(s: SectionWriter, sheet: FactSheet, style: ClinicianStyle, c: Chooser): void {
  const birth = birthFacts(sheet)!;
  s.add(`${patientRef(sheet, style, c)} is ${withArticle(ageText(sheet))} ${ageNoun(sheet)} `);
  writeDeliveryAdmission(s, birth, c);
  const pregnancyProblems = presentingProblems(sheet).filter((p) => /pregnan|livebirth/i.test(p.label));
  writeBackground(s, sheet, c, pregnancyProblems, ['Past history is significant for ', 'Other history: ', 'History includes ']);
}

/** The history of an acute presentation when the sheet has one, else the problem-led opening. */
function writeHistory(note: NoteBuilder, sheet: FactSheet, style: ClinicianStyle, c: Chooser, edSetting: boolean): void {
  const hpi = note.section(heading(style, 'History of Present Illness', 'HPI'));
  const birth = birthFacts(sheet);
  if (birth !== undefined) {
    // A delivery admission, written on arrival: the record holds the delivery, not the course of labor.
    writeDeliveryOpening(hpi, sheet, style, c);
    if (!/\s$/.test(hpi.value)) hpi.add(' ');
    hpi.add(c.pick(['Prenatal course reviewed. ', 'Prenatal care documented in the clinic record. ', 'Prenatal labs reviewed. ']));
    return;
  }
  if (symptomsOf(sheet).length > 0) {
    writeAcuteHpi(hpi, sheet, style, c, edSetting ? c.pick(['presents to the ED with', 'presents to the emergency department with', 'comes to the ED with', 'arrives by private vehicle with']) : c.pick(['presented with', 'was admitted with', 'presented to the ED with']));
  } else {
    writeOpening(hpi, sheet, style, c, edSetting ? c.pick(['seen in the ED', 'evaluated in the emergency department', 'presenting to the ED']) : c.pick(['admitted to the hospital', 'admitted to the medicine service', 'admitted']));
  }
}

export function writeEdNote(sheet: FactSheet, style: ClinicianStyle, c: Chooser): NoteOutput {
  const note = new NoteBuilder(c.pick(['Emergency Department Note', 'ED Provider Note', 'Emergency Medicine Note']));
  writeChiefComplaint(note.section(heading(style, 'Chief Complaint', 'CC')), sheet, style, c, (s) => writeReason(s, sheet, c));
  writeHistory(note, sheet, style, c, true);
  for (const add of c.shuffle([
    () => writeProblems(note, sheet, style, c),
    () => writeMedications(note, sheet, style, c, 'Home Medications', true),
    () => writeAllergies(note, sheet, style, c),
  ])) add();
  writeSocial(note, sheet, style, c);
  writeReviewOfSystems(note, sheet, style, c);
  writeVitals(note, sheet, style, c, c.pick(['Triage Vitals', 'Vital Signs', 'ED Vitals']));
  writePhysicalExam(note, sheet, style, c, true);
  writeLabs(note, sheet, style, c, c.pick(['ED Labs', 'Results', 'Labs']), true);
  writeProcedures(note, sheet, style, c, c.pick(['ED Course', 'Procedures']));
  const closing = diedHere(sheet)
    ? DEATH_CLOSINGS
    : admitted(sheet)
      ? ['Admitted for further management; admitting team accepted.', 'Will admit; case discussed with the hospitalist.', 'Requires inpatient care; admission orders placed.']
      : (edFollowUp(sheet) ?? ['Stable for discharge home; return precautions reviewed.', 'Discharged home with instructions; follow up with primary care in 2-3 days.', 'Symptoms improved in the ED; discharged with return precautions.']);
  writeAssessment(note, sheet, style, c, c.pick(['Medical Decision Making', 'Assessment and Plan', 'ED Course and Plan']), closing);
  const disposition = sheet.facts.find((f) => f.id === 'encounter.disposition');
  if (disposition !== undefined) note.section(heading(style, 'Disposition', 'Dispo')).fact(disposition.label, disposition.id);
  writeSignature(note, sheet, style, c);
  return note.build();
}

export function writeHistoryAndPhysical(sheet: FactSheet, style: ClinicianStyle, c: Chooser): NoteOutput {
  const note = new NoteBuilder(c.pick(['History and Physical', 'Admission H&P', 'Admission History and Physical']));
  writeChiefComplaint(note.section(heading(style, 'Chief Complaint', 'CC')), sheet, style, c, (s) =>
    birthFacts(sheet) !== undefined ? s.add(deliveryChiefComplaint(birthFacts(sheet)!, c)) : writeReason(s, sheet, c),
  );
  writeHistory(note, sheet, style, c, false);
  // On admission for delivery the live birth is still to come.
  writeProblems(note, birthFacts(sheet) === undefined ? sheet : { ...sheet, facts: sheet.facts.filter((f) => !(f.kind === 'problem' && /livebirth/i.test(f.label))) }, style, c);
  const history = sheet.facts.filter((f) => f.kind === 'procedure' && !duringEncounter(f, sheet));
  if (history.length > 0) {
    const s = note.section(heading(style, 'Past Surgical History', 'PSH'));
    writeFactList(s, history.slice(0, 6), style, c);
  }
  writeMedications(note, sheet, style, c, 'Home Medications', true);
  writeAllergies(note, sheet, style, c);
  writeSocial(note, sheet, style, c);
  writeReviewOfSystems(note, sheet, style, c);
  writeVitals(note, sheet, style, c, c.pick(['Vital Signs', 'Admission Vitals']));
  writePhysicalExam(note, sheet, style, c, false, 'Physical Examination');
  writeLabs(note, sheet, style, c, c.pick(['Admission Labs', 'Laboratory Data', 'Labs']), true);
  writeAssessment(note, sheet, style, c, 'Assessment and Plan', stayClosings(sheet, 'history-and-physical'));
  writeSignature(note, sheet, style, c);
  return note.build();
}

/** Within the stay or the emergency visit of the day before that led to it (the ED workup and first doses belong to the stay's course). */
function withStay(f: Fact, sheet: FactSheet): boolean {
  if (f.date === undefined) return false;
  const before = new Date(Date.parse(sheet.encounter.date) - 86_400_000).toISOString().slice(0, 10);
  return f.date >= before && f.date <= (sheet.encounter.endDate ?? sheet.encounter.date);
}

/** Days from the admission date to `date` as a hospital day (the admission day is day 1). */
function hospitalDay(sheet: FactSheet, date: string): number {
  return Math.round((Date.parse(date) - Date.parse(sheet.encounter.date)) / 86_400_000) + 1;
}

/**
 * The stay day by day, from the record alone: the abnormal results drawn during it, each procedure
 * on its hospital day, the drugs started for the condition, and the day and place of discharge.
 * Nothing the record does not hold (no "uncomplicated course", no complications).
 */
function writeHospitalCourse(s: SectionWriter, sheet: FactSheet, c: Chooser): void {
  if (s.value !== '' && !/\s$/.test(s.value)) s.add(' ');
  writeLabTrends(s, sheet, c);
  const labs = sheet.facts.filter((f) => f.kind === 'lab' && f.value !== undefined && f.firstOfStay === undefined && withStay(f, sheet) && labFlag(f) !== undefined).slice(0, 3);
  if (labs.length > 0) {
    s.add(c.pick(['Labs were notable for ', 'Workup revealed ', 'Labs during the stay showed ']));
    labs.forEach((f, i) => {
      if (i > 0) s.add(i === labs.length - 1 ? ' and ' : ', ');
      s.fact(labText(f, c), f.id);
      s.add(` (${labFlag(f)})`);
    });
    s.add('. ');
  }
  const procedures = sheet.facts.filter((f) => f.kind === 'procedure' && duringEncounter(f, sheet));
  const birth = birthFacts(sheet);
  for (const p of procedures) {
    const day = p.date === undefined ? undefined : hospitalDay(sheet, p.date);
    if (birth !== undefined && p.resourceId === birth.method.resourceId) {
      s.add(day === undefined ? '' : c.pick([`On hospital day ${day}, `, `On day ${day} she `]));
      writeDelivery(s, birth, c);
      s.add('. ');
      continue;
    }
    s.add(day === undefined ? c.pick(['Underwent ', 'The patient underwent ']) : c.pick([`On hospital day ${day}, underwent `, `Hospital day ${day}: `, `On day ${day}, underwent `]));
    s.fact(inSentence(p.label), p.id);
    s.add('. ');
  }
  const ward = wardOrdersOf(sheet);
  if (ward.length > 0) {
    s.add(c.pick(['On the ward she received ', 'Inpatient treatment: ', 'Treated on the ward with ']).replace(' she ', ` ${sheet.patient.sex === 'female' ? 'she' : 'he'} `));
    ward.forEach((m, i) => {
      if (i > 0) s.add(i === ward.length - 1 ? '; and ' : '; ');
      s.fact(m.label, m.id);
    });
    s.add('. ');
  }
  const started = factsOf(sheet, 'medication').filter((m) => m.status === 'active' && withStay(m, sheet));
  if (started.length > 0) {
    // After ward treatment, what is new at home is the step-down prescribed at discharge.
    s.add(ward.length > 0 ? c.pick(['Discharged on ', 'Transitioned to ', 'Went home on ']) : c.pick(['Started on ', 'Treatment included ', 'Was started on ']));
    started.forEach((m, i) => {
      if (i > 0) s.add(i === started.length - 1 ? ' and ' : ', ');
      s.fact(m.label, m.id);
    });
    s.add('. ');
  }
  const { endDate, disposition } = sheet.encounter;
  if (endDate !== undefined && !diedHere(sheet)) {
    const day = hospitalDay(sheet, endDate);
    s.add(`${c.pick(['Discharged', 'Was discharged', 'Discharged'])} ${disposition !== undefined && /home/i.test(disposition) ? 'home ' : ''}on hospital day ${day}.`);
  }
}

/** How far a value moved relative to its reference range (a WBC from 15.3 to 7.5 moved more than a sodium from 139 to 140). */
function movement(f: Fact): number {
  const width = f.range === undefined ? Math.abs(f.value!) || 1 : Math.max(1e-9, f.range.high - f.range.low);
  return Math.abs(f.value! - f.firstOfStay!.value) / width;
}

/**
 * The stay's serial labs: the tests abnormal on admission or at discharge, or that moved most, each
 * as its latest value and where it started ("WBC 7.5, down from 15.3 on admission"). Both numbers
 * are cited (the grounding accepts a stay's first and latest result of a test).
 */
function writeLabTrends(s: SectionWriter, sheet: FactSheet, c: Chooser): void {
  const moved = sheet.facts.filter((f) => f.kind === 'lab' && f.value !== undefined && f.firstOfStay !== undefined && f.firstOfStay.value !== f.value && withStay(f, sheet));
  if (moved.length === 0) return;
  const abnormal = (f: Fact): boolean => labFlag(f) !== undefined || labFlag({ ...f, value: f.firstOfStay!.value }) !== undefined;
  // A trend worth a sentence: abnormal at either end and moved beyond repeat-draw noise, or a large move within range.
  const worth = moved.filter((f) => (abnormal(f) && movement(f) >= TREND_ABNORMAL_MOVE) || movement(f) >= TREND_NORMAL_MOVE);
  // The hematocrit follows the hemoglobin: a note trends the one.
  if (worth.some((f) => f.code?.code === HEMOGLOBIN)) worth.splice(0, worth.length, ...worth.filter((f) => f.code?.code !== HEMATOCRIT));
  const picked = worth.sort((a, b) => Number(abnormal(b)) - Number(abnormal(a)) || movement(b) - movement(a)).slice(0, 3);
  if (picked.length === 0) return;
  // "Serial labs: hemoglobin 8.8 g/dL, down from 10.7 g/dL on admission." Each move says its direction and
  // both numbers carry their unit, as a clinician writes a trend (a bare "from 10.7" reads as a transcript).
  s.add(c.pick(['Serial labs: ', 'Lab trend: ', 'Trended labs: ']));
  const bracketed = c.chance(0.3);
  const where = c.pick([' on admission', ' at admission', ' on arrival']);
  picked.forEach((f, i) => {
    if (i > 0) s.add(i === picked.length - 1 ? c.pick(['; and ', '; ']) : '; ');
    s.fact(labTextInSentence(f, c), f.id);
    const down = f.value! < f.firstOfStay!.value;
    const direction = down ? c.pick(['down from ', 'down from ', 'decreased from ']) : c.pick(['up from ', 'up from ', 'increased from ']);
    s.add(bracketed ? ` (${direction}` : `, ${direction}`);
    s.fact(`${numberText(f.firstOfStay!.value)}${labUnitText(f)}`, f.id);
    s.add(where);
    if (bracketed) s.add(')');
  });
  s.add('. ');
}

/** Moves, as shares of the reference range's width, that a discharge summary reports (repeat-draw noise is smaller). */
const TREND_ABNORMAL_MOVE = 0.15;
const TREND_NORMAL_MOVE = 0.6;
const HEMOGLOBIN = '718-7';
const HEMATOCRIT = '4544-3';

/**
 * Medication reconciliation at discharge: drugs new from this stay, home drugs continued, and drugs
 * stopped, each from the record's orders (a new order during the stay; an order from before it still
 * running; an order that ended by the discharge).
 */
function writeMedicationReconciliation(note: NoteBuilder, sheet: FactSheet, style: ClinicianStyle, c: Chooser): void {
  const meds = factsOf(sheet, 'medication');
  const groups: [string, Fact[]][] = [
    [c.pick(['New', 'Started this admission', 'NEW']), meds.filter((m) => m.status === 'active' && withStay(m, sheet))],
    [c.pick(['Continued', 'Continue home medications', 'CONTINUE']), meds.filter((m) => m.status === 'active' && !withStay(m, sheet))],
    [c.pick(['Stopped', 'Discontinued', 'STOP']), meds.filter((m) => m.status === 'stopped' && m.endDate !== undefined && m.endDate >= sheet.encounter.date && m.endDate <= (sheet.encounter.endDate ?? sheet.encounter.date))],
  ];
  const s = note.section(heading(style, c.pick(['Discharge Medications (reconciled)', 'Medication Reconciliation', 'Discharge Medication Reconciliation']), 'Meds'));
  const shown = groups.filter(([, list]) => list.length > 0);
  if (shown.length === 0) {
    s.add(c.pick(['No medications at discharge.', 'None; no home medications and none started.']));
    return;
  }
  shown.forEach(([title, list], k) => {
    if (k > 0) s.add('\n');
    s.add(`${title}: `);
    list.forEach((m, i) => {
      if (i > 0) s.add('; ');
      s.fact(m.label, m.id);
    });
  });
}

export function writeDischargeSummary(sheet: FactSheet, style: ClinicianStyle, c: Chooser): NoteOutput {
  const note = new NoteBuilder(diedHere(sheet) ? c.pick(['Death Summary', 'Discharge Summary (Death)']) : c.pick(['Discharge Summary', 'Hospital Discharge Summary']));
  const dates = note.section(heading(style, 'Hospitalization', 'Dates'));
  dates.add('Admission date: ');
  writeEncounterText(dates, sheet, sheet.encounter.date);
  writeStay(dates, sheet, c);
  writeReason(note.section(heading(style, 'Admitting Diagnosis', 'Dx')), sheet, c);
  const course = note.section(heading(style, 'Hospital Course', 'Course'));
  if (birthFacts(sheet) !== undefined) writeDeliveryOpening(course, sheet, style, c);
  else writeOpening(course, sheet, style, c, plannedOperation(sheet) !== undefined ? c.pick(['who was admitted', 'who was admitted from clinic']) : c.pick(['who was admitted', 'who was hospitalized', 'who presented and was admitted']));
  writeHospitalCourse(course, sheet, c);
  writeProcedures(note, sheet, style, c, c.pick(['Procedures Performed', 'Procedures']));
  writeLabs(note, sheet, style, c, c.pick(['Pertinent Results', 'Key Labs']), true);
  if (!diedHere(sheet)) writeMedicationReconciliation(note, sheet, style, c);
  writeAllergies(note, sheet, style, c);
  writeAssessment(note, sheet, style, c, 'Discharge Plan', stayClosings(sheet, 'discharge-summary'));
  writeSignature(note, sheet, style, c, sheet.encounter.endDate ?? sheet.encounter.date);
  return note.build();
}

/** Diagnosed in the last three months: a consult for it is about the new diagnosis, not a worsening. */
function newlyDiagnosed(problem: Fact, sheet: FactSheet): boolean {
  return problem.date !== undefined && dateToInstant(sheet.encounter.date as IsoDate) - dateToInstant(problem.date as IsoDate) <= 92 * MS_PER_DAY;
}

/** "... referred for newly diagnosed X, found on biopsy of ... on DATE." */
function writeNewDiagnosisConsult(s: SectionWriter, sheet: FactSheet, problem: Fact, style: ClinicianStyle, c: Chooser): void {
  s.add(`${patientRef(sheet, style, c)} is ${withArticle(ageText(sheet))} ${ageNoun(sheet)} `);
  s.add(c.pick(['referred for newly diagnosed ', 'seen in consultation for newly diagnosed ', 'referred for evaluation of recently diagnosed ']));
  s.fact(inSentence(problem.label), problem.id);
  const biopsy = sheet.facts.find((f) => f.kind === 'procedure' && /biopsy/i.test(f.label) && f.date !== undefined && f.date <= sheet.encounter.date && f.date >= (problem.date ?? ''));
  if (biopsy !== undefined && biopsy.date !== undefined) {
    s.add(c.pick(['; diagnosis made on ', ', confirmed by ', '; tissue diagnosis by ']));
    s.fact(inSentence(biopsy.label), biopsy.id);
    s.add(' on ');
    s.add(biopsy.date);
  }
  s.add('. ');
  writeBackground(s, sheet, c, [problem], ['Past history is significant for ', 'Other history: ', 'History includes ']);
}

export function writeConsultNote(sheet: FactSheet, style: ClinicianStyle, c: Chooser): NoteOutput {
  const note = new NoteBuilder(c.pick(['Consult Note', 'Consultation', 'Specialty Consultation']));
  writeReason(note.section(heading(style, 'Reason for Consultation', 'Reason')), sheet, c);
  const hpi = note.section(heading(style, 'History of Present Illness', 'HPI'));
  const reason = presentingProblems(sheet)[0];
  if (reason !== undefined && newlyDiagnosed(reason, sheet)) writeNewDiagnosisConsult(hpi, sheet, reason, style, c);
  else writeOpening(hpi, sheet, style, c, c.pick(['referred for consultation', 'seen at the request of primary care', 'seen in consultation']));
  writeProblems(note, sheet, style, c);
  writeMedications(note, sheet, style, c);
  writeAllergies(note, sheet, style, c);
  writeVitals(note, sheet, style, c);
  // A specialist's clinic consult on a care pathway examines the patient, with the specialty's focus.
  if (sheet.encounter.specialty !== undefined) writeFocusedExam(writePhysicalExam(note, sheet, style, c, true), sheet, style, c);
  writeLabs(note, sheet, style, c, 'Data Reviewed');
  // What the record books next for the condition (the first cycle, the next nephrology visit), when it holds one.
  const next = sheet.facts.find((f) => f.id === 'history.plan.next');
  writeAssessment(
    note,
    sheet,
    style,
    c,
    c.pick(['Impression and Recommendations', 'Assessment and Recommendations']),
    next === undefined
      ? ['Recommendations discussed with the referring clinician.', 'Will follow up in clinic; thank you for this consultation.', 'Happy to see again as needed.']
      : [`Plan: ${next.label}; thank you for this consultation.`, `Next: ${next.label}. Recommendations discussed with the referring clinician.`],
  );
  writeSignature(note, sheet, style, c);
  return note.build();
}
