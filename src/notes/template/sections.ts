/**
 * Section writers shared by the note types: each states only facts of the sheet, through
 * {@link SectionWriter.fact} so every statement carries its mention.
 */
import { TOBACCO_DENIAL, type Fact, type FactSheet } from '../facts.js';
import type { Chooser } from './chooser.js';
import type { NoteBuilder, SectionWriter } from './note-builder.js';
import { formatVital, listJoin } from './phrases.js';
import { heading, type ClinicianStyle } from './style.js';

const VITAL_ORDER = [
  'vital.bp',
  'vital.heartRate',
  'vital.respiratoryRate',
  'vital.bodyTemperature',
  'vital.oxygenSaturation',
  'vital.bodyWeight',
  'vital.bodyHeight',
  'vital.bmi',
  'vital.headCircumference',
];

export const isCurrent = (f: Fact): boolean => f.status === undefined || f.status === 'active';

/** The sheet's facts of a kind (by default the current ones); ward orders are no home medication and are left out. */
export function factsOf(sheet: FactSheet, kind: Fact['kind'], current = true): Fact[] {
  return sheet.facts.filter((f) => f.kind === kind && f.inpatient !== true && (!current || isCurrent(f)));
}

/** The stay's ward orders (the admission orders), in the order they were written, whatever their status now. */
export function wardOrdersOf(sheet: FactSheet): Fact[] {
  return sheet.facts.filter((f) => f.kind === 'medication' && f.inpatient === true);
}

/** Whether a dated fact happened during this encounter (a stay spans days). */
export function duringEncounter(f: Fact, sheet: FactSheet): boolean {
  return f.date !== undefined && f.date >= sheet.encounter.date && f.date <= (sheet.encounter.endDate ?? sheet.encounter.date);
}

/** Facts that belong to a problem: drugs for it, labs monitoring it. */
export function factsFor(sheet: FactSheet, kind: Fact['kind'], problem: Fact): Fact[] {
  return factsOf(sheet, kind).filter((f) => f.relatesTo?.includes(problem.id) === true || f.synonyms?.includes(`for ${problem.label}`) === true);
}

/** A lab value as charts write it, label first so the number check finds it: "A1c 7.4 %". */
export function labText(f: Fact, c: Chooser): string {
  const names = [f.label, ...(f.synonyms ?? []).filter((s) => s.length <= 6 && !s.includes(' '))];
  return `${c.pick(names)} ${numberText(f.value!)}${labUnitText(f)}`;
}

/**
 * A lab result inside a sentence: a name that is a word is lower-cased as clinicians write it
 * ("hemoglobin 8.8 g/dL", "glucose 249 mg/dL"); an abbreviation keeps its letters ("BUN", "Hgb", "eGFR").
 */
export function labTextInSentence(f: Fact, c: Chooser): string {
  const text = labText(f, c);
  // A word has four or more lowercase letters after its capital; "Hgb", "Plt" and "Cr" are abbreviations.
  return /^[A-Z][a-z]{3,}\b/.test(text) ? inSentence(text) : text;
}

/** The unit after a lab's number as `labText` prints it ("%" joined, others after a space; none for ratios). */
export function labUnitText(f: Fact): string {
  return f.unit === undefined || f.unit === '1' || f.unit === '{ratio}' ? '' : f.unit === '%' ? '%' : ` ${unitText(f.unit)}`;
}

/** A UCUM unit as charts print it: "mL/min/{1.73_m2}" is "mL/min/1.73 m2", "m[IU]/L" is "mIU/L". */
export function unitText(unit: string): string {
  return unit.replace(/\{1\.73_m2\}/g, '1.73 m2').replace(/\[([A-Za-z]+)\]/g, '$1').replace(/\{([^}]*)\}/g, '$1').replace(/_/g, ' ');
}

