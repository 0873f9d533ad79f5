import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

/** The compiled modules: generate's worker threads run dist/run/worker.js, so the pool must too. */
async function dist<T>(path: string): Promise<T> {
  return (await import(join(ROOT, 'dist', path))) as T;
}

interface DistErrors {
  InputError: new (...args: never[]) => Error;
  exitCodeFor(error: unknown): number;
  toUserMessage(error: unknown): string;
}

describe("generate's worker pool", () => {
  it('hands a failure on a worker thread back as the same subclass, with its fields', async () => {
    const { runOrdered } = await dist<{ runOrdered: (options: unknown, from: number, to: number, consume: () => void) => Promise<void> }>('run/pool.js');
    const errors = await dist<DistErrors>('errors.js');
    const scratch = mkdtempSync(join(tmpdir(), 'chartwright-worker-errors-'));
    // Each worker builds its Producer first; an IG path that does not exist fails there, on the worker.
    const init = {
      settings: { spec: {}, includeDeceased: false, window: { kind: 'all' }, writeFhir: true, writeNdjson: false, notes: undefined, validate: { igPaths: ['/nonexistent/ig'] } },
      fhirDir: join(scratch, 'fhir'),
      notesDir: join(scratch, 'notes'),
      tmpDir: scratch,
    };
    const inline = (): Promise<never> => Promise.reject(new Error('not used with two workers'));
    const error = await runOrdered({ workers: 2, init, inline, indexAt: (p: number) => p }, 0, 4, () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errors.InputError);
    expect(error).toMatchObject({ code: 'INPUT_INVALID', file: '/nonexistent/ig', message: '/nonexistent/ig: IG package not found' });
    expect(String((error as Error).stack)).toContain('InputError');
    expect(errors.exitCodeFor(error)).toBe(1);
    expect(errors.toUserMessage(error)).toBe('chartwright: /nonexistent/ig: IG package not found');
  });
});
