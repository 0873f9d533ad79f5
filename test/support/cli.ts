import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'chartwright.js');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the compiled CLI without blocking the test worker (a long synchronous spawn starves
 * vitest's worker RPC). Prefer this to {@link runCli} for anything but quick calls.
 */
export function runCliAsync(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs the compiled CLI synchronously (tests' global setup builds dist/); for quick calls only. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the CLI without waiting (for kill-and-resume tests). */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
}

export function tempDir(prefix = 'chartwright-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Every file below `dir` (relative path -> sha256), skipping the given top-level names. */
export function treeHashes(dir: string, skip: readonly string[] = ['manifest.json', '.chartwright']): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const rel = relative(dir, path);
      if (skip.includes(rel)) continue;
      if (statSync(path).isDirectory()) walk(path);
      else out.set(rel, createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

export interface BundleEntry {
  fullUrl: string;
  resource: Record<string, unknown> & { resourceType: string; id: string };
  request: { method: string; url: string };
}

export interface Bundle {
  resourceType: 'Bundle';
  id: string;
  type: string;
  timestamp: string;
  meta: { tag: { system: string; code: string }[] };
  entry: BundleEntry[];
}

export function readBundles(out: string): Bundle[] {
  const dir = join(out, 'fhir');
  return readdirSync(dir)
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Bundle);
}

export function readNdjson(out: string, type: string): Record<string, unknown>[] {
  const text = readFileSync(join(out, 'ndjson', `${type}.ndjson`), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
