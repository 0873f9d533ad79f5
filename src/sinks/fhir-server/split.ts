import { InputError } from '../../errors.js';
import type { PatientBundle, PatientBundleEntry } from './output.js';

/**
 * Types that others point at go first, so a server that checks references at commit (HAPI does)
 * finds each target already loaded by an earlier part.
 */
const LOAD_ORDER = ['Organization', 'Location', 'Practitioner', 'PractitionerRole', 'Patient', 'RelatedPerson', 'Encounter', 'Condition', 'Medication', 'MedicationRequest', 'Procedure', 'Observation', 'DiagnosticReport', 'Goal', 'CareTeam', 'CarePlan'];

/** Types that point at every other resource of the patient (Provenance.target): after all of them. */
const LOAD_LAST = ['Provenance'];

function rank(type: string): number {
  if (LOAD_LAST.includes(type)) return LOAD_ORDER.length + 1;
  const index = LOAD_ORDER.indexOf(type);
  return index === -1 ? LOAD_ORDER.length : index;
}

/**
 * Splits a patient bundle into ordered transactions of at most `maxEntries` entries, for servers
 * that cap bundle sizes. Atomicity per patient is then lost: a failure can leave the earlier parts
 * loaded (a rerun completes them, since every entry is an idempotent PUT). `urn:uuid:` references
 * are rewritten to `Type/id`, since a part cannot resolve a placeholder defined in another part.
 */
export function splitBundle(bundle: PatientBundle, maxEntries: number | undefined): PatientBundle[] {
  if (maxEntries === undefined || bundle.entry.length <= maxEntries) return [bundle];
  const identities = new Map<string, string>();
  for (const entry of bundle.entry) {
    if (entry.request.method !== 'PUT') throw new InputError(`cannot split a bundle with ${entry.request.method} entries; only PUT entries have ids known before the server answers`);
    if (entry.fullUrl !== undefined) identities.set(entry.fullUrl, entry.request.url);
  }
  const entries = bundle.entry
    .map((entry, index) => ({ entry: literalReferences(entry, identities), index }))
    .sort((a, b) => rank(a.entry.resource.resourceType) - rank(b.entry.resource.resourceType) || a.index - b.index)
    .map(({ entry }) => entry);
  const parts: PatientBundle[] = [];
  for (let start = 0; start < entries.length; start += maxEntries) {
    parts.push({ ...bundle, entry: entries.slice(start, start + maxEntries) });
  }
  return parts;
}

function literalReferences(entry: PatientBundleEntry, identities: ReadonlyMap<string, string>): PatientBundleEntry {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, key === 'reference' && typeof child === 'string' ? (identities.get(child) ?? child) : visit(child)]),
    );
  };
  const { fullUrl: _fullUrl, ...rest } = entry;
  return { ...rest, resource: visit(entry.resource) as PatientBundleEntry['resource'] };
}
