import { Client, RESPONSE_KEY } from 'fhir-kit-client';
import { retryAfterMs } from '../../core/retry-after.js';
import { withRetry } from '../../core/retry.js';
import { isRetryableStatus, RequestError, requestError } from '../../errors.js';
import { describeNetworkError } from './auth.js';
import type { TokenSource } from './auth.js';
import { DEFAULT_RETRY_POLICY } from './retry.js';
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

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface KitError {
  readonly response?: { readonly status?: number; readonly data?: unknown };
  readonly config?: { readonly headers?: Headers };
}

/**
 * A polite FHIR client over `fhir-kit-client`: per-attempt timeout, and through `withRetry` the
 * server's `Retry-After` or exponential backoff with jitter on 429, 5xx, timeouts and dropped
 * connections (the token endpoint's too), and one token refresh on 401 when the token source can
 * renew. Failures are typed by status (`requestError`); messages name the server and status,
 * never the token.
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
  request(method: HttpMethod, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ServerResponse> {
    return withRetry(({ attempt, last }) => this.attempt(method, path, body, headers, last ? attempt : undefined), {
      policy: this.retry,
      random: this.random,
      signal: this.signal,
      onRetry: ({ attempt, error, delayMs }) => {
        const status = error instanceof RequestError ? error.status : undefined;
        const reason = status === undefined ? describeNetworkError(error instanceof RequestError ? (error.cause ?? error) : error) : `HTTP ${status}`;
        this.onRetry?.({ method, path: pathOnly(path), attempt, status, reason, delayMs });
      },
    });
  }

  /** One attempt, with one token refresh on a 401. `finalAttempt` is the attempt's number when no retry follows it. */
  private async attempt(method: HttpMethod, path: string, body: unknown, headers: Record<string, string>, finalAttempt: number | undefined): Promise<ServerResponse> {
    for (let refreshed = false; ; refreshed = true) {
      this.signal?.throwIfAborted();
      const token = await this.tokens.token();
      const signal = this.signal === undefined ? AbortSignal.timeout(this.timeoutMs) : AbortSignal.any([this.signal, AbortSignal.timeout(this.timeoutMs)]);
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
        const status = (error as KitError).response?.status;
        if (status === 401 && !refreshed && this.tokens.invalidate()) continue;
        throw this.failure(method, path, status, error, finalAttempt);
      }
    }
  }

  /** The typed error for a failed attempt; the attempt count is named once the retries are spent. */
  private failure(method: string, path: string, status: number | undefined, cause: unknown, finalAttempt: number | undefined): RequestError {
    const where = `${method} ${pathOnly(path)}`;
    const tries = finalAttempt !== undefined && isRetryableStatus(status) ? finalAttempt : undefined;
    let message: string;
    if (status === undefined) {
      message = `cannot reach ${this.baseUrl} (${describeNetworkError(cause)} on ${where}${tries === undefined ? '' : `, ${attempts(tries)}`})`;
    } else if (status === 401 || status === 403) {
      message = `${this.baseUrl} refused the credentials (HTTP ${status} on ${where}); the token may be expired or lack scope`;
    } else {
      const detail = outcomeText((cause as KitError).response?.data);
      message = `${this.baseUrl} answered HTTP ${status} to ${where}${tries === undefined ? '' : ` after ${attempts(tries)}`}${detail === '' ? '' : `: ${detail}`}`;
    }
    return requestError(status, message, { retryAfterMs: retryAfterMs((cause as KitError).config?.headers), cause });
  }
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

function attempts(n: number): string {
  return `${n} attempt${n === 1 ? '' : 's'}`;
}
