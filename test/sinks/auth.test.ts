import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { importSPKI, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/serve/server.js';
import type { RunningServer } from '../../src/serve/server.js';
import { uploadOutput } from '../../src/sinks/fhir-server/upload.js';
import { writeCohort } from '../support/cohort.js';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', '..', 'bin', 'chartwright.js');
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

let dir: string;
let out: string;
let fhir: RunningServer;
let tokenServer: Server;
let tokenUrl: string;
const issued: string[] = [];

/** A token endpoint: client_secret_basic for "cid:csecret", private_key_jwt verified against the test key. */
async function startTokenEndpoint(): Promise<void> {
  const key = await importSPKI(publicPem, 'RS384');
  tokenServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        const deny = (): void => {
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'invalid_client' }));
        };
        if (form.get('grant_type') !== 'client_credentials') return deny();
        const basic = req.headers.authorization;
        if (basic !== undefined) {
          if (basic !== `Basic ${Buffer.from('cid:csecret').toString('base64')}`) return deny();
          issued.push('secret');
        } else {
          if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return deny();
          try {
            await jwtVerify(form.get('client_assertion') ?? '', key, { issuer: 'backend-cid', subject: 'backend-cid', audience: tokenUrl });
          } catch {
            return deny();
          }
          issued.push('jwt');
        }
        // The first token handed to "rotating-cid" is already stale, as after a server-side revocation.
        const stale = form.get('scope') === 'rotate' && issued.filter((i) => i === 'secret').length === 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: stale ? 'revoked-token' : 'issued-token', token_type: 'bearer', expires_in: 300 }));
      })();
    });
  });
  await new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', () => resolve()));
  tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-auth-'));
  out = join(dir, 'out');
  await writeCohort(out, { patients: 3, seed: 21 });
  await startTokenEndpoint();
  fhir = await startServer({ port: 0, bearerToken: 'issued-token' });
});

afterAll(async () => {
  await fhir.close();
  tokenServer.closeAllConnections();
  await new Promise((resolve) => tokenServer.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('upload authentication', () => {
  it('OAuth client credentials with a client secret', async () => {
    const summary = await uploadOutput({
      out,
      server: fhir.url,
      auth: { kind: 'client-secret', tokenUrl, clientId: 'cid', clientSecret: 'csecret', scope: 'system/*.write' },
      ledgerPath: join(dir, 'a.sqlite'),
    });
    expect(summary.patients.uploaded).toBe(3);
    expect(issued).toContain('secret');
  });

  it('a token the server refuses (401) is fetched anew once, and the upload goes on', async () => {
    issued.length = 0;
    const summary = await uploadOutput({
      out,
      server: fhir.url,
      auth: { kind: 'client-secret', tokenUrl, clientId: 'cid', clientSecret: 'csecret', scope: 'rotate' },
      ledgerPath: join(dir, 'rotate.sqlite'),
      concurrency: 1,
    });
    expect(summary.patients.uploaded).toBe(3);
    expect(issued).toEqual(['secret', 'secret']);
  });

  it('SMART Backend Services: private_key_jwt signed with the given key (CLI)', async () => {
    const keyFile = join(dir, 'key.pem');
    await writeFile(keyFile, privatePem);
    const { stdout } = await run(process.execPath, [cli, 'upload', out, '--server', fhir.url, '--client-id', 'backend-cid', '--private-key', keyFile, '--token-url', tokenUrl, '--ledger', join(dir, 'b.sqlite')]);
    expect(stdout).toContain('uploaded 3 of 3 patients');
    expect(issued).toContain('jwt');
  });

  it('a wrong client secret is one line naming the endpoint, not the secret', async () => {
    try {
      await run(process.execPath, [cli, 'upload', out, '--server', fhir.url, '--client-id', 'cid', '--token-url', tokenUrl, '--ledger', join(dir, 'c.sqlite')], {
        env: { ...process.env, CHARTWRIGHT_CLIENT_SECRET: 'wrong-secret-value' },
      });
      expect.unreachable('upload should fail');
    } catch (error) {
      const e = error as { code: number; stderr: string };
      expect(e.code).toBe(1);
      expect(e.stderr).toContain('refused the client credentials (HTTP 401, invalid_client)');
      expect(e.stderr).not.toContain('wrong-secret-value');
    }
  });
});
