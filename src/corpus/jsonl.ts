/**
 * The plain JSONL corpus, one note per line: ids, note type, date, text, entities (offsets, text,
 * label, code system and code, FHIR resource id, assertion, dosage parts), relations between
 * entities (by index), and PHI. Offsets are code points (see offsets.ts).
 */
import { resourceReferenceOf } from '../notes/annotate/labels.js';
import type { Mention } from '../notes/annotate/types.js';
import type { CorpusDocument } from './document.js';
import type { CorpusFiles, CorpusLayers, FormatInput } from './format.js';
import { codePointOffsets } from './offsets.js';
import { SPLITS } from './split.js';

/**
 * Entities as the JSONL corpus writes them (code-point offsets into `text`, code, FHIR resource
 * reference, assertion, dosage parts); the task corpora's model-written texts carry the same.
 */
export function entityRecords(text: string, mentions: readonly Mention[], assertion: boolean): Record<string, unknown>[] {
  const at = codePointOffsets(text);
  return mentions.map((m) => ({
    start: at(m.start),
    end: at(m.end),
    text: m.text,
    label: m.label,
    code_system: m.code?.system ?? null,
    code: m.code?.code ?? null,
    code_display: m.code?.display ?? null,
    resource_id: m.resourceId === undefined ? null : resourceReferenceOf(m.label, m.resourceId),
    fact_id: m.factId ?? null,
    assertion: assertion ? m.assertion : null,
    laterality: m.laterality ?? null,
    parts: (m.parts ?? []).map((p) => ({ start: at(p.start), end: at(p.end), text: p.text, kind: p.kind })),
  }));
}

export function jsonlRecord(d: CorpusDocument, layers: CorpusLayers): Record<string, unknown> {
  const at = codePointOffsets(d.text);
  return {
    id: d.id,
    patient_id: d.patientId,
    note_id: d.noteId,
    encounter_id: d.encounterId,
    note_type: d.noteType,
    date: d.date,
    title: d.title,
    text: d.text,
    entities: layers.ner ? entityRecords(d.text, d.mentions, layers.assertion) : [],
    relations: layers.ner && layers.relation ? d.relations.map((r) => ({ type: r.type, from: r.from, to: r.to })) : [],
    phi: layers.phi ? d.phi.map((p) => ({ start: at(p.start), end: at(p.end), text: p.text, type: p.type, category: p.category })) : [],
  };
}

export function writeJsonl(input: FormatInput): CorpusFiles {
  const files: CorpusFiles = new Map();
  for (const split of SPLITS) {
    const lines = input.splits[split].map((d) => JSON.stringify(jsonlRecord(d, input.layers)));
    files.set(`jsonl/${split}.jsonl`, lines.length === 0 ? '' : `${lines.join('\n')}\n`);
  }
  return files;
}
