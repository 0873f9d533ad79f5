/**
 * The checks that read the clinical annotation: every mention the record does not support, every
 * recorded fact stated otherwise (another dose, reaction or date), every negative the record does
 * not back, every family history it lacks, every word of the wrong sex, every tobacco status the
 * record does not have, and every clinical-looking word nobody knows.
 */
import { MENTION_LABEL_INFO } from '../annotate/labels.js';
import { sheetSides } from '../annotate/quantities.js';
import type { Annotation, Mention } from '../annotate/types.js';
import type { Fact, FactSheet } from '../facts.js';
import { violation, type Violation } from './violation.js';

/** Kinds whose current facts a negative may not deny. */
const DENIABLE = new Set<Fact['kind']>(['problem', 'medication', 'allergy', 'procedure', 'immunization', 'history']);

function isCurrent(fact: Fact): boolean {
  return fact.status !== 'resolved' && fact.status !== 'inactive' && fact.status !== 'stopped';
}

export function checkAnnotation(annotation: Annotation, text: string, sheet: FactSheet, negated: ReadonlySet<string>): Violation[] {
  const out: Violation[] = [];
  const byId = new Map(sheet.facts.map((f) => [f.id, f]));
  const span = (m: { start: number; end: number }) => ({ start: m.start, end: m.end });
  const findingAt = new Set((annotation.findings ?? []).filter((f) => f.assertion === 'negated').map((f) => f.start));
  for (const m of annotation.mentions) {
    const fact = m.factId === undefined ? undefined : byId.get(m.factId);
    if (m.evidence === 'shape') {
      out.push(violation('unknown-clinical-term', `"${m.text}" looks like a ${MENTION_LABEL_INFO[m.label].what} but is not in the record or the vocabulary; remove it`, span(m)));
      continue;
    }
    if (m.assertion === 'negated') {
      // An exam's denial of a finding ("no cyanosis, clubbing or edema") is judged as a finding, below.
      if (fact === undefined && findingAt.has(m.start)) continue;
      out.push(...negative(m, fact, text, sheet, negated));
      continue;
    }
    if (m.assertion === 'family') {
      if (fact?.kind !== 'history') {
        out.push(violation('unsupported-family-history', `"${m.text}" is stated as family history, which the record does not have; remove it`, span(m)));
      }
      continue;
    }
    if (fact === undefined) {
      if (m.conceptKind === 'symptom' || m.encounter === true) continue;
      const { unsupported: code, what } = MENTION_LABEL_INFO[m.label];
      out.push(violation(code, `the note names the ${what} "${m.text}", which is not in the record; remove it`, span(m)));
      continue;
    }
    if (m.conflict !== undefined) {
      const code = m.conflict.kind === 'dose' ? 'dose-mismatch' : m.conflict.kind === 'value' ? 'number-mismatch' : 'reaction-mismatch';
      const named = m.conflict.kind === 'value' ? fact.label : m.text;
      out.push(violation(code, `"${m.conflict.stated}" stated for ${named} (${fact.id}), but the record has ${m.conflict.expected}`, m.conflict.span));
    }
  }
  for (const t of annotation.temporal ?? []) {
    if (t.supported) continue;
    out.push(violation('date-mismatch', `"${t.text}" does not agree with the record: ${t.expected}`, span(t)));
  }
  // A mother's delivery note names her newborn's sex ("viable male infant").
  const newborn = sheet.facts.find((f) => f.id === 'birth.sex')?.label.toLowerCase();
  for (const w of annotation.sexWords ?? []) {
    if (w.sex === sheet.patient.sex || w.otherPerson) continue;
    if (newborn !== undefined && text.slice(w.start, w.start + newborn.length).toLowerCase() === newborn) continue;
    out.push(violation('sex-mismatch', `"${w.text}" but the patient is ${sheet.patient.sex}`, span(w)));
  }
  for (const s of annotation.smoking ?? []) {
    if (s.recorded === s.claim) continue;
    const has = s.recorded === undefined ? 'no tobacco status' : `${s.recorded} smoker status`;
    out.push(violation('smoking-mismatch', `"${s.text}" states a ${s.claim} smoker, but the record has ${has}; remove it or state the record's status`, span(s)));
  }
  for (const f of annotation.findings ?? []) {
    if (f.supported) continue;
    if (f.assertion === 'present') out.push(violation('unsupported-finding', `the note states the finding "${f.text}", which the record does not hold; remove it`, span(f)));
    else out.push(violation('negative-contradicts-record', `"${f.text}" is denied, but the record holds ${f.finding}; remove the denial`, span(f)));
  }
  out.push(...quantityViolations(annotation, sheet));
  const { patient } = sheet;
  for (const s of annotation.identity ?? []) {
    const at = span(s);
    if (s.kind === 'age' && s.age !== patient.age) out.push(violation('age-mismatch', `"${s.text}" but the patient is ${patient.age}`, at));
    if (s.sex !== undefined && s.sex !== patient.sex) out.push(violation('sex-mismatch', `"${s.text}" but the patient is ${patient.sex}`, at));
    // Two-part surnames ("Contreras Lozano") may be shortened to their first part after an honorific.
    if (s.kind === 'honorific' && s.surname !== patient.familyName && patient.familyName.split(/[\s-]+/)[0] !== s.surname) {
      out.push(violation('name-mismatch', `"${s.text}" but the patient is ${patient.name}`, at));
    }
    if (s.kind === 'name' && s.surname !== patient.familyName && !patient.name.includes(`${patient.givenName} ${s.surname}`)) {
      out.push(violation('name-mismatch', `"${s.text}" but the patient is ${patient.name}`, at));
    }
  }
  return out;
}

