import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { retryAfterMs } from '../../core/retry-after.js';
import { InputError, ServerError } from '../../errors.js';
import { tokenSource } from './auth.js';
import type { AuthConfig } from './auth.js';
import { checkServer } from './capability.js';
import { FhirServer } from './client.js';
import { outcomeText } from './client.js';
import type { RetryPolicy } from './retry.js';

/** Options of {@link bulkImport}. */
export interface BulkImportOptions {
  readonly out: string;
  readonly server: string;
  readonly auth: AuthConfig;
  /** Base URL where the server can fetch `<Type>.ndjson` (the files of `OUT/ndjson`, published by you). */
  readonly source: string;
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  /** Give up polling after this long (default 1 hour). */
  readonly maxWaitMs?: number;
  readonly log?: (line: string) => void;
}

/** Result of a finished `$import`. */
export interface BulkImportResult {
  readonly files: number;
  readonly status: string;
}

/**
 * `upload --bulk`: asks the server to `$import` OUT/ndjson (FHIR Bulk Data Import, async pattern:
 * kick-off with `Prefer: respond-async`, then poll `Content-Location` until it answers 200).
 * Refused when the CapabilityStatement does not offer `import`.
 */
export async function bulkImport(options: BulkImportOptions): Promise<BulkImportResult> {
  const server = new FhirServer({
    baseUrl: options.server,
    tokens: tokenSource(options.auth, options.timeoutMs),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  const capabilities = await checkServer(server, false);
  if (!capabilities.bulkImport) {
    throw new ServerError(`${server.baseUrl} does not offer $import in its CapabilityStatement; upload without --bulk (transactions) instead`);
  }
  const dir = join(options.out, 'ndjson');
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.ndjson')).sort();
  } catch (error) {
    throw new InputError(`cannot list NDJSON files (${(error as NodeJS.ErrnoException).code ?? 'error'})`, dir, { cause: error });
  }
  if (names.length === 0) throw new InputError('no .ndjson files to import', dir);
  const source = options.source.replace(/\/+$/, '');
  const parameters = {
    resourceType: 'Parameters',
    parameter: [
      { name: 'inputFormat', valueCode: 'application/fhir+ndjson' },
      { name: 'inputSource', valueUri: source },
      { name: 'storageDetail', part: [{ name: 'type', valueCode: source.startsWith('https:') ? 'https' : 'http' }] },
      ...names.map((name) => ({
        name: 'input',
        part: [
          { name: 'type', valueCode: name.replace(/\.ndjson$/, '') },
          { name: 'url', valueUri: `${source}/${name}` },
        ],
      })),
    ],
  };
  const kickoff = await server.request('POST', '$import', parameters, { prefer: 'respond-async' });
  if (kickoff.status === 200) return { files: names.length, status: 'completed synchronously' };
  const statusUrl = kickoff.headers.get('content-location');
  if (kickoff.status !== 202 || statusUrl === null) {
    throw new ServerError(`${server.baseUrl} did not accept the $import (HTTP ${kickoff.status}, no Content-Location)`, { status: kickoff.status, retryable: false });
  }
  options.log?.(`$import accepted; polling ${statusUrl}`);
  const deadline = Date.now() + (options.maxWaitMs ?? 3_600_000);
  while (Date.now() < deadline) {
    const poll = await server.request('GET', statusUrl);
    if (poll.status === 200) {
      const problems = outcomeText(poll.body);
      return { files: names.length, status: problems === '' ? 'completed' : `completed: ${problems}` };
    }
    const wait = Math.min(retryAfterMs(poll.headers) ?? 2000, 60_000);
    options.log?.(`$import in progress${poll.headers.get('x-progress') === null ? '' : ` (${poll.headers.get('x-progress')})`}`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  throw new ServerError(`$import on ${server.baseUrl} did not finish in time; its status is at ${statusUrl}`);
}
