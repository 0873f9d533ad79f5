import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync, tempDir, treeHashes } from '../support/cli.js';

const ARGS = ['generate', '--seed', '21', '--reference-date', '2025-06-01', '--quiet', '--patients', '5', '--no-deceased', '--notes', 'progress-note,ed-note,portal-message'];

interface Rejected {
  patientId: string;
  attempts: number;
  reasons: { code: string; message: string; span?: { start: number; end: number }; reference?: { id: string; span?: { start: number; end: number }; jaccard?: number } }[];
}

function rejectedOf(out: string): Rejected[] {
  const path = join(out, 'notes', 'rejected.jsonl');
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Rejected) : [];
}

function noteCount(out: string): number {
  return readdirSync(join(out, 'notes'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .reduce((n, d) => n + readdirSync(join(out, 'notes', d.name)).filter((f) => f.endsWith('.txt')).length, 0);
}

describe('generate --notes with the memorization guard', () => {
  const references = tempDir();
  const guarded = tempDir();

  beforeAll(async () => {
    // The same cohort without the guard: every first draft of the guarded run is in this corpus.
    expect((await runCliAsync([...ARGS, '--out', references, '--no-dedup', '--workers', '1'])).code).toBe(0);
    // --flag-value-lists: every shared span counts, so the rewrite and reject paths are both taken
    // on so small a cohort (with value lists let through, the rewrites here all pass).
    const r = await runCliAsync([...ARGS, '--out', guarded, '--reference', references, '--flag-value-lists', '--workers', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('records the guard, its parameters and its counts in the manifest', () => {
    const m = JSON.parse(readFileSync(join(guarded, 'manifest.json'), 'utf8'));
    const d = m.notes.dedup;
    expect(d.params).toMatchObject({ jaccard: 0.8, minSpan: 50, ngram: 5, numPerm: 128, bands: 16, rows: 6, valueLists: 'flag' });
    const reachedGuard = d.counts.kept + m.notes.rejected;
    expect(d.counts.kept).toBe(m.notes.kept);
    expect(d.shares.rejected).toBeCloseTo(m.notes.rejected / reachedGuard, 4);
    expect(d.shares.flaggedAcrossPatients).toBeCloseTo(d.counts.flaggedByOtherPatient / d.counts.screened, 4);
    expect(d.references.documents).toBe(noteCount(references));
    expect(d.counts.flaggedByReference).toBeGreaterThan(0);
    expect(d.counts.rejectedMemorizedOverlap + d.counts.rejectedNearDuplicate).toBe(m.notes.rejected);
    expect(m.notes.kept).toBe(m.counts.resources.DocumentReference);
    expect(JSON.parse(readFileSync(join(references, 'manifest.json'), 'utf8')).notes.dedup).toBeNull();
    // Per-patient shares: one entry per screened patient record, bounded by the run's counts.
    const patientDirs = readdirSync(join(guarded, 'notes'), { withFileTypes: true }).filter((e) => e.isDirectory()).length;
    expect(d.perPatient.patients).toBeGreaterThanOrEqual(patientDirs);
    expect(d.counts).not.toHaveProperty('patients');
    for (const name of ['nearDuplicateWithin', 'nearDuplicateAcross', 'overlapWithin', 'overlapAcross']) {
      const s = d.perPatient[name];
      expect(s.max).toBeGreaterThanOrEqual(s.mean);
      expect(s.patientsWithAny).toBeLessThanOrEqual(d.perPatient.patients);
      expect(s.mean === 0).toBe(s.patientsWithAny === 0);
    }
    expect(d.perPatient.nearDuplicateAcross.patientsWithAny).toBeLessThanOrEqual(d.counts.nearDuplicateOfOtherPatient);
    expect(d.shares.nearDuplicateAcrossPatients).toBeCloseTo(d.counts.nearDuplicateOfOtherPatient / d.counts.screened, 4);
    expect(d.shares.nearDuplicateWithinPatient).toBeCloseTo(d.counts.keptWithinPatientNearDuplicate / d.counts.kept, 4);
  });

  it('rewrites flagged notes and rejects those still flagged, naming the reference and the span', () => {
    const rejected = rejectedOf(guarded);
    expect(rejected.length).toBeGreaterThan(0);
    for (const r of rejected) {
      expect(r.attempts).toBe(3);
      const reason = r.reasons[0]!;
      expect(['memorized-overlap', 'near-duplicate']).toContain(reason.code);
      // The reference corpus, or (a rewrite that shares the chart header's boilerplate and a template
      // passage with another patient's kept note) another patient of this run.
      const id = reason.reference!.id;
      expect(id.startsWith(join(references, 'notes')) || ((id.startsWith('notes/') || id.startsWith(join(guarded, 'notes'))) && !id.includes(r.patientId)), id).toBe(true);
      if (reason.code === 'memorized-overlap') {
        expect(reason.span!.end).toBeGreaterThan(reason.span!.start);
        const ref = readFileSync(id.startsWith('notes/') ? join(guarded, id) : id, 'utf8');
        expect(reason.reference!.span!.end).toBeLessThanOrEqual(ref.length);
      }
    }
    const m = JSON.parse(readFileSync(join(guarded, 'manifest.json'), 'utf8'));
    // Rewritten notes were kept too: a retry drew another variant that passed.
    expect(m.notes.dedup.counts.rewrittenKept).toBeGreaterThan(0);
  });

  it('keeps nothing that `chartwright dedup` flags against the references or across patients', async () => {
    const r = await runCliAsync(['dedup', guarded, '--reference', references]);
    expect(r.stdout).toMatch(/0 flagged/);
    expect(r.code).toBe(0);
  });

  it('is byte-identical with 2 workers (patients whose drafts match earlier ones are redone in index order)', async () => {
    const two = tempDir();
    expect((await runCliAsync([...ARGS, '--out', two, '--reference', references, '--flag-value-lists', '--workers', '2'])).code).toBe(0);
    expect(treeHashes(two)).toEqual(treeHashes(guarded));
  });

  it('checks workers against the references the main thread loaded and shared (a --db index too): the same notes and the same counts at 1 and 2 workers', async () => {
    const db = join(tempDir(), 'refs.sqlite');
    expect((await runCliAsync(['dedup', 'index', references, '--db', db])).code).toBe(0);
    const one = tempDir();
    const two = tempDir();
    for (const [out, workers] of [[one, '1'], [two, '2']] as const) {
      const r = await runCliAsync([...ARGS, '--out', out, '--db', db, '--workers', workers]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    expect(treeHashes(two)).toEqual(treeHashes(one));
    const dedupOf = (out: string) => JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).notes.dedup;
    expect(dedupOf(one).counts.flaggedByReference).toBeGreaterThan(0);
    expect(dedupOf(one).references.documents).toBe(noteCount(references));
    // Every count, value-list overlaps included (those with other patients' notes, which workers
    // cannot see, are left to `chartwright dedup OUT`).
    expect(dedupOf(two)).toEqual(dedupOf(one));
  });

  it('rejects guard options without --notes or with --no-dedup (exit 2)', async () => {
    const base = ['generate', '--seed', '1', '--patients', '1', '--quiet'];
    const a = await runCliAsync([...base, '--out', tempDir(), '--reference', references]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--reference: needs --notes/);
    const b = await runCliAsync([...base, '--out', tempDir(), '--notes', '--no-dedup', '--dedup-within-patient']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--dedup-within-patient: cannot be combined with --no-dedup/);
    const c = await runCliAsync([...base, '--out', tempDir(), '--notes', '--jaccard', '0']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--jaccard/);
  });
});
