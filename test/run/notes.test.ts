import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBundles, runCliAsync, tempDir, treeHashes, type CliResult } from '../support/cli.js';

const ARGS = ['generate', '--seed', '21', '--reference-date', '2025-06-01', '--quiet', '--patients', '12'];

describe('generate --notes (template writer)', () => {
  const out = tempDir();
  let r: CliResult;
  beforeAll(async () => {
    r = await runCliAsync([...ARGS, '--out', out, '--notes', '--workers', '2']);
  });

  it('runs', () => {
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('puts each note in its bundle as a US Core DocumentReference with the text inline', () => {
    let docs = 0;
    for (const b of readBundles(out)) {
      const ids = new Set(b.entry.map((e) => e.fullUrl));
      for (const e of b.entry) {
        if (e.resource.resourceType !== 'DocumentReference') continue;
        docs++;
        const d = e.resource as unknown as {
          meta: { profile: string[] };
          type: { coding: { system: string; code: string }[] };
          content: { attachment: { contentType: string; data: string } }[];
          context: { encounter: { reference: string }[] };
          author: { reference: string }[];
          subject: { reference: string };
          id: string;
        };
        expect(d.meta.profile).toEqual(['http://hl7.org/fhir/us/core/StructureDefinition/us-core-documentreference']);
        expect(d.type.coding[0]!.system).toBe('http://loinc.org');
        expect(d.content[0]!.attachment.contentType).toMatch(/^text\/plain/);
        expect(ids.has(d.context.encounter[0]!.reference)).toBe(true);
        expect(ids.has(d.author[0]!.reference)).toBe(true);
        const text = Buffer.from(d.content[0]!.attachment.data, 'base64').toString('utf8');
        const patientId = d.subject.reference.replace('urn:uuid:', '');
        expect(readFileSync(join(out, 'notes', patientId, `${d.id}.txt`), 'utf8')).toBe(text);
      }
    }
    expect(docs).toBeGreaterThan(50);
  });

  it('fails no template note on grounding and counts notes in the manifest', () => {
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m.notes.writer).toBe('template');
    expect(m.notes.kept).toBe(m.counts.resources.DocumentReference);
    // The only rejections are the memorization guard's (template boilerplate shared across patients).
    const rejected = existsSync(join(out, 'notes', 'rejected.jsonl'))
      ? readFileSync(join(out, 'notes', 'rejected.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { reasons: { code: string }[] })
      : [];
    expect(rejected).toHaveLength(m.notes.rejected);
    for (const r of rejected) expect(['memorized-overlap', 'near-duplicate']).toContain(r.reasons[0]!.code);
    expect(m.notes.dedup.counts.rejectedMemorizedOverlap + m.notes.dedup.counts.rejectedNearDuplicate).toBe(m.notes.rejected);
  });

  it('is byte-identical across worker counts', async () => {
    const one = tempDir();
    expect((await runCliAsync([...ARGS, '--out', one, '--notes', '--workers', '1'])).code).toBe(0);
    expect(treeHashes(one)).toEqual(treeHashes(out));
  });

  it('limits notes to encounters since --notes-since, and to the types asked for', async () => {
    const since = tempDir();
    expect((await runCliAsync([...ARGS, '--out', since, '--notes', 'portal-message', '--notes-since', '2024-01-01'])).code).toBe(0);
    for (const b of readBundles(since)) {
      const encounters = new Map(b.entry.filter((e) => e.resource.resourceType === 'Encounter').map((e) => [e.fullUrl, e.resource]));
      for (const e of b.entry) {
        if (e.resource.resourceType !== 'DocumentReference') continue;
        const d = e.resource as unknown as { type: { coding: { code: string }[] }; context: { encounter: { reference: string }[] } };
        expect(d.type.coding[0]!.code).toBe('34109-9');
        const enc = encounters.get(d.context.encounter[0]!.reference) as unknown as { period: { start: string } };
        expect(enc.period.start >= '2024-01-01').toBe(true);
      }
    }
    const m = JSON.parse(readFileSync(join(since, 'manifest.json'), 'utf8'));
    expect(Object.keys(m.notes.byType)).toEqual(['portal-message']);
  });

  it('rejects bad note options with exit code 2', async () => {
    expect((await runCliAsync([...ARGS, '--out', tempDir(), '--notes', 'poem'])).code).toBe(2);
    expect((await runCliAsync([...ARGS, '--out', tempDir(), '--notes-since', '2024-01-01'])).code).toBe(2);
    expect(readdirSync(out).includes('notes')).toBe(true);
  });
});
