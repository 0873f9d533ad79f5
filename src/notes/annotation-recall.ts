/**
 * How much of what a writer states the annotator finds: the template writer cites every fact it
 * writes (its mentions), so on template notes those mentions are gold. A writer mention is found
 * when an annotator mention of the same label overlaps it and links to the same fact, another fact
 * of the same code or FHIR resource, or to none (a vocabulary hit on the same span). Precision is read against the same
 * gold, over the annotator's mentions of the labels the writer cites, so it is a lower bound: the
 * writer does not cite every word it writes.
 */
import { annotateNote } from './annotate/annotate-note.js';
import type { Mention, MentionLabel } from './annotate/types.js';
import type { FactSheet } from './facts.js';
import type { Vocabulary } from './grounding/vocabulary.js';
import { writerMentions } from './note-annotations.js';
import { noteToText, type NoteOutput } from './note-output.js';

export interface LabelScore {
  /** Writer mentions, and those the annotator found. */
  gold: number;
  found: number;
  /** Annotator mentions of the label, and those on a writer mention. */
  predicted: number;
  correct: number;
}

export type RecallTable = Partial<Record<MentionLabel, LabelScore>>;

/** A writer mention the annotator missed, for reading the misses. */
export interface Miss {
  readonly label: MentionLabel;
  readonly text: string;
  readonly factId: string | undefined;
  readonly found?: string;
}

/** Whether two mentions overlap; a measurement's stated value counts as part of it ("weight ... was 9.3 kg"). */
const overlaps = (a: Mention, b: Mention) => (a.start < b.end && b.start < a.end) || (a.value !== undefined && a.value.start < b.end && b.start < a.value.end);

/** Adds one note's scores to `table`; returns the writer mentions it missed. */
export function scoreNote(note: NoteOutput, sheet: FactSheet, vocabulary: Vocabulary, table: RecallTable): Miss[] {
  const text = noteToText(note);
  const gold = writerMentions(note, text, sheet, 0).mentions;
  const predicted = annotateNote(text, sheet, vocabulary).mentions.filter((m) => m.evidence !== 'shape');
  const misses: Miss[] = [];
  const resources = new Map(sheet.facts.flatMap((f) => (f.resourceId === undefined ? [] : [[f.id, f.resourceId] as const])));
  const cited = new Set(gold.map((g) => g.label));
  const row = (label: MentionLabel) => (table[label] ??= { gold: 0, found: 0, predicted: 0, correct: 0 });
  for (const g of gold) {
    const r = row(g.label);
    r.gold++;
    // The same record entry under two facts (a course's "biopsy of breast" in the treatment history and as a procedure) is the same fact.
    const resource = g.factId === undefined ? undefined : resources.get(g.factId);
    const hit = predicted.find((p) => overlaps(p, g) && p.label === g.label && (p.factId === g.factId || p.factId === undefined || sameCode(p, g) || (resource !== undefined && p.resourceId === resource)));
    if (hit !== undefined) r.found++;
    else misses.push({ label: g.label, text: g.text, factId: g.factId, ...(predicted.find((p) => overlaps(p, g)) === undefined ? {} : { found: predicted.find((p) => overlaps(p, g))!.label }) });
  }
  for (const p of predicted) {
    if (!cited.has(p.label)) continue;
    const r = row(p.label);
    r.predicted++;
    if (gold.some((g) => overlaps(p, g) && p.label === g.label)) r.correct++;
  }
  return misses;
}

function sameCode(a: Mention, b: Mention): boolean {
  return a.code !== undefined && b.code !== undefined && a.code.code === b.code.code;
}
