/**
 * The fact sheet as the text a prompt carries: one line per fact, each led by the id the model
 * must cite in its mentions. Deterministic (same sheet, same text), since the text is part of the
 * response cache key.
 */
import type { Fact, FactKind, FactSheet } from './facts.js';

const SECTION_ORDER: readonly { kind: FactKind; heading: string }[] = [
  { kind: 'demographic', heading: 'Demographics' },
  { kind: 'encounter', heading: 'This encounter' },
  { kind: 'problem', heading: 'Problems' },
  { kind: 'medication', heading: 'Medications' },
  { kind: 'allergy', heading: 'Allergies' },
  { kind: 'vital', heading: 'Vital signs (this encounter)' },
  { kind: 'lab', heading: 'Laboratory results' },
  { kind: 'procedure', heading: 'Procedures' },
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
  if (fact.status !== undefined) notes.push(fact.status);
  if (fact.date !== undefined) notes.push(fact.kind === 'problem' ? `since ${fact.date}` : fact.date);
  if (fact.synonyms !== undefined && fact.synonyms.length > 0) notes.push(`also written: ${fact.synonyms.join(', ')}`);
  return notes.length === 0 ? text : `${text} (${notes.join('; ')})`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}
