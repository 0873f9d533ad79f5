/**
 * Serialization of one patient's resources into the two output forms at once: a transaction
 * Bundle (references `urn:uuid:<id>`) and NDJSON lines (references `Type/id`). Each resource is
 * stringified once; the NDJSON form is derived from that text by rewriting references.
 */
import type { Resource } from '@medplum/fhirtypes';
import { InternalError } from '../errors.js';
import { URN_PREFIX } from './references.js';
import { HTEST_TAG, RUN_TAG_SYSTEM } from './meta.js';

export interface SerializedResource {
  readonly type: string;
  readonly id: string;
  /** JSON with bundle-style references. */
  readonly json: string;
}

export interface SerializedPatient {
  readonly patientId: string;
  readonly bundle: string;
  readonly resources: readonly SerializedResource[];
}

export function serializeResources(resources: readonly Resource[]): SerializedResource[] {
  return resources.map((r) => ({ type: r.resourceType, id: r.id!, json: JSON.stringify(r) }));
}

/** The transaction bundle text: PUT every entry at its stable id, so loading twice changes nothing. */
export function bundleText(patientId: string, timestamp: string, runTag: string, resources: readonly SerializedResource[]): string {
  const head = JSON.stringify({
    resourceType: 'Bundle',
    id: patientId,
    meta: { tag: [HTEST_TAG, { system: RUN_TAG_SYSTEM, code: runTag }] },
    type: 'transaction',
    timestamp,
  });
  const parts: string[] = [];
  for (const r of resources) {
    parts.push(`{"fullUrl":"${URN_PREFIX}${r.id}","resource":${r.json},"request":{"method":"PUT","url":"${r.type}/${r.id}"}}`);
  }
  return `${head.slice(0, -1)},"entry":[${parts.join(',')}]}`;
}

const URN_REFERENCE = /"reference":"urn:uuid:([0-9a-f-]{36})"/g;

/**
 * Rewrites `urn:uuid:` references to `Type/id` for NDJSON (Bulk Data has no bundle to resolve them).
 * `typeOf` must know every referenced id; an unknown one is a bug and throws.
 */
export function toNdjsonLine(json: string, typeOf: (id: string) => string | undefined): string {
  if (!json.includes('"reference":"urn:uuid:')) return json;
  return json.replace(URN_REFERENCE, (_match, id: string) => {
    const type = typeOf(id);
    if (type === undefined) throw new InternalError(`reference to ${id} does not resolve inside the bundle`);
    return `"reference":"${type}/${id}"`;
  });
}
