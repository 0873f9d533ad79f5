import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preloadOutput } from '../../src/serve/preload.js';
import { SandboxRepository } from '../../src/serve/repository.js';
import { startServer } from '../../src/serve/server.js';
import type { RunningServer } from '../../src/serve/server.js';
import { loadFhirDefinitions } from '../../src/serve/definitions.js';
import { ValidationPool } from '../../src/serve/validation-pool.js';
import { writeCohort } from '../support/cohort.js';
import type { WrittenCohort } from '../support/cohort.js';

type Json = Record<string, any>;

let dir: string;
let server: RunningServer;
let cohort: WrittenCohort;

async function get(path: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${server.url}/${path}`);
  return { status: res.status, body: (await res.json()) as Json };
}

async function post(path: string, body: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${server.url}/${path}`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Json };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-serve-'));
  cohort = await writeCohort(join(dir, 'out'), { patients: 5, seed: 3 });
  loadFhirDefinitions();
  const repository = new SandboxRepository();
  const loaded = await preloadOutput(repository, join(dir, 'out'));
  expect(loaded.rejected).toEqual([]);
  server = await startServer({ port: 0, repository });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('chartwright serve: search', () => {
  it('answers /metadata with an R4 CapabilityStatement offering transactions and $everything', async () => {
    const { status, body } = await get('metadata');
    expect(status).toBe(200);
    expect(body.resourceType).toBe('CapabilityStatement');
    expect(body.fhirVersion).toBe('4.0.1');
    expect(body.rest[0].interaction.map((i: Json) => i.code)).toContain('transaction');
    const patient = body.rest[0].resource.find((r: Json) => r.type === 'Patient');
    expect(patient.operation.map((o: Json) => o.name)).toContain('everything');
  });

  it('finds clinical resources by a bare patient id, as clients write it', async () => {
    const pid = cohort.patientIds[0] as string;
    expect((await get(`Observation?patient=${pid}&_summary=count`)).body.total).toBe(12);
    expect((await get(`Observation?subject=${pid}&_summary=count`)).body.total).toBe(12);
    expect((await get(`Observation?patient=Patient/${pid}&_summary=count`)).body.total).toBe(12);
    expect((await get(`Encounter?patient=${pid}&_summary=count`)).body.total).toBe(3);
    expect((await get(`Observation?subject:Patient=${pid}&_summary=count`)).body.total).toBe(12);
  });

  it('searches Patient by name, birthdate, gender and identifier', async () => {
    expect((await get('Patient?name=given3')).body.entry.map((e: Json) => e.resource.id)).toEqual([cohort.patientIds[3]]);
    expect((await get('Patient?gender=female&_summary=count')).body.total).toBe(3);
    expect((await get('Patient?identifier=https://chartwright.dev/fhir/sid/mrn|MRN000002')).body.entry[0].resource.id).toBe(cohort.patientIds[2]);
    const bornIn = (await get('Patient?birthdate=1941-02-11')).body;
    expect(bornIn.entry.map((e: Json) => e.resource.id)).toEqual([cohort.patientIds[1]]);
  });

  it('searches observations by code, category and date', async () => {
    const pid = cohort.patientIds[0] as string;
    expect((await get(`Observation?patient=${pid}&code=http://loinc.org|8867-4&_summary=count`)).body.total).toBe(6);
    expect((await get(`Observation?patient=${pid}&category=vital-signs&_summary=count`)).body.total).toBe(12);
    expect((await get(`Observation?patient=${pid}&date=ge2016-01-01&_summary=count`)).body.total).toBe(8);
  });

  it('pages with _count and a next link, and _summary=count returns only the total', async () => {
    const first = (await get('Observation?_count=25')).body;
    expect(first.total).toBe(60);
    expect(first.entry).toHaveLength(25);
    const next = first.link.find((l: Json) => l.relation === 'next').url as string;
    const second = (await (await fetch(next)).json()) as Json;
    expect(second.entry).toHaveLength(25);
    const ids = new Set([...first.entry, ...second.entry].map((e: Json) => e.resource.id));
    expect(ids.size).toBe(50);
    const summary = (await get('Observation?_summary=count')).body;
    expect(summary).toEqual({ resourceType: 'Bundle', type: 'searchset', total: 60 });
  });

  it('honours _revinclude and _include', async () => {
    const pid = cohort.patientIds[1] as string;
    const rev = (await get(`Patient?_id=${pid}&_revinclude=Observation:patient&_revinclude=Encounter:patient`)).body;
    const modes = rev.entry.map((e: Json) => `${e.resource.resourceType}:${e.search.mode}`);
    expect(modes.filter((m: string) => m === 'Patient:match')).toHaveLength(1);
    expect(modes.filter((m: string) => m === 'Observation:include')).toHaveLength(12);
    expect(modes.filter((m: string) => m === 'Encounter:include')).toHaveLength(3);
    const two = (await get(`Patient?_id=${pid},${cohort.patientIds[2] as string}&_revinclude=Observation:subject`)).body;
    expect(two.entry.filter((e: Json) => e.search.mode === 'include')).toHaveLength(24);
    const inc = (await get(`Observation?patient=${pid}&_count=2&_include=Observation:patient`)).body;
    expect(inc.entry.filter((e: Json) => e.search.mode === 'include').map((e: Json) => e.resource.id)).toEqual([pid]);
  });

  it('answers Patient/$everything with the compartment and what it references', async () => {
    const pid = cohort.patientIds[2] as string;
    const { status, body } = await get(`Patient/${pid}/$everything`);
    expect(status).toBe(200);
    const types = body.entry.map((e: Json) => e.resource.resourceType).sort();
    expect(types.filter((t: string) => t === 'Observation')).toHaveLength(12);
    expect(types.filter((t: string) => t === 'Encounter')).toHaveLength(3);
    expect(types).toEqual(expect.arrayContaining(['Patient', 'Organization', 'Practitioner', 'Location']));
    expect(body.entry.filter((e: Json) => e.resource.resourceType === 'Patient')).toHaveLength(1);
    expect((await get('Patient/no-such-patient/$everything')).status).toBe(404);
  });

  it('reads, vreads and keeps history; an identical PUT keeps the version', async () => {
    const pid = cohort.patientIds[0] as string;
    const read = (await get(`Patient/${pid}`)).body;
    const version = read.meta.versionId as string;
    const again = await fetch(`${server.url}/Patient/${pid}`, { method: 'PUT', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(read) });
    expect(again.status).toBe(200);
    expect(((await again.json()) as Json).meta.versionId).toBe(version);
    expect((await get(`Patient/${pid}/_history/${version}`)).body.id).toBe(pid);
    const changed = await fetch(`${server.url}/Patient/${pid}`, { method: 'PUT', body: JSON.stringify({ ...read, active: true }) });
    expect(changed.status).toBe(200);
    const history = (await get(`Patient/${pid}/_history`)).body;
    expect(history.entry).toHaveLength(2);
    expect(history.entry[1].resource.meta.versionId).toBe(version);
  });
});

