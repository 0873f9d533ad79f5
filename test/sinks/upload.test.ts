import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UploadLedger, ledgerServerKey } from '../../src/cache/upload-ledger.js';
import { startServer } from '../../src/serve/server.js';
import type { RunningServer } from '../../src/serve/server.js';
import { defaultLedgerPath, uploadOutput } from '../../src/sinks/fhir-server/upload.js';
import { writeCohort } from '../support/cohort.js';
import type { WrittenCohort } from '../support/cohort.js';
import { resourceCounts, serverFingerprint } from '../support/server-state.js';

type Json = Record<string, any>;
const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

let dir: string;
let out: string;
let server: RunningServer;
let cohort: WrittenCohort;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-upload-'));
  out = join(dir, 'out');
  cohort = await writeCohort(out, { patients: 200, seed: 11 });
  server = await startServer({ port: 0 });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('upload a 200-patient cohort into serve', () => {
  it('loads every resource once, with references resolved to server ids', async () => {
    const summary = await uploadOutput({ out, server: server.url, auth: { kind: 'none' }, concurrency: 8 });
    expect(summary.patients).toEqual({ total: 200, uploaded: 200, resumed: 0, failed: 0 });
    expect(summary.failures).toEqual([]);
    expect(summary.transactions).toBe(200);
    // Each patient's own 16 resources are new; the 3 shared ones are new only in the first bundle.
    expect(summary.resources.created).toBe(200 * 16 + 3);
    expect(summary.resources.updated).toBe(0);
    expect(summary.resources.unchanged).toBe(199 * 3);
    expect(await resourceCounts(server.url, Object.keys(cohort.counts))).toEqual(cohort.counts);

    for (const pid of [cohort.patientIds[0], cohort.patientIds[99], cohort.patientIds[199]] as string[]) {
      const everything = (await (await fetch(`${server.url}/Patient/${pid}/$everything`)).json()) as Json;
      const resources = everything.entry.map((e: Json) => e.resource) as Json[];
      expect(resources).toHaveLength(19);
      const text = JSON.stringify(resources);
      expect(text).not.toContain('urn:uuid:');
      for (const obs of resources.filter((r) => r.resourceType === 'Observation')) {
        expect(obs.subject.reference).toBe(`Patient/${pid}`);
        const [type, id] = (obs.encounter.reference as string).split('/');
        expect(resources.some((r) => r.resourceType === type && r.id === id)).toBe(true);
      }
    }
  });

  it('uploads again with zero new resources and reports them unchanged (CLI)', async () => {
    const before = serverFingerprint(server.repository);
    const { stdout } = await run(process.execPath, [join(root, 'bin', 'chartwright.js'), 'upload', out, '--server', server.url, '--concurrency', '8']);
    expect(stdout).toContain('uploaded 200 of 200 patients');
    expect(stdout).toContain(`0 resources created, 0 updated, ${200 * 19} unchanged`);
    expect(serverFingerprint(server.repository)).toEqual(before);
    expect(await resourceCounts(server.url, Object.keys(cohort.counts))).toEqual(cohort.counts);
  });

  it('records landed patients in the ledger next to OUT, keyed without credentials', () => {
    expect(existsSync(defaultLedgerPath(out))).toBe(true);
    const ledger = new UploadLedger(defaultLedgerPath(out));
    try {
      expect(ledger.landedCount(ledgerServerKey(server.url), cohort.runTag)).toBe(200);
    } finally {
      ledger.close();
    }
    expect(ledgerServerKey('https://user:secret@fhir.example/base/?token=abc')).toBe('https://fhir.example/base');
  });

  it('--resume skips what landed; --dry-run sends nothing', async () => {
    const resumed = await uploadOutput({ out, server: server.url, auth: { kind: 'none' }, resume: true });
    expect(resumed.patients).toMatchObject({ uploaded: 0, resumed: 200 });
    expect(resumed.transactions).toBe(0);
    const dry = await uploadOutput({ out, server: server.url, auth: { kind: 'none' }, dryRun: true });
    expect(dry.transactions).toBe(0);
    expect(dry.patients.uploaded).toBe(200);
  });

  it('--max-bundle-entries splits patients into ordered transactions with the same end state', async () => {
    const other = await startServer({ port: 0 });
    try {
      const summary = await uploadOutput({ out, server: other.url, auth: { kind: 'none' }, maxBundleEntries: 5, ledgerPath: join(dir, 'split-ledger.sqlite') });
      expect(summary.transactions).toBe(200 * 4);
      expect(summary.patients.failed).toBe(0);
      expect(serverFingerprint(other.repository)).toEqual(serverFingerprint(server.repository));
    } finally {
      await other.close();
    }
  });

  it('--delete removes everything this OUT loaded, by its run tag', async () => {
    const { stdout } = await run(process.execPath, [join(root, 'bin', 'chartwright.js'), 'upload', out, '--server', server.url, '--delete']);
    expect(stdout).toContain(`deleted ${200 * 16 + 3} resources of run ${cohort.runTag}`);
    const zero = Object.fromEntries(Object.keys(cohort.counts).map((t) => [t, 0]));
    expect(await resourceCounts(server.url, Object.keys(cohort.counts))).toEqual(zero);
    const ledger = new UploadLedger(defaultLedgerPath(out));
    try {
      expect(ledger.landedCount(ledgerServerKey(server.url), cohort.runTag)).toBe(0);
    } finally {
      ledger.close();
    }
  });
});
