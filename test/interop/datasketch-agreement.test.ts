/**
 * Interop tier: datasketch (Python), with its default scheme and permutations, Chartwright's shingle
 * hash and the same bands and rows, computes the same signatures and finds the same LSH candidate
 * pairs on the same texts, and both sides' documents per second are printed side by side. Runs with
 * the tier's venv Python (datasketch, numpy and mmh3 pinned in requirements.txt), which global setup
 * builds and provides. Contract: test/interop/python/README.md.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { MemoryIndex } from '../../src/dedup/memory-index.js';
import { createSigner, prepareText, type DedupDocument } from '../../src/dedup/prepared-text.js';
import { resolveDedupParams } from '../../src/dedup/settings.js';
import { editText, prng, referenceDocuments, templateNotes } from '../dedup/support.js';

const SCRIPT = fileURLToPath(new URL('./python/datasketch_agreement.py', import.meta.url));

interface Answer {
  datasketch: string;
  scheme: string;
  permutations: { a: number[]; b: number[] };
  signatures: Record<string, number[]>;
  candidatePairs: [string, string][];
  seconds: number;
  documentsPerSecond: number;
}

describe('datasketch agreement', () => {
  it('computes identical signatures and the same candidate pairs', async () => {
    const params = resolveDedupParams({});
    const signer = createSigner(params);
    const random = prng(99);
    const base = [...referenceDocuments(), ...(await templateNotes(9, 0, 10, 8))];
    const docs: DedupDocument[] = [...base];
    // Edited copies put pairs all along the S-curve, so candidates are neither all nor none.
    for (const d of base) for (const rate of [0.01, 0.04, 0.08]) docs.push({ id: `${d.id}@${rate}`, text: editText(d.text, rate, random) });

    // Chartwright: sign, index, query (timed as the Python side times its own).
    const started = performance.now();
    const index = new MemoryIndex(signer);
    const prepared = docs.map((d) => prepareText(d.text, d.names, signer));
    docs.forEach((d, i) => index.add(d, prepared[i]!));
    const pairs = new Set<string>();
    docs.forEach((d, i) => {
      for (const o of index.candidates(prepared[i]!.bandKeys)) if (o !== i) pairs.add(o < i ? `${docs[o]!.id}\n${d.id}` : `${d.id}\n${docs[o]!.id}`);
    });
    const ourSeconds = (performance.now() - started) / 1000;

    const input = join(inject('interopScratch'), 'datasketch-request.json');
    writeFileSync(
      input,
      JSON.stringify({
        ngram: params.ngram,
        numPerm: params.numPerm,
        bands: params.bands,
        rows: params.rows,
        seed: params.seed,
        documents: docs.map((d, i) => ({ id: d.id, tokens: prepared[i]!.normalized.tokens })),
      }),
    );
    const run = spawnSync(inject('interopPython'), [SCRIPT, input], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const answer = JSON.parse(run.stdout) as Answer;

    // datasketch's own permutations for the seed are Chartwright's.
    expect(answer.scheme).toBe('affine32');
    expect(answer.permutations).toEqual({ a: [...signer.permutations.a], b: [...signer.permutations.b] });
    docs.forEach((d, i) => expect(answer.signatures[d.id], d.id).toEqual([...prepared[i]!.signature]));
    const theirs = new Set(answer.candidatePairs.map(([a, b]) => `${a}\n${b}`));
    expect(pairs.size).toBeGreaterThan(50);
    expect(theirs).toEqual(pairs);
    process.stderr.write(
      `interop: datasketch ${answer.datasketch}: ${docs.length} documents, ${pairs.size} candidate pairs on both sides; ` +
        `Chartwright ${Math.round(docs.length / ourSeconds)} docs/s, datasketch ${Math.round(answer.documentsPerSecond)} docs/s (sign + index + query, one thread)\n`,
    );
  });
});
