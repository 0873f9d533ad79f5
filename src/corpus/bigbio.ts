/**
 * The BigBIO knowledge-base schema (`bigbio_kb`, Fries et al. 2022): per note one record with its
 * text as one passage, entities (clinical mentions and PHI) with `offsets` lists and
 * `normalized: [{db_name, db_id}]` (the concept code and the FHIR resource), relations, and the
 * unused events and coreferences as empty lists. Split files and a dataset card whose YAML front
 * matter declares the splits and the features, so `datasets.load_dataset(<folder>)` loads it as is.
 */
import { resourceReferenceOf } from '../notes/annotate/labels.js';
import type { Mention } from '../notes/annotate/types.js';
import { dbName } from './codes.js';
import type { CorpusDocument } from './document.js';
import type { CorpusFiles, CorpusLayers, FormatInput } from './format.js';
import { codePointOffsets, type OffsetMap } from './offsets.js';
import { SPLITS } from './split.js';

type Normalized = { db_name: string; db_id: string };

/** A passage or an entity: the two share the text-bound shape (one text piece, one offset pair). */
interface TextBound {
  id: string;
  type: string;
  text: string[];
  offsets: [number, number][];
}

export interface BigbioRecord {
  id: string;
  document_id: string;
  passages: TextBound[];
  entities: (TextBound & { normalized: Normalized[] })[];
  events: never[];
  coreferences: never[];
  relations: { id: string; type: string; arg1_id: string; arg2_id: string; normalized: Normalized[] }[];
}

function textBound(id: string, type: string, span: { start: number; end: number; text: string }, at: OffsetMap): TextBound {
  return { id, type, text: [span.text], offsets: [[at(span.start), at(span.end)]] };
}

function normalizedOf(m: Mention): Normalized[] {
  const out: Normalized[] = [];
  if (m.code !== undefined) out.push({ db_name: dbName(m.code.system), db_id: m.code.code });
  if (m.resourceId !== undefined) out.push({ db_name: 'FHIR', db_id: resourceReferenceOf(m.label, m.resourceId) });
  return out;
}

export function bigbioRecord(d: CorpusDocument, layers: CorpusLayers): BigbioRecord {
  const at = codePointOffsets(d.text);
  const entities: BigbioRecord['entities'] = [];
  if (layers.ner) d.mentions.forEach((m, i) => entities.push({ ...textBound(`${d.id}_T${i + 1}`, m.label, m, at), normalized: normalizedOf(m) }));
  if (layers.phi) d.phi.forEach((p, i) => entities.push({ ...textBound(`${d.id}_P${i + 1}`, p.type, p, at), normalized: [] }));
  const relations: BigbioRecord['relations'] = [];
  if (layers.ner && layers.relation) {
    // Mention i is entity `T{i+1}`: relations name their ends by mention index.
    d.relations.forEach((r, i) => {
      if (d.mentions[r.from] !== undefined && d.mentions[r.to] !== undefined) relations.push({ id: `${d.id}_R${i + 1}`, type: r.type, arg1_id: `${d.id}_T${r.from + 1}`, arg2_id: `${d.id}_T${r.to + 1}`, normalized: [] });
    });
  }
  return {
    id: d.id,
    document_id: d.noteId,
    passages: [textBound(`${d.id}_passage`, d.noteType, { start: 0, end: d.text.length, text: d.text }, at)],
    entities,
    events: [],
    coreferences: [],
    relations,
  };
}

const FEATURES = `dataset_info:
  features:
  - name: id
    dtype: string
  - name: document_id
    dtype: string
  - name: passages
    list:
    - name: id
      dtype: string
    - name: type
      dtype: string
    - name: text
      sequence: string
    - name: offsets
      sequence:
        sequence: int32
  - name: entities
    list:
    - name: id
      dtype: string
    - name: type
      dtype: string
    - name: text
      sequence: string
    - name: offsets
      sequence:
        sequence: int32
    - name: normalized
      list:
      - name: db_name
        dtype: string
      - name: db_id
        dtype: string
  - name: events
    list:
    - name: id
      dtype: string
    - name: type
      dtype: string
    - name: trigger
      struct:
      - name: text
        sequence: string
      - name: offsets
        sequence:
          sequence: int32
    - name: arguments
      list:
      - name: role
        dtype: string
      - name: ref_id
        dtype: string
  - name: coreferences
    list:
    - name: id
      dtype: string
    - name: entity_ids
      sequence: string
  - name: relations
    list:
    - name: id
      dtype: string
    - name: type
      dtype: string
    - name: arg1_id
      dtype: string
    - name: arg2_id
      dtype: string
    - name: normalized
      list:
      - name: db_name
        dtype: string
      - name: db_id
        dtype: string
`;

/**
 * The dataset card: YAML front matter (the splits' files, the features) and a short description;
 * the datasheet has the rest. No `dataset_info.splits`: `datasets` wants each split's size in
 * Arrow bytes there, which only it can compute, and ignores (with a warning) a list without them.
 */
function datasetCard(): string {
  return `---
language:
- en
license: other
pretty_name: Chartwright synthetic clinical notes (bigbio_kb)
tags:
- bigbio
- clinical
- synthetic
- named-entity-recognition
- de-identification
task_categories:
- token-classification
configs:
- config_name: default
  data_files:
${SPLITS.map((s) => `  - split: ${s}\n    path: ${s}.jsonl`).join('\n')}
${FEATURES}---

# Chartwright synthetic clinical notes, BigBIO KB schema

Synthetic clinical notes written by Chartwright from synthetic patient records, with gold spans
taken from the record: clinical entities (PROBLEM, MEDICATION with its STRENGTH, FORM, ROUTE,
FREQUENCY and DOSAGE in the n2c2 2018 scheme, LAB, VITAL, PROCEDURE, IMMUNIZATION, ALLERGY, ANATOMY) normalized to SNOMED CT, RxNorm, LOINC or CVX codes and to the
FHIR resource they came from (\`db_name: FHIR\`), relations between them, and PHI in the i2b2 2014
de-identification types. No real patient is in it. Offsets are Unicode code points.

Splits are by patient (no patient is in two splits). Assertions (negated, historical...) are not
part of the bigbio_kb schema; the JSONL and BRAT exports of the same corpus carry them. See
\`../README.md\` (the datasheet) for how the corpus was generated, its counts and its limits.

\`\`\`python
from datasets import load_dataset
ds = load_dataset("path/to/corpus/bigbio")
\`\`\`
`;
}

export function writeBigbio(input: FormatInput): CorpusFiles {
  const files: CorpusFiles = new Map();
  for (const split of SPLITS) {
    const lines = input.splits[split].map((d) => JSON.stringify(bigbioRecord(d, input.layers)));
    files.set(`bigbio/${split}.jsonl`, lines.length === 0 ? '' : `${lines.join('\n')}\n`);
  }
  files.set('bigbio/README.md', datasetCard());
  return files;
}
