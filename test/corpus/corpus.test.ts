import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildCorpus, TASKS, type CorpusTask } from '../../src/corpus/build.js';
import { emptyDrops, type CorpusDocument } from '../../src/corpus/document.js';
import { FORMATS } from '../../src/corpus/format.js';
import { readGenerateOutput } from '../../src/corpus/read-output.js';
import { parseSplitRatios } from '../../src/corpus/split.js';
import { deidPair, qaPairs, summaryPairs } from '../../src/corpus/tasks.js';
import { MetaFactory } from '../../src/fhir/meta.js';
import { recordToResources } from '../../src/fhir/record-to-fhir.js';
import { NOTE_TYPES, type NoteType } from '../../src/notes/facts.js';
import { loadVocabulary } from '../../src/notes/grounding/vocabulary.js';
import { notesForRecord } from '../../src/notes/stage.js';
import { createTemplateNoteWriter } from '../../src/notes/template/template-note-writer.js';
import { dateToInstant, type IsoDate } from '../../src/core/time.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { toSeed } from '../../src/core/random.js';
import { tempDir } from '../support/cli.js';

const REFERENCE = '2025-06-01' as IsoDate;
const ALL_TASKS = new Set<CorpusTask>(TASKS);
let documents: CorpusDocument[] = [];
let dir: string;
const bundles = new Map<string, Record<string, unknown>>();

/** Writes notes as `generate` does (text and annotation file), then reads them back as the command does. */
beforeAll(async () => {
  const vocabulary = await loadVocabulary();
  const ctx = createCohortContext({ seed: toSeed(5), referenceDate: REFERENCE, age: undefined, gender: undefined, state: undefined });
  dir = tempDir('chartwright-corpus-');
  const meta = new MetaFactory('test');
  for (let i = 0; i < 16; i++) {
    for (const record of simulateIndex(ctx, i)) {
      const out = await notesForRecord(record, { types: new Set<NoteType>(NOTE_TYPES), since: undefined, writer: createTemplateNoteWriter(), vocabulary, maxRetries: 2, meta, referenceTime: dateToInstant(REFERENCE) });
      mkdirSync(join(dir, 'notes', record.id), { recursive: true });
      for (const n of out.notes) {
        writeFileSync(join(dir, 'notes', record.id, `${n.noteId}.txt`), n.text);
        writeFileSync(join(dir, 'notes', record.id, `${n.noteId}.json`), JSON.stringify(n.annotations));
      }
      bundles.set(record.id, { resourceType: 'Bundle', entry: [...recordToResources(record, meta), ...out.resources].map((resource) => ({ resource })) });
    }
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ tool: 'chartwright', seed: 5, notes: { writer: 'template' } }));
  const drops = emptyDrops();
  documents = readGenerateOutput(dir, drops).documents;
  expect(drops.offsetMismatch).toBe(0);
}, 300_000);

const built = new Map<number, ReturnType<typeof buildCorpus>>();
/** One build per seed (the files are compared, not rebuilt, by each test). */
function build(seed = 5, fresh = false) {
  const cached = built.get(seed);
  if (cached !== undefined && !fresh) return cached;
  const result = buildCorpus(documents, { formats: FORMATS, tasks: ALL_TASKS, split: parseSplitRatios('80/10/10')!, seed, source: dir, manifest: {} });
  built.set(seed, result);
  return result;
}

const cp = (text: string, start: number, end: number) => [...text].slice(start, end).join('');

