/**
 * Radiology reports for imaging procedures: exam, indication, technique, comparison, findings and
 * impression. Findings name only what the record holds: a diagnosis made at this encounter, else a
 * statement that no acute abnormality was reported.
 */
import type { FactSheet } from '../facts.js';
import type { NoteOutput } from '../note-output.js';
import type { Chooser } from './chooser.js';
import { NoteBuilder } from './note-builder.js';
import { ageNoun, ageText, writeEncounterText } from './phrases.js';
import { duringEncounter, factsOf, inSentence } from './sections.js';
import { isImaging } from '../imaging.js';
import { heading, type ClinicianStyle } from './style.js';

export function writeRadiologyReport(sheet: FactSheet, style: ClinicianStyle, c: Chooser): NoteOutput {
  const note = new NoteBuilder(c.pick(['Radiology Report', 'Diagnostic Imaging Report', 'Imaging Report']));
  const during = sheet.facts.filter((f) => f.kind === 'procedure' && duringEncounter(f, sheet));
  const imaging = during.filter((f) => isImaging(f.label));
  const exams = imaging.length > 0 ? imaging : during;
  const exam = note.section(heading(style, 'Exam', 'EXAM'));
  if (exams.length > 0) {
    exams.forEach((e, i) => {
      if (i > 0) exam.add('; ');
      exam.fact(e.label, e.id);
    });
  } else {
    writeEncounterText(exam, sheet, sheet.encounter.type);
  }
  const reason = sheet.facts.find((f) => f.id === sheet.encounter.reasonFactId);
  // Findings name only what the study was for: problems its procedures are linked to, the encounter's
  // diagnosis, or (at an imaging visit) what was diagnosed there; never an unrelated diagnosis of the day.
  const linked = new Set(exams.flatMap((e) => e.relatesTo ?? []));
  const imagingVisit = isImaging(sheet.encounter.type);
  const diagnoses = factsOf(sheet, 'problem').filter((f) => linked.has(f.id) || f === reason || (imagingVisit && duringEncounter(f, sheet)));
  const indication = note.section(heading(style, 'Clinical Indication', 'INDICATION'));
  indication.add(`${ageText(sheet)} ${ageNoun(sheet)}. `);
  if (reason !== undefined) {
    indication.add(c.pick(['Evaluate for ', 'History of ', 'Clinical concern for ']));
    indication.fact(inSentence(reason.label), reason.id);
    indication.add('.');
  } else if (sheet.encounter.reason !== undefined) indication.add(`${sheet.encounter.reason}.`);
  else indication.add(c.pick(['Evaluate.', 'Clinical evaluation.', 'Screening.']));
  note.section(heading(style, 'Technique', 'TECHNIQUE')).add(c.pick(['Standard views were obtained.', 'Images acquired per departmental protocol.', 'Routine technique.']));
  note.section(heading(style, 'Comparison', 'COMPARISON')).add(c.pick(['None available.', 'No prior studies for comparison.', 'None.']));
  const findings = note.section(heading(style, 'Findings', 'FINDINGS'));
  const impression = note.section(heading(style, 'Impression', 'IMPRESSION'));
  if (diagnoses.length > 0) {
    findings.add(c.pick(['Findings are consistent with ', 'Imaging demonstrates findings compatible with ']));
    diagnoses.forEach((d, i) => {
      if (i > 0) findings.add(' and ');
      findings.fact(inSentence(d.label), d.id);
    });
    findings.add('.');
    impression.add(c.pick(['Compatible with ', 'Consistent with ']));
    impression.fact(inSentence(diagnoses[0]!.label), diagnoses[0]!.id);
    impression.add('. Clinical correlation recommended.');
  } else {
    findings.add(c.pick(['No acute abnormality identified.', 'No acute findings.']));
    impression.add(c.pick(['No acute process.', 'Negative study.']));
  }
  note.section(heading(style, 'Signature', 'SIGNED')).add(`${c.pick(['Interpreted by', 'Dictated by', 'Read by'])} ${sheet.encounter.author}, MD, ${sheet.encounter.date}.`);
  return note.build();
}
