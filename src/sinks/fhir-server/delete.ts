import { ledgerServerKey, UploadLedger } from '../../cache/upload-ledger.js';
import { RequestError, ServerError } from '../../errors.js';
import { tokenSource } from './auth.js';
import type { AuthConfig } from './auth.js';
import { checkServer } from './capability.js';
import { FhirServer } from './client.js';
import { readManifest, RUN_TAG } from './output.js';
import type { RetryPolicy } from './retry.js';
import { defaultLedgerPath } from './upload.js';

/** Options of {@link deleteRun}. */
export interface DeleteOptions {
  readonly out: string;
  readonly server: string;
  readonly auth: AuthConfig;
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  readonly ledgerPath?: string;
  /** Resources per search page and per batch or transaction of DELETEs (default 100; a transaction holds whole patients, so one larger patient goes alone). */
  readonly pageSize?: number;
  readonly log?: (line: string) => void;
}

/** What {@link deleteRun} removed, per resource type. */
export interface DeleteSummary {
  readonly runTag: string;
  readonly deleted: Readonly<Record<string, number>>;
  readonly total: number;
}

/**
 * Patient-compartment types that reference no type deleted after them but each other and their own
 * patient: deleted type by type, in pages of batch DELETEs, before any patient. Provenance first:
 * its targets are every other resource of the patient.
 */
const BEFORE_PATIENTS = ['Provenance', 'DocumentReference', 'CarePlan', 'CareTeam', 'Coverage', 'Goal', 'DiagnosticReport', 'Observation', 'Procedure', 'MedicationRequest', 'Immunization', 'AllergyIntolerance'];

/**
 * Types that reference each other (Encounter.reasonReference → Condition, Condition.encounter →
 * Encounter): a server that enforces referential integrity (HAPI JPA by default) refuses to delete
 * either side first, so each patient's go with the Patient in one `transaction`, where a resource
 * whose referrers are deleted in the same transaction may go.
 */
const WITH_PATIENT = ['Encounter', 'Condition'];

/** Patients whose grouped resources one search asks for (`patient=a,b,...`), keeping its URL well under 8 KB. */
const PATIENTS_PER_SEARCH = 50;

/** Shared resources, referenced by every patient's and by each other (PractitionerRole → Practitioner, Location → Organization). */
const AFTER_PATIENTS = ['PractitionerRole', 'Practitioner', 'Location', 'Organization'];

const KNOWN = new Set([...BEFORE_PATIENTS, ...WITH_PATIENT, 'Patient', ...AFTER_PATIENTS]);

/** Most pages one search is followed through before the server is judged to page forever. */
const MAX_PAGES = 100_000;

interface Found {
  readonly id?: string;
  readonly resourceType?: string;
  readonly subject?: { readonly reference?: string };
}

interface SearchPage {
  readonly entry?: readonly { readonly resource?: Found }[];
  readonly link?: readonly { readonly relation?: string; readonly url?: string }[];
}

/** One resource to delete, as `Type/id`. */
interface Target {
  readonly type: string;
  readonly id: string;
}

/** The ids of `type` a search page holds (not its `_include`s, nor an OperationOutcome). */
function matchesOf(page: SearchPage | undefined, type: string): (Found & { readonly id: string })[] {
  return (page?.entry ?? []).flatMap((e) => (e.resource?.resourceType === type && typeof e.resource.id === 'string' ? [e.resource as Found & { id: string }] : []));
}

function idsOf(page: SearchPage | undefined, type: string): string[] {
  return matchesOf(page, type).map((r) => r.id);
}

/** The patient id a `subject` reference names (`Patient/1`, or an absolute URL ending so). */
function patientIdOf(reference: string | undefined): string | undefined {
  return /(?:^|\/)Patient\/([^/]+)$/.exec(reference ?? '')?.[1];
}

/**
 * `upload --delete`: removes from the server every resource carrying this output's run tag
 * (`_tag=https://chartwright.dev/fhir/CodeSystem/run-tag|<tag>`), until a search for the tag
 * finds nothing; then forgets the run in the ledger. Referencing types go first, type by type in
 * pages of batch DELETEs; then each patient's Encounters and Conditions (which reference each other)
 * with the Patient, whole patients to a transaction; then the shared practitioners, locations and
 * organizations.
 */