/** A label inside a sentence: "acute bronchitis", but "COPD" and "Parkinson disease" keep their capitals. */
export function inSentence(label: string): string {
  if (!/^[A-Z][a-z]/.test(label)) return label;
  const first = label.split(/\s/)[0]!;
  // Eponyms ("Alzheimer's disease", "Crohn disease") stay capitalized.
  if (/'s$/.test(first) || /^(?:Alzheimer|Parkinson|Crohn|Hodgkin|Graves|Cushing|Addison|Down|Bell)/.test(first)) return label;
  return label.charAt(0).toLowerCase() + label.slice(1);
}

/** "high" or "low" against the reference range, when outside it. */
export function labFlag(f: Fact): 'high' | 'low' | undefined {
  if (f.value === undefined || f.range === undefined) return undefined;
  return f.value > f.range.high ? 'high' : f.value < f.range.low ? 'low' : undefined;
}

function separator(style: ClinicianStyle): string {
  return style.vitalsLayout === 'inline' ? ', ' : style.vitalsLayout === 'pipes' ? ' | ' : '\n';
}

/** A list of facts by label; `bulleted` puts each on its own line. */
export function writeFactList(s: SectionWriter, facts: readonly Fact[], style: ClinicianStyle, c: Chooser, describe?: (f: Fact) => string): void {
  const bulleted = style.planAsList || facts.length > 3;
  facts.forEach((f, i) => {
    if (bulleted) s.add(i === 0 ? '- ' : '\n- ');
    else if (i > 0) s.add(i === facts.length - 1 ? c.pick([', and ', '; ']) : ', ');
    s.fact(describe === undefined ? f.label : describe(f), f.id);
  });
  if (!bulleted) s.add('.');
}

export function writeProblems(note: NoteBuilder, sheet: FactSheet, style: ClinicianStyle, c: Chooser, title = 'Past Medical History'): void {
  // The encounter's own diagnosis is the reason for the note, not part of the history.
  const problems = factsOf(sheet, 'problem').filter((f) => f.id !== sheet.encounter.reasonFactId);
  const past = factsOf(sheet, 'problem', false).filter((f) => !isCurrent(f));
  const s = note.section(heading(style, title, title === 'Past Medical History' ? 'PMH' : title));
  if (problems.length === 0 && past.length === 0) {
    s.add(c.pick(['No chronic medical problems on file.', 'Noncontributory.', 'No significant past medical history.']));
    return;
  }
  writeFactList(s, [...problems, ...past], style, c, (f) => {
    if (!isCurrent(f)) return `${f.label} (${f.status === 'remission' ? 'in remission' : f.status})`;
    return f.date !== undefined && c.chance(0.4) ? `${f.label} (${c.pick(['since', 'dx', 'diagnosed'])} ${f.date.slice(0, 4)})` : f.label;
  });
}

/** `home`: only what the patient was taking before this encounter (not what was started during it). */
export function writeMedications(note: NoteBuilder, sheet: FactSheet, style: ClinicianStyle, c: Chooser, title = 'Medications', home = false): void {
  const meds = factsOf(sheet, 'medication').filter((m) => !home || !duringEncounter(m, sheet));
  const s = note.section(heading(style, title, 'Meds'));
  if (meds.length === 0) {
    s.add(c.pick(['No current medications.', 'None.', 'Takes no medications.']));
    return;
  }
  writeFactList(s, meds, style, c);
}

export function writeAllergies(note: NoteBuilder, sheet: FactSheet, style: ClinicianStyle, c: Chooser): void {
  const allergies = factsOf(sheet, 'allergy');
  const s = note.section(heading(style, 'Allergies', 'ALL'));
  if (allergies.length === 0) {
    s.add(`${style.abbreviates ? 'NKDA' : c.pick(['No known drug allergies', 'No known allergies', 'NKDA'])}.`);
    return;
  }
  allergies.forEach((a, i) => {
    if (i > 0) s.add(style.vitalsLayout === 'list' ? '\n' : '; ');
    s.fact(a.label, a.id);
    const reaction = (a.synonyms ?? []).map((x) => /\(([^)]+)\)$/.exec(x)?.[1]).find((x) => x !== undefined);
    if (reaction !== undefined && c.chance(0.7)) s.add(` (${reaction})`);
  });
}

export function writeSocial(note: NoteBuilder, sheet: FactSheet, style: ClinicianStyle, c: Chooser): void {
  const smoking = sheet.facts.find((f) => f.id === 'social.smoking');
  if (smoking === undefined) return;
  const s = note.section(heading(style, 'Social History', 'SH'));
  const label = smoking.label;
  const phrase = /Never/i.test(label)
    ? c.pick(['Never smoker', 'Nonsmoker', 'Never smoked tobacco'])
    : /Ex-smoker|former/i.test(label)
      ? c.pick(['Former smoker', 'Ex-smoker', 'Quit smoking'])
      : /daily/i.test(label)
        ? c.pick(['Current every day smoker', 'Smokes daily', 'Daily smoker'])
        : c.pick(['Current some day smoker', 'Occasional smoker']);
  s.add(style.abbreviates ? 'Tobacco: ' : 'Tobacco use: ');
  s.fact(phrase, smoking.id);
  s.add('.');
}