describe('chartwright corpus formats', () => {
  it('has notes of every type the cohort writes, with entities and PHI', () => {
    const types = new Set(documents.map((d) => d.noteType));
    expect(types.size).toBeGreaterThanOrEqual(NOTE_TYPES.length - 1);
    expect(documents.length).toBeGreaterThan(300);
    expect(documents.every((d) => d.phi.length > 0)).toBe(true);
    expect(documents.filter((d) => d.mentions.length > 0).length).toBeGreaterThan(documents.length / 2);
  });

  it('JSONL and spaCy: every span selects its text (code point offsets)', () => {
    const { files } = build();
    const bad: string[] = [];
    let spans = 0;
    for (const [path, content] of files) {
      if (!(path.startsWith('jsonl/') || path.startsWith('spacy/'))) continue;
      for (const line of content.split('\n').filter(Boolean)) {
        const r = JSON.parse(line) as { text: string; entities?: { start: number; end: number; text: string; parts: { start: number; end: number; text: string }[] }[]; phi?: { start: number; end: number; text: string }[]; spans?: { start: number; end: number }[] };
        for (const e of [...(r.entities ?? []), ...(r.phi ?? []), ...(r.entities ?? []).flatMap((x) => x.parts)]) {
          if (cp(r.text, e.start, e.end) !== e.text) bad.push(`${path}: ${e.text}`);
          spans++;
        }
        for (const s of r.spans ?? []) {
          const t = cp(r.text, s.start, s.end);
          if (t.trim() !== t || t.length === 0) bad.push(`${path}: "${t}"`);
          // spaCy cuts at whitespace, at a prefix/suffix mark or an infix hyphen: a word character touches a span only across a hyphen.
          const around = cp(r.text, s.start - 1, s.start) + cp(r.text, s.end, s.end + 1);
          if (/[\p{L}\p{N}]/u.test(around)) bad.push(`${path}: "${t}" next to "${around}"`);
        }
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(spans).toBeGreaterThan(5_000);
  });

  it('bigbio: records validate against the bigbio_kb schema, offsets select the text, and the card declares the splits', () => {
    const normalized = z.array(z.object({ db_name: z.string().min(1), db_id: z.string().min(1) }).strict());
    const schema = z.object({
      id: z.string(),
      document_id: z.string(),
      passages: z.array(z.object({ id: z.string(), type: z.string(), text: z.array(z.string()), offsets: z.array(z.tuple([z.number().int(), z.number().int()])) }).strict()).length(1),
      entities: z.array(z.object({ id: z.string(), type: z.string(), text: z.array(z.string()).min(1), offsets: z.array(z.tuple([z.number().int(), z.number().int()])).min(1), normalized }).strict()),
      events: z.array(z.never()),
      coreferences: z.array(z.never()),
      relations: z.array(z.object({ id: z.string(), type: z.string(), arg1_id: z.string(), arg2_id: z.string(), normalized }).strict()),
    }).strict();
    const { files } = build();
    const bad: string[] = [];
    let n = 0;
    for (const split of ['train', 'validation', 'test']) {
      for (const line of files.get(`bigbio/${split}.jsonl`)!.split('\n').filter(Boolean)) {
        const r = schema.parse(JSON.parse(line));
        const text = r.passages[0]!.text[0]!;
        const ids = new Set(r.entities.map((e) => e.id));
        expect(ids.size).toBe(r.entities.length);
        for (const e of r.entities) if (cp(text, e.offsets[0]![0], e.offsets[0]![1]) !== e.text[0]) bad.push(e.id);
        for (const rel of r.relations) if (!ids.has(rel.arg1_id) || !ids.has(rel.arg2_id)) bad.push(rel.id);
        n++;
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(n).toBe(documents.length);
    const card = files.get('bigbio/README.md')!;
    expect(card.startsWith('---\n')).toBe(true);
    for (const split of ['train', 'validation', 'test']) expect(card).toContain(`- split: ${split}\n    path: ${split}.jsonl`);
  });

  it('BRAT: every .ann line parses, T offsets select their text, A/R/N lines point at T ids, and the types are declared', () => {
    const { files } = build();
    const conf = files.get('brat/annotation.conf')!;
    expect(files.get('brat/tools.conf')).toMatch(/\[normalization\]\nSNOMED\t<URL>:/);
    const declared = new Set(conf.split('\n').filter((l) => l !== '' && !l.startsWith('[') && !l.startsWith('#')).map((l) => l.split('\t')[0]!));
    let t = 0;
    const bad: string[] = [];
    for (const [path, ann] of files) {
      if (!path.endsWith('.ann')) continue;
      const text = files.get(path.replace(/\.ann$/, '.txt'))!;
      const ids = new Set<string>();
      for (const line of ann.split('\n').filter(Boolean)) {
        const m = /^T(\d+)\t(\S+) ((?:\d+ \d+;)*\d+ \d+)\t(.*)$/.exec(line);
        if (m !== null) {
          if (!declared.has(m[2]!)) bad.push(`undeclared ${m[2]}`);
          const frags = m[3]!.split(';').map((f) => f.split(' ').map(Number) as [number, number]);
          if (frags.map(([s, e]) => cp(text, s, e)).join(' ') !== m[4]) bad.push(`${path}: ${line}`);
          ids.add(`T${m[1]}`);
          t++;
          continue;
        }
        const a = /^A\d+\t(Assertion|Laterality) (T\d+) (\S+)$/.exec(line);
        const r = /^R\d+\t(\S+) Arg1:(T\d+) Arg2:(T\d+)$/.exec(line);
        const n = /^N\d+\tReference (T\d+) ([A-Z0-9_-]+):(\S+)\t(.+)$/.exec(line);
        if (a === null && r === null && n === null) bad.push(`${path}: unparsed ${line}`);
        for (const ref of [a?.[2], r?.[2], r?.[3], n?.[1]]) if (ref !== undefined && !ids.has(ref)) bad.push(`${path}: dangling ${line}`);
        if (r !== null && !declared.has(r[1]!)) bad.push(`undeclared relation ${r[1]}`);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(t).toBeGreaterThan(5_000);
  });

  it('CoNLL: IOB2 is well formed, -DOCSTART- opens each note, and entities rebuilt from tokens are the spans', () => {
    const { files } = build();
    for (const layer of ['ner', 'phi']) {
      let docs = 0;
      let entities = 0;
      const bad: string[] = [];
      for (const split of ['train', 'validation', 'test']) {
        const lines = files.get(`conll/${layer}/${split}.conll`)!.split('\n');
        let prev = 'O';
        for (const line of lines) {
          if (line === '') {
            prev = 'O';
            continue;
          }
          const cols = line.split(' ');
          if (cols.length !== 4) bad.push(line);
          if (cols[0] === '-DOCSTART-') {
            docs++;
            if (line !== '-DOCSTART- -X- O O') bad.push(line);
            continue;
          }
          const tag = cols[3]!;
          if (!/^(O|[BI]-[A-Z-]+)$/.test(tag)) bad.push(line);
          if (tag.startsWith('I-') && prev !== `B-${tag.slice(2)}` && prev !== tag) bad.push(`${tag} after ${prev}`);
          if (tag.startsWith('B-')) entities++;
          prev = tag;
        }
      }
      expect(bad.slice(0, 5)).toEqual([]);
      expect(docs).toBe(documents.length);
      expect(entities).toBeGreaterThan(1000);
    }
  });

  it('medication attributes: STRENGTH, FORM, ROUTE, FREQUENCY spans beside the drug name, each dosage-of the drug it follows, in every format', () => {
    const { files } = build();
    const counts: Record<string, number> = {};
    const bad: string[] = [];
    for (const split of ['train', 'validation', 'test']) {
      for (const line of files.get(`jsonl/${split}.jsonl`)!.split('\n').filter(Boolean)) {
        const r = JSON.parse(line) as { id: string; text: string; entities: { start: number; end: number; text: string; label: string; fact_id: string | null; code_system: string | null; parts: unknown[] }[]; relations: { type: string; from: number; to: number }[] };
        r.entities.forEach((e, i) => {
          if (!['STRENGTH', 'FORM', 'ROUTE', 'FREQUENCY', 'DOSAGE'].includes(e.label)) {
            if (e.label === 'MEDICATION' && /\d\s?(?:mg|mcg)\b/.test(e.text)) bad.push(`${r.id}: drug span keeps its strength "${e.text}"`);
            return;
          }
          counts[e.label] = (counts[e.label] ?? 0) + 1;
          const links = r.relations.filter((x) => x.type === 'dosage-of' && x.from === i);
          if (links.length !== 1) return bad.push(`${r.id}: ${e.label} "${e.text}" has ${links.length} dosage-of`);
          const drug = r.entities[links[0]!.to]!;
          // The drug it belongs to is the nearest drug before it, the same record fact, and no other entity sits between them but its own attributes.
          const before = r.entities.filter((x) => x.label === 'MEDICATION' && x.end <= e.start).at(-1);
          if (drug.label !== 'MEDICATION' || drug !== before || drug.fact_id !== e.fact_id) bad.push(`${r.id}: ${e.label} "${e.text}" -> ${drug.label} "${drug.text}"`);
          if (r.entities.some((x, k) => k !== i && x.start >= drug.end && x.end <= e.start && !r.relations.some((y) => y.type === 'dosage-of' && y.from === k && y.to === links[0]!.to))) bad.push(`${r.id}: another entity between "${drug.text}" and "${e.text}"`);
          if (e.code_system !== null) bad.push(`${r.id}: ${e.label} coded`);
        });
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(counts.STRENGTH ?? 0).toBeGreaterThan(100);
    expect(counts.FORM ?? 0).toBeGreaterThan(100);
    // The flat formats carry them as their own tokens' tags; BRAT as T lines with R dosage-of lines to a MEDICATION.
    const ner = ['train', 'validation', 'test'].map((s) => files.get(`conll/ner/${s}.conll`)!).join('');
    expect(ner).toMatch(/ -X- O B-MEDICATION\n\S+ -X- O B-STRENGTH\n\S+ -X- O I-STRENGTH\n\S+ -X- O B-FORM\n/);
    const spacy = ['train', 'validation', 'test'].flatMap((s) => files.get(`spacy/${s}.jsonl`)!.split('\n').filter(Boolean)).map((l) => JSON.parse(l) as { spans: { label: string }[] });
    expect(spacy.some((r) => r.spans.some((x) => x.label === 'STRENGTH'))).toBe(true);
    let bratLinks = 0;
    for (const [path, ann] of files) {
      if (!path.endsWith('.ann')) continue;
      const types = new Map([...ann.matchAll(/^(T\d+)\t(\S+) /gm)].map((m) => [m[1]!, m[2]!]));
      for (const m of ann.matchAll(/^R\d+\tdosage-of Arg1:(T\d+) Arg2:(T\d+)$/gm)) {
        bratLinks++;
        if (!['STRENGTH', 'FORM', 'ROUTE', 'FREQUENCY', 'DOSAGE'].includes(types.get(m[1]!)!) || types.get(m[2]!) !== 'MEDICATION') bad.push(`${path}: ${m[0]}`);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(bratLinks).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
    const bigbio = ['train', 'validation', 'test'].flatMap((s) => files.get(`bigbio/${s}.jsonl`)!.split('\n').filter(Boolean)).map((l) => JSON.parse(l) as { entities: { id: string; type: string }[]; relations: { type: string; arg1_id: string; arg2_id: string }[] });
    const dosageOf = bigbio.flatMap((r) => r.relations.filter((x) => x.type === 'dosage-of').map((x) => [r.entities.find((e) => e.id === x.arg1_id)!.type, r.entities.find((e) => e.id === x.arg2_id)!.type]));
    expect(dosageOf.length).toBe(bratLinks);
    expect(dosageOf.every(([, to]) => to === 'MEDICATION')).toBe(true);
  });

  it('ANATOMY: body sites coded to SNOMED CT body structures, laterality in the span, never inside another entity', () => {
    const { files } = build();
    const sites: { text: string; code: string | null; laterality: string | null }[] = [];
    const bad: string[] = [];
    for (const split of ['train', 'validation', 'test']) {
      for (const line of files.get(`jsonl/${split}.jsonl`)!.split('\n').filter(Boolean)) {
        const r = JSON.parse(line) as { id: string; text: string; entities: { start: number; end: number; text: string; label: string; code_system: string | null; code: string | null; laterality: string | null }[] };
        for (const e of r.entities) {
          if (e.label !== 'ANATOMY') continue;
          sites.push(e);
          if (e.code_system !== 'http://snomed.info/sct') bad.push(`${r.id}: ${e.text} uncoded`);
          if (/eye contact/i.test(r.text.slice(e.start, e.end + 8))) bad.push(`${r.id}: "${e.text}" in "eye contact"`);
          // A site inside a symptom the annotator knows is that symptom's, labelled or not.
          if (/^(?:chest|abdominal) pain/i.test(r.text.slice(e.start).replace(/^abdomen/i, 'abdominal'))) bad.push(`${r.id}: "${e.text}" inside a symptom`);
          if (e.laterality !== null && !e.text.toLowerCase().startsWith(e.laterality)) bad.push(`${r.id}: ${e.text} laterality ${e.laterality}`);
          if (r.entities.some((x) => x !== e && x.start < e.end && e.start < x.end && x.label !== 'ANATOMY')) bad.push(`${r.id}: ${e.text} overlaps`);
        }
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(sites.length).toBeGreaterThan(100);
    expect(new Set(sites.map((s) => s.code)).size).toBeGreaterThan(5);
    expect(files.get('brat/annotation.conf')).toContain('Laterality\tArg:ANATOMY');
  });

  it('i2b2 XML: well formed in the challenge layout, offsets select the tag text', () => {
    const { files } = build();
    const unescape = (s: string) => s.replace(/&#10;/g, '\n').replace(/&#13;/g, '\r').replace(/&#9;/g, '\t').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    let n = 0;
    const bad: string[] = [];
    for (const [path, xml] of files) {
      if (!path.startsWith('i2b2/')) continue;
      if (!/^i2b2\/(train|validation|test)\/[0-9a-f-]+-\d{2,}\.xml$/.test(path)) bad.push(path);
      const m = /^<\?xml version="1\.0" encoding="UTF-8" \?>\n<deIdi2b2>\n<TEXT><!\[CDATA\[([\s\S]*)\]\]><\/TEXT>\n<TAGS>\n((?:<[A-Z]+ [^<>]*\/>\n)*)<\/TAGS>\n<\/deIdi2b2>\n$/.exec(xml);
      expect(m, path).not.toBeNull();
      const text = m![1]!.replace(/\]\]\]\]><!\[CDATA\[>/g, ']]>');
      expect(m![1]!.includes(']]>')).toBe(false);
      for (const tag of m![2]!.split('\n').filter(Boolean)) {
        const t = /^<([A-Z]+) id="P\d+" start="(\d+)" end="(\d+)" text="([^"<>]*)" TYPE="([A-Z-]+)" comment="" \/>$/.exec(tag);
        if (t === null || cp(text, Number(t[2]), Number(t[3])) !== unescape(t[4]!)) bad.push(`${path}: ${tag}`);
        n++;
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(n).toBeGreaterThan(3000);
  });

  it('splits by patient (no patient in two splits), the same seed gives the same bytes, another seed another split', () => {
    const a = build(5);
    const b = build(5, true);
    expect([...a.files.keys()]).toEqual([...b.files.keys()]);
    for (const [k, v] of a.files) expect(b.files.get(k), k).toBe(v);
    const where = new Map<string, Set<string>>();
    for (const [path, content] of a.files) {
      const m = /^jsonl\/(\w+)\.jsonl$/.exec(path);
      if (m === null) continue;
      for (const line of content.split('\n').filter(Boolean)) {
        const id = (JSON.parse(line) as { patient_id: string }).patient_id;
        where.set(id, (where.get(id) ?? new Set()).add(m[1]!));
      }
    }
    expect([...where.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set([...where.values()].map((s) => [...s][0])).size).toBe(3);
    const c = build(6);
    expect([...c.splitOf.entries()]).not.toEqual([...a.splitOf.entries()]);
  });

  it('--balance repeats training notes with the rare label, and only those', () => {
    const plain = buildCorpus(documents, { formats: ['jsonl'], tasks: ALL_TASKS, split: [0.8, 0.1, 0.1], seed: 5, source: dir, manifest: {} });
    const balanced = buildCorpus(documents, { formats: ['jsonl'], tasks: ALL_TASKS, split: [0.8, 0.1, 0.1], seed: 5, source: dir, manifest: {}, balance: 'PROCEDURE' });
    const lines = (f: typeof plain, s: string) => f.files.get(`jsonl/${s}.jsonl`)!.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; entities: { label: string }[] });
    const extra = lines(balanced, 'train').filter((r) => /-dup\d+$/.test(r.id));
    expect(extra.length).toBeGreaterThan(0);
    expect(extra.every((r) => r.entities.some((e) => e.label === 'PROCEDURE'))).toBe(true);
    expect(balanced.files.get('jsonl/test.jsonl')).toBe(plain.files.get('jsonl/test.jsonl'));
    expect(balanced.files.get('README.md')).toMatch(/--balance PROCEDURE/);
  });

  it('writes a datasheet with counts per label, assertion, PHI category and split', () => {
    const sheet = build().files.get('README.md')!;
    for (const heading of ['## How it was generated', '## Composition', '### Entities and assertions', '### PHI (i2b2 2014 tag set)', '### Note types', '## Known limits', 'distinct-1']) expect(sheet).toContain(heading);
    // No i2b2 2014 share is quoted unchecked, and each category has its rank here.
    expect(sheet).toMatch(/\| DATE \| \d+ \| [\d.]+% \| [1-7] \| unverified \|/);
    expect(sheet).not.toMatch(/43\.0%/);
  });
});

describe('task corpora', () => {
  it('de-identification pairs: tags and surrogates replace exactly the PHI, and surrogate offsets select the surrogates', () => {
    for (const d of documents.slice(0, 200)) {
      const pair = deidPair(d) as { tagged: string; surrogate: string; surrogate_phi: { start: number; end: number; text: string; original: string }[] };
      expect(pair.tagged).not.toContain(d.phi[0]!.text === 'USA' ? '\u0000' : `: ${d.phi.find((p) => p.type === 'MEDICALRECORD')?.text ?? '\u0000'}`);
      expect(pair.tagged).toContain('[**DATE**]');
      for (const s of pair.surrogate_phi) expect(cp(pair.surrogate, s.start, s.end)).toBe(s.text);
      const mrn = d.phi.find((p) => p.type === 'MEDICALRECORD');
      if (mrn !== undefined) expect(pair.surrogate.includes(mrn.text)).toBe(false);
    }
  });

  it('summarization pairs: each admission with a discharge summary, the summary as target', () => {
    const pairs = summaryPairs(documents) as { target_note_id: string; source: string; target: string }[];
    expect(pairs.length).toBeGreaterThan(0);
    const byId = new Map(documents.map((d) => [d.id, d]));
    for (const p of pairs) {
      expect(byId.get(p.target_note_id)!.noteType).toBe('discharge-summary');
      expect(p.source.length).toBeGreaterThan(0);
    }
  });

  it('QA pairs: answers come with their supporting resources, and some are "not in the record"', () => {
    const all = [...bundles.entries()].flatMap(([id, b]) => qaPairs(id, b)) as { answerable: boolean; supporting_resources: string[]; kind: string; answer: string }[];
    expect(all.some((q) => !q.answerable && /^Not in the record/.test(q.answer))).toBe(true);
    for (const [id, b] of bundles) {
      const ids = new Set(((b['entry'] as { resource: { resourceType: string; id: string } }[]).map((e) => `${e.resource.resourceType}/${e.resource.id}`)));
      for (const q of qaPairs(id, b) as typeof all) {
        for (const r of q.supporting_resources) expect(ids.has(r), r).toBe(true);
        if (q.kind === 'date-of-diagnosis' && q.answerable) expect(q.supporting_resources.length).toBe(1);
      }
    }
    expect(new Set(all.map((q) => q.kind))).toEqual(new Set(['current-medications', 'last-hba1c', 'allergies', 'date-of-diagnosis']));
  });
});

describe('chartwright corpus reading a generate output', () => {
  it('drops and counts a span whose offsets do not select its text, never moving it', () => {
    const patient = readdirSync(join(dir, 'notes'))[0]!;
    const file = readdirSync(join(dir, 'notes', patient)).find((f) => f.endsWith('.json'))!;
    const path = join(dir, 'notes', patient, file);
    const original = readFileSync(path, 'utf8');
    const a = JSON.parse(original) as { phi: { start: number; end: number }[] };
    a.phi[0]!.start += 1;
    writeFileSync(path, JSON.stringify(a));
    try {
      const drops = emptyDrops();
      const docs = readGenerateOutput(dir, drops).documents;
      expect(drops.offsetMismatch).toBe(1);
      const doc = docs.find((d) => `${d.noteId}.json` === file)!;
      expect(doc.phi.length).toBe(a.phi.length - 1);
    } finally {
      writeFileSync(path, original);
    }
  });
});
