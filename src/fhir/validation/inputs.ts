/**
 * Reads what `validate` is given: files or folders of Bundles, loose resources or NDJSON. Yields
 * each resource with where it came from; bad input (not JSON, empty file) becomes an input problem
 * by file and line instead of an exception.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseLenient, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { InputError } from '../../errors.js';

/** Where a resource or a problem was found. */
export interface SourceLocation {
  readonly file: string;
  /** 1-based line (NDJSON lines, or the line of a JSON syntax error). */
  readonly line?: number;
  /** Index of the Bundle entry holding the resource. */
  readonly entry?: number;
}

/** One item read from the inputs: a resource to validate, or a problem with the input itself. */
export type InputItem =
  | { readonly kind: 'resource'; readonly resource: unknown; readonly location: SourceLocation }
  | { readonly kind: 'problem'; readonly message: string; readonly location: SourceLocation };

/** Files `validate` and `check` write, the generator's manifest, package manifests: not FHIR, skipped in folders. */
const NOT_FHIR = new Set(['validation.json', 'manifest.json', 'check.json', 'package.json', '.index.json']);

/** Every input file under `paths`, sorted for a stable order. Missing paths are an InputError. */
export function listInputFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  const visit = (path: string, explicit: boolean): void => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) throw new InputError('no such file or folder', path);
    if (stat.isDirectory()) {
      // Hidden entries (the generator's `.chartwright/` run state, editors' files) are never FHIR.
      for (const name of readdirSync(path).sort()) if (!name.startsWith('.')) visit(join(path, name), false);
    } else if (explicit || (/\.(json|ndjson)$/.test(path) && !NOT_FHIR.has(basename(path)))) {
      files.push(path);
    }
  };
  for (const path of paths) visit(path, true);
  return files;
}

/** The resources (and input problems) in one file. */
export function* readInputFile(file: string): Generator<InputItem> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    yield { kind: 'problem', message: `cannot read (${(error as Error).message})`, location: { file } };
    return;
  }
  if (text.trim() === '') {
    yield { kind: 'problem', message: 'empty file', location: { file } };
    return;
  }
  if (file.endsWith('.ndjson')) {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.trim() === '') continue;
      try {
        yield { kind: 'resource', resource: JSON.parse(line) as unknown, location: { file, line: i + 1 } };
      } catch (error) {
        yield { kind: 'problem', message: `not JSON (${locateSyntaxError(line, error as Error).detail})`, location: { file, line: i + 1 } };
      }
    }
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (error) {
    const { line, detail } = locateSyntaxError(text, error as Error);
    yield { kind: 'problem', message: `not JSON (${detail})`, location: { file, line } };
    return;
  }
  const record = parsed as { resourceType?: unknown; entry?: unknown };
  if (record !== null && typeof record === 'object' && record.resourceType === 'Bundle' && Array.isArray(record.entry)) {
    const entries = record.entry as { resource?: unknown }[];
    // The Bundle's entries are the resources; the envelope itself carries no clinical content.
    for (let i = 0; i < entries.length; i++) {
      const resource = entries[i]?.resource;
      if (resource === undefined) {
        yield { kind: 'problem', message: 'Bundle entry has no resource', location: { file, entry: i } };
      } else {
        yield { kind: 'resource', resource, location: { file, entry: i } };
      }
    }
    return;
  }
  yield { kind: 'resource', resource: parsed, location: { file } };
}

/**
 * Where JSON.parse failed. Node 20's messages carry no position, so the text is parsed again
 * (only on failure) by a parser that reports offsets.
 */
function locateSyntaxError(text: string, error: Error): { line: number; detail: string } {
  const errors: ParseError[] = [];
  parseLenient(text, errors, { allowTrailingComma: false, disallowComments: true });
  const first = errors[0];
  if (first === undefined) return { line: 1, detail: error.message.split('\n')[0] ?? 'invalid' };
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < first.offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, detail: `${printParseErrorCode(first.error)} at line ${line}, column ${first.offset - lineStart + 1}` };
}

/** `file`, `file:line` or `file#entry[i]`, for messages. */
export function formatLocation(location: SourceLocation): string {
  if (location.line !== undefined) return `${location.file}:${location.line}`;
  if (location.entry !== undefined) return `${location.file}#entry[${location.entry}]`;
  return location.file;
}
