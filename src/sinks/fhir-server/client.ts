import { Client, RESPONSE_KEY } from 'fhir-kit-client';
import { AuthError, ServerError } from '../../errors.js';
import { describeNetworkError } from './auth.js';
import type { TokenSource } from './auth.js';
import { classifyStatus, DEFAULT_RETRY_POLICY, retryDelayMs } from './retry.js';
import type { RetryPolicy } from './retry.js';

/** Options of {@link FhirServer}. */
export interface FhirServerOptions {
  readonly baseUrl: string;
  readonly tokens: TokenSource;
  readonly retry?: RetryPolicy;
  /** Per-request timeout (each attempt), milliseconds. */
  readonly timeoutMs?: number;
  /** Source of randomness for backoff jitter, in [0, 1). */
  readonly random?: () => number;
  /** Called before each wait, e.g. to count retries. Never given secrets. */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Aborts waits and requests (Ctrl-C). */
  readonly signal?: AbortSignal;
}

/** One retried attempt, for statistics and verbose logs. */
export interface RetryEvent {
  readonly method: string;
  readonly path: string;
  readonly attempt: number;
  readonly status: number | undefined;
  readonly reason: string;
  readonly delayMs: number;
}

/** A server answer: status, parsed body (undefined when empty). */
export interface ServerResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

interface KitError {
  readonly response?: { readonly status?: number; readonly data?: unknown };
  readonly config?: { readonly headers?: Headers };
}

/**
 * A polite FHIR client over `fhir-kit-client`: per-attempt timeout, `Retry-After` on 429 and 503,
 * exponential backoff with jitter on 5xx, timeouts and dropped connections, and one token refresh
 * on 401 when the token source can renew. Errors name the server and status, never the token.
 */
export class FhirServer {
  readonly baseUrl: string;
  private readonly client: Client;
  private readonly tokens: TokenSource;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly random: () => number;
  private readonly onRetry: ((event: RetryEvent) => void) | undefined;
  private readonly signal: AbortSignal | undefined;

  constructor(options: FhirServerOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.client = new Client({ baseUrl: this.baseUrl });
    this.tokens = options.tokens;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.random = options.random ?? Math.random;
    this.onRetry = options.onRetry;
    this.signal = options.signal;
  }

  /** Sends one request, retrying what is safe to retry (every request we send is idempotent). */
  async request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ServerResponse> {
    let refreshed = false;
    for (let attempt = 1; ; attempt += 1) {
      this.signal?.throwIfAborted();
      const token = await this.tokens.token();
      const signal = this.signal === undefined ? AbortSignal.timeout(this.timeoutMs) : AbortSignal.any([this.signal, AbortSignal.timeout(this.timeoutMs)]);
      let status: number | undefined;
      let retryAfter: string | null | undefined;
      let failure: unknown;
      try {
        const result = (await this.client.request(path, {
          method,
          ...(body === undefined ? {} : { body: body as Record<string, unknown> }),
          options: {
            headers: {
              ...(body === undefined ? {} : { 'content-type': 'application/fhir+json' }),
              ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
              ...headers,
            },
            signal,
          },
        })) as unknown as Record<string | symbol, unknown>;
        const response = result[RESPONSE_KEY] as Response | undefined;
        return { status: response?.status ?? 200, body: Object.keys(result).length === 0 ? undefined : result, headers: response?.headers ?? new Headers() };
      } catch (error) {
        this.signal?.throwIfAborted();
        failure = error;
        const kit = error as KitError;
        status = kit.response?.status;
        retryAfter = kit.config?.headers?.get?.('retry-after');
      }
      const kind = classifyStatus(status);
      if (kind === 'auth') {
        if (!refreshed && this.tokens.invalidate()) {
          refreshed = true;
          continue;
        }
        throw new AuthError(`${this.baseUrl} refused the credentials (HTTP 401 on ${method} ${pathOnly(path)}); the token may be expired or lack scope`);
      }
      if (kind === 'fatal') throw rejection(this.baseUrl, method, path, status, (failure as KitError).response?.data, failure);
      if (attempt >= this.retry.attempts) {
        if (status === undefined) {
          throw new ServerError(`cannot reach ${this.baseUrl} (${describeNetworkError(failure)} on ${method} ${pathOnly(path)}, ${attempt} attempts)`, undefined, { cause: failure });
        }
        throw rejection(this.baseUrl, method, path, status, (failure as KitError).response?.data, failure, attempt);
      }
      const delayMs = retryDelayMs(this.retry, attempt, kind === 'throttled' || status === 503 ? retryAfter : undefined, this.random());
      this.onRetry?.({ method, path: pathOnly(path), attempt, status, reason: status === undefined ? describeNetworkError(failure) : `HTTP ${status}`, delayMs });
      await sleep(delayMs, this.signal);
    }
  }
}

/** The server said no: one line with the status and the OperationOutcome's own words. */
function rejection(baseUrl: string, method: string, path: string, status: number | undefined, data: unknown, cause: unknown, attempts?: number): ServerError {
  const detail = outcomeText(data);
  const tries = attempts === undefined ? '' : ` after ${attempts} attempts`;
  return new ServerError(`${baseUrl} answered HTTP ${status ?? '?'} to ${method} ${pathOnly(path)}${tries}${detail === '' ? '' : `: ${detail}`}`, status, { cause });
}

/** The diagnostics of an OperationOutcome (or a short excerpt of a non-FHIR body). */
export function outcomeText(data: unknown): string {
  if (data !== null && typeof data === 'object' && (data as { resourceType?: unknown }).resourceType === 'OperationOutcome') {
    const issues = (data as { issue?: { severity?: string; details?: { text?: string }; diagnostics?: string; expression?: string[] }[] }).issue ?? [];
    return issues
      .map((i) => `${i.severity ?? 'error'}: ${i.details?.text ?? i.diagnostics ?? 'no details'}${i.expression?.length ? ` (${i.expression.join(', ')})` : ''}`)
      .join('; ');
  }
  if (typeof data === 'string') return data.replace(/\s+/g, ' ').trim().slice(0, 120);
  return '';
}

function pathOnly(path: string): string {
  return path.split('?')[0] === '' ? '/' : (path.split('?')[0] ?? path);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
