import pLimit from 'p-limit';
import { ledgerServerKey, UploadLedger } from '../../cache/upload-ledger.js';
import type { LandedCounts } from '../../cache/upload-ledger.js';
import { AuthError, ChartwrightError, ConnectionError, InterruptedError, ServerError } from '../../errors.js';
import { tokenSource } from './auth.js';
import type { AuthConfig } from './auth.js';
import { checkServer } from './capability.js';
import type { ServerCapabilities } from './capability.js';
import { FhirServer } from './client.js';
import type { RetryEvent } from './client.js';
import { listBundleFiles, readBundle, readManifest } from './output.js';
import type { PatientBundle } from './output.js';
import { DEFAULT_RETRY_POLICY } from './retry.js';
import type { RetryPolicy } from './retry.js';
import { splitBundle } from './split.js';

/** Options of {@link uploadOutput}: the library form of `chartwright upload`. */
export interface UploadOptions {
  /** Output folder of `chartwright generate`. */
  readonly out: string;
  /** FHIR base URL of the server. */
  readonly server: string;
  readonly auth: AuthConfig;
  /** Patients in flight at once (default 4). */
  readonly concurrency?: number;
  /** Skip patients the ledger says already landed on this server with the same content. */
  readonly resume?: boolean;
  /** Read and check everything, send nothing but the CapabilityStatement request. */
  readonly dryRun?: boolean;
  /** Split patients into transactions of at most this many entries (loses per-patient atomicity). */
  readonly maxBundleEntries?: number;
  /** Per-request timeout, milliseconds (default 60 s). */
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  /** SQLite ledger file (default: `<out>.upload-ledger.sqlite`, next to the output folder). */
  readonly ledgerPath?: string;
  /** Backoff jitter source, for reproducible tests. */
  readonly random?: () => number;
  /** Stops scheduling patients and aborts requests in flight (Ctrl-C). Landed patients stay in the ledger. */
  readonly signal?: AbortSignal;
  /** Progress after each patient. */
  readonly onProgress?: (progress: UploadProgress) => void;
  /** One line per rejected patient or retry, for the user (never carries secrets). */
  readonly log?: (line: string) => void;
}

/** Progress of an upload. */
export interface UploadProgress {
  readonly done: number;
  readonly total: number;
  readonly failed: number;
}

/** A patient the server (or the input) refused; the others are unaffected. */
export interface UploadFailure {
  readonly file: string;
  readonly patientId: string | undefined;
  readonly message: string;
}

/**
 * What an upload did. Resource counts come from the transaction responses:
 * `created` — the server answered 201; `unchanged` — it answered 200 and the resource's
 * `lastModified` predates this upload (the server kept the version it had, as Chartwright's `serve`
 * and HAPI do for an identical PUT); `updated` — it answered 200 with a version written during this
 * upload (changed content, a server that versions every PUT, or a retry after a dropped connection
 * whose first attempt had already landed). A resource that an earlier patient of the same upload
 * already wrote (the shared Organization, Practitioner and Location) counts as unchanged.
 */
export interface UploadSummary {
  readonly server: string;
  readonly capabilities: ServerCapabilities;
  readonly runTag: string;
  readonly patients: { readonly total: number; readonly uploaded: number; readonly resumed: number; readonly failed: number };
  readonly resources: LandedCounts;
  /** Transactions sent (more than patients with --max-bundle-entries). */
  readonly transactions: number;
  readonly retries: number;
  readonly failures: readonly UploadFailure[];
  readonly dryRun: boolean;
  readonly wallTimeMs: number;
}

/** Default ledger file for an output folder: a sibling file, so the output folder stays as generated. */
export function defaultLedgerPath(out: string): string {
  return `${out.replace(/[/\\]+$/, '')}.upload-ledger.sqlite`;
}

/**
 * Uploads every patient bundle of `out`, one transaction per patient (or ordered parts with
 * `maxBundleEntries`), with PUT and stable ids so a rerun creates nothing new. Reads the
 * CapabilityStatement first; records each landed patient in the ledger; a patient that fails is
 * reported with the server's OperationOutcome and the others go on.
 */
