import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ServerError } from '../../src/errors.js';
import { deleteRun } from '../../src/sinks/fhir-server/delete.js';
import { runCliAsync } from '../support/cli.js';
import { startIntegrityServer, type IntegrityServer } from '../support/integrity-server.js';

type Json = Record<string, any>;

// `upload --delete` against a server that enforces referential integrity on delete, as HAPI FHIR
// JPA does by default, loaded with what `generate` writes: its Encounters and Conditions reference
// each other (Encounter.reasonReference, Condition.encounter), so no type-by-type order deletes them.
let dir: string;
let out: string;
let bundles: Json[];
let manifest: Json;
let server: IntegrityServer;

const bystander = { resourceType: 'Patient', id: 'not-chartwright', gender: 'unknown' };
const bystanderVisit = { resourceType: 'Encounter', id: 'not-chartwright-visit', status: 'finished', subject: { reference: 'Patient/not-chartwright' } };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-delete-integrity-'));
  out = join(dir, 'out');
  const generated = await runCliAsync(['generate', '--patients', '3', '--seed', '17', '--reference-date', '2025-06-01', '--out', out, '--quiet']);
  expect(generated.code, generated.stderr).toBe(0);
  manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Json;
  const files = (await readdir(join(out, 'fhir'))).filter((f) => f.endsWith('.json')).sort();
  bundles = await Promise.all(files.map(async (f) => JSON.parse(await readFile(join(out, 'fhir', f), 'utf8')) as Json));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  server = await startIntegrityServer();
  for (const bundle of bundles) server.putBundle(bundle);
  server.put(bystander, bystanderVisit);
});

afterEach(async () => {
  await server.close();
});

describe('upload --delete on a server that enforces referential integrity', () => {
  it('the cohort holds the Encounter ↔ Condition cycle (else this file proves nothing)', () => {
    const resources = bundles.flatMap((b) => (b.entry as Json[]).map((e) => e.resource as Json));
    const uuid = (ref: string | undefined): string | undefined => ref?.replace(/^urn:uuid:/, '');
    const conditions = new Map(resources.filter((r) => r.resourceType === 'Condition').map((c) => [c.id as string, c]));
    const cycles = resources
      .filter((r) => r.resourceType === 'Encounter')
      .filter((e) => (e.reasonReference ?? []).some((ref: Json) => uuid(conditions.get(uuid(ref.reference) ?? '')?.encounter?.reference) === e.id));
    expect(cycles.length).toBeGreaterThan(0);
  });

  it('removes every resource of the run, in pages, and leaves what is not ours', async () => {
    const lines: string[] = [];
    // Pages smaller than a patient's Encounters, so per-patient searches follow `next` links.
    const summary = await deleteRun({ out, server: server.url, auth: { kind: 'none' }, pageSize: 20, log: (l) => lines.push(l) });
    const counts = manifest.counts.resources as Record<string, number>;
    expect(summary.deleted).toEqual(counts);
    expect(summary.total).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
    expect(server.keys()).toEqual(['Encounter/not-chartwright-visit', 'Patient/not-chartwright']);
    expect(server.log.conflicts).toBe(0);
    // No search was answered from the reuse cache: each one saw what the last delete left.
    expect(server.log.reused).toBe(0);
    expect(server.log.transactions).toBeGreaterThan(0);
    expect(lines).toContain(`deleted ${counts.Condition} Condition`);
    // The Provenance references every other resource of its patient: it goes first.
    expect(counts.Provenance).toBe(manifest.counts.patients.living + manifest.counts.patients.deceased);
    expect(lines[0]).toMatch(/ Provenance$/);
  });

  it('names the run and the refusal when a resource that is not ours references one of ours', async () => {
    const patient = (bundles[0]!.entry as Json[]).find((e) => e.resource.resourceType === 'Patient')!.resource as Json;
    server.put({ resourceType: 'Observation', id: 'foreign', status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${patient.id as string}` } });
    const run = deleteRun({ out, server: server.url, auth: { kind: 'none' }, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    await expect(run).rejects.toThrow(ServerError);
    await expect(run).rejects.toThrow(new RegExp(`refused to delete \\d+ resources of \\d+ patients? of run ${manifest.runTag as string} in one transaction .*409.*Observation/foreign`));
    // All-or-nothing: the refused patient keeps its Encounters and Conditions.
    expect(server.keys()).toContain(`Patient/${patient.id as string}`);
  });
});
