/**
 * Radiology reports for imaging procedures: exam, indication, technique, comparison, findings and
 * impression, with the comparison to the patient's prior study of the same kind when the record has
 * one, BI-RADS for screening mammograms and Lung-RADS for low-dose lung CT (ACR BI-RADS Atlas 2013;
 * ACR Lung-RADS v2022). Findings name only what the record holds: a diagnosis linked to the study,
 * else normal findings for the study.
 */
import type { FactSheet } from '../facts.js';
import type { NoteOutput } from '../note-output.js';
import type { Chooser } from './chooser.js';
import { NoteBuilder } from './note-builder.js';
import { ageNoun, ageText, writeEncounterText } from './phrases.js';
import { duringEncounter, factsOf, inSentence } from './sections.js';
import { isImaging } from '../imaging.js';
import { heading, type ClinicianStyle } from './style.js';

type StudyKind = 'mammogram' | 'ldct' | 'chest-xray' | 'head-ct' | 'other';

function studyKind(label: string): StudyKind {
  if (/mammogra/i.test(label)) return 'mammogram';
  if (/low dose computed tomography|LDCT/i.test(label)) return 'ldct';
  if (/chest x-ray|x-ray of chest|radiograph of chest/i.test(label)) return 'chest-xray';
  if (/tomography of head|head CT/i.test(label)) return 'head-ct';
  return 'other';
}

const TECHNIQUE: Readonly<Record<StudyKind, readonly string[]>> = {
  mammogram: ['Bilateral CC and MLO views, digital breast tomosynthesis.', 'Standard bilateral craniocaudal and mediolateral oblique views.', 'Full-field digital mammography, CC and MLO views of both breasts.'],
  ldct: ['Low-dose noncontrast CT of the chest, helical acquisition.', 'Low-dose CT of the thorax without contrast per lung screening protocol.'],
  'chest-xray': ['PA and lateral views of the chest.', 'Single portable AP view of the chest.', 'Frontal and lateral chest radiographs.'],
  'head-ct': ['Noncontrast axial CT of the head.', 'Axial images of the head without IV contrast, with coronal and sagittal reformats.'],
  other: ['Standard views were obtained.', 'Images acquired per departmental protocol.', 'Routine technique.'],
};

const NORMAL_FINDINGS: Readonly<Record<StudyKind, readonly string[]>> = {
  mammogram: [''],
  ldct: [''],
  'chest-xray': ['Lungs are clear. No pleural effusion or pneumothorax. Cardiomediastinal silhouette within normal limits.', 'No focal consolidation, effusion or pneumothorax. Heart size normal.', 'Clear lungs. Normal heart size. No acute osseous abnormality.'],
  'head-ct': ['No intracranial hemorrhage, mass effect or midline shift. Gray-white differentiation preserved.', 'No acute intracranial abnormality. Ventricles and sulci normal for age.'],
  other: ['No acute abnormality identified.', 'No acute findings.'],
};

