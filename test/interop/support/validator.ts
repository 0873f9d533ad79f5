import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { create as createTar } from 'tar';
import { httpJson } from './http.js';
import { startConsumer, type RunningConsumer } from './jvm.mjs';
import { INTEROP_DIR, US_CORE_FOLDER } from './paths.js';

/** One issue as HAPI's validator reports it (see ValidatorServer.java). */
export interface HapiIssue {
  readonly severity: 'fatal' | 'error' | 'warning' | 'information';
  readonly location: string;
  readonly line?: number;
  readonly messageId: string | null;
  readonly message: string;
}

export interface HapiResult {
  readonly ms: number;
  readonly cpuMs: number;
  readonly issues: readonly HapiIssue[];
}

export interface HapiValidator {
  validate(json: string | Buffer): Promise<HapiResult>;
  readonly consumer: RunningConsumer;
}

/**
 * Packs an IG folder as the FHIR registry ships it (a .tgz whose files sit under `package/`):
 * NpmPackageValidationSupport reads packages only in that layout, from the classpath. The shared
 * US Core folder is the unpacked package without that level.
 */
export async function packIg(folder: string, outDir: string, name: string): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  await createTar({ gzip: true, file: join(outDir, name), cwd: folder, prefix: 'package', portable: true }, readdirSync(folder).sort());
  return outDir;
}

/**
 * Starts HAPI's validator (one JVM for the whole cohort) with R4 core and US Core 6.1.0, validating
 * with `threads` requests in parallel.
 */
export async function startHapiValidator(scratch: string, threads: number): Promise<HapiValidator> {
  const packages = await packIg(US_CORE_FOLDER, join(scratch, 'ig-packages'), 'us-core-6.1.0.tgz');
  const consumer = await startConsumer({
    interopDir: INTEROP_DIR,
    mainClass: 'dev.chartwright.interop.ValidatorServer',
    args: [String(threads), 'classpath:/us-core-6.1.0.tgz'],
    heap: '1536m',
    extraClasspath: [packages],
    logDir: scratch,
  });
  return {
    consumer,
    validate: async (json) => {
      const res = await httpJson('POST', `${consumer.url}/validate`, json);
      if (res.status !== 200) throw new Error(`HAPI validator answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
      return res.body as HapiResult;
    },
  };
}

/**
 * The class of an issue, for the README's table of what remains: HAPI's message id, refined for
 * its pass-through terminology messages by what could not be checked (a code system, or a value set
 * that includes value sets no loaded package defines).
 */
export function issueClass(issue: HapiIssue): string {
  const id = issue.messageId ?? '(no message id)';
  if (id === 'Terminology_PassThrough_TX_Message') {
    const system = /CodeSystem is unknown and can't be validated: (\S+)/.exec(issue.message);
    if (system !== null) return `${id} ${system[1]}`;
    const valueSet = /was not checked against ValueSet (\S+): it includes/.exec(issue.message);
    if (valueSet !== null) return `${id} ${valueSet[1]}`;
    const filtered = /cannot apply filters .* because CodeSystem '([^']+)' is ignored/.exec(issue.message);
    if (filtered !== null) return `${id} ${filtered[1]}`;
  }
  if (id === 'Terminology_TX_ValueSet_NotFound') {
    const valueSet = /ValueSet '([^']+)' not found/.exec(issue.message);
    if (valueSet !== null) return `${id} ${valueSet[1]}`;
  }
  return id;
}
