/**
 * The gold annotations of one stored note, written next to it as `notes/<patient>/<note>.json`:
 * clinical mentions (the writer's mentions placed in the text and resolved against the fact sheet,
 * and what the annotator finds), their relations, and the note's PHI. Every span satisfies
 * `text.slice(start, end) === span.text` for the stored text; a mention that cannot be placed is
 * dropped and counted in `unplaced`, never guessed. `chartwright corpus` reads these files.
 */
import { z } from 'zod';
import { annotateNote, entityLabelOf } from './annotate/annotate-note.js';
import { anatomyMentions, medicationAttributes } from './annotate/attribute-spans.js';
import type { Annotation, Assertion, Mention, MentionLabel, MentionRelation, TextSpan } from './annotate/types.js';
import type { Fact, FactSheet, NoteType } from './facts.js';
import type { Vocabulary } from './grounding/vocabulary.js';
import type { NoteOutput } from './note-output.js';
import type { PhiSpan } from './phi/phi-tags.js';

export interface NoteAnnotations {
  readonly noteId: string;
  readonly patientId: string;
  readonly encounterId: string;
  readonly noteType: NoteType;
  /** ISO date the note was written. */
  readonly date: string;
  readonly title: string;
  readonly writer: string;
  readonly mentions: readonly Mention[];
  readonly relations: readonly MentionRelation[];
  readonly phi: readonly PhiSpan[];
  /** Writer mentions that could not be placed in the text (dropped). */
  readonly unplaced: number;
}

const spanSchema = z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative(), text: z.string() });

/** The file's shape, for reading it back (`corpus`); loose on the label sets, which the types fix. */
export const noteAnnotationsSchema = z.object({
  noteId: z.string(),
  patientId: z.string(),
  encounterId: z.string(),
  noteType: z.string(),
  date: z.string(),
  title: z.string(),
  writer: z.string(),
  mentions: z.array(
    spanSchema.extend({
      label: z.string(),
      assertion: z.string(),
      factId: z.string().optional(),
      resourceId: z.string().optional(),
      code: z.object({ system: z.string(), code: z.string(), display: z.string() }).optional(),
      parts: z.array(spanSchema.extend({ kind: z.string() })).optional(),
      laterality: z.enum(['left', 'right', 'bilateral']).optional(),
    }),
  ),
  relations: z.array(z.object({ type: z.string(), from: z.number().int(), to: z.number().int() })),
  phi: z.array(spanSchema.extend({ type: z.string(), category: z.string() })),
  unplaced: z.number().int().nonnegative(),
});

function assertionOf(fact: Fact): Assertion {
  if (fact.kind === 'history') return 'historical';
  return fact.status === 'resolved' || fact.status === 'inactive' || fact.status === 'stopped' || fact.status === 'remission' ? 'historical' : 'present';
}

/**
 * The writer's mentions as gold mentions: each placed at its first occurrence in `text` at or after
 * `from` (past the header) that no longer or earlier mention took ({@link placeOf}), labelled by its fact's kind and coded as
 * the record codes it. Mentions of facts that are not entities (demographics, the encounter) are
 * left out; mentions whose text does not occur are counted as unplaced.
 */
export function writerMentions(note: NoteOutput, text: string, sheet: FactSheet, from: number): { mentions: Mention[]; unplaced: number } {
  const facts = new Map(sheet.facts.map((f) => [f.id, f]));
  const taken: { start: number; end: number }[] = [];
  const mentions: Mention[] = [];
  let unplaced = 0;
  // Longer texts first, so a shorter one is not placed inside a longer mention's span: "asthma" cited
  // for "Background of asthma." is not the "asthma" of "Exacerbation of asthma" cited before it.
  const ordered = [...note.mentions].sort((a, b) => b.text.length - a.text.length);
  for (const m of ordered) {
    const fact = facts.get(m.factId);
    const label = fact === undefined ? undefined : entityLabelOf(fact);
    if (fact === undefined || label === undefined) continue;
    const at = placeOf(text, m.text, from, taken);
    if (at < 0) {
      unplaced++;
      continue;
    }
    taken.push({ start: at, end: at + m.text.length });
    mentions.push({
      start: at,
      end: at + m.text.length,
      text: m.text,
      label,
      assertion: assertionOf(fact),
      factId: fact.id,
      ...(fact.code === undefined ? {} : { code: fact.code }),
    });
  }
  mentions.sort((a, b) => a.start - b.start || b.end - a.end);
  return { mentions, unplaced };
}

/**
 * Where a writer mention's text is placed: its first occurrence at or after `from` that overlaps no
 * mention placed already, else (a text the writer cites only inside a longer one) its first
 * occurrence that starts at no placed mention's start; -1 when it does not occur.
 */
function placeOf(text: string, written: string, from: number, taken: readonly { start: number; end: number }[]): number {
  if (written === '') return -1;
  let fallback = -1;
  for (let at = text.indexOf(written, from); at >= 0; at = text.indexOf(written, at + 1)) {
    const end = at + written.length;
    if (!taken.some((t) => t.start < end && at < t.end)) return at;
    if (fallback < 0 && !taken.some((t) => t.start === at)) fallback = at;
  }
  return fallback;
}

/**
 * One list of mentions from the annotator's and the writer's: the annotator's where both found the
 * same span, then the writer's where the annotator found nothing overlapping. Relations follow
 * their mentions to the new indices.
 */
