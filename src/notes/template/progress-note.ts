/**
 * Progress notes for ambulatory visits (well-child checks, adult examinations, follow-ups,
 * immunization visits): SOAP-shaped, with the section order, headings, phrasing and layout varying
 * by author and by note, and every number and name taken from the fact sheet.
 */
import type { Fact, FactSheet } from '../facts.js';
import type { NoteOutput } from '../note-output.js';
import type { Chooser } from './chooser.js';
import { NoteBuilder, type SectionWriter } from './note-builder.js';
import { ageNoun, ageText, patientRef, visitReason, writeEncounterText, writeSignature } from './phrases.js';
import {
  factsFor,
  inSentence,
  factsOf,
  labFlag,
  labText,
  writeAllergies,
  writeDenials,
  writeLabs,
  writeMedications,
  writeProblems,
  writeSocial,
  writeVitals,
} from './sections.js';
import { heading, type ClinicianStyle } from './style.js';

export function writeProgressNote(sheet: FactSheet, style: ClinicianStyle, c: Chooser): NoteOutput {
  const title = c.pick(['Progress Note', 'Office Visit', 'Clinic Note', 'Outpatient Progress Note', 'Office Visit Note']);
  const note = new NoteBuilder(title);
  const vitals = sheet.facts.filter((f) => f.kind === 'vital');
  const given = sheet.facts.filter((f) => f.kind === 'immunization');
  const problems = factsOf(sheet, 'problem');
  const smoking = sheet.facts.find((f) => f.id === 'social.smoking');
  const isShotVisit = vitals.length === 0;
  const isPreventive = /well child|general examination|check-?up|preventive/i.test(sheet.encounter.type);

  const reason = sheet.facts.find((f) => f.id === sheet.encounter.reasonFactId);
  const cc = note.section(heading(style, 'Chief Complaint', 'CC'));
  if (reason !== undefined) cc.fact(reason.label, reason.id);
  else writeEncounterText(cc, sheet, visitReason(sheet, c));
  if (!isShotVisit && style.verbose && c.chance(0.5)) cc.add(c.pick([' No acute concerns.', ' No new concerns today.', ' Here for routine care.']));

  const hpi = note.section(heading(style, c.pick(['History of Present Illness', 'Subjective', 'Interval History']), c.pick(['HPI', 'S'])));
  hpi.add(`${patientRef(sheet, style, c)} is a ${ageText(sheet)} ${ageNoun(sheet)} `);
  if (isShotVisit) {
    hpi.add(c.pick(['seen today for scheduled immunizations. ', 'presenting for vaccine administration. ', 'here for a nurse visit for immunizations. ']));
  } else if (reason !== undefined) {
    hpi.add(c.pick(['presenting with ', 'seen today for ', 'evaluated for ']));
    hpi.fact(inSentence(reason.label), reason.id);
    hpi.add('. ');
  } else if (!isPreventive) {
    hpi.add(c.pick(['seen in follow-up. ', 'presenting for a scheduled follow-up visit. ', 'here for ongoing care. ']));
  } else if (sheet.patient.age < 3) {
    hpi.add(c.pick(['presenting for a scheduled well-baby visit. ', 'here for a routine infant check. ', 'seen for a well visit. ']));
  } else {
    hpi.add(c.pick(['presenting for a routine preventive visit. ', 'seen for a scheduled health maintenance exam. ', 'here for a well visit. ', 'presenting for an annual examination. ']));
  }
  if (!isShotVisit) {
    const chronic = problems.filter((p) => p !== reason);
    if (chronic.length > 0 && c.chance(0.8)) {
      hpi.add(c.pick(['Known history of ', 'Chronic problems include ', 'Medical history is notable for ']));
      chronic.slice(0, 3).forEach((p, i) => {
        if (i > 0) hpi.add(i === Math.min(3, chronic.length) - 1 ? ' and ' : ', ');
        hpi.fact(inSentence(p.label), p.id);
      });
      hpi.add('. ');
    }
    hpi.add(
      c.pick([
        sheet.patient.age < 12 ? 'Feeding, sleep and development reviewed with the family. ' : 'Reports feeling well overall. ',
        'No interval hospitalizations or ER visits reported. ',
        'Doing well since the last visit. ',
        sheet.patient.age < 12 ? 'Family reports no concerns at this time. ' : 'Has no specific complaints today. ',
      ]),
    );
    writeDenials(hpi, sheet, c);
  }

  const history: Array<() => void> = [];
  if (problems.length > 0 || style.verbose) history.push(() => writeProblems(note, sheet, style, c));
  history.push(() => writeMedications(note, sheet, style, c));
  history.push(() => writeAllergies(note, sheet, style, c));
  if (smoking !== undefined) history.push(() => writeSocial(note, sheet, style, c));
  for (const add of style.verbose ? history : c.shuffle(history)) add();

  if (!isShotVisit) {
    writeVitals(note, sheet, style, c);
    writeLabs(note, sheet, style, c);
    if (style.verbose || c.chance(0.4)) {
      const exam = note.section(heading(style, 'Physical Exam', 'PE'));
      exam.add(c.pick(['General: well-appearing, in no acute distress.', 'Gen: alert, NAD.', 'Well-developed, well-nourished, no distress.']));
      if (c.chance(0.6)) exam.add(` ${c.pick(['HEENT: normocephalic, atraumatic.', 'Skin: warm and dry.', 'Neuro: grossly intact.'])}`);
    }
  }

  if (given.length > 0 || c.chance(0.3)) {
    const imm = note.section(heading(style, 'Immunizations', 'Imm'));
    if (given.length === 0) {
      imm.add(c.pick(['Immunization record reviewed; none due today.', 'Up to date per review; no vaccines given today.', 'No vaccines administered at this visit.']));
    } else {
      imm.add(c.pick(['Administered today: ', 'Given today: ', 'Vaccines given: ', 'Today the patient received: ']));
      given.forEach((g, i) => {
        if (i > 0) imm.add(i === given.length - 1 ? c.pick([', and ', '; ']) : ', ');
        imm.fact(g.label, g.id);
      });
      imm.add(c.pick(['.', '. VIS provided.', '. Tolerated well.', '. No immediate reaction observed.']));
    }
  }

  const plan = note.section(heading(style, c.pick(['Assessment and Plan', 'Assessment/Plan', 'Plan']), 'A/P'));
  const items: ((w: SectionWriter) => void)[] = [];
  items.push((w) =>
    w.add(
      isShotVisit
        ? c.pick(['Immunizations given as above.', 'Vaccine administration visit.', 'Encounter for immunization.'])
        : !isPreventive
          ? c.pick(['Follow-up visit.', 'Chronic disease follow-up.', 'Interval follow-up.'])
          : sheet.patient.age < 18
            ? c.pick(['Well child check; growth and development reviewed.', 'Routine well-child visit.', 'Healthy child; anticipatory guidance provided.'])
            : c.pick(['Routine adult health maintenance.', 'General medical examination.', 'Annual preventive visit.']),
    ),
  );
  for (const p of problems.slice(0, 6)) items.push((w) => writeProblemPlan(w, sheet, p, style, c));
  const bmi = vitals.find((f) => f.id === 'vital.bmi');
  if (bmi?.value !== undefined && sheet.patient.age >= 18 && bmi.value >= 25 && c.chance(0.7)) {
    items.push((w) => {
      w.fact(`BMI ${Number.isInteger(bmi.value!) ? bmi.value : bmi.value!.toFixed(1)}`, bmi.id);
      w.add(c.pick(['; counseled on diet and physical activity.', '; discussed nutrition and exercise.', '; weight management discussed.']));
    });
  }
  if (smoking !== undefined && /daily|occasional|current/i.test(smoking.label)) {
    items.push((w) => w.add(c.pick(['Tobacco cessation counseling provided (>3 minutes).', 'Advised to quit smoking; resources offered.', 'Smoking cessation discussed; patient considering quitting.'])));
  }
  items.push((w) => w.add(c.pick(['Return in 1 year for routine follow-up, sooner as needed.', 'Follow up at next scheduled visit.', 'RTC as scheduled or sooner with concerns.'])));
  items.forEach((item, i) => {
    if (i > 0) plan.add(style.planAsList ? '\n' : ' ');
    if (style.planAsList) plan.add(`${i + 1}. `);
    item(plan);
  });

  writeSignature(note, sheet, style, c);
  return note.build();
}

