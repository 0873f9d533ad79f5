import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bundleFiles, patientOf, readBundle, readManifest } from './support/cohort.js';
import { getJson, httpJson } from './support/http.js';
import { startConsumer, type RunningConsumer } from './support/jvm.mjs';
import { runCliAsync as cli } from '../support/cli.js';
import { INTEROP_DIR } from './support/paths.js';

/**
 * A HAPI FHIR JPA server (HAPI's JPA configuration for R4, embedded H2, Spring Boot; see
 * test/interop/java) loaded with `chartwright upload`, as a sandbox user would load it.
 */
const cohort = inject('interopJpaCohort');
const scratch = inject('interopScratch');
const RUN_TAG = 'https://chartwright.dev/fhir/CodeSystem/run-tag';
let hapi: RunningConsumer;
let base: string;

interface SearchBundle {
  total?: number;
  link?: { relation: string; url: string }[];
  entry?: { resource?: { resourceType: string; id: string; meta?: { versionId?: string } } }[];
}

/** Every resource a search finds, following `next` links (HAPI pages through its database). */
async function searchAll(url: string): Promise<NonNullable<SearchBundle['entry']>> {
  const found: NonNullable<SearchBundle['entry']> = [];
  let next: string | undefined = url;
  for (let page = 0; next !== undefined; page += 1) {
    if (page > 10_000) throw new Error(`${url}: more than 10,000 pages`);
    const bundle: SearchBundle = await getJson<SearchBundle>(next);
    found.push(...(bundle.entry ?? []));
    next = bundle.link?.find((l) => l.relation === 'next')?.url;
  }
  return found;
}

/** The server's CPU so far, per step, on stderr: the README's cost figures come from these lines. */
function cpuSoFar(step: string): void {
  process.stderr.write(`interop: HAPI JPA server at ${hapi.cpuSeconds().toFixed(0)} CPU s after ${step}\n`);
}

const key = (r: { resourceType: string; id: string }): string => `${r.resourceType}/${r.id}`;
const tagged = (runTag: string): string => `_tag=${encodeURIComponent(`${RUN_TAG}|${runTag}`)}`;

/** What the cohort's bundles hold, as `Type/id` (shared providers once). */
function cohortKeys(): Set<string> {
  const keys = new Set<string>();
  for (const file of bundleFiles(cohort)) for (const e of readBundle(file).entry) keys.add(key(e.resource));
  return keys;
}

/** Resources carrying the run tag on the server, as `Type/id` → versionId. */
async function taggedOnServer(runTag: string, types: readonly string[]): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  for (const type of types) {
    for (const e of await searchAll(`${base}/${type}?${tagged(runTag)}&_count=1000&_elements=id`)) {
      if (e.resource !== undefined) out.set(key(e.resource), e.resource.meta?.versionId);
    }
  }
  return out;
}

beforeAll(async () => {
  const db = join(scratch, 'hapi-h2');
  mkdirSync(db, { recursive: true });
  hapi = await startConsumer({ interopDir: INTEROP_DIR, mainClass: 'dev.chartwright.interop.JpaServerApp', args: [db], heap: '1536m', logDir: scratch });
  base = hapi.url;
});

afterAll(async () => {
  if (hapi !== undefined) process.stderr.write(`interop: the HAPI JPA server used ${hapi.cpuSeconds().toFixed(0)} CPU s (start-up included)\n`);
  await hapi?.stop();
});