/** Breast composition (ACR BI-RADS Atlas, 5th ed., 2013), as the report's first finding. */
const BREAST_DENSITY = [
  'The breasts are almost entirely fatty.',
  'There are scattered areas of fibroglandular density.',
  'The breasts are heterogeneously dense, which may obscure small masses.',
  'The breasts are extremely dense.',
];

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
  else indication.add(/screening|mammogra|low dose/i.test(exams.map((e) => e.label).join(' ')) ? c.pick(['Screening.', 'Routine screening.', 'Asymptomatic screening.']) : c.pick(['Evaluate.', 'Clinical evaluation.']));
  const kind = studyKind(exams.map((e) => e.label).join(' ') || sheet.encounter.type);
  const year = Number(sheet.encounter.date.slice(0, 4));
  // Digital mammography from 2000, tomosynthesis from 2011 (FDA approvals); film before.
  const technique = kind === 'mammogram' && year < 2000 ? ['Film-screen mammography, bilateral CC and MLO views.'] : kind === 'mammogram' && year < 2011 ? TECHNIQUE.mammogram.filter((t) => !/tomosynthesis/.test(t)) : TECHNIQUE[kind];
  note.section(heading(style, 'Technique', 'TECHNIQUE')).add(c.pick(technique));
  const comparison = note.section(heading(style, 'Comparison', 'COMPARISON'));
  const prior = sheet.facts.filter((f) => f.id.startsWith('history.priorStudy.')).sort((a, b) => ((a.date ?? '') < (b.date ?? '') ? 1 : -1))[0];
  if (prior !== undefined && prior.date !== undefined) {
    comparison.fact(prior.label, prior.id).add(` ${c.pick(['dated', 'of', 'from'])} ${prior.date}.`);
  } else comparison.add(c.pick(['None available.', 'No prior studies for comparison.', 'None.']));
  const findings = note.section(heading(style, 'Findings', 'FINDINGS'));
  const impression = note.section(heading(style, 'Impression', 'IMPRESSION'));
  const malignant = diagnoses.some((d) => /cancer|carcinoma|neoplasm|malignan/i.test(d.label));
  if (kind === 'mammogram' && year >= 1993) {
    findings.add(`${c.pick(BREAST_DENSITY)} `);
    if (malignant) {
      findings.add(c.pick(['There is an irregular spiculated mass', 'An irregular mass with indistinct margins is present', 'Irregular high-density mass']));
      findings.add(`${c.pick([' in the upper outer quadrant', ' in the retroareolar region', ' at the 10 o\'clock position'])}. `);
      impression.add(c.pick(['BI-RADS 4: Suspicious abnormality. Tissue sampling recommended.', 'BI-RADS 5: Highly suggestive of malignancy. Biopsy recommended.']));
    } else if (c.chance(0.75)) {
      findings.add(c.pick(['No suspicious masses, calcifications or architectural distortion.', 'No dominant mass, suspicious calcification or distortion in either breast.']));
      impression.add(c.pick(['BI-RADS 1: Negative. Routine screening mammography recommended.', 'BI-RADS 1: Negative. Continue annual screening.']));
    } else {
      findings.add(c.pick(['Scattered benign-appearing calcifications.', 'Stable benign-appearing intramammary lymph node.', 'Bilateral benign vascular calcifications.']));
      impression.add(c.pick(['BI-RADS 2: Benign findings. Routine screening recommended.', 'BI-RADS 2: Benign. Return to annual screening.']));
    }
    if (prior !== undefined) findings.add(c.pick([' Stable compared with the prior study.', ' No interval change.']));
  } else if (kind === 'ldct' && year >= 2014) {
    if (malignant) {
      findings.add(c.pick(['Solid nodule in the right upper lobe measuring 16 mm.', 'Spiculated solid nodule in the left upper lobe, 18 mm.']));
      impression.add(c.pick(['Lung-RADS 4B: Very suspicious. Tissue sampling or PET/CT recommended.', 'Lung-RADS 4X: Very suspicious. Further workup recommended.']));
    } else {
      // Lung-RADS v2022: no nodules is category 1; solid nodules under 6 mm are category 2. Findings the
      // record does not hold (emphysema, granulomas) are not invented.
      const benign = c.chance(0.5);
      findings.add(benign ? c.pick(['Few scattered solid nodules, the largest 4 mm, benign in appearance.', 'Two solid pulmonary nodules under 6 mm.']) : c.pick(['No pulmonary nodules.', 'No suspicious pulmonary nodule.']));
      findings.add(` ${c.pick(['No consolidation or effusion.', 'Heart size normal. No pleural effusion.'])}`);
      impression.add(benign ? 'Lung-RADS 2: Benign appearance or behavior. Continue annual screening with LDCT in 12 months.' : 'Lung-RADS 1: Negative. Continue annual screening with LDCT in 12 months.');
    }
  } else if (diagnoses.length > 0) {
    if (kind === 'chest-xray' && diagnoses.some((d) => /pneumonia/i.test(d.label))) {
      const side = sheet.facts.map((f) => /\b(left|right)\b/i.exec(f.label)?.[1]?.toLowerCase()).find((x) => x !== undefined) ?? c.pick(['right', 'left']);
      findings.add(c.pick([`Focal airspace opacity in the ${side} lower lobe. `, `Patchy consolidation at the ${side} base. `, `${side.charAt(0).toUpperCase()}${side.slice(1)} lower lobe airspace disease with air bronchograms. `]));
      findings.add(c.pick(['No pleural effusion or pneumothorax. ', 'Heart size normal. ', '']));
    }
    findings.add(c.pick(['Findings are consistent with ', 'Imaging demonstrates findings compatible with ']));
    diagnoses.forEach((d, i) => {
      if (i > 0) findings.add(' and ');
      findings.fact(inSentence(d.label), d.id);
    });
    findings.add('.');
    impression.add(c.pick(['Compatible with ', 'Consistent with ']));
    impression.fact(inSentence(diagnoses[0]!.label), diagnoses[0]!.id);
    impression.add(`. ${c.pick(['Clinical correlation recommended.', 'Follow-up imaging as clinically indicated.', ''])}`.trimEnd());
  } else {
    findings.add(c.pick(NORMAL_FINDINGS[kind]));
    impression.add(c.pick(['No acute process.', 'Negative study.', 'No acute abnormality.']));
  }
  note.section(heading(style, 'Signature', 'SIGNED')).add(`${c.pick(['Interpreted by', 'Dictated by', 'Read by'])} ${sheet.encounter.author}, MD, ${sheet.encounter.date}.`);
  return note.build();
}
