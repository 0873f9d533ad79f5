/**
 * Reading documents to check or index: text files, folders of them, JSONL with a text field, CSV
 * with a text column (quoted fields may span lines, as in the MTSamples CSV), and Chartwright's own
 * `generate` output (notes under `OUT/notes/<patient>/`, names to mask from the patient's bundle).
 * Everything streams: a corpus of any size is read one document at a time.
 */
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { InputError } from '../errors.js';
import type { DedupDocument } from './prepared-text.js';

export interface InputOptions {
  /** JSONL: the field holding the text (`--field`); default the first of {@link TEXT_FIELDS} present. */
  readonly field?: string | undefined;
  /** CSV: the column holding the text (`--column`); default the first of {@link TEXT_FIELDS} present. */
  readonly column?: string | undefined;
}

/**
 * Field or column names tried when none is given: `text`, then the names used by MTSamples
 * (`transcription`), Asclepius (`note`) and PMC-Patients (`patient`).
 */
export const TEXT_FIELDS = ['text', 'transcription', 'note', 'note_text', 'patient'] as const;

/** Extensions read as one text document each inside a folder (files without one too). */
const TEXT_EXTENSIONS = new Set(['.txt', '.text', '.md', '.note', '']);
const JSONL_EXTENSIONS = new Set(['.jsonl', '.ndjson']);
const CSV_EXTENSIONS = new Set(['.csv', '.tsv']);

type InputKind = 'text' | 'jsonl' | 'csv' | 'output';

/** True when `dir` is a `chartwright generate` output folder with notes. */
export function isGenerateOutput(dir: string): boolean {
  const manifest = join(dir, 'manifest.json');
  if (!existsSync(manifest) || !existsSync(join(dir, 'notes'))) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { tool?: unknown }).tool === 'chartwright';
  } catch {
    return false;
  }
}

function kindOfFile(path: string): InputKind {
  const ext = extname(path).toLowerCase();
  if (JSONL_EXTENSIONS.has(ext)) return 'jsonl';
  if (CSV_EXTENSIONS.has(ext)) return 'csv';
  return 'text';
}

/** Every document of one path (file or folder), in a stable order (folders sorted by name). */
export async function* readDocuments(path: string, options: InputOptions = {}): AsyncGenerator<DedupDocument> {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new InputError('no such file or folder', path);
  }
  if (stats.isDirectory()) {
    if (isGenerateOutput(path)) yield* readGenerateOutput(path);
    else yield* readFolder(path, options);
    return;
  }
  yield* readFile(path, kindOfFile(path), options);
}

async function* readFile(path: string, kind: InputKind, options: InputOptions): AsyncGenerator<DedupDocument> {
  switch (kind) {
    case 'jsonl':
      yield* readJsonl(path, options.field);
      return;
    case 'csv':
      yield* readCsv(path, options.column);
      return;
    case 'text':
    case 'output': {
      const text = readFileSync(path, 'utf8');
      if (text.trim() !== '') yield { id: path, text };
      return;
    }
  }
}

async function* readFolder(dir: string, options: InputOptions): AsyncGenerator<DedupDocument> {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    const stats = statSync(path);
    if (stats.isDirectory()) {
      yield* readFolder(path, options);
      continue;
    }
    const ext = extname(name).toLowerCase();
    if (JSONL_EXTENSIONS.has(ext) || CSV_EXTENSIONS.has(ext) || TEXT_EXTENSIONS.has(ext)) yield* readFile(path, kindOfFile(path), options);
  }
}

function pickField(available: readonly string[], asked: string | undefined, what: 'field' | 'column', path: string): string {
  if (asked !== undefined) {
    if (!available.includes(asked)) throw new InputError(`has no ${what} ${JSON.stringify(asked)} (it has ${available.map((a) => JSON.stringify(a)).join(', ')})`, path);
    return asked;
  }
  const found = TEXT_FIELDS.find((f) => available.includes(f));
  if (found === undefined) {
    throw new InputError(`no text ${what} among ${available.map((a) => JSON.stringify(a)).join(', ')}; name one with --${what}`, path);
  }
  return found;
}

async function* readJsonl(path: string, field: string | undefined): AsyncGenerator<DedupDocument> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let lineNumber = 0;
  let chosen: string | undefined;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new InputError(`line ${lineNumber} is not JSON: ${(error as Error).message}`, path);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`line ${lineNumber} is not a JSON object`, path);
    const record = value as Record<string, unknown>;
    // The first record decides the field (or checks the one asked for); later ones may lack it.
    chosen ??= pickField(Object.keys(record), field, 'field', path);
    const text = record[chosen];
    if (text === undefined || text === null) continue;
    if (typeof text !== 'string') throw new InputError(`line ${lineNumber}: field ${JSON.stringify(chosen)} is not a string`, path);
    if (text.trim() !== '') yield { id: `${path}#${lineNumber}`, text };
  }
}

async function* readCsv(path: string, column: string | undefined): AsyncGenerator<DedupDocument> {
  const parser = createReadStream(path).pipe(
    parse({ bom: true, delimiter: extname(path).toLowerCase() === '.tsv' ? '\t' : ',', relax_column_count: true, skip_empty_lines: true }),
  );
  let header: string[] | undefined;
  let index = -1;
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (header === undefined) {
        header = record;
        index = header.indexOf(pickField(header, column, 'column', path));
        continue;
      }
      row++;
      const text = record[index];
      if (text !== undefined && text.trim() !== '') yield { id: `${path}#${row}`, text };
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`is not valid CSV: ${(error as Error).message}`, path, { cause: error });
  }
}

interface BundleNames {
  readonly names: string[];
}

/** Given and family names of the patient and clinicians in a bundle: the names its notes may carry. */
function bundleNames(bundlePath: string): BundleNames {
  if (!existsSync(bundlePath)) return { names: [] };
  const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as { entry?: { resource?: { resourceType?: string; name?: { given?: string[]; family?: string }[] } }[] };
  const names = new Set<string>();
  for (const entry of bundle.entry ?? []) {
    const r = entry.resource;
    if (r?.resourceType !== 'Patient' && r?.resourceType !== 'Practitioner') continue;
    for (const n of r.name ?? []) {
      for (const g of n.given ?? []) names.add(g);
      if (n.family !== undefined) names.add(n.family);
    }
  }
  return { names: [...names] };
}

/** The notes of a `generate` output: id `OUT/notes/<patient>/<note>.txt`, grouped by patient. */
async function* readGenerateOutput(dir: string): AsyncGenerator<DedupDocument> {
  const notesDir = join(dir, 'notes');
  for (const patient of readdirSync(notesDir).sort()) {
    const patientDir = join(notesDir, patient);
    if (!statSync(patientDir).isDirectory()) continue;
    const { names } = bundleNames(join(dir, 'fhir', `${patient}.json`));
    for (const file of readdirSync(patientDir).sort()) {
      if (!file.endsWith('.txt')) continue;
      const text = readFileSync(join(patientDir, file), 'utf8');
      yield { id: join(dir, 'notes', patient, file), group: patient, text, names };
    }
  }
}