export async function deleteRun(options: DeleteOptions): Promise<DeleteSummary> {
  const manifest = await readManifest(options.out);
  const server = new FhirServer({
    baseUrl: options.server,
    tokens: tokenSource(options.auth, options.timeoutMs),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  await checkServer(server, false);
  // A type we do not write today is most likely a referrer (Claim...): before the patients.
  const unknown = Object.keys(manifest.counts?.resources ?? {}).filter((type) => !KNOWN.has(type)).sort();
  const pageSize = options.pageSize ?? 100;
  const tag = encodeURIComponent(`${RUN_TAG}|${manifest.runTag}`);
  const deleted: Record<string, number> = {};
  let total = 0;
  const counted = (targets: readonly Target[]): void => {
    const types = new Set<string>();
    for (const { type } of targets) {
      deleted[type] = (deleted[type] ?? 0) + 1;
      types.add(type);
    }
    total += targets.length;
    for (const type of types) options.log?.(`deleted ${deleted[type]} ${type}`);
  };

  // no-cache: HAPI reuses an identical search's results for a minute by default, so without it the
  // search after a deleted page sees that page again (now deleted, so empty) and stops early.
  const search = async (url: string): Promise<SearchPage | undefined> =>
    (await server.request('GET', url, undefined, { 'Cache-Control': 'no-cache' })).body as SearchPage | undefined;

  /** Every match of `type` a search finds, through its `next` links (nothing is deleted meanwhile, so the pages hold still). */
  const searchAll = async (type: string, query: string): Promise<Found[]> => {
    const found: Found[] = [];
    let url: string | undefined = `${type}?${query}&_count=${pageSize}`;
    for (let page = 0; url !== undefined; page += 1) {
      if (page > MAX_PAGES) throw new ServerError(`${server.baseUrl} pages ${type}?${query} past ${MAX_PAGES} pages`);
      const body = await search(url);
      found.push(...matchesOf(body, type));
      const next = body?.link?.find((l) => l.relation === 'next')?.url;
      // The token goes only where the base URL points.
      if (next !== undefined && !next.startsWith(`${server.baseUrl}/`) && !next.startsWith(`${server.baseUrl}?`)) {
        throw new ServerError(`${server.baseUrl} sent a next-page link outside its base URL (${next.split('?')[0]}); refusing to follow it`);
      }
      url = next;
    }
    return found;
  };

  /** Deletes `type` in pages of batch DELETEs until its search is empty; bounded: a server that never shrinks is an error. */
  const deleteByType = async (type: string): Promise<void> => {
    for (let round = 0; ; round += 1) {
      const ids = idsOf(await search(`${type}?_tag=${tag}&_count=${pageSize}&_elements=id`), type);
      if (ids.length === 0) return;
      if (round > MAX_PAGES) throw new ServerError(`${server.baseUrl} keeps returning ${type} resources tagged with run ${manifest.runTag} after deleting them`);
      const batch = { resourceType: 'Bundle', type: 'batch', entry: ids.map((id) => ({ request: { method: 'DELETE', url: `${type}/${id}` } })) };
      const { body: response } = await server.request('POST', '', batch);
      const statuses = ((response as { entry?: { response?: { status?: string } }[] } | undefined)?.entry ?? []).map((e) => e.response?.status ?? '');
      const failed = statuses.filter((status) => !/^(2\d\d|404|410)/.test(status));
      if (failed.length > 0) throw new ServerError(`${server.baseUrl} refused to delete ${failed.length} ${type} resources of run ${manifest.runTag} (status ${failed[0]})`);
      counted(ids.map((id) => ({ type, id })));
    }
  };

  /** One transaction: all of it goes, or the server's refusal is the error. */
  const deleteTogether = async (targets: readonly Target[], patients: number): Promise<void> => {
    if (targets.length === 0) return;
    const transaction = { resourceType: 'Bundle', type: 'transaction', entry: targets.map(({ type, id }) => ({ request: { method: 'DELETE', url: `${type}/${id}` } })) };
    try {
      await server.request('POST', '', transaction);
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      throw new ServerError(
        `${server.baseUrl} refused to delete ${targets.length} resources of ${patients} patient${patients === 1 ? '' : 's'} of run ${manifest.runTag} in one transaction (${error.message})`,
        { ...(error.status === undefined ? {} : { status: error.status }), cause: error },
      );
    }
    counted(targets);
  };

  for (const type of [...BEFORE_PATIENTS, ...unknown]) await deleteByType(type);
  // Patients a page at a time; their Encounters and Conditions found for many patients per search
  // (grouped by subject), then deleted with them in transactions of whole patients, each about
  // `pageSize` resources (one patient's when that patient alone has more).
  for (let round = 0; ; round += 1) {
    const patients = idsOf(await search(`Patient?_tag=${tag}&_count=${pageSize}&_elements=id`), 'Patient');
    if (patients.length === 0) break;
    if (round > MAX_PAGES) throw new ServerError(`${server.baseUrl} keeps returning Patient resources tagged with run ${manifest.runTag} after deleting them`);
    for (let start = 0; start < patients.length; start += PATIENTS_PER_SEARCH) {
      const chunk = patients.slice(start, start + PATIENTS_PER_SEARCH);
      const owned = new Map<string, Target[]>(chunk.map((id) => [id, []]));
      for (const type of WITH_PATIENT) {
        for (const found of await searchAll(type, `_tag=${tag}&patient=${chunk.map(encodeURIComponent).join(',')}&_elements=id,subject`)) {
          // One without a subject among these patients is left for the type-by-type pass below.
          owned.get(patientIdOf(found.subject?.reference) ?? '')?.push({ type, id: found.id as string });
        }
      }
      let pending: Target[] = [];
      let pendingPatients = 0;
      for (const [patient, targets] of owned) {
        pending.push(...targets, { type: 'Patient', id: patient });
        pendingPatients += 1;
        if (pending.length >= pageSize) {
          await deleteTogether(pending, pendingPatients);
          pending = [];
          pendingPatients = 0;
        }
      }
      await deleteTogether(pending, pendingPatients);
    }
  }
  // What a patient-less run left of the grouped types (none today: every Encounter and Condition has a subject).
  for (const type of [...WITH_PATIENT, ...AFTER_PATIENTS]) await deleteByType(type);

  const ledger = new UploadLedger(options.ledgerPath ?? defaultLedgerPath(options.out));
  try {
    ledger.forget(ledgerServerKey(server.baseUrl), manifest.runTag);
  } finally {
    ledger.close();
  }
  return { runTag: manifest.runTag, deleted, total };
}
