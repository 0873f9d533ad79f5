import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { InputError, InterruptedError, OptionError, UploadIncompleteError } from '../../errors.js';
import type { AuthConfig } from '../../sinks/fhir-server/auth.js';
import { bulkImport } from '../../sinks/fhir-server/bulk.js';
import { deleteRun } from '../../sinks/fhir-server/delete.js';
import { DEFAULT_RETRY_POLICY } from '../../sinks/fhir-server/retry.js';
import { uploadOutput } from '../../sinks/fhir-server/upload.js';
import type { UploadSummary } from '../../sinks/fhir-server/upload.js';

interface UploadFlags {
  readonly server?: string;
  readonly token?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly privateKey?: string;
  readonly keyId?: string;
  readonly tokenUrl?: string;
  readonly scope: string;
  readonly concurrency: string;
  readonly resume?: boolean;
  readonly dryRun?: boolean;
  readonly maxBundleEntries?: string;
  readonly timeout: string;
  readonly retries: string;
  readonly ledger?: string;
  readonly delete?: boolean;
  readonly bulk?: boolean;
  readonly bulkSource?: string;
  readonly verbose?: boolean;
}

export function registerUpload(program: Command): void {
  program
    .command('upload')
    .description('load an output folder into a FHIR R4 server: one transaction per patient, idempotent, resumable')
    .argument('<OUT>', 'output folder of `chartwright generate`')
    .option('--server <URL>', 'FHIR base URL (e.g. http://127.0.0.1:8080)')
    .option('--token <T>', 'bearer token (or set CHARTWRIGHT_TOKEN, which keeps it out of the process list)')
    .option('--client-id <ID>', 'OAuth client id (client credentials / SMART Backend Services)')
    .option('--client-secret <S>', 'OAuth client secret (or set CHARTWRIGHT_CLIENT_SECRET)')
    .option('--private-key <KEY.pem>', 'PKCS#8 PEM private key for SMART Backend Services (private_key_jwt)')
    .option('--key-id <KID>', 'kid of the private key as registered with the server')
    .option('--token-url <URL>', 'OAuth token endpoint')
    .option('--scope <SCOPE>', 'OAuth scope requested', 'system/*.read system/*.write')
    .option('--concurrency <N>', 'patients in flight at once', '4')
    .option('--resume', 'skip patients the ledger says already landed on this server')
    .option('--dry-run', 'read the CapabilityStatement and check every bundle, send nothing')
    .option('--max-bundle-entries <N>', 'split patients into transactions of at most N entries (per-patient atomicity is then lost)')
    .option('--timeout <SECONDS>', 'per-request timeout', '60')
    .option('--retries <N>', 'attempts per request, including the first', String(DEFAULT_RETRY_POLICY.attempts))
    .option('--ledger <FILE>', 'upload ledger (SQLite; default <OUT>.upload-ledger.sqlite next to OUT)')
    .option('--delete', 'remove from the server every resource this OUT loaded (by its run tag)')
    .option('--bulk', "use the server's $import (Bulk Data) with OUT/ndjson instead of transactions")
    .option('--bulk-source <URL>', 'URL where the server can fetch OUT/ndjson/<Type>.ndjson (needed by --bulk)')
    .option('--verbose', 'print each retry')
    .action(async (out: string, flags: UploadFlags) => {
      if (flags.server === undefined) throw new OptionError('--server', 'is required');
      const server = parseUrl('--server', flags.server);
      const auth = authFrom(flags);
      const timeoutMs = positive('--timeout', flags.timeout) * 1000;
      const retry = { ...DEFAULT_RETRY_POLICY, attempts: positive('--retries', flags.retries) };
      const common = { out, server, auth, timeoutMs, retry, ...(flags.ledger === undefined ? {} : { ledgerPath: flags.ledger }) };
      const log = (line: string): void => console.error(`chartwright upload: ${line}`);

      if (flags.delete === true) {
        if (flags.resume === true || flags.dryRun === true || flags.bulk === true) throw new OptionError('--delete', 'cannot be combined with --resume, --dry-run or --bulk');
        const summary = await deleteRun({ ...common, log });
        console.log(`deleted ${summary.total} resources of run ${summary.runTag} from ${server}`);
        return;
      }
      if (flags.bulk === true) {
        if (flags.bulkSource === undefined) throw new OptionError('--bulk-source', 'is required with --bulk: the server fetches the NDJSON files from there');
        const result = await bulkImport({ ...common, source: parseUrl('--bulk-source', flags.bulkSource), log });
        console.log(`$import of ${result.files} NDJSON files finished on ${server} (${result.status})`);
        return;
      }

      const maxBundleEntries = flags.maxBundleEntries === undefined ? undefined : positive('--max-bundle-entries', flags.maxBundleEntries);
      if (maxBundleEntries !== undefined) log(`--max-bundle-entries ${maxBundleEntries}: patients larger than that are sent in several transactions and are no longer loaded all-or-nothing`);
      const controller = new AbortController();
      const onSigint = (): void => controller.abort(new InterruptedError());
      process.once('SIGINT', onSigint);
      const bar = process.stderr.isTTY ? new SingleBar({ format: 'upload [{bar}] {value}/{total} patients | {failed} failed | eta {eta}s', stream: process.stderr }) : undefined;
      let barStarted = false;
      try {
        const summary = await uploadOutput({
          ...common,
          concurrency: positive('--concurrency', flags.concurrency),
          resume: flags.resume === true,
          dryRun: flags.dryRun === true,
          ...(maxBundleEntries === undefined ? {} : { maxBundleEntries }),
          signal: controller.signal,
          log: (line) => {
            if (flags.verbose === true || !line.startsWith('retry ')) log(line);
          },
          onProgress: ({ done, total, failed }) => {
            if (bar === undefined) return;
            if (!barStarted) {
              bar.start(total, 0, { failed: 0 });
              barStarted = true;
            }
            bar.update(done, { failed });
          },
        });
        bar?.stop();
        barStarted = false;
        console.log(summaryLine(summary));
        if (summary.patients.failed > 0) {
          throw new UploadIncompleteError(summary.patients.failed, summary.patients.total);
        }
      } finally {
        if (barStarted) bar?.stop();
        process.removeListener('SIGINT', onSigint);
      }
    });
}

