import type { CheckedBundle, FhirResource } from './bundle-source.js';

/**
 * Resource types that name no patient of their own: providers and places, shared by every bundle,
 * and the Provenance, which points at the patient's resources (it has no subject, and its
 * `recorded` instant is when the bundle was written, after a deceased patient's death).
 */
export const SHARED_TYPES: ReadonlySet<string> = new Set(['Organization', 'Practitioner', 'PractitionerRole', 'Location', 'Medication', 'Provenance']);

/** A coding as FHIR writes it; fields are optional because input is not trusted. */
export interface Coding {
  readonly system?: string;
  readonly code?: string;
}

/**
 * One bundle indexed for the rules: resources by every name a reference may use, the patient and
 * the dates that bound a life (birth, death, the reference date from `Bundle.timestamp`).
 */
export interface BundleView {
  readonly file: string;
  readonly resources: readonly FhirResource[];
  readonly patient: FhirResource | undefined;
  /** `YYYY-MM-DD` or undefined when the patient has none. */
  readonly birthDate: string | undefined;
  /** ms since epoch, or undefined for the living. */
  readonly deathTime: number | undefined;
  /** The reference date `YYYY-MM-DD` (Bundle.timestamp), if the bundle has one. */
  readonly referenceDate: string | undefined;
  /** Resolves `urn:uuid:<id>` or `<Type>/<id>`; undefined when dangling. */
  resolve(reference: string): FhirResource | undefined;
  /** True when the reference names this bundle's Patient. */
  isPatient(reference: string | undefined): boolean;
}

/** Builds the index of one bundle; O(entries). */
export function viewBundle(file: string, bundle: CheckedBundle): BundleView {
  const byName = new Map<string, FhirResource>();
  const resources: FhirResource[] = [];
  let patient: FhirResource | undefined;
  for (const entry of bundle.entry) {
    const r = entry.resource;
    resources.push(r);
    if (entry.fullUrl !== undefined) byName.set(entry.fullUrl, r);
    byName.set(`${r.resourceType}/${r.id}`, r);
    if (r.resourceType === 'Patient' && patient === undefined) patient = r;
  }
  const birthDate = typeof patient?.['birthDate'] === 'string' ? patient['birthDate'] : undefined;
  const deceased = patient?.['deceasedDateTime'];
  const deathTime = typeof deceased === 'string' ? Date.parse(deceased) : undefined;
  const referenceDate = typeof bundle.timestamp === 'string' ? bundle.timestamp.slice(0, 10) : undefined;
  return {
    file,
    resources,
    patient,
    birthDate,
    deathTime: deathTime === undefined || Number.isNaN(deathTime) ? undefined : deathTime,
    referenceDate,
    resolve: (reference) => byName.get(reference),
    isPatient: (reference) => reference !== undefined && patient !== undefined && byName.get(reference) === patient,
  };
}

/** `Type/id` for messages. */
export function label(r: FhirResource): string {
  return `${r.resourceType}/${r.id}`;
}

/** The string `reference` of a Reference-shaped field, if any. */
export function referenceOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = (value as { reference?: unknown }).reference;
  return typeof ref === 'string' ? ref : undefined;
}

/**
 * Calls `visit` for every `reference` string anywhere inside a resource. The JSON path is built only
 * when asked for (`path()`), since almost every reference resolves and walking is the hot loop.
 */
export function forEachReference(value: unknown, visit: (reference: string, path: () => string) => void): void {
  const stack: Array<string | number> = [];
  const path = (): string => stack.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const child: unknown = v[i];
        if (typeof child !== 'object' || child === null) continue;
        stack.push(i);
        walk(child);
        stack.pop();
      }
      return;
    }
    const obj = v as Record<string, unknown>;
    for (const key in obj) {
      const child = obj[key];
      if (key === 'reference' && typeof child === 'string') visit(child, () => path() || 'reference');
      else if (typeof child === 'object' && child !== null) {
        stack.push(key);
        walk(child);
        stack.pop();
      }
    }
  };
  if (typeof value === 'object' && value !== null) walk(value);
}

/** The codings of a CodeableConcept-shaped field (tolerates absent or malformed input). */
export function codingsOf(concept: unknown): Coding[] {
  if (typeof concept !== 'object' || concept === null) return [];
  const coding = (concept as { coding?: unknown }).coding;
  return Array.isArray(coding) ? (coding.filter((c) => typeof c === 'object' && c !== null) as Coding[]) : [];
}

/** True when the concept has a coding with one of `codes` (any system unless `system` is given). */
export function hasCode(concept: unknown, codes: ReadonlySet<string>, system?: string): boolean {
  return codingsOf(concept).some((c) => c.code !== undefined && codes.has(c.code) && (system === undefined || c.system === system));
}

/** The first code of a concept in `system`. */
export function codeIn(concept: unknown, system: string): string | undefined {
  return codingsOf(concept).find((c) => c.system === system)?.code;
}

/** Date-bearing fields of the resource types Chartwright emits, as `[field path, value]`. */
export function resourceDates(r: FhirResource): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const take = (name: string, v: unknown): void => {
    if (typeof v === 'string') out.push([name, v]);
  };
  const period = (name: string, v: unknown): void => {
    if (typeof v === 'object' && v !== null) {
      take(`${name}.start`, (v as { start?: unknown }).start);
      take(`${name}.end`, (v as { end?: unknown }).end);
    }
  };
  for (const f of ['effectiveDateTime', 'onsetDateTime', 'abatementDateTime', 'recordedDate', 'authoredOn', 'occurrenceDateTime', 'performedDateTime', 'issued', 'date', 'created', 'startDate']) {
    take(f, r[f]);
  }
  for (const f of ['effectivePeriod', 'performedPeriod', 'period', 'onsetPeriod', 'abatementPeriod']) period(f, r[f]);
  return out;
}

/** ms since epoch for a FHIR date or dateTime; a bare date counts as its first instant (UTC). */
export function instantOf(value: string): number | undefined {
  const t = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value.length === 7 ? `${value}-01T00:00:00Z` : value.length === 4 ? `${value}-01-01T00:00:00Z` : value);
  return Number.isNaN(t) ? undefined : t;
}
