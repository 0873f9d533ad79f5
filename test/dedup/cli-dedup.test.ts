import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/dedup/normalize.js';
import { runCliAsync, tempDir } from '../support/cli.js';
import { REFERENCE_DIR } from './support.js';

interface JsonReport {
  documents: number;
  references: number;
  findings: { kind: string; query?: { id: string; start: number; end: number }; reference?: { id: string; start: number; end: number }; queryId?: string; referenceId?: string; tokens?: number; sameGroup: boolean }[];
  summary: { flaggedDocuments: number; exactOverlaps: number; nearDuplicates: number };
}

const csvField = (text: string): string => `"${text.replace(/"/g, '""')}"`;

describe('chartwright dedup', () => {
  const dir = tempDir();
  const refs = join(dir, 'refs');
  let passage: string;
  let copied: string;

  beforeAll(() => {
    cpSync(REFERENCE_DIR, refs, { recursive: true });
    const colonoscopy = readFileSync(join(refs, 'colonoscopy.txt'), 'utf8');
    const n = normalizeText(colonoscopy);
    passage = colonoscopy.slice(n.starts[30]!, n.ends[30 + 59]!);
    copied = readFileSync(join(refs, 'discharge-pneumonia.txt'), 'utf8').replace('three days', 'four days');
    // An MTSamples-shaped CSV: an unnamed index column, quoted transcriptions with commas, quotes and newlines.
    const rows = [
      ',description,medical_specialty,sample_name,transcription,keywords',
      `0,${csvField('A "new" visit, short')},General,Visit,${csvField('SUBJECTIVE:, The patient is here for a cough.\nPLAN:, Fluids, rest and return if worse.')},cough`,
      `1,Procedure,Gastroenterology,Scope,${csvField(`HISTORY:, Screening.\n\nThe report says: ${passage}\n\nEnd of note.`)},colon`,
      `2,Summary,Pulmonary,Discharge,${csvField(copied)},pneumonia`,
    ];
    writeFileSync(join(dir, 'inputs.csv'), `${rows.join('\r\n')}\r\n`);
    writeFileSync(join(dir, 'clean.txt'), 'A short note about a sprained ankle, iced and elevated, with crutches for a week.\n');
    writeFileSync(join(dir, 'notes.jsonl'), `${JSON.stringify({ id: 1, note: copied })}\n${JSON.stringify({ id: 2, note: 'Unrelated follow up visit.' })}\n`);
  });

  const run = (...args: string[]) => runCliAsync(['dedup', ...args]);

  it('exits 0 with a summary when nothing is flagged', async () => {
    const r = await run(join(dir, 'clean.txt'), '--reference', refs);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 documents checked against 8 references .* 0 flagged/);
  });

  it('flags a planted passage and a near-duplicate copy in a CSV with quoted multi-line fields, and exits 1', async () => {
    const r = await run(join(dir, 'inputs.csv'), '--reference', refs, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.documents).toBe(3);
    const exact = report.findings.find((f) => f.kind === 'exact-overlap' && f.reference!.id.endsWith('colonoscopy.txt'))!;
    expect(exact.query!.id).toBe(`${join(dir, 'inputs.csv')}#2`);
    // Offsets are in the original texts: the CSV field as parsed, and the reference file.
    const field = `HISTORY:, Screening.\n\nThe report says: ${passage}\n\nEnd of note.`;
    expect(field.slice(exact.query!.start, exact.query!.end)).toContain(passage.slice(0, 40));
    expect(readFileSync(join(refs, 'colonoscopy.txt'), 'utf8').slice(exact.reference!.start, exact.reference!.end)).toContain(passage);
    expect(report.findings.some((f) => f.kind === 'near-duplicate' && f.queryId === `${join(dir, 'inputs.csv')}#3` && f.referenceId!.endsWith('discharge-pneumonia.txt'))).toBe(true);
    expect(report.summary.flaggedDocuments).toBe(2);
  });

  it('prints one line per finding and a summary as text', async () => {
    const r = await run(join(dir, 'inputs.csv'), '--reference', refs);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^exact-overlap +\S+inputs\.csv#2 \[\d+-\d+\] = \S+colonoscopy\.txt \[\d+-\d+\] +\d+ tokens/m);
    expect(r.stdout).toMatch(/^near-duplicate +\S+inputs\.csv#3 ~ \S+discharge-pneumonia\.txt +Jaccard 0\.\d{3}/m);
  });

  it('reads JSONL by --field and checks inputs against each other', async () => {
    const r = await run(join(dir, 'notes.jsonl'), join(dir, 'inputs.csv'), '--field', 'note', '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.findings.some((f) => f.kind === 'near-duplicate' && f.queryId!.endsWith('inputs.csv#3') && f.referenceId!.endsWith('notes.jsonl#1'))).toBe(true);
  });

  it('indexes references into SQLite incrementally and finds the same with --db, at any --jaccard', async () => {
    const db = join(dir, 'refs.sqlite');
    const first = await run('index', refs, '--db', db);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/indexed 8 new, 0 changed, 0 unchanged documents .* holds 8 documents in \d+ bytes \(\d+ bytes per document\)/);
    const again = await run('index', refs, '--db', db, '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, updated: 0, unchanged: 8, index: { documents: 8 } });
    for (const jaccard of ['0.8', '0.6']) {
      const fromFiles = JSON.parse((await run(join(dir, 'inputs.csv'), '--reference', refs, '--jaccard', jaccard, '--json')).stdout) as JsonReport;
      const fromDb = JSON.parse((await run(join(dir, 'inputs.csv'), '--db', db, '--jaccard', jaccard, '--json')).stdout) as JsonReport;
      expect(fromDb.findings).toEqual(fromFiles.findings);
    }
    const wrong = await run('index', refs, '--db', db, '--min-span', '40');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^chartwright: .*refs\.sqlite: was built with other dedup parameters/);
  });

  it('replaces a changed document on re-indexing', async () => {
    const folder = join(dir, 'grow');
    cpSync(refs, folder, { recursive: true });
    const db = join(dir, 'grow.sqlite');
    await run('index', folder, '--db', db);
    writeFileSync(join(folder, 'well-child.txt'), 'Rewritten entirely.\n');
    writeFileSync(join(folder, 'extra.txt'), 'One more reference document.\n');
    const r = await run('index', folder, '--db', db, '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ added: 1, updated: 1, unchanged: 7, index: { documents: 9 } });
  });

  it('names the bad option or input in one line', async () => {
    const bad = await run(join(dir, 'clean.txt'), '--jaccard', '1.5');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^chartwright: --jaccard: /);
    const column = await run(join(dir, 'inputs.csv'), '--column', 'body');
    expect(column.code).toBe(1);
    expect(column.stderr.trim()).toMatch(/^chartwright: \S+inputs\.csv: has no column "body" \(it has "", "description",/);
    expect(column.stderr.trim().split('\n')).toHaveLength(1);
    const missing = await run(join(dir, 'nope.txt'));
    expect(missing.stderr.trim()).toMatch(/nope\.txt: no such file or folder$/);
    const noDb = await run('index', refs);
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toMatch(/--db: is required/);
  });
});