export function mergeMentions(annotator: Annotation, writer: readonly Mention[]): Annotation {
  const kept: Mention[] = [...annotator.mentions];
  for (const m of writer) {
    if (!annotator.mentions.some((a) => a.start < m.end && m.start < a.end)) kept.push(m);
  }
  const order = kept.map((m, i) => ({ m, i })).sort((a, b) => a.m.start - b.m.start || b.m.end - a.m.end || a.i - b.i);
  const newIndex = new Map(order.map(({ i }, k) => [i, k]));
  const relations = annotator.relations.map((r) => ({ ...r, from: newIndex.get(r.from)!, to: newIndex.get(r.to)! }));
  return { mentions: order.map(({ m }) => m), relations };
}

/** Medication-treats-problem relations the sheet states (a drug's `relatesTo`), between mentions present. */
export function sheetRelations(mentions: readonly Mention[], sheet: FactSheet): MentionRelation[] {
  const facts = new Map(sheet.facts.map((f) => [f.id, f]));
  const byFact = new Map<string, number>();
  mentions.forEach((m, i) => {
    if (m.factId !== undefined && !byFact.has(m.factId)) byFact.set(m.factId, i);
  });
  const out: MentionRelation[] = [];
  mentions.forEach((m, i) => {
    const fact = m.factId === undefined ? undefined : facts.get(m.factId);
    for (const target of fact?.relatesTo ?? []) {
      const to = byFact.get(target);
      if (to === undefined) continue;
      const type: MentionRelation['type'] = m.label === 'MEDICATION' ? 'treats' : m.label === 'LAB' ? 'indicates' : m.label === 'PROCEDURE' ? 'procedure-for' : 'indicates';
      if (m.label === 'MEDICATION' || m.label === 'LAB' || m.label === 'PROCEDURE') out.push({ type, from: i, to });
    }
  });
  return out;
}

/**
 * The annotator's mentions that are gold labels: inside the note's body (the frame is PHI, not
 * clinical text), without a conflict with the record, and either linked to a record fact or a
 * pertinent negative or other non-present assertion of a known clinical term. Only the contract's
 * fields are kept; relations follow their mentions.
 */
export function goldAnnotation(annotation: Annotation, from: number, to: number): Annotation {
  const keep = new Map<number, number>();
  const mentions: Mention[] = [];
  annotation.mentions.forEach((m, i) => {
    if (m.start < from || m.end > to || m.conflict !== undefined || m.evidence === 'shape') return;
    if (m.factId === undefined && (m.assertion === 'present' || m.evidence !== 'vocabulary')) return;
    keep.set(i, mentions.length);
    mentions.push({
      start: m.start,
      end: m.end,
      text: m.text,
      label: m.label,
      assertion: m.assertion,
      ...(m.factId === undefined ? {} : { factId: m.factId }),
      ...(m.resourceId === undefined ? {} : { resourceId: m.resourceId }),
      ...(m.code === undefined ? {} : { code: m.code }),
      ...(m.parts === undefined || m.parts.length === 0 ? {} : { parts: m.parts }),
      ...(m.laterality === undefined ? {} : { laterality: m.laterality }),
    });
  });
  const relations = annotation.relations.flatMap((r) => {
    const f = keep.get(r.from);
    const t = keep.get(r.to);
    return f === undefined || t === undefined ? [] : [{ type: r.type, from: f, to: t }];
  });
  return { mentions, relations };
}

/**
 * The gold mentions with a drug's attributes as entities linked to it (`dosage-of`) and the body
 * sites of the note's body (`[from, to)`, outside the `within` spans of concepts the annotator found)
 * as ANATOMY, in text order; relations follow their mentions.
 */
export function goldAttributes(text: string, mentions: readonly Mention[], relations: readonly MentionRelation[], from: number, to: number, within: readonly TextSpan[] = []): Annotation {
  const medication = medicationAttributes(text, mentions, relations);
  const anatomy = anatomyMentions(text, from, to, [...medication.mentions, ...within]);
  if (anatomy.length === 0) return medication;
  const all = [...medication.mentions.map((m, i) => ({ m, i })), ...anatomy.map((m) => ({ m, i: -1 }))];
  all.sort((a, b) => a.m.start - b.m.start || b.m.end - a.m.end);
  const newIndex = new Map<number, number>();
  all.forEach(({ i }, k) => {
    if (i >= 0) newIndex.set(i, k);
  });
  return { mentions: all.map(({ m }) => m), relations: medication.relations.map((r) => ({ ...r, from: newIndex.get(r.from)!, to: newIndex.get(r.to)! })) };
}

/** The clinical gold spans of a checked text, with the annotator's full reading of it. */
export interface ClinicalGold extends Annotation {
  /** The annotator's annotation of the whole text (time expressions, values, conflicts): what further checks read. */
  readonly annotation: Annotation;
  /** Writer mentions that could not be placed in the text (dropped, never guessed). */
  readonly unplaced: number;
}

/**
 * The gold clinical spans of an accepted text (a note, a model-written summary or answer): the
 * annotator's linked mentions in `[from, to)`, the writer's mentions placed by exact search where
 * the annotator found nothing, the relations the annotator and the sheet give, and the drugs'
 * attributes and body sites. The same spans for a stored note and for a task corpus's text.
 */
export function clinicalGold(note: NoteOutput, text: string, sheet: FactSheet, vocabulary: Vocabulary, from: number, to: number): ClinicalGold {
  const { mentions: written, unplaced } = writerMentions(note, text, sheet, from);
  const annotation = annotateNote(text, sheet, vocabulary);
  const merged = mergeMentions(goldAnnotation(annotation, from, to), written);
  const seen = new Set(merged.relations.map((r) => `${r.type}|${r.from}|${r.to}`));
  const withSheet = [...merged.relations, ...sheetRelations(merged.mentions, sheet).filter((r) => !seen.has(`${r.type}|${r.from}|${r.to}`))];
  const { mentions, relations } = goldAttributes(text, merged.mentions, withSheet, from, to, annotation.mentions);
  return { mentions, relations, annotation, unplaced };
}
