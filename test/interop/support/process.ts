import { spawn } from 'node:child_process';
import type { SpawnOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion without blocking the event loop; never throws for a non-zero exit. */
export function run(command: string, args: readonly string[], options: SpawnOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Like {@link run}, but a non-zero exit is an error carrying the command's last output lines. */
export async function runOrThrow(what: string, command: string, args: readonly string[], options: SpawnOptions = {}): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${what} failed (${command} exited with ${result.code}):\n${tail}`);
  }
  return result;
}

/** sha256 over files and folders (recursively, sorted) and extra strings: an install's identity. */
export function digestOf(paths: readonly string[], extra: readonly string[] = []): string {
  const hash = createHash('sha256');
  const add = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) add(join(path, name));
    } else {
      hash.update(path).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  for (const path of paths) add(path);
  for (const value of extra) hash.update(value).update('\0');
  return hash.digest('hex');
}

/** Whether `stampFile` records `digest` (the install it stamps is complete and current). */
export function stampMatches(stampFile: string, digest: string): boolean {
  return existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === digest;
}

export function writeStamp(stampFile: string, digest: string): void {
  writeFileSync(stampFile, `${digest}\n`);
}
