import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/serve/server.js';
import { bulkImport } from '../../src/sinks/fhir-server/bulk.js';
import { writeCohort } from '../support/cohort.js';

type Json = Record<string, any>;

let dir: string;
let out: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-bulk-'));
  out = join(dir, 'out');
  await writeCohort(out, { patients: 2, seed: 4 });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('upload --bulk ($import)', () => {
  it('kicks off $import with every NDJSON file and polls until done', async () => {
    const seen: Json[] = [];
    let polls = 0;
    const stub = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const port = (stub.address() as AddressInfo).port;
        res.setHeader('content-type', 'application/fhir+json');
        if (req.url === '/metadata') {
          res.end(JSON.stringify({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', rest: [{ mode: 'server', interaction: [{ code: 'transaction' }], operation: [{ name: 'import', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/import' }] }] }));
        } else if (req.url === '/$import' && req.method === 'POST') {
          seen.push({ prefer: req.headers.prefer, body: JSON.parse(Buffer.concat(chunks).toString()) as Json });
          res.writeHead(202, { 'content-location': `http://127.0.0.1:${port}/job/1` });
          res.end();
        } else if (req.url === '/job/1') {
          polls += 1;
          if (polls < 2) {
            res.writeHead(202, { 'retry-after': '0', 'x-progress': 'loading' });
            res.end();
          } else {
            res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', details: { text: 'imported' } }] }));
          }
        } else {
          res.writeHead(404);
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', () => resolve()));
    try {
      const url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
      const result = await bulkImport({ out, server: url, auth: { kind: 'none' }, source: 'https://files.example/ndjson/' });
      expect(result.files).toBe(6);
      expect(result.status).toBe('completed: information: imported');
      expect(polls).toBe(2);
      expect(seen[0]?.prefer).toBe('respond-async');
      const inputs = (seen[0]?.body.parameter as Json[]).filter((p) => p.name === 'input');
      const files = (await readdir(join(out, 'ndjson'))).sort();
      expect(files).toHaveLength(6);
      expect(inputs.map((p) => p.part[1].valueUri)).toEqual(files.map((f) => `https://files.example/ndjson/${f}`));
      expect(inputs.map((p) => p.part[0].valueCode)).toEqual(files.map((f) => f.replace('.ndjson', '')));
    } finally {
      stub.closeAllConnections();
      await new Promise((resolve) => stub.close(resolve));
    }
  });

  it('refuses a server whose CapabilityStatement offers no $import', async () => {
    const server = await startServer({ port: 0 });
    try {
      await expect(bulkImport({ out, server: server.url, auth: { kind: 'none' }, source: 'https://files.example/' })).rejects.toThrow(/does not offer \$import/);
    } finally {
      await server.close();
    }
  });
});
