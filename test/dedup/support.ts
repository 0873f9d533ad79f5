/**
 * Test material for deduplication: template notes from simulated patients, the self-written
 * reference set in fixtures/reference/, seeded edits, and brute-force truths (exact Jaccard over
 * string sets, shared spans by dynamic programming) that the fast paths are held to.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { namesInText, normalizeText, type NormalizedText } from '../../src/dedup/normalize.js';
import type { DedupDocument } from '../../src/dedup/prepared-text.js';
import { buildFactSheet } from '../../src/notes/fact-sheet.js';
import { NOTE_TYPES } from '../../src/notes/facts.js';
import { loadVocabulary } from '../../src/notes/grounding/vocabulary.js';
import { noteToText } from '../../src/notes/note-output.js';
import { planNotes } from '../../src/notes/selection.js';
import { writeTemplateNote } from '../../src/notes/template/template-writer.js';
import { dateToInstant } from '../../src/core/time.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { toSeed } from '../../src/core/random.js';

export const REFERENCE_DIR = fileURLToPath(new URL('./fixtures/reference/', import.meta.url));

/** The self-written reference documents, id = file name. */
export function referenceDocuments(): DedupDocument[] {
  return readdirSync(REFERENCE_DIR)
    .sort()
    .map((name) => ({ id: name, text: readFileSync(join(REFERENCE_DIR, name), 'utf8') }));
}

/** mulberry32: a tiny seeded generator, enough for test edits. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Template notes of patients [from, from + patients) of a seeded cohort, id `p<i>/<k>`, grouped by patient. */
export async function templateNotes(seed: number, from: number, patients: number, perPatient = Infinity): Promise<DedupDocument[]> {
  const vocabulary = await loadVocabulary();
  const cohort = createCohortContext({ seed: toSeed(seed), referenceDate: '2025-06-01', age: undefined, gender: undefined, state: undefined });
  const until = dateToInstant('2025-06-01');
  const out: DedupDocument[] = [];
  for (let i = from; i < from + patients; i++) {
    for (const record of simulateIndex(cohort, i)) {
      const names = new Map(record.providers.practitioners.map((p) => [p.id, `${p.givenNames[0]} ${p.familyName}`]));
      const plans = planNotes(record, { types: new Set(NOTE_TYPES), since: undefined, until: record.death?.time ?? until });
      plans.slice(0, perPatient).forEach((plan, k) => {
        const sheet = buildFactSheet(record, plan.encounter, { authorName: names.get(plan.encounter.practitionerId) ?? 'the clinician', noteType: plan.noteType, vocabulary });
        out.push({ id: `p${i}/${record.id.slice(0, 8)}/${k}`, group: `p${i}/${record.id}`, text: noteToText(writeTemplateNote(sheet, `${plan.encounter.id}|${plan.noteType}|0`)) });
      });
    }
  }
  return out;
}

const FILLERS = ['patient', 'reports', 'stable', 'reviewed', 'today', 'noted', 'clinic', 'further', 'history', 'denies', 'plan', 'again', 'mild', 'also', 'discussed'];

/**
 * An edited copy: each word is, with probability `rate`, substituted, deleted or followed by an
 * inserted word; with probability `rate` per line, a line swaps places with the next (reordering).
 */
export function editText(text: string, rate: number, random: () => number): string {
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    if (random() < rate) [lines[i], lines[i + 1]] = [lines[i + 1]!, lines[i]!];
  }
  return lines
    .map((line) =>
      line
        .split(' ')
        .flatMap((word) => {
          if (random() >= rate) return [word];
          const op = random();
          const filler = FILLERS[Math.floor(random() * FILLERS.length)]!;
          if (op < 1 / 3) return [filler];
          if (op < 2 / 3) return [];
          return [word, filler];
        })
        .join(' '),
    )
    .join('\n');
}

/** Normalization as the detector applies it to a document without record names (header names masked). */
export function normalizeLikeDetector(text: string): NormalizedText {
  return normalizeText(text, { names: namesInText(text) });
}

const shingleSets = new Map<string, Set<string>>();

/** Exact Jaccard of word n-gram sets, the plain way (sets memoized by text). */
export function naiveJaccard(a: string, b: string, n = 5): number {
  const set = (text: string): Set<string> => {
    const key = `${n}\u0000${text}`;
    const known = shingleSets.get(key);
    if (known !== undefined) return known;
    const tokens = normalizeLikeDetector(text).tokens;
    const out = new Set<string>();
    if (tokens.length > 0 && tokens.length < n) out.add(tokens.join(' '));
    for (let i = 0; i + n <= tokens.length; i++) out.add(tokens.slice(i, i + n).join(' '));
    shingleSets.set(key, out);
    return out;
  };
  const x = set(a);
  const y = set(b);
  let common = 0;
  for (const s of x) if (y.has(s)) common++;
  const union = x.size + y.size - common;
  return union === 0 ? 0 : common / union;
}

export interface TokenSpan {
  readonly queryStart: number;
  readonly referenceStart: number;
  readonly length: number;
}

/** Every maximal shared run of at least `minSpan` tokens, by dynamic programming over all position pairs. */
export function bruteForceSharedSpans(query: readonly string[], reference: readonly string[], minSpan: number): TokenSpan[] {
  const spans: TokenSpan[] = [];
  const m = reference.length;
  let previous = new Int32Array(m + 1);
  let current = new Int32Array(m + 1);
  for (let i = 1; i <= query.length; i++) {
    for (let j = 1; j <= m; j++) current[j] = query[i - 1] === reference[j - 1] ? previous[j - 1]! + 1 : 0;
    for (let j = 1; j <= m; j++) {
      const length = current[j]!;
      // A run ending at (i, j) is maximal when it cannot continue to (i + 1, j + 1).
      if (length < minSpan || (i < query.length && j < m && query[i] === reference[j])) continue;
      spans.push({ queryStart: i - length, referenceStart: j - length, length });
    }
    [previous, current] = [current, previous];
  }
  return spans;
}
