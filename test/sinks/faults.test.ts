import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/serve/server.js';
import type { RunningServer } from '../../src/serve/server.js';
import { uploadOutput } from '../../src/sinks/fhir-server/upload.js';
import { writeCohort } from '../support/cohort.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { serverFingerprint } from '../support/server-state.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'bin', 'chartwright.js');
const PATIENTS = 40;

let dir: string;
let out: string;
let clean: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-faults-'));
  out = join(dir, 'out');
  await writeCohort(out, { patients: PATIENTS, seed: 5 });
  const reference = await startServer({ port: 0 });
  try {
    const summary = await uploadOutput({ out, server: reference.url, auth: { kind: 'none' }, ledgerPath: join(dir, 'clean.sqlite') });
    expect(summary.patients.uploaded).toBe(PATIENTS);
    clean = serverFingerprint(reference.repository);
  } finally {
    await reference.close();
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('upload through faults', () => {
  it('completes through dropped connections, 503 and 429 + Retry-After, with the clean end state', async () => {
    const server = await startServer({ port: 0 });
    const proxy = await startFaultProxy(server.url, {
      seed: 42,
      dropBefore: 0.08,
      dropAfter: 0.08,
      unavailable: 0.08,
      throttled: 0.06,
      retryAfterSeconds: 1,
      maxFaults: 40,
    });
    const lines: string[] = [];
    try {
      const summary = await uploadOutput({
        out,
        server: proxy.url,
        auth: { kind: 'none' },
        concurrency: 4,
        retry: { attempts: 10, baseDelayMs: 10, maxDelayMs: 2000 },
        timeoutMs: 10_000,
        random: () => 0.5,
        ledgerPath: join(dir, 'faults.sqlite'),
        log: (line) => lines.push(line),
      });
      expect(summary.patients).toEqual({ total: PATIENTS, uploaded: PATIENTS, resumed: 0, failed: 0 });
      expect(serverFingerprint(server.repository)).toEqual(clean);
      // Every kind of fault happened, and each one was retried.
      expect(proxy.faults.dropBefore).toBeGreaterThan(0);
      expect(proxy.faults.dropAfter).toBeGreaterThan(0);
      expect(proxy.faults.unavailable).toBeGreaterThan(0);
      expect(proxy.faults.throttled).toBeGreaterThan(0);
      const total = Object.values(proxy.faults).reduce((a, b) => a + b, 0);
      expect(summary.retries).toBe(total);
      // 429 waits follow the server's Retry-After (1 s), not the 10 ms backoff.
      const throttledWaits = lines.filter((l) => l.includes('after HTTP 429'));
      expect(throttledWaits).toHaveLength(proxy.faults.throttled);
      for (const line of throttledWaits) expect(line).toContain('waiting 1000 ms');
    } finally {
      await proxy.close();
      await server.close();
    }
  });

  it('killed mid-way, then --resume: the same end state, without re-sending what landed', async () => {
    const server = await startServer({ port: 0 });
    const proxy = await startFaultProxy(server.url, undefined);
    const ledger = join(dir, 'kill.sqlite');
    try {
      const child = spawn(process.execPath, [cli, 'upload', out, '--server', proxy.url, '--concurrency', '2', '--ledger', ledger], { stdio: 'ignore' });
      proxy.onForwardedPost = (count) => {
        if (count === 20) child.kill('SIGKILL');
      };
      await new Promise((resolve) => child.once('exit', resolve));
      proxy.onForwardedPost = undefined;
      const landedBefore = server.repository;
      expect(serverFingerprint(landedBefore)).not.toEqual(clean);

      const { stdout } = await run(process.execPath, [cli, 'upload', out, '--server', proxy.url, '--resume', '--ledger', ledger]);
      const match = /uploaded (\d+) of 40 patients .*\((\d+) resumed, 0 failed\)/.exec(stdout);
      expect(match).not.toBeNull();
      const [uploaded, resumed] = [Number(match?.[1]), Number(match?.[2])];
      expect(resumed).toBeGreaterThanOrEqual(18);
      expect(resumed).toBeLessThanOrEqual(20);
      expect(uploaded + resumed).toBe(PATIENTS);
      expect(serverFingerprint(server.repository)).toEqual(clean);
    } finally {
      await proxy.close();
      await server.close();
    }
  });
  it('Ctrl-C: exit 130 with progress saved, and --resume completes', async () => {
    const server = await startServer({ port: 0 });
    const proxy = await startFaultProxy(server.url, undefined);
    const ledger = join(dir, 'sigint.sqlite');
    try {
      const child = spawn(process.execPath, [cli, 'upload', out, '--server', proxy.url, '--concurrency', '2', '--ledger', ledger], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      proxy.onForwardedPost = (count) => {
        if (count === 10) child.kill('SIGINT');
      };
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      proxy.onForwardedPost = undefined;
      expect(code).toBe(130);
      expect(stderr).toContain('interrupted; progress saved, rerun with --resume to continue');
      const { stdout } = await run(process.execPath, [cli, 'upload', out, '--server', proxy.url, '--resume', '--ledger', ledger]);
      expect(stdout).toMatch(/\((\d+) resumed, 0 failed\)/);
      expect(serverFingerprint(server.repository)).toEqual(clean);
    } finally {
      await proxy.close();
      await server.close();
    }
  });
});

describe('upload: bad input and bad servers, one clear line each', () => {
  async function upload(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, [cli, 'upload', ...args], { env: { ...process.env, ...env } });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it('unreachable server', async () => {
    const closed = await startServer({ port: 0 });
    const url = closed.url;
    await closed.close();
    const { code, stderr } = await upload([out, '--server', url, '--retries', '2']);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n').at(-1)).toMatch(new RegExp(`^chartwright: cannot reach ${url} \\(ECONNREFUSED`));
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('a server that is not FHIR', async () => {
    const { createServer } = await import('node:http');
    const web = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>hello</body></html>');
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', () => resolve()));
    const port = (web.address() as { port: number }).port;
    try {
      const { code, stderr } = await upload([out, '--server', `http://127.0.0.1:${port}`, '--retries', '1']);
      expect(code).toBe(1);
      expect(stderr).toContain('is not a FHIR server');
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      web.closeAllConnections();
      await new Promise((resolve) => web.close(resolve));
    }
  });

  it('an expired token: exit 1, and the token appears nowhere', async () => {
    const server = await startServer({ port: 0, bearerToken: 'fresh-token' });
    const ledger = join(dir, 'token.sqlite');
    try {
      const { code, stdout, stderr } = await upload([out, '--server', server.url, '--ledger', ledger], { CHARTWRIGHT_TOKEN: 'stale-secret-token' });
      expect(code).toBe(1);
      expect(stderr).toContain('refused the credentials (HTTP 401');
      expect(stdout + stderr).not.toContain('stale-secret-token');
      expect((await readFile(ledger)).includes('stale-secret-token')).toBe(false);
      expect(server.repository.has('Patient', 'x')).toBe(false);
      const ok = await upload([out, '--server', server.url, '--ledger', ledger, '--token', 'fresh-token']);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain(`uploaded ${PATIENTS} of ${PATIENTS} patients`);
    } finally {
      await server.close();
    }
  });

  it('a malformed bundle and a bundle the server rejects: reported, exit 1, other patients loaded', async () => {
    const badOut = join(dir, 'bad');
    const small = await writeCohort(badOut, { patients: 6, seed: 8 });
    const { writeFile } = await import('node:fs/promises');
    const broken = join(badOut, 'fhir', `${small.patientIds[1] as string}.json`);
    await writeFile(broken, '{"resourceType":"Bundle","type":"transaction","entry":[{');
    const rejectedFile = join(badOut, 'fhir', `${small.patientIds[4] as string}.json`);
    const bundle = JSON.parse(await readFile(rejectedFile, 'utf8')) as { entry: { resource: Record<string, unknown> }[] };
    (bundle.entry[0] as { resource: Record<string, unknown> }).resource.birthDate = 'not-a-date';
    await writeFile(rejectedFile, JSON.stringify(bundle));
    const server = await startServer({ port: 0 });
    try {
      const { code, stdout, stderr } = await upload([badOut, '--server', server.url]);
      expect(code).toBe(1);
      expect(stderr).toContain(`${broken}: not valid JSON`);
      expect(stderr).toMatch(/answered HTTP 400 to POST \/: error: Invalid date format/);
      expect(stderr).toContain('2 of 6 patients failed');
      expect(stdout).toContain('uploaded 4 of 6 patients');
      expect(stderr).not.toMatch(/\n\s+at /);
      const count = (await (await fetch(`${server.url}/Patient?_summary=count`)).json()) as { total: number };
      expect(count.total).toBe(4);
      expect(server.repository.has('Patient', small.patientIds[4] as string)).toBe(false);
    } finally {
      await server.close();
    }
  });
});
