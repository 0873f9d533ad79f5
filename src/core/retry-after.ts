/** Minimal view of response headers (fetch's `Headers` fits, as does the OpenAI SDK's). */
export interface HeaderLookup {
  get(name: string): string | null;
}

/**
 * The wait a server asked for, in milliseconds: OpenAI's `retry-after-ms`, else `Retry-After` as
 * seconds or as an HTTP date (RFC 9110 §10.2.3) counted from `now`. Undefined when absent or
 * unreadable, so the caller falls back to its own backoff.
 */
export function retryAfterMs(headers: HeaderLookup | null | undefined, now: number = Date.now()): number | undefined {
  // Errors carry all sorts of `headers`; only a real lookup is read.
  if (typeof headers?.get !== 'function') return undefined;
  const ms = nonNegative(headers.get('retry-after-ms'));
  if (ms !== undefined) return ms;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = nonNegative(value);
  if (seconds !== undefined) return seconds * 1000;
  if (/^\s*-?[\d.]+\s*$/.test(value)) return undefined; // a negative or malformed number is not a date
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function nonNegative(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