export function hasVitals(sheet: FactSheet): boolean {
  return sheet.facts.some((f) => f.kind === 'vital');
}

export function writeVitals(note: NoteBuilder, sheet: FactSheet, style: ClinicianStyle, c: Chooser, title?: string): void {
  const vitals = sheet.facts.filter((f) => f.kind === 'vital');
  if (vitals.length === 0) return;
  const v = note.section(heading(style, title ?? c.pick(['Vital Signs', 'Vitals', 'Objective']), c.pick(['VS', 'O'])));
  const main = VITAL_ORDER.map((id) => vitals.find((f) => f.id === id)).filter((f): f is Fact => f !== undefined);
  const sep = separator(style);
  main.forEach((f, i) => {
    if (i > 0) v.add(sep);
    v.fact(formatVital(f, style), f.id);
  });
  const percentiles = vitals.filter((f) => f.id.endsWith('Percentile'));
  if (percentiles.length > 0) {
    v.add(`\n${c.pick(['Growth percentiles', 'Percentiles', 'Growth chart'])}:`);
    for (const p of percentiles) {
      v.add('\n- ');
      v.fact(`${p.label} ${numberText(p.value!)}`, p.id);
    }
  }
}

/**
 * Lab results. `acute`: the results of this encounter under the given title, else a few recent
 * outpatient ones under a heading that says so. Returns the results it cited.
 */
export function writeLabs(note: NoteBuilder, sheet: FactSheet, style: ClinicianStyle, c: Chooser, title?: string, acute = false): Fact[] {
  let labs = sheet.facts.filter((f) => f.kind === 'lab' && f.value !== undefined);
  if (acute) {
    const here = labs.filter((f) => duringEncounter(f, sheet));
    if (here.length === 0) {
      labs = labs.slice(0, 4);
      title = c.pick(['Recent Outpatient Labs', 'Prior Labs', 'Most Recent Labs']);
    } else labs = here;
  }
  if (labs.length === 0) return [];
  const s = note.section(heading(style, title ?? c.pick(['Labs', 'Laboratory Results', 'Data']), 'Labs'));
  const sep = labs.length > 4 ? '\n' : separator(style);
  const dated = c.chance(0.7);
  labs.forEach((f, i) => {
    if (i > 0) s.add(sep);
    s.fact(labText(f, c), f.id);
    const flag = labFlag(f);
    if (flag !== undefined) s.add(style.abbreviates ? ` (${flag === 'high' ? 'H' : 'L'})` : ` (${flag})`);
    if (dated && f.date !== undefined && f.date !== sheet.encounter.date) s.add(` [${f.date}]`);
  });
  return labs;
}

export function writeProcedures(note: NoteBuilder, sheet: FactSheet, style: ClinicianStyle, c: Chooser, title: string): void {
  const procedures = sheet.facts.filter((f) => f.kind === 'procedure' && duringEncounter(f, sheet));
  if (procedures.length === 0) return;
  const s = note.section(heading(style, title, title));
  writeFactList(s, procedures, style, c);
}

/** The symptoms the sheet lets a note deny ("chest pain", not "tobacco use", which social history states). */
export function symptomDenials(sheet: FactSheet): string[] {
  return sheet.negatives.filter((n) => n.startsWith('denies ') && n !== TOBACCO_DENIAL).map((n) => n.slice('denies '.length));
}

/** Pertinent negatives the sheet supports, as one "Denies ..." sentence (a few, varied). */
export function writeDenials(s: SectionWriter, sheet: FactSheet, c: Chooser, max = 5): void {
  const denied = c.some(symptomDenials(sheet), 0.3, 2).slice(0, max);
  if (denied.length === 0 || sheet.patient.age < 5) return;
  s.add(`${c.pick(['Denies', 'Patient denies', sheet.patient.sex === 'male' ? 'He denies' : 'She denies'])} ${listJoin(denied, c.pick(['or', 'and']))}.`);
}

/** A measured value as a note writes it: whole numbers as they are, others to one decimal. */
export function numberText(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}
