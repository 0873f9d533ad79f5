import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { readBundles, readNdjson, runCliAsync, startCli, tempDir, treeHashes } from '../support/cli.js';
import { SHARED_COHORTS } from '../support/shared-cohorts.js';

const BASE = ['generate', '--seed', '42', '--reference-date', '2025-06-01', '--quiet'];

async function generateInto(out: string, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<void> {
  const r = await runCliAsync([...BASE, '--patients', '24', '--out', out, ...extra], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

describe('generate: determinism', () => {
  const reference = tempDir();
  let referenceHashes: Map<string, string>;
  beforeAll(async () => {
    await generateInto(reference, ['--workers', '1']);
    referenceHashes = treeHashes(reference);
  });

  it('writes bundles and NDJSON', () => {
    expect([...referenceHashes.keys()].some((k) => k.startsWith('fhir/'))).toBe(true);
    expect(referenceHashes.has('ndjson/Patient.ndjson')).toBe(true);
  });

  it('gives byte-identical output for the same seed and options', async () => {
    const again = tempDir();
    await generateInto(again, ['--workers', '1']);
    expect(treeHashes(again)).toEqual(referenceHashes);
  });

  it('gives the same bytes with 2 workers as with 1', async () => {
    const two = tempDir();
    await generateInto(two, ['--workers', '2']);
    expect(treeHashes(two)).toEqual(referenceHashes);
  });

  it('gives the same bytes in another time zone and locale', async () => {
    const tz = tempDir();
    await generateInto(tz, ['--workers', '1'], { TZ: 'Pacific/Kiritimati', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' });
    expect(treeHashes(tz)).toEqual(referenceHashes);
  });

  it('splits into shards whose union is the unsharded run', async () => {
    const s0 = tempDir();
    const s1 = tempDir();
    await generateInto(s0, ['--shard', '0/2', '--workers', '1']);
    await generateInto(s1, ['--shard', '1/2', '--workers', '2']);
    const bundles = new Map<string, string>();
    for (const dir of [s0, s1]) {
      for (const [k, v] of treeHashes(dir, ['ndjson', 'manifest.shard-0-of-2.json', 'manifest.shard-1-of-2.json', '.chartwright'])) {
        expect(bundles.has(k)).toBe(false);
        bundles.set(k, v);
      }
    }
    const unshardedBundles = new Map([...referenceHashes].filter(([k]) => k.startsWith('fhir/')));
    expect(bundles).toEqual(unshardedBundles);
    // NDJSON: the shards' lines together are the unsharded lines (shared providers may appear in both).
    for (const name of readdirSync(join(reference, 'ndjson'))) {
      const type = name.replace('.ndjson', '');
      const whole = new Set(readFileSync(join(reference, 'ndjson', name), 'utf8').split('\n').filter(Boolean));
      const parts = new Set<string>();
      for (const [dir, k] of [[s0, 0], [s1, 1]] as const) {
        const file = join(dir, 'ndjson', `${type}.shard-${k}-of-2.ndjson`);
        if (existsSync(file)) for (const l of readFileSync(file, 'utf8').split('\n').filter(Boolean)) parts.add(l);
      }
      expect(parts).toEqual(whole);
    }
    const m0 = JSON.parse(readFileSync(join(s0, 'manifest.shard-0-of-2.json'), 'utf8'));
    const m1 = JSON.parse(readFileSync(join(s1, 'manifest.shard-1-of-2.json'), 'utf8'));
    const m = JSON.parse(readFileSync(join(reference, 'manifest.json'), 'utf8'));
    expect(m0.counts.patients.living + m1.counts.patients.living).toBe(m.counts.patients.living);
    expect(m0.counts.resources.Observation + m1.counts.resources.Observation).toBe(m.counts.resources.Observation);
  });

  it('changes with the seed', async () => {
    const other = tempDir();
    const r = await runCliAsync(['generate', '--seed', '43', '--reference-date', '2025-06-01', '--quiet', '--patients', '24', '--out', other]);
    expect(r.code).toBe(0);
    expect(treeHashes(other)).not.toEqual(referenceHashes);
  });
});

describe('generate: output contract', () => {
  const out = tempDir();
  let bundles: ReturnType<typeof readBundles>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let manifest: any;
  beforeAll(async () => {
    await generateInto(out, ['--workers', '2']);
    bundles = readBundles(out);
    manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  });

  it('writes one transaction bundle per patient and nothing else in fhir/', () => {
    // The documented layout, and no notes/ folder when no notes were asked for.
    expect(readdirSync(out).sort()).toEqual(['.chartwright', 'fhir', 'manifest.json', 'ndjson']);
    expect(readdirSync(join(out, 'fhir')).every((n) => /^[0-9a-f-]{36}\.json$/.test(n))).toBe(true);
    expect(bundles.length).toBe(manifest.counts.patients.living + manifest.counts.patients.deceased);
    expect(manifest.counts.patients.living).toBe(24);
    for (const b of bundles) {
      expect(b.type).toBe('transaction');
      expect(b.timestamp).toBe('2025-06-01T00:00:00Z');
      const patients = b.entry.filter((e) => e.resource.resourceType === 'Patient');
      expect(patients).toHaveLength(1);
      expect(patients[0]!.resource.id).toBe(b.id);
    }
  });

  it('PUTs every entry at Type/id with a urn:uuid fullUrl', () => {
    for (const b of bundles) {
      for (const e of b.entry) {
        expect(e.request).toEqual({ method: 'PUT', url: `${e.resource.resourceType}/${e.resource.id}` });
        expect(e.fullUrl).toBe(`urn:uuid:${e.resource.id}`);
      }
    }
  });

  it('resolves every reference inside its bundle', () => {
    let checked = 0;
    for (const b of bundles) {
      const urls = new Set(b.entry.map((e) => e.fullUrl));
      const text = JSON.stringify(b.entry.map((e) => e.resource));
      for (const m of text.matchAll(/"reference":"([^"]+)"/g)) {
        expect(urls.has(m[1]!)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('tags every resource as test data of this run', () => {
    for (const b of bundles) {
      for (const e of b.entry) {
        const tags = (e.resource.meta as { tag: { system: string; code: string }[] }).tag;
        expect(tags).toContainEqual(expect.objectContaining({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'HTEST' }));
        expect(tags).toContainEqual({ system: 'https://chartwright.dev/fhir/CodeSystem/run-tag', code: manifest.runTag });
      }
    }
  });

  it('carries identical shared provider resources in every bundle that uses them', () => {
    const seen = new Map<string, string>();
    for (const b of bundles) {
      for (const e of b.entry) {
        if (!['Organization', 'Practitioner', 'Location'].includes(e.resource.resourceType)) continue;
        const json = JSON.stringify(e.resource);
        const before = seen.get(e.resource.id);
        if (before !== undefined) expect(json).toBe(before);
        seen.set(e.resource.id, json);
      }
    }
    expect(seen.size).toBeGreaterThan(0);
  });

  it('dates nothing before birth or after death or the reference date', () => {
    for (const b of bundles) {
      const patient = b.entry.find((e) => e.resource.resourceType === 'Patient')!.resource as { birthDate: string; deceasedDateTime?: string };
      const birth = patient.birthDate;
      const end = patient.deceasedDateTime ?? '2025-06-01T00:00:00Z';
      for (const e of b.entry) {
        const r = e.resource as Record<string, unknown>;
        const dates = [
          r.effectiveDateTime,
          r.occurrenceDateTime,
          r.recordedDate,
          r.onsetDateTime,
          (r.period as { start?: string; end?: string } | undefined)?.start,
          (r.period as { start?: string; end?: string } | undefined)?.end,
        ].filter((d): d is string => typeof d === 'string');
        for (const d of dates) {
          expect(d.slice(0, 10) >= birth).toBe(true);
          expect(d <= end).toBe(true);
        }
      }
    }
  });

  it('writes NDJSON with Type/id references and shared resources once', () => {
    const observations = readNdjson(out, 'Observation');
    expect(observations.length).toBe(manifest.counts.resources.Observation);
    for (const o of observations.slice(0, 200)) expect((o.subject as { reference: string }).reference).toMatch(/^Patient\/[0-9a-f-]{36}$/);
    const orgs = readNdjson(out, 'Organization').map((o) => o.id);
    expect(new Set(orgs).size).toBe(orgs.length);
    expect(readNdjson(out, 'Patient').length).toBe(bundles.length);
  });

  it('records seed, options, counts and wall time in the manifest', () => {
    expect(manifest).toMatchObject({ tool: 'chartwright', seed: 42, referenceDate: '2025-06-01' });
    expect(manifest.options.patients).toBe(24);
    expect(manifest.wallTimeMs).toBeGreaterThan(0);
    let total = 0;
    for (const b of bundles) total += b.entry.filter((e) => !['Organization', 'Practitioner', 'Location'].includes(e.resource.resourceType)).length;
    const shared = ['Organization', 'Practitioner', 'Location'].reduce((s, t) => s + (manifest.counts.resources[t] ?? 0), 0);
    expect(manifest.counts.totalResources).toBe(total + shared);
  });
});

describe('generate: options and output folder', () => {
  it.each([
    [['--patients', '0'], '--patients'],
    [['--patients', 'ten'], '--patients'],
    [['--seed', '-3'], '--seed'],
    [['--reference-date', '2025-02-30'], '--reference-date'],
    [['--age', '60-20'], '--age'],
    [['--gender', 'other'], '--gender'],
    [['--state', 'XX'], '--state'],
    [['--workers', '0'], '--workers'],
    [['--shard', '2/2'], '--shard'],
    [['--shard', 'auto'], '--shard'],
    [['--format', 'csv'], '--format'],
  ])('rejects %j with one line naming %s and exit code 2', async (args, option) => {
    const r = await runCliAsync(['generate', '--out', tempDir(), ...args], { SLURM_ARRAY_TASK_ID: '', AWS_BATCH_JOB_ARRAY_INDEX: '', JOB_COMPLETION_INDEX: '' });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toContain(option);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a non-empty folder without --force or --resume, changing nothing', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'keep.txt'), 'mine');
    const r = await runCliAsync([...BASE, '--patients', '2', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not empty/);
    expect(readdirSync(out)).toEqual(['keep.txt']);
  });

  it('replaces its own earlier output with --force', async () => {
    const out = tempDir();
    await generateInto(out, ['--workers', '1']);
    const r = await runCliAsync(['generate', '--seed', '7', '--reference-date', '2025-06-01', '--quiet', '--patients', '3', '--out', out, '--force']);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).seed).toBe(7);
    expect(readBundles(out).length).toBeLessThan(10);
  });

  it('honours --shard auto from a Kubernetes Indexed Job', async () => {
    const out = tempDir();
    const r = await runCliAsync([...BASE, '--patients', '6', '--out', out, '--shard', 'auto'], { JOB_COMPLETION_INDEX: '1', CHARTWRIGHT_SHARDS: '3' });
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'manifest.shard-1-of-3.json'), 'utf8'));
    expect(m.options.shard).toEqual({ index: 1, count: 3 });
    expect(m.counts.patients.living).toBe(2);
  });

  it('omits the deceased with --no-deceased', async () => {
    const out = tempDir();
    await generateInto(out, ['--no-deceased']);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m.counts.patients.deceased).toBe(0);
    expect(readBundles(out).every((b) => b.entry.every((e) => e.resource.resourceType !== 'Patient' || !('deceasedDateTime' in e.resource)))).toBe(true);
  });
});

describe('generate: interrupted runs', () => {
  it('leaves only whole files when killed, and --resume finishes byte-identical to a clean run', async () => {
    // The clean run is the shared 400-patient cohort (test/support/shared-cohorts.ts), hashed as generated.
    const clean = inject('sharedCohorts').clinical;
    const args = [...SHARED_COHORTS.clinical, '--workers', '2'];
    expect(clean.code).toBe(0);

    const out = tempDir();
    const child = startCli([...args, '--out', out]);
    // Kill once some bundles exist (the run is well under way), without any clean shutdown.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const dir = join(out, 'fhir');
        if (existsSync(dir) && readdirSync(dir).length >= 60) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 20);
    });
    await new Promise((resolve) => child.on('exit', resolve));
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
    for (const name of readdirSync(join(out, 'fhir'))) {
      expect(() => JSON.parse(readFileSync(join(out, 'fhir', name), 'utf8'))).not.toThrow();
    }
    expect(existsSync(join(out, 'ndjson'))).toBe(false);

    const refused = await runCliAsync([...args, '--out', out]);
    expect(refused.code).toBe(2);
    const resumed = await runCliAsync([...args, '--out', out, '--resume']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(treeHashes(out)).toEqual(new Map(Object.entries(clean.hashes)));

    const again = await runCliAsync([...args, '--out', out, '--resume']);
    expect(again.code).toBe(0);
    const mismatch = await runCliAsync(['generate', '--seed', '100', '--reference-date', '2025-06-01', '--quiet', '--patients', '400', '--out', out, '--resume']);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/other options/);
  });
});
