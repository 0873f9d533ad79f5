/**
 * Progress notes for ambulatory visits (well-child checks, adult examinations, immunization
 * visits): SOAP-shaped, with the section order, headings, phrasing and layout varying by author
 * and by note, and every number and name taken from the fact sheet.
 */
import type { Fact, FactSheet } from '../facts.js';
import type { NoteOutput } from '../note-output.js';
import { Chooser } from './chooser.js';
import { NoteBuilder, type SectionWriter } from './note-builder.js';
import { heading, type ClinicianStyle } from './style.js';
import { ageNoun, ageText, formatVital, listJoin, patientRef, visitReason, writeSignature } from './phrases.js';

export function writeProgressNote(sheet: FactSheet, style: ClinicianStyle, c: Chooser): NoteOutput {
  const title = c.pick(['Progress Note', 'Office Visit', 'Clinic Note', 'Outpatient Progress Note', 'Office Visit Note']);
  const note = new NoteBuilder(title);
  const vitals = sheet.facts.filter((f) => f.kind === 'vital');
  const given = sheet.facts.filter((f) => f.kind === 'immunization');
  const allergies = sheet.facts.filter((f) => f.kind === 'allergy' && f.status === 'active');
  const smoking = sheet.facts.find((f) => f.id === 'social.smoking');
  const isShotVisit = vitals.length === 0;

  const cc = note.section(heading(style, 'Chief Complaint', 'CC'));
  cc.fact(visitReason(sheet, c), 'encounter.type');
  if (!isShotVisit && style.verbose && c.chance(0.5)) cc.add(c.pick([' No acute concerns.', ' No new concerns today.', ' Here for routine care.']));

  const hpi = note.section(heading(style, c.pick(['History of Present Illness', 'Subjective', 'Interval History']), c.pick(['HPI', 'S'])));
  hpi.add(`${patientRef(sheet, style, c)} is a ${ageText(sheet)} ${ageNoun(sheet)} `);
  hpi.add(
    isShotVisit
      ? c.pick(['seen today for scheduled immunizations. ', 'presenting for vaccine administration. ', 'here for a nurse visit for immunizations. '])
      : sheet.patient.age < 3
        ? c.pick(['presenting for a scheduled well-baby visit. ', 'here for a routine infant check. ', 'seen for a well visit. '])
        : c.pick(['presenting for a routine preventive visit. ', 'seen for a scheduled health maintenance exam. ', 'here for a well visit. ', 'presenting for an annual examination. ']),
  );
  if (!isShotVisit) {
    hpi.add(
      c.pick([
        sheet.patient.age < 12 ? 'Feeding, sleep and development reviewed with the family. ' : 'Reports feeling well overall. ',
        'No interval hospitalizations or ER visits reported. ',
        'Doing well since the last visit. ',
        sheet.patient.age < 12 ? 'Family reports no concerns at this time. ' : 'Has no specific complaints today. ',
      ]),
    );
    const denied = c.some(
      sheet.negatives.filter((n) => n.startsWith('denies ')).map((n) => n.slice('denies '.length)),
      0.3,
      2,
    ).slice(0, 5);
    if (denied.length > 0 && sheet.patient.age >= 5) hpi.add(`${c.pick(['Denies', 'He or she denies', 'Patient denies']).replace('He or she', sheet.patient.sex === 'male' ? 'He' : 'She')} ${listJoin(denied, c.pick(['or', 'and']))}.`);
  }

  const sectionsAfterHpi: Array<() => void> = [];
  sectionsAfterHpi.push(() => {
    const s = note.section(heading(style, 'Allergies', 'ALL'));
    if (allergies.length === 0) {
      const phrase = style.abbreviates ? 'NKDA' : c.pick(['No known drug allergies', 'No known allergies', 'NKDA']);
      s.add(`${phrase}.`);
    } else {
      allergies.forEach((a, i) => {
        if (i > 0) s.add(style.vitalsLayout === 'list' ? '\n' : '; ');
        s.fact(a.label, a.id);
        const reaction = (a.synonyms ?? [])[0]?.match(/\(([^)]+)\)$/)?.[1];
        if (reaction !== undefined && c.chance(0.7)) s.add(` (${reaction})`);
      });
    }
  });
  sectionsAfterHpi.push(() => {
    const s = note.section(heading(style, 'Medications', 'Meds'));
    s.add(c.pick(['No current medications.', 'None.', 'Takes no medications.']));
  });
  if (smoking !== undefined) {
    sectionsAfterHpi.push(() => {
      const s = note.section(heading(style, 'Social History', 'SH'));
      writeSmoking(s, smoking, style, c);
    });
  }
  for (const add of style.verbose ? sectionsAfterHpi : c.shuffle(sectionsAfterHpi)) add();

  if (!isShotVisit) {
    const v = note.section(heading(style, c.pick(['Vital Signs', 'Vitals', 'Objective']), c.pick(['VS', 'O'])));
    const order = ['vital.bp', 'vital.heartRate', 'vital.respiratoryRate', 'vital.bodyTemperature', 'vital.oxygenSaturation', 'vital.bodyWeight', 'vital.bodyHeight', 'vital.bmi', 'vital.headCircumference'];
    const main = order.map((id) => vitals.find((f) => f.id === id)).filter((f): f is Fact => f !== undefined);
    const sep = style.vitalsLayout === 'inline' ? ', ' : style.vitalsLayout === 'pipes' ? ' | ' : '\n';
    main.forEach((f, i) => {
      if (i > 0) v.add(sep);
      writeVital(v, f, style);
    });
    const percentiles = vitals.filter((f) => f.id.endsWith('Percentile'));
    if (percentiles.length > 0) {
      v.add(`\n${c.pick(['Growth percentiles', 'Percentiles', 'Growth chart'])}:`);
      for (const p of percentiles) {
        v.add('\n- ');
        v.fact(`${p.label} ${formatNumber(p.value!)}`, p.id);
      }
    }
    if (style.verbose || c.chance(0.4)) {
      const exam = note.section(heading(style, 'Physical Exam', 'PE'));
      exam.add(
        c.pick([
          'General: well-appearing, in no acute distress.',
          'Gen: alert, NAD.',
          'Well-developed, well-nourished, no distress.',
        ]),
      );
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
        : sheet.patient.age < 18
          ? c.pick(['Well child check; growth and development reviewed.', 'Routine well-child visit.', 'Healthy child; anticipatory guidance provided.'])
          : c.pick(['Routine adult health maintenance.', 'General medical examination.', 'Annual preventive visit.']),
    ),
  );
  const bmi = vitals.find((f) => f.id === 'vital.bmi');
  if (bmi !== undefined && bmi.value !== undefined && sheet.patient.age >= 18 && bmi.value >= 25 && c.chance(0.7)) {
    items.push((w) => {
      w.fact(`BMI ${formatNumber(bmi.value!)}`, bmi.id);
      w.add(c.pick(['; counseled on diet and physical activity.', '; discussed nutrition and exercise.', '; weight management discussed.']));
    });
  }
  if (smoking !== undefined && /daily|occasional|current/i.test(smoking.label)) {
    items.push((w) => w.add(c.pick(['Tobacco cessation counseling provided (>3 minutes).', 'Advised to quit smoking; resources offered.', 'Smoking cessation discussed; patient considering quitting.'])));
  }
  items.push((w) => w.add(c.pick(['Return in 1 year for routine follow-up, sooner as needed.', 'Follow up at next scheduled preventive visit.', 'RTC as scheduled or sooner with concerns.'])));
  items.forEach((item, i) => {
    if (i > 0) plan.add(style.planAsList ? '\n' : ' ');
    if (style.planAsList) plan.add(`${i + 1}. `);
    item(plan);
  });

  writeSignature(note, sheet, style, c);
  return note.build();
}

function writeSmoking(s: SectionWriter, smoking: Fact, style: ClinicianStyle, c: Chooser): void {
  const label = smoking.label;
  const phrase = /Never/.test(label)
    ? c.pick(['Never smoker', 'Nonsmoker', 'Never smoked tobacco'])
    : /Ex-smoker/.test(label)
      ? c.pick(['Former smoker', 'Ex-smoker', 'Quit smoking'])
      : /daily/.test(label)
        ? c.pick(['Current every day smoker', 'Smokes daily', 'Daily smoker'])
        : c.pick(['Current some day smoker', 'Occasional smoker']);
  s.add(style.abbreviates ? 'Tobacco: ' : 'Tobacco use: ');
  s.fact(phrase, smoking.id);
  s.add('.');
}

function writeVital(v: SectionWriter, f: Fact, style: ClinicianStyle): void {
  v.fact(formatVital(f, style), f.id);
}

export function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}