describe('HAPI FHIR JPA server loaded by chartwright upload', () => {
  const manifest = readManifest(cohort);
  const types = Object.keys(manifest.counts.resources).sort();
  // A patient that is not ours: `_tag` and `--delete` must leave it alone.
  const bystander = { resourceType: 'Patient', id: 'not-chartwright', name: [{ family: 'Bystander' }], gender: 'unknown' };

  it('lands every resource of the cohort: counts per type equal the manifest', async () => {
    expect((await httpJson('PUT', `${base}/Patient/${bystander.id}`, JSON.stringify(bystander))).status).toBe(201);
    const first = await cli(['upload', cohort, '--server', base, '--concurrency', '2', '--timeout', '900', '--ledger', join(scratch, 'ledger-1.sqlite')]);
    expect(first.stderr + first.stdout).toMatch(/0 failed/);
    expect(first.code).toBe(0);
    cpuSoFar(`the first upload (${Object.values(manifest.counts.resources).reduce((a, b) => a + b, 0)} resources)`);
    const counts: Record<string, number> = {};
    for (const type of types) {
      counts[type] = (await getJson<SearchBundle>(`${base}/${type}?${tagged(manifest.runTag)}&_summary=count`)).total ?? -1;
    }
    expect(counts).toEqual(manifest.counts.resources);
    // HAPI's id lookups went through our statement inspector (IdListRewriter): without it H2 scans
    // every stored resource per transaction, and this load would not fit the CI budget.
    expect(readFileSync(hapi.logFile, 'utf8')).toMatch(/chartwright: row-value IN rewrite: first statement rewritten, \d+ \(type, id\) pairs/);
  });

  it('finds by _tag exactly what was loaded, and a second upload creates nothing and keeps every version', async () => {
    const expected = cohortKeys();
    const second = await cli(['upload', cohort, '--server', base, '--concurrency', '2', '--timeout', '900', '--ledger', join(scratch, 'ledger-2.sqlite')]);
    expect(second.code).toBe(0);
    cpuSoFar('the second upload');
    expect(expected.size).toBe(Object.values(manifest.counts.resources).reduce((a, b) => a + b, 0));
    expect(second.stdout + second.stderr).toMatch(/: 0 resources created, 0 updated, \d+ unchanged/);
    const onServer = await taggedOnServer(manifest.runTag, types);
    expect([...onServer.keys()].sort()).toEqual([...expected].sort());
    expect([...onServer.entries()].filter(([, version]) => version !== '1')).toEqual([]);
    expect(onServer.has(`Patient/${bystander.id}`)).toBe(false);
  });

  it("returns each patient's whole bundle from Patient/{id}/$everything", async () => {
    const missing: string[] = [];
    const extra: string[] = [];
    for (const file of bundleFiles(cohort)) {
      const bundle = readBundle(file);
      const id = patientOf(bundle).resource.id;
      const got = new Set((await searchAll(`${base}/Patient/${id}/$everything?_count=1000`)).flatMap((e) => (e.resource === undefined ? [] : [key(e.resource)])));
      const want = new Set(bundle.entry.map((e) => key(e.resource)));
      for (const k of want) if (!got.has(k)) missing.push(`${id}: ${k}`);
      for (const k of got) if (!want.has(k)) extra.push(`${id}: ${k}`);
    }
    cpuSoFar('$everything of every patient');
    // Its search went through EverythingJoinRewriter: without it H2 scans every stored resource per patient.
    expect(readFileSync(hapi.logFile, 'utf8')).toContain('chartwright: $everything join rewrite: first statement rewritten');
    expect({ missing: missing.slice(0, 20), extra: extra.slice(0, 20) }).toEqual({ missing: [], extra: [] });
  });

  it('removes everything it loaded with upload --delete, and nothing else', async () => {
    const removed = await cli(['upload', cohort, '--server', base, '--delete', '--timeout', '900', '--ledger', join(scratch, 'ledger-1.sqlite')]);
    expect(removed.code, removed.stderr).toBe(0);
    cpuSoFar('upload --delete');
    const total = Object.values(manifest.counts.resources).reduce((a, b) => a + b, 0);
    expect(removed.stdout).toContain(`deleted ${total} resources of run ${manifest.runTag}`);
    for (const type of types) {
      expect((await getJson<SearchBundle>(`${base}/${type}?${tagged(manifest.runTag)}&_summary=count`)).total, type).toBe(0);
    }
    expect((await httpJson('GET', `${base}/Patient/${bystander.id}`)).status).toBe(200);
  });
});