describe('chartwright serve: transactions and batches', () => {
  it('rewrites urn:uuid references to server ids, for POST (new ids) and PUT entries', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:aaaaaaaa-0000-4000-8000-000000000001', resource: { resourceType: 'Patient', name: [{ family: 'Posted' }] }, request: { method: 'POST', url: 'Patient' } },
        {
          fullUrl: 'urn:uuid:aaaaaaaa-0000-4000-8000-000000000002',
          resource: { resourceType: 'Observation', id: 'obs-put-1', status: 'final', code: { text: 'x' }, subject: { reference: 'urn:uuid:aaaaaaaa-0000-4000-8000-000000000001' } },
          request: { method: 'PUT', url: 'Observation/obs-put-1' },
        },
      ],
    };
    const { status, body } = await post('', bundle);
    expect(status).toBe(200);
    expect(body.type).toBe('transaction-response');
    expect(body.entry.map((e: Json) => e.response.status)).toEqual(['201 Created', '201 Created']);
    const patientRef = (body.entry[0].response.location as string).split('/_history')[0];
    expect(patientRef).toMatch(/^Patient\/[0-9a-f-]{36}$/);
    const obs = (await get('Observation/obs-put-1')).body;
    expect(obs.subject.reference).toBe(patientRef);
  });

  it('rejects a transaction holding one invalid entry whole: nothing of it is written', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:bbbbbbbb-0000-4000-8000-000000000001', resource: { resourceType: 'Patient', id: 'tx-good', gender: 'female' }, request: { method: 'PUT', url: 'Patient/tx-good' } },
        { fullUrl: 'urn:uuid:bbbbbbbb-0000-4000-8000-000000000002', resource: { resourceType: 'Observation', id: 'tx-bad', status: 'final', notAField: 1 }, request: { method: 'PUT', url: 'Observation/tx-bad' } },
      ],
    };
    const { status, body } = await post('', bundle);
    expect(status).toBe(400);
    expect(body.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(body.issue)).toContain('Bundle.entry[1]');
    expect((await get('Patient/tx-good')).status).toBe(404);
    expect((await get('Observation/tx-bad')).status).toBe(404);
  });

  it('answers an invalid write with the issue shape validate writes (issue-type code, message, FHIRPath location)', async () => {
    const res = await fetch(`${server.url}/Patient/shape-1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Patient', id: 'shape-1', birthDate: 'yesterday' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Json;
    expect(body.resourceType).toBe('OperationOutcome');
    const issue = (body.issue as Json[]).find((i) => JSON.stringify(i.expression ?? []).includes('birthDate'));
    expect(issue, JSON.stringify(body)).toBeDefined();
    expect(issue!.severity).toBe('error');
    expect(['structure', 'invariant', 'processing', 'code-invalid', 'invalid']).toContain(issue!.code);
    expect(typeof (issue!.details as Json).text).toBe('string');
    expect((await get('Patient/shape-1')).status).toBe(404);
  });

  it('rolls back earlier writes when a later entry fails and leaves existing resources as they were', async () => {
    const pid = cohort.patientIds[4] as string;
    const before = (await get(`Patient/${pid}`)).body;
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { ...before, active: false, meta: undefined }, request: { method: 'PUT', url: `Patient/${pid}` } },
        { resource: { resourceType: 'Observation', id: 'dangling', status: 'final', code: { text: 'x' }, subject: { reference: 'urn:uuid:cccccccc-0000-4000-8000-000000000000' } }, request: { method: 'PUT', url: 'Observation/dangling' } },
      ],
    };
    expect((await post('', bundle)).status).toBe(400);
    const after = (await get(`Patient/${pid}`)).body;
    expect(after).toEqual(before);
    expect((await get(`Patient/${pid}/_history`)).body.entry).toHaveLength(1);
  });

  it('processes batch entries independently', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: { resourceType: 'Patient', id: 'batch-ok' }, request: { method: 'PUT', url: 'Patient/batch-ok' } },
        { resource: { resourceType: 'Patient', id: 'batch-bad', birthDate: 'yesterday' }, request: { method: 'PUT', url: 'Patient/batch-bad' } },
        { request: { method: 'GET', url: `Patient?_id=batch-ok` } },
      ],
    };
    const { status, body } = await post('', bundle);
    expect(status).toBe(200);
    expect(body.entry[0].response.status).toBe('201 Created');
    expect(body.entry[1].response.status).toBe('400');
    expect(body.entry[2].resource.total).toBe(1);
    expect((await get('Patient/batch-ok')).status).toBe(200);
    expect((await get('Patient/batch-bad')).status).toBe(404);
  });
});

describe('chartwright serve: validation on worker threads', () => {
  it('accepts valid transactions and rejects an invalid one whole, as inline validation does', async () => {
    const pool = new ValidationPool(1);
    const pooled = await startServer({ port: 0, validator: pool.validate });
    try {
      const entry = (resource: Json) => ({ resource, request: { method: 'PUT', url: `${resource.resourceType as string}/${resource.id as string}` } });
      const ok = await fetch(pooled.url, { method: 'POST', body: JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [entry({ resourceType: 'Patient', id: 'w1', gender: 'male' })] }) });
      expect(ok.status).toBe(200);
      const bad = await fetch(pooled.url, {
        method: 'POST',
        body: JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [entry({ resourceType: 'Patient', id: 'w2' }), entry({ resourceType: 'Patient', id: 'w3', birthDate: 'soon' })] }),
      });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toContain('Bundle.entry[1]');
      expect(pooled.repository.has('Patient', 'w1')).toBe(true);
      expect(pooled.repository.has('Patient', 'w2')).toBe(false);
    } finally {
      await pooled.close();
      await pool.close();
    }
  });
});

describe('chartwright serve (CLI)', () => {
  it('serves an output folder on 127.0.0.1 and stops on SIGTERM', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const child = spawn(process.execPath, [join(root, 'bin', 'chartwright.js'), 'serve', '--data', join(dir, 'out'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          const match = /FHIR R4 at (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
          if (match?.[1] !== undefined) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
      });
      const count = (await (await fetch(`${url}/Patient?_summary=count`)).json()) as Json;
      expect(count.total).toBe(5);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  });
});