const sheetQuantities = new WeakMap<FactSheet, { sides: Set<string>; sites: Set<number>; texts: string }>();

/** Sides the record does not give, counts of events the sheet does not list, amounts the record lacks. */
function quantityViolations(annotation: Annotation, sheet: FactSheet): Violation[] {
  const quantities = annotation.quantities ?? [];
  if (quantities.length === 0) return [];
  let known = sheetQuantities.get(sheet);
  if (known === undefined) {
    const texts = [...sheet.facts.flatMap((f) => [f.label, ...(f.synonyms ?? [])]), sheet.encounter.reason ?? '', sheet.encounter.chiefComplaint ?? '', ...sheet.negatives].join('\n').toLowerCase();
    sheetQuantities.set(sheet, (known = { ...sheetSides(sheet), texts }));
  }
  const out: Violation[] = [];
  const smoking = sheet.facts.find((f) => f.id === 'social.smoking');
  for (const q of quantities) {
    const at = { start: q.start, end: q.end };
    // The sheet states it in these words ("vomiting x3", "3 episodes of emesis" as the patient put it).
    if (known.texts.includes(q.text.toLowerCase())) continue;
    if (q.kind === 'laterality') {
      if (known.sides.has(`${q.site}:${q.side}`) || !known.sites.has(q.site!)) continue;
      const recorded = (['left', 'right', 'bilateral'] as const).filter((s) => known!.sides.has(`${q.site}:${s}`));
      out.push(violation('laterality-mismatch', `"${q.text}" states the ${q.side} side, but the record ${recorded.length === 0 ? 'gives no side for it' : `has the ${recorded.join(' and ')} side`}; state the record's side or none`, at));
    } else if (q.kind === 'count') {
      if (q.listed === 'medication' && q.count !== undefined) {
        // Ward orders are no current medication: "on 3 medications" counts what the patient takes.
        const active = sheet.facts.filter((f) => f.kind === 'medication' && f.inpatient !== true && (f.status === undefined || f.status === 'active')).length;
        if (q.count === active) continue;
        out.push(violation('unsupported-count', `"${q.text}" but the record lists ${active} current medication${active === 1 ? '' : 's'}`, at));
        continue;
      }
      out.push(violation('unsupported-count', `"${q.text}" counts events the record does not list; leave the count out`, at));
    } else if (q.kind === 'tobacco') {
      if (q.count === 0 && smoking !== undefined && /never/i.test(smoking.label)) continue;
      out.push(violation('unsupported-amount', `"${q.text}" is a tobacco amount the record does not have (it has ${smoking === undefined ? 'no smoking status' : `"${smoking.label}"`}); leave it out`, at));
    } else {
      out.push(violation('unsupported-amount', `"${q.text}" is an alcohol amount the record does not have; leave it out`, at));
    }
  }
  return out;
}

function negative(m: Mention, fact: Fact | undefined, text: string, sheet: FactSheet, negated: ReadonlySet<string>): Violation[] {
  const at = { start: m.start, end: m.end };
  if (fact !== undefined && DENIABLE.has(fact.kind)) {
    if (!isCurrent(fact)) return [];
    return [violation('negative-contradicts-record', `"${text.slice(m.start, m.end)}" is denied, but the record has ${fact.label} (${fact.id})`, at)];
  }
  if (m.encounter === true && sheet.encounter.reason !== undefined) {
    return [violation('negative-contradicts-record', `"${m.text}" is denied, but the record has the encounter reason "${sheet.encounter.reason}"`, at)];
  }
  if (fact !== undefined || (m.concept !== undefined && negated.has(m.concept))) return [];
  // A denial of words no vocabulary names passes only as the sheet words it.
  // "hemoptysis or tobacco use": a list of denials passes when the sheet words each item.
  const items = m.text.toLowerCase().split(/\s*,\s*(?:or\s+|and\s+)?|\s+(?:or|and|nor)\s+/).filter((w) => w.length > 0);
  if (m.concept === undefined && items.every((item) => sheet.negatives.some((n) => n.toLowerCase().includes(item)))) return [];
  return [violation('unsupported-negative', `"${m.text}" is denied, which is not among the pertinent negatives the record supports; leave it out`, at)];
}
