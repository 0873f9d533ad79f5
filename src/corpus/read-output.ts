/**
 * Reads the notes of a `generate` output (OUT/notes/<patient>/<note>.txt with its annotation file
 * <note>.json) into corpus documents, patients and notes in a fixed order (patient id, then note
 * date and id), so the same folder always gives the same corpus.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { Mention, MentionRelation } from '../notes/annotate/types.js';
import { noteAnnotationsSchema } from '../notes/note-annotations.js';
import type { PhiSpan } from '../notes/phi/phi-tags.js';
import { spanHolds, type CorpusDocument, type DropCounts } from './document.js';

export interface GenerateOutput {
  readonly documents: CorpusDocument[];
  /** The run's manifest (seed, options, notes section), for the datasheet. */
  readonly manifest: Record<string, unknown>;
  /** Notes without an annotation file (written by an older version): left out. */
  readonly unannotated: number;
}

export function readGenerateOutput(dir: string, drops: DropCounts): GenerateOutput {
  const notesDir = join(dir, 'notes');
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(notesDir) || !statSync(notesDir).isDirectory()) {
    throw new InputError(`${dir} holds no notes/ folder: run \`chartwright generate --notes\` into it first`);
  }
  const manifest = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>) : {};
  const documents: CorpusDocument[] = [];
  let unannotated = 0;
  for (const patient of readdirSync(notesDir).sort()) {
    const patientDir = join(notesDir, patient);
    if (!statSync(patientDir).isDirectory()) continue;
    const notes: Omit<CorpusDocument, 'id'>[] = [];
    for (const file of readdirSync(patientDir).sort()) {
      if (!file.endsWith('.txt')) continue;
      const annotationPath = join(patientDir, `${file.slice(0, -4)}.json`);
      if (!existsSync(annotationPath)) {
        unannotated++;
        continue;
      }
      const text = readFileSync(join(patientDir, file), 'utf8');
      const parsed = noteAnnotationsSchema.safeParse(JSON.parse(readFileSync(annotationPath, 'utf8')));
      if (!parsed.success) throw new InputError(`${annotationPath} is not a note annotation file: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
      const a = parsed.data;
      drops.unplaced += a.unplaced;
      // Keep only spans that select their text; relations follow their mentions (or go with them).
      const keptIndex = new Map<number, number>();
      const mentions: Mention[] = [];
      a.mentions.forEach((m, i) => {
        if (!spanHolds(text, m) || (m.parts ?? []).some((p) => !spanHolds(text, p))) {
          drops.offsetMismatch++;
          return;
        }
        keptIndex.set(i, mentions.length);
        mentions.push(m as Mention);
      });
      const relations: MentionRelation[] = [];
      for (const r of a.relations) {
        const from = keptIndex.get(r.from);
        const to = keptIndex.get(r.to);
        if (from !== undefined && to !== undefined) relations.push({ ...r, from, to } as MentionRelation);
      }
      const phi: PhiSpan[] = [];
      for (const p of a.phi) {
        if (spanHolds(text, p)) phi.push(p as PhiSpan);
        else drops.offsetMismatch++;
      }
      notes.push({ noteId: a.noteId, patientId: a.patientId, encounterId: a.encounterId, noteType: a.noteType, date: a.date, title: a.title, writer: a.writer, text, mentions, relations, phi });
    }
    notes.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : x.noteId < y.noteId ? -1 : x.noteId > y.noteId ? 1 : 0));
    const width = Math.max(2, String(notes.length).length);
    notes.forEach((n, k) => documents.push({ id: `${n.patientId}-${String(k + 1).padStart(width, '0')}`, ...n }));
  }
  return { documents, manifest, unannotated };
}
