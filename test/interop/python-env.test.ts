import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { bundleFiles, readBundle } from './support/cohort.js';
import { ROOT } from './support/paths.js';
import { runPython } from './support/python.js';

/** The venv's NLP consumers install from requirements.txt and work on what we write. */
describe('Python venv of the interop tier', () => {
  it('imports spaCy, datasets, lxml, conllu, seqeval and datasketch, and each reads a generated note', async () => {
    const cohort = inject('interopCohort');
    const note = bundleFiles(cohort)
      .map(readBundle)
      .flatMap((b) => b.entry)
      .map((e) => e.resource as { resourceType: string; content?: { attachment?: { contentType?: string; data?: string } }[] })
      .find((r) => r.resourceType === 'DocumentReference' && r.content?.[0]?.attachment?.data !== undefined);
    expect(note).toBeDefined();
    const text = Buffer.from(note!.content![0]!.attachment!.data!, 'base64').toString('utf8');
    const file = join(inject('interopScratch'), 'note.txt');
    writeFileSync(file, text);
    const result = await runPython(join(ROOT, 'test', 'interop', 'python', 'smoke.py'), [file]);
    expect(result.stderr.split('\n').filter((l) => /Error|Traceback/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as Record<string, unknown> & { versions: Record<string, string> };
    const pinned = Object.fromEntries(
      readFileSync(join(ROOT, 'test', 'interop', 'python', 'requirements.txt'), 'utf8')
        .split('\n')
        .filter((l) => /^[A-Za-z].*==/.test(l))
        .map((l) => l.split('==') as [string, string]),
    );
    expect(out.versions.spacy).toBe(pinned.spacy);
    expect(out.versions.datasets).toBe(pinned.datasets);
    expect(out.versions.lxml).toBe(pinned.lxml);
    expect(out.spacy_tokens).toBeGreaterThan(20);
    expect(out.lxml_chars).toBe(text.length);
    expect(out.datasets_rows).toBe(1);
    expect(out.conllu_tokens).toBe(20);
    expect(out.seqeval_f1).toBe(1);
    expect(out.datasketch_jaccard).toBe(1);
  });
});
