/**
 * Whether a model's answer to a record question states the record's answer. The grounding checks
 * catch an answer that invents or contradicts; they pass a vague one ("the results are in the
 * chart") that states nothing. So the answer must carry the facts that answer the question, read
 * by the annotator: the supporting resources named (the drugs of "current medications", the
 * allergens of "allergies"), the HbA1c result with its value and the day it was drawn, the day of
 * a diagnosis.
 */
import type { Mention, TemporalMention } from '../notes/annotate/types.js';
import type { Fact, FactSheet } from '../notes/facts.js';
import { violation, type Violation } from '../notes/grounding/violation.js';

/** A QA pair as the template wrote it: what the model's answer must state. */
export interface RecordAnswer {
  readonly kind: string;
  /** The template's answer (its dates are the record's). */
  readonly answer: string;
  /** `ResourceType/id` of each supporting resource. */
  readonly supporting: readonly string[];
}

/** The annotator's reading of the answer, offsets into the answer's text. */
export interface AnswerReading {
  readonly text: string;
  /** Gold mentions (the annotator's linked ones and the model's placed ones). */
  readonly mentions: readonly Mention[];
  /** The annotator's raw mentions, with the values they state. */
  readonly annotated: readonly Mention[];
  readonly temporal: readonly TemporalMention[];
}

const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/;
const NO_KNOWN = /\bno known\b/i;
const NONE_STATED = /\b(?:no|none|not (?:taking|on))\b/i;
const NO_KNOWN_STATED = /\bno known (?:drug )?allergies\b|\bNKDA\b|\bNKA\b/i;

/** True when the answer states `date` as a day (an ISO or US date resolving to it). */
function statesDay(reading: AnswerReading, date: string): boolean {
  return reading.temporal.some((t) => t.kind === 'date' && t.earliest === date && t.latest === date);
}

/** True when a mention names the fact: linked to its resource, or to another order of the same code (a drug ordered twice). */
function names(reading: AnswerReading, fact: Fact, factOf: (id: string | undefined) => Fact | undefined): boolean {
  return reading.mentions.some((m) => {
    const linked = m.resourceId ?? factOf(m.factId)?.resourceId;
    if (linked !== undefined && linked === fact.resourceId) return true;
    return fact.code !== undefined && m.code?.code === fact.code.code && factOf(m.factId)?.kind === fact.kind;
  });
}

/**
 * The violations of an answer that leaves out what answers the question (code `answer-missing-fact`,
 * worded as feedback for a rewrite); none when it states every supporting fact.
 */
export function missingAnswerFacts(pair: RecordAnswer, sheet: FactSheet, reading: AnswerReading): Violation[] {
  const ids = new Set(pair.supporting.map((ref) => ref.slice(ref.indexOf('/') + 1)));
  const supporting = sheet.facts.filter((f) => f.resourceId !== undefined && ids.has(f.resourceId));
  const byId = new Map(sheet.facts.map((f) => [f.id, f]));
  const factOf = (id: string | undefined) => (id === undefined ? undefined : byId.get(id));
  const out: Violation[] = [];
  const missing = (message: string) => out.push(violation('answer-missing-fact', message));
  const day = ISO_DATE.exec(pair.answer)?.[0];
  switch (pair.kind) {
    case 'current-medications':
    case 'allergies': {
      // "None: the record has no active medication orders": the answer is that there are none.
      if (pair.supporting.length === 0 && !NONE_STATED.test(reading.text)) missing('The answer must say the record has none, as it does.');
      const seen = new Set<string>();
      for (const fact of supporting) {
        if (seen.has(fact.label)) continue;
        seen.add(fact.label);
        if (NO_KNOWN.test(fact.label)) {
          if (!NO_KNOWN_STATED.test(reading.text)) missing('The answer must say the patient has no known allergies, as the record does.');
        } else if (!names(reading, fact, factOf)) {
          missing(`The answer must name ${fact.label}, which the record gives as part of the answer.`);
        }
      }
      break;
    }
    case 'last-hba1c': {
      const fact = supporting[0];
      if (fact === undefined) break;
      // The result named and its value stated after it, as the record has it (another HbA1c's value is not the answer).
      const valued = reading.annotated.some(
        (m) => m.label === 'LAB' && m.value !== undefined && m.conflict === undefined && m.code?.code === fact.code?.code && Number.parseFloat(m.value.text.replace(/[^\d.]/g, '')) === fact.value,
      );
      if (!valued) missing(`The answer must state the hemoglobin A1c result itself (${fact.value ?? ''}${fact.unit === undefined ? '' : ` ${fact.unit}`}).`);
      if (day !== undefined && !statesDay(reading, day)) missing(`The answer must state the date the hemoglobin A1c was measured (${day}).`);
      break;
    }
    case 'date-of-diagnosis':
      if (day !== undefined && !statesDay(reading, day)) missing(`The answer must state the date of diagnosis the record gives (${day}).`);
      break;
    default:
      break;
  }
  return out;
}
