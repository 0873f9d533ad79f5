/**
 * The fact sheet as the text a prompt carries: one line per fact, each led by the id the model
 * must cite in its mentions. Deterministic (same sheet, same text), since the text is part of the
 * response cache key.
 */
import type { Fact, FactKind, FactSheet } from './facts.js';

const SECTION_ORDER: readonly { kind: FactKind; heading: string }[] = [
  { kind: 'demographic', heading: 'Demographics' },
  { kind: 'encounter', heading: 'This encounter' },
  { kind: 'problem', heading: 'Problems (active, and past ones marked resolved/inactive/remission)' },
  { kind: 'medication', heading: 'Medications (active = taking now; stopped = history)' },
  { kind: 'allergy', heading: 'Allergies' },
  { kind: 'symptom', heading: 'Symptoms the patient reports (value = hours since it began)' },
  { kind: 'finding', heading: 'Exam findings' },
  { kind: 'vital', heading: 'Vital signs (this encounter)' },
  { kind: 'lab', heading: 'Laboratory results (latest of each test, past year)' },
  { kind: 'procedure', heading: 'Procedures (dated today = done at this encounter)' },
  { kind: 'birth', heading: 'Delivery (gestational age in weeks; birth weight in grams; Apgar scores at 1 and 5 minutes)' },
  { kind: 'prenatal', heading: 'Prenatal visit (gestational age in weeks from the pregnancy dates; fundal height in cm; fetal heart rate per minute)' },
  { kind: 'immunization', heading: 'Immunizations' },
  { kind: 'history', heading: 'History' },
  { kind: 'social', heading: 'Social history' },
];

/** Renders a fact sheet for a prompt. */
export function renderFactSheet(sheet: FactSheet): string {
  const { patient, encounter } = sheet;
  const lines: string[] = [
    'PATIENT',
    `- Name: ${patient.name} (given name ${patient.givenName}, family name ${patient.familyName})`,
    `- Age: ${patient.age} ${patient.age === 1 ? 'year' : 'years'}; sex: ${patient.sex}; born ${patient.birthDate}`,
    '',
    'ENCOUNTER',
    `- Date: ${encounter.date}; class: ${encounter.class}; type: ${encounter.type}`,
    ...(encounter.reason === undefined ? [] : [`- Reason: ${encounter.reason}`]),
    ...(encounter.chiefComplaint === undefined ? [] : [`- Chief complaint (patient's words): ${encounter.chiefComplaint}`]),
    ...(encounter.reasonFactId === undefined ? [] : [`- Diagnosis this encounter is for: [${encounter.reasonFactId}] (see PROBLEMS)`]),
    ...(encounter.lengthOfStayDays === undefined ? [] : [`- Discharged ${encounter.endDate ?? ''}; length of stay ${encounter.lengthOfStayDays} ${encounter.lengthOfStayDays === 1 ? 'day' : 'days'}`]),
    ...(encounter.disposition === undefined ? [] : [`- Disposition: ${encounter.disposition}`]),
    ...(encounter.planned === true ? ['- Admission: planned, booked from clinic for the operation of this stay (not an emergency, not a worsening)'] : []),
    `- Author: ${encounter.author}`,
  ];
  for (const { kind, heading } of SECTION_ORDER) {
    const facts = sheet.facts.filter((f) => f.kind === kind);
    if (facts.length === 0) continue;
    lines.push('', heading.toUpperCase(), ...facts.map((f) => `- [${f.id}] ${describeFact(f)}`));
  }
  lines.push('', 'PERTINENT NEGATIVES THE RECORD SUPPORTS');
  if (sheet.negatives.length === 0) lines.push('- (none: state no pertinent negatives)');
  else lines.push(...sheet.negatives.map((n) => `- ${n}`));
  return lines.join('\n');
}

function describeFact(fact: Fact): string {
  let text = fact.label;
  if (fact.components !== undefined && fact.components.length > 0) {
    text += `: ${fact.components.map((c) => `${c.label.toLowerCase()} ${formatNumber(c.value)} ${c.unit}`).join(', ')}`;
  } else if (fact.value !== undefined) {
    text += `: ${formatNumber(fact.value)}${fact.unit === undefined ? '' : ` ${fact.unit}`}`;
  }
  const notes: string[] = [];
  if (fact.range !== undefined) notes.push(`ref ${formatNumber(fact.range.low)}-${formatNumber(fact.range.high)}${flag(fact)}`);
  if (fact.status !== undefined) notes.push(fact.status);
  if (fact.stage !== undefined) notes.push(fact.stage);
  if (fact.inpatient === true) notes.push('ward order of this stay, not a home medication');
  if (fact.date !== undefined) notes.push(fact.kind === 'problem' ? `diagnosed ${fact.date}` : fact.kind === 'medication' ? `${fact.inpatient === true ? 'ordered' : 'prescribed'} ${fact.date}` : fact.date);
  if (fact.firstOfStay !== undefined) notes.push(`first result of this stay: ${formatNumber(fact.firstOfStay.value)}${fact.unit === undefined ? '' : ` ${fact.unit}`} on ${fact.firstOfStay.date}`);
  if (fact.relatesTo !== undefined && fact.relatesTo.length > 0) notes.push(`for ${fact.relatesTo.map((id) => `[${id}]`).join(', ')}`);
  if (fact.synonyms !== undefined && fact.synonyms.length > 0) notes.push(`also written: ${fact.synonyms.join(', ')}`);
  return notes.length === 0 ? text : `${text} (${notes.join('; ')})`;
}

function flag(fact: Fact): string {
  if (fact.value === undefined || fact.range === undefined) return '';
  return fact.value > fact.range.high ? ', high' : fact.value < fact.range.low ? ', low' : '';
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}
