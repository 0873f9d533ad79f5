/**
 * Every grounding check of a note against its fact sheet, for LLM and template notes alike. Pure:
 * the same note and sheet always give the same violations, in text order.
 */
import type { FactSheet } from '../facts.js';
import { noteToText, type NoteOutput } from '../note-output.js';
import { checkIdentity } from './identity.js';
import { checkMentions } from './mentions.js';
import { checkNamedConcepts } from './named-concepts.js';
import { checkNegations, findNegations } from './negations.js';
import { checkNumbers } from './numbers.js';
import type { Vocabulary } from './vocabulary.js';
import type { Violation } from './violation.js';

/** All violations of a note; empty when it may be kept. */
export function checkNote(note: NoteOutput, sheet: FactSheet, vocabulary: Vocabulary): Violation[] {
  const text = noteToText(note);
  const negations = findNegations(text, vocabulary);
  const all = [
    ...checkMentions(note, text, sheet),
    ...checkNumbers(note, text, sheet),
    ...checkIdentity(text, sheet),
    ...checkNegations(text, sheet, vocabulary, negations),
    ...checkNamedConcepts(text, sheet, vocabulary, negations),
  ];
  return all
    .map((v, i) => ({ v, i }))
    .sort((a, b) => (a.v.span?.start ?? -1) - (b.v.span?.start ?? -1) || a.i - b.i)
    .map(({ v }) => v);
}

/** Violations as feedback for the writer's next attempt. */
export function violationFeedback(violations: readonly Violation[]): string {
  return [
    'Your note was rejected by the record checks. Fix every problem below and return the whole corrected note in the same JSON shape:',
    ...violations.map((v) => `- [${v.code}] ${v.message}`),
  ].join('\n');
}
