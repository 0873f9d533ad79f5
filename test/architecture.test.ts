import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/cli.js';

/**
 * Dependencies point one way, following the data: knowledge -> timeline -> record -> fhir / notes ->
 * corpus -> dedup -> sinks; run orchestrates; cli only wires. A folder may import from the folders
 * listed for it (and itself); top-level files (errors.ts, version.ts) are importable from anywhere.
 * `core` (retry, and the building blocks every layer shares) sits below them all: everyone may
 * import it, and it imports no other folder.
 */
const BELOW_EVERY_FOLDER = new Set(['core']);
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  record: [],
  knowledge: [],
  timeline: ['knowledge', 'record'],
  fhir: ['knowledge', 'record'],
  check: ['knowledge', 'record', 'fhir'],
  notes: ['knowledge', 'record', 'fhir', 'cache'],
  corpus: ['knowledge', 'record', 'fhir', 'notes'],
  dedup: ['knowledge', 'record', 'notes', 'corpus', 'cache'],
  cache: [],
  sinks: ['knowledge', 'record', 'fhir', 'cache'],
  serve: ['knowledge', 'record', 'fhir', 'cache', 'sinks'],
  run: ['knowledge', 'record', 'timeline', 'fhir', 'notes', 'corpus', 'dedup', 'sinks', 'cache', 'check'],
  cli: ['*'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('architecture', () => {
  it('keeps imports flowing one way between src/ folders', () => {
    const src = join(ROOT, 'src');
    const violations: string[] = [];
    for (const file of sourceFiles(src)) {
      const rel = relative(src, file).split(sep);
      if (rel.length < 2) continue;
      const folder = rel[0]!;
      const allowed = ALLOWED[folder];
      if (allowed === undefined) {
        violations.push(`${relative(ROOT, file)}: folder src/${folder} has no place in the layering; add it to ALLOWED`);
        continue;
      }
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/from '(\.\.?\/[^']+)'/g)) {
        const target = relative(src, join(file, '..', m[1]!)).split(sep);
        if (target.length < 2) continue; // top-level module such as errors.ts
        const to = target[0]!;
        if (to === folder || BELOW_EVERY_FOLDER.has(to) || allowed.includes('*') || allowed.includes(to)) continue;
        violations.push(`${relative(ROOT, file)} imports src/${to} (${m[1]})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('throws no bare Error: a user-facing failure is a ChartwrightError subclass, a broken invariant an InternalError', () => {
    const bare = sourceFiles(join(ROOT, 'src')).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (/\bnew Error\(/.test(line) && !/^\s*(\/\/|\*)/.test(line) ? [`${relative(ROOT, file)}:${i + 1}`] : [])),
    );
    expect(bare).toEqual([]);
  });

  it('merges every timeline step by name: no timeline function returns a fragment without naming its step', () => {
    const timeline = join(ROOT, 'src', 'timeline');
    const violations: string[] = [];
    for (const file of sourceFiles(timeline)) {
      if (file.endsWith(`${sep}fragment.ts`)) continue;
      const text = readFileSync(file, 'utf8');
      // A producer returns StepFragment<'name'> (a name of RECORD_STEPS, which mergeSteps requires).
      if (/\)\s*:\s*(?:Partial<RecordItems>|RecordFragment)\s*\{/.test(text)) violations.push(`${relative(ROOT, file)} returns a RecordFragment: type it StepFragment<'<step>'>`);
      // The record is merged by mergeSteps alone, which takes one fragment per step.
      if (/\bmergeFragments\(/.test(text)) violations.push(`${relative(ROOT, file)} calls mergeFragments: merge the record with mergeSteps`);
    }
    expect(violations).toEqual([]);
  });
});
