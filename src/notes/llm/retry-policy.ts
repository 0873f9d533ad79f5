/**
 * When to try a failed model request again, and how long to wait first: the server's
 * `Retry-After` when it sent one, else exponential backoff with jitter so a crowd of clients that
 * failed together does not come back together. The jitter can be seeded for reproducible tests.
 */
import { Rng, toSeed } from '../../timeline/random.js';

export interface BackoffOptions {
  /** First delay before jitter (ms, default 500). */
  readonly baseMs?: number;
  /** Cap on any one delay (ms, default 30 000). */
  readonly maxMs?: number;
  /** Seed for the jitter; default unseeded (`Math.random`). */
  readonly jitterSeed?: number;
}

/** Delay before retry number `retry` (1 for the first retry): "equal jitter", half fixed and half random. */
export type Backoff = (retry: number) => number;

export function createBackoff(options: BackoffOptions = {}): Backoff {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const random = options.jitterSeed === undefined ? Math.random : seededRandom(options.jitterSeed);
  return (retry) => {
    const ceiling = Math.min(max, base * 2 ** Math.max(0, retry - 1));
    return Math.round(ceiling / 2 + (ceiling / 2) * random());
  };
}

function seededRandom(seed: number): () => number {
  const rng = Rng.of(toSeed(seed), 'llm-backoff-jitter');
  return () => rng.next();
}

/** Minimal view of response headers (fetch `Headers` fits). */
export interface HeaderLookup {
  get(name: string): string | null;
}

/**
 * The wait a server asked for: `retry-after-ms` (OpenAI's), else `Retry-After` as seconds or an
 * HTTP date. Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: HeaderLookup | undefined, now: number = Date.now()): number | undefined {
  if (headers === undefined) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