/**
 * One problem's assessment and plan: its latest lab with a word on control, and the drugs for it
 * ("Type 2 diabetes mellitus: A1c 7.4% (high) on 2025-01-03; continue metformin 500 mg ER tablet.").
 */
function writeProblemPlan(w: SectionWriter, sheet: FactSheet, p: Fact, style: ClinicianStyle, c: Chooser): void {
  const labs = factsFor(sheet, 'lab', p).filter((f) => f.value !== undefined).slice(0, 2);
  const meds = factsFor(sheet, 'medication', p);
  const startedToday = meds.filter((m) => m.date === sheet.encounter.date);
  const continuing = meds.filter((m) => m.date !== sheet.encounter.date);
  // Some clinicians head a problem by its abbreviation ("HTN", "T2DM").
  const abbreviations = (p.synonyms ?? []).filter((x) => /^[A-Z][A-Z0-9]+$/.test(x));
  w.fact(style.abbreviates && abbreviations.length > 0 && c.chance(0.6) ? c.pick(abbreviations) : p.label, p.id);
  const diagnosedToday = p.date === sheet.encounter.date;
  if (diagnosedToday) w.add(c.pick([', new diagnosis', ', newly diagnosed today', ' (new)']));
  if (labs.length > 0) {
    w.add(c.pick([': ', ' - ', ': latest ']));
    labs.forEach((lab, i) => {
      if (i > 0) w.add(', ');
      w.fact(labText(lab, c), lab.id);
      if (lab.date !== undefined && lab.date !== sheet.encounter.date && c.chance(0.5)) w.add(` on ${lab.date}`);
    });
    const high = labs.some((lab) => labFlag(lab) !== undefined);
    w.add(
      high
        ? c.pick(['; above goal', ', not at goal', '; suboptimal control', ', out of range'])
        : c.pick(['; at goal', ', within range', '; well controlled', ', stable']),
    );
  } else if (meds.length === 0 && !diagnosedToday) {
    w.add(c.pick([': stable, continue to monitor.', ' - monitoring.', ': reviewed today.', ': stable, no change in plan.']));
    return;
  }
  if (startedToday.length > 0) {
    w.add(c.pick(['; start ', '. Starting ', '; prescribed ', '. Will start ']));
    writeList(w, startedToday);
  }
  if (continuing.length > 0) {
    w.add(c.pick(['; continue ', '. Continue ', '; stable on ', '; tolerating ']));
    writeList(w, continuing);
  }
  if (meds.length === 0) {
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

export type { ClinicianStyle };
