import { ledgerServerKey, UploadLedger } from '../../cache/upload-ledger.js';
import { ServerError } from '../../errors.js';
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
  /** Ids deleted per batch request (default 100). */
  readonly pageSize?: number;
  readonly log?: (line: string) => void;
}

/** What {@link deleteRun} removed, per resource type. */
export interface DeleteSummary {
  readonly runTag: string;
  readonly deleted: Readonly<Record<string, number>>;
  readonly total: number;
}

/** Referencing types before the types they reference, so servers that enforce referential integrity accept each delete. */
const DELETE_ORDER = [
  'DocumentReference', 'CarePlan', 'CareTeam', 'Goal', 'DiagnosticReport', 'Observation', 'Procedure', 'MedicationRequest',
  'Immunization', 'AllergyIntolerance', 'Condition', 'Encounter', 'Patient', 'PractitionerRole', 'Practitioner', 'Location', 'Organization',
];

/**
 * `upload --delete`: removes from the server every resource carrying this output's run tag
 * (`_tag=https://chartwright.dev/fhir/CodeSystem/run-tag|<tag>`), type by type, in pages of batch
 * DELETEs, until a search for the tag finds nothing; then forgets the run in the ledger.
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
  const fromManifest = Object.keys(manifest.counts?.resources ?? {});
  const types = [...DELETE_ORDER, ...fromManifest.filter((type) => !DELETE_ORDER.includes(type)).sort()];
  const pageSize = options.pageSize ?? 100;
  const tag = encodeURIComponent(`${RUN_TAG}|${manifest.runTag}`);
  const deleted: Record<string, number> = {};
  let total = 0;
  for (const type of types) {
    // Bounded: each round deletes a full page or ends the loop; a server that never shrinks is an error.
    for (let round = 0; ; round += 1) {
      // no-cache: HAPI reuses an identical search's results for a minute by default, so without it the
      // second round sees the first page again (now deleted, so empty) and stops after one page.
      const { body } = await server.request('GET', `${type}?_tag=${tag}&_count=${pageSize}&_elements=id`, undefined, { 'Cache-Control': 'no-cache' });
      const ids = ((body as { entry?: { resource?: { id?: string; resourceType?: string } }[] } | undefined)?.entry ?? [])
        .filter((e) => e.resource?.resourceType === type && typeof e.resource.id === 'string')
        .map((e) => e.resource?.id as string);
      if (ids.length === 0) break;
      if (round > 100_000) throw new ServerError(`${server.baseUrl} keeps returning ${type} resources tagged with run ${manifest.runTag} after deleting them`);
      const batch = { resourceType: 'Bundle', type: 'batch', entry: ids.map((id) => ({ request: { method: 'DELETE', url: `${type}/${id}` } })) };
      const { body: response } = await server.request('POST', '', batch);
      const statuses = ((response as { entry?: { response?: { status?: string } }[] } | undefined)?.entry ?? []).map((e) => e.response?.status ?? '');
      const failed = statuses.filter((status) => !/^(2\d\d|404|410)/.test(status));
      if (failed.length > 0) throw new ServerError(`${server.baseUrl} refused to delete ${failed.length} ${type} resources of run ${manifest.runTag} (status ${failed[0]})`);
      deleted[type] = (deleted[type] ?? 0) + ids.length;
      total += ids.length;
      options.log?.(`deleted ${deleted[type]} ${type}`);
    }
  }
  const ledger = new UploadLedger(options.ledgerPath ?? defaultLedgerPath(options.out));
  try {
    ledger.forget(ledgerServerKey(server.baseUrl), manifest.runTag);
  } finally {
    ledger.close();
  }
  return { runTag: manifest.runTag, deleted, total };
}
