/**
 * How references are written. Inside a transaction bundle every reference is `urn:uuid:<id>`,
 * matching the entry's fullUrl, so servers rewrite them to whatever ids they assign and the bundle
 * resolves on its own; NDJSON rewrites them to `Type/id` (see ndjson.ts).
 */
export const URN_PREFIX = 'urn:uuid:';

export function ref(id: string, display?: string): { reference: string; display?: string } {
  return display === undefined ? { reference: URN_PREFIX + id } : { reference: URN_PREFIX + id, display };
}
