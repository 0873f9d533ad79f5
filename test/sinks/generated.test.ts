import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/serve/server.js';
import type { RunningServer } from '../../src/serve/server.js';
import { resourceCounts, serverFingerprint } from '../support/server-state.js';

type Json = Record<string, any>;
const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', '..', 'bin', 'chartwright.js');

// The 200-patient cohort, as `chartwright generate` writes it (about 900 resources a
// patient, each validated by the server); upload.test.ts covers the upload's edge cases on small
// contract-shaped bundles, and `npm run bench` measures throughput.
const PATIENTS = 200;

let dir: string;
let out: string;
let server: RunningServer;
let manifest: Json;
let firstUpload: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-generated-'));
  out = join(dir, 'out');
  await run(process.execPath, [cli, 'generate', '--patients', String(PATIENTS), '--seed', '11', '--reference-date', '2025-01-01', '--out', out]);
  manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Json;
  server = await startServer({ port: 0 });
  // The first upload is a fixture of both tests below, so neither depends on the other having run.
  firstUpload = (await run(process.execPath, [cli, 'upload', out, '--server', server.url, '--concurrency', '4'])).stdout;
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('upload what `chartwright generate` wrote', () => {
  it('loads every resource of the manifest, nothing lost or duplicated, every reference resolving on the server', async () => {
    const stdout = firstUpload;
    const bundles = (await readdir(join(out, 'fhir'))).length;
    expect(stdout).toContain(`uploaded ${bundles} of ${bundles} patients`);
    const expected = manifest.counts.resources as Record<string, number>;
    expect(await resourceCounts(server.url, Object.keys(expected))).toEqual(expected);
    expect(stdout).toMatch(new RegExp(`: ${manifest.counts.totalResources as number} resources created, 0 updated`));

    // $everything before the long synchronous scan below: the scan holds the event loop past the
    // server's 5 s keep-alive, and the pooled socket it then closes would reset this request.
    const patientFile = (await readdir(join(out, 'fhir')))[0] as string;
    const bundle = JSON.parse(await readFile(join(out, 'fhir', patientFile), 'utf8')) as Json;
    const patient = bundle.entry.find((e: Json) => e.resource.resourceType === 'Patient').resource as Json;
    const everything = (await (await fetch(`${server.url}/Patient/${patient.id as string}/$everything`)).json()) as Json;
    for (const resource of server.repository.allResources()) {
      const text = JSON.stringify(resource);
      expect(text).not.toContain('urn:uuid:');
      for (const [, type, id] of text.matchAll(/"reference":"([A-Za-z]+)\/([^"/]+)"/g)) {
        expect(server.repository.has(type as string, id as string), `${resource.resourceType}/${resource.id} -> ${type}/${id}`).toBe(true);
      }
    }
    expect(everything.entry.length).toBe(bundle.entry.length);
    // The bundle's Provenance is the patient's: it targets the Patient, so $everything finds it.
    const provenance = bundle.entry.at(-1).resource as Json;
    expect(provenance.resourceType).toBe('Provenance');
    expect(everything.entry.map((e: Json) => `${e.resource.resourceType}/${e.resource.id}`)).toContain(`Provenance/${provenance.id as string}`);
  });

  it('uploads again: zero new resources, the server unchanged', async () => {
    const before = serverFingerprint(server.repository);
    const { stdout } = await run(process.execPath, [cli, 'upload', out, '--server', server.url, '--concurrency', '4']);
    expect(stdout).toMatch(/: 0 resources created, 0 updated, \d+ unchanged/);
    expect(serverFingerprint(server.repository)).toEqual(before);
  });
});