export async function uploadOutput(options: UploadOptions): Promise<UploadSummary> {
  const started = Date.now();
  const manifest = await readManifest(options.out);
  const files = await listBundleFiles(options.out);
  let retries = 0;
  const log = options.log ?? (() => undefined);
  // Stops the other patients when one failure concerns them all (auth, unreachable server, a bug).
  const stopAll = new AbortController();
  let fatal: unknown;
  const signal = options.signal === undefined ? stopAll.signal : AbortSignal.any([options.signal, stopAll.signal]);
  const server = new FhirServer({
    baseUrl: options.server,
    tokens: tokenSource(options.auth, options.timeoutMs),
    retry: options.retry ?? DEFAULT_RETRY_POLICY,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.random === undefined ? {} : { random: options.random }),
    signal,
    onRetry: (event: RetryEvent) => {
      retries += 1;
      log(`retry ${event.method} ${event.path} after ${event.reason} (attempt ${event.attempt}, waiting ${event.delayMs} ms)`);
    },
  });
  const capabilities = await checkServer(server);
  const serverKey = ledgerServerKey(server.baseUrl);
  const ledger = options.dryRun === true ? undefined : new UploadLedger(options.ledgerPath ?? defaultLedgerPath(options.out));
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const failures: UploadFailure[] = [];
  let uploaded = 0;
  let resumed = 0;
  let transactions = 0;
  let done = 0;
  // Resources written by an earlier patient of this run (the shared Organization, Practitioner,
  // Location): a later 200 for them is "unchanged", whatever their lastModified says.
  const seenThisRun = new Set<string>();
  const limit = pLimit(Math.max(1, options.concurrency ?? 4));
  try {
    await Promise.allSettled(
      files.map((file) =>
        limit(async () => {
          if (aborted(signal)) return;
          let patientId: string | undefined;
          try {
            const loaded = await readBundle(file);
            patientId = loaded.patientId;
            if (ledger !== undefined && options.resume === true && ledger.hasLanded(serverKey, loaded.patientId, loaded.digest)) {
              resumed += 1;
            } else if (options.dryRun === true) {
              splitBundle(loaded.bundle, options.maxBundleEntries);
              uploaded += 1;
            } else {
              const landed = { created: 0, updated: 0, unchanged: 0 };
              for (const part of splitBundle(loaded.bundle, options.maxBundleEntries)) {
                const response = await server.request('POST', '', part, { prefer: 'return=minimal' });
                transactions += 1;
                tally(landed, part, response.body, started, seenThisRun);
              }
              ledger?.markLanded(serverKey, loaded.patientId, loaded.digest, manifest.runTag, landed);
              counts.created += landed.created;
              counts.updated += landed.updated;
              counts.unchanged += landed.unchanged;
              uploaded += 1;
            }
          } catch (error) {
            if (aborted(signal)) return;
            // Auth failures, an unreachable or unusable server and bugs are not about this patient: stop the run.
            if (!(error instanceof ChartwrightError) || error instanceof AuthError || error instanceof ConnectionError || (error instanceof ServerError && error.status === undefined)) {
              fatal ??= error;
              stopAll.abort(error);
              return;
            }
            failures.push({ file, patientId, message: error.message });
            log(patientId === undefined ? `skipped ${error.message}` : `patient ${patientId} failed: ${error.message}`);
          }
          done += 1;
          options.onProgress?.({ done, total: files.length, failed: failures.length });
        }),
      ),
    );
  } finally {
    limit.clearQueue();
    ledger?.close();
  }
  if (fatal !== undefined) throw fatal;
  if (aborted(options.signal)) throw new InterruptedError();
  return {
    server: serverKey,
    capabilities,
    runTag: manifest.runTag,
    patients: { total: files.length, uploaded, resumed, failed: failures.length },
    resources: counts,
    transactions,
    retries,
    failures,
    dryRun: options.dryRun === true,
    wallTimeMs: Date.now() - started,
  };
}

interface ResponseEntry {
  response?: { status?: string; lastModified?: string };
}

/** Adds one transaction response's entries to `counts` (see {@link UploadSummary} for the rules). */
function tally(
  counts: { created: number; updated: number; unchanged: number },
  sent: PatientBundle,
  body: unknown,
  started: number,
  seenThisRun: Set<string>,
): void {
  const entries = ((body ?? {}) as { resourceType?: string; entry?: ResponseEntry[] }).entry;
  if (entries === undefined || entries.length !== sent.entry.length) {
    throw new ServerError(`the transaction response for bundle ${sent.id} has ${entries?.length ?? 0} entries, expected ${sent.entry.length}`);
  }
  for (const [index, entry] of entries.entries()) {
    const status = entry.response?.status ?? '';
    const key = sent.entry[index]?.request.url ?? '';
    const seen = seenThisRun.has(key);
    seenThisRun.add(key);
    if (status.startsWith('201')) {
      counts.created += 1;
    } else if (status.startsWith('200')) {
      const modified = entry.response?.lastModified === undefined ? Number.NaN : Date.parse(entry.response.lastModified);
      if (!seen && !Number.isNaN(modified) && modified >= started) counts.updated += 1;
      else counts.unchanged += 1;
    } else {
      throw new ServerError(`bundle ${sent.id}: the server answered an entry with status "${status}"`);
    }
  }
}

// A function, not an inline check: TypeScript would otherwise keep a narrowing of `aborted` across awaits.
function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
