/**
 * One note of a corpus: its text and its gold spans, every one of which selects its own text
 * (`text.slice(start, end) === span.text`). Built from a generate output's notes and annotation
 * files; what cannot be placed exactly is dropped and counted, never moved to a guessed place.
 */
import type { Mention, MentionRelation } from '../notes/annotate/types.js';
import type { PhiSpan } from '../notes/phi/phi-tags.js';

export interface CorpusDocument {
  /** `<patient>-<nn>`: the patient's id and the note's place among the patient's notes (date order). */
  readonly id: string;
  readonly noteId: string;
  readonly patientId: string;
  readonly encounterId: string;
  readonly noteType: string;
  readonly date: string;
  readonly title: string;
  readonly writer: string;
  readonly text: string;
  readonly mentions: readonly Mention[];
  readonly relations: readonly MentionRelation[];
  readonly phi: readonly PhiSpan[];
}

/** Spans left out, by reason: the datasheet reports them. */
export interface DropCounts {
  /** Offsets that do not select the span's text in the stored note. */
  offsetMismatch: number;
  /** Writer mentions the generator could not place in the text. */
  unplaced: number;
  /** Spans a flat format cannot hold (overlapping a longer one), per format. */
  overlapping: Record<string, number>;
  /** Spans whose edges fall inside a token, per format (CoNLL, spaCy). */
  misaligned: Record<string, number>;
}

export function emptyDrops(): DropCounts {
  return { offsetMismatch: 0, unplaced: 0, overlapping: {}, misaligned: {} };
}

export function countDrop(map: Record<string, number>, key: string, n = 1): void {
  map[key] = (map[key] ?? 0) + n;
}

/** Whether a span selects its text in `text`. */
export function spanHolds(text: string, span: { start: number; end: number; text: string }): boolean {
  return Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.end > span.start && span.end <= text.length && text.slice(span.start, span.end) === span.text;
}

/** A flat span of any layer, for the formats that hold one label per token. */
export interface FlatSpan {
  readonly start: number;
  readonly end: number;
  readonly label: string;
}

/**
 * The spans of the requested layers (clinical entities, PHI) with overlaps removed: longest first
 * where two overlap, the loser counted.
 */
export function flatSpans(doc: CorpusDocument, layers: { ner: boolean; phi: boolean }, onDrop: () => void): FlatSpan[] {
  const all: FlatSpan[] = [];
  if (layers.ner) for (const m of doc.mentions) all.push({ start: m.start, end: m.end, label: m.label });
  if (layers.phi) for (const p of doc.phi) all.push({ start: p.start, end: p.end, label: p.type });
  all.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const out: FlatSpan[] = [];
  let reach = -1;
  for (const s of all) {
    if (s.start < reach) {
      onDrop();
      continue;
    }
    out.push(s);
    reach = s.end;
  }
  return out;
}
