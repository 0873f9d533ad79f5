/**
 * Every grounding check of a note against its fact sheet, for LLM and template notes alike. Pure:
 * the same note and sheet always give the same violations, in text order. The clinical annotator
 * ({@link annotateNote}) finds what the note states; the checks judge it against the record.
 */
import { annotateNote } from '../annotate/annotate-note.js';
import { lexiconFor } from '../annotate/lexicon.js';
import { sheetIndex } from '../annotate/sheet-index.js';
import type { FactSheet } from '../facts.js';
import { noteToText, type NoteOutput } from '../note-output.js';
import { checkAllergyNegatives } from './allergy-negatives.js';
import { checkAnnotation } from './annotation-checks.js';
import { checkMentions } from './mentions.js';
import { checkCitedValues } from './numbers.js';
import type { Vocabulary } from './vocabulary.js';
import type { Violation } from './violation.js';

/**
 * All violations of a note; empty when it may be kept. `phiNames`: the names and places its frame
 * wrote ({@link framePhiNames}), which are PHI, not clinical words.
 */
export function checkNote(note: NoteOutput, sheet: FactSheet, vocabulary: Vocabulary, phiNames: readonly string[] = []): Violation[] {
  const text = noteToText(note);
  const annotation = annotateNote(text, sheet, vocabulary, phiNames);
  const negated = sheetIndex(sheet, lexiconFor(vocabulary)).negated;
  const all = [
    ...checkMentions(note, text, sheet),
    ...checkCitedValues(note, text, sheet),
    ...checkAllergyNegatives(text, sheet),
    ...checkAnnotation(annotation, text, sheet, negated),
  ];
  // One statement, one violation: a span inside another of the same code says nothing new.
  const kept = all.filter((v, i) => !all.some((w, j) => j !== i && w.code === v.code && v.span !== undefined && w.span !== undefined
    && w.span.start <= v.span.start && v.span.end <= w.span.end && (w.span.end - w.span.start > v.span.end - v.span.start || j < i)));
  return kept
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