function summaryLine(s: UploadSummary): string {
  const seconds = (s.wallTimeMs / 1000).toFixed(1);
  if (s.dryRun) return `dry run: ${s.patients.uploaded} patients checked, ${s.patients.failed} malformed; ${s.server} is FHIR ${s.capabilities.fhirVersion}${s.capabilities.software === undefined ? '' : ` (${s.capabilities.software})`}; nothing sent`;
  return (
    `uploaded ${s.patients.uploaded} of ${s.patients.total} patients to ${s.server} (${s.patients.resumed} resumed, ${s.patients.failed} failed): ` +
    `${s.resources.created} resources created, ${s.resources.updated} updated, ${s.resources.unchanged} unchanged; ` +
    `${s.transactions} transactions, ${s.retries} retries, ${seconds} s`
  );
}

function authFrom(flags: UploadFlags): AuthConfig {
  const token = flags.token ?? process.env.CHARTWRIGHT_TOKEN;
  const secret = flags.clientSecret ?? process.env.CHARTWRIGHT_CLIENT_SECRET;
  if (flags.clientId === undefined) {
    if (flags.privateKey !== undefined || flags.clientSecret !== undefined || flags.tokenUrl !== undefined) {
      throw new OptionError('--client-id', 'is required with --client-secret, --private-key or --token-url');
    }
    return token === undefined || token === '' ? { kind: 'none' } : { kind: 'bearer', token };
  }
  if (flags.token !== undefined) throw new OptionError('--token', 'cannot be combined with --client-id');
  if (flags.tokenUrl === undefined) throw new OptionError('--token-url', 'is required with --client-id');
  const tokenUrl = parseUrl('--token-url', flags.tokenUrl);
  if (flags.privateKey !== undefined) {
    if (flags.clientSecret !== undefined) throw new OptionError('--private-key', 'give either --client-secret or --private-key, not both');
    let privateKeyPem: string;
    try {
      privateKeyPem = readFileSync(flags.privateKey, 'utf8');
    } catch (error) {
      throw new InputError(`cannot read the private key (${(error as NodeJS.ErrnoException).code ?? 'error'})`, flags.privateKey, { cause: error });
    }
    return { kind: 'private-key-jwt', tokenUrl, clientId: flags.clientId, privateKeyPem, scope: flags.scope, ...(flags.keyId === undefined ? {} : { keyId: flags.keyId }) };
  }
  if (secret === undefined || secret === '') throw new OptionError('--client-secret', 'or --private-key is required with --client-id');
  return { kind: 'client-secret', tokenUrl, clientId: flags.clientId, clientSecret: secret, scope: flags.scope };
}

function parseUrl(option: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OptionError(option, `"${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OptionError(option, 'must be an http(s) URL');
  if (url.username !== '' || url.password !== '') throw new OptionError(option, 'must not carry credentials; use --token or --client-id');
  return value;
}

function positive(option: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new OptionError(option, `must be a positive integer, got "${value}"`);
  return n;
}
