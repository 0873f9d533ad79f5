import { badRequest, getStatus, normalizeOperationOutcome, OperationOutcomeError } from '@medplum/core';
import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { SandboxRepository, WriteResult } from './repository.js';
import { inlineValidator } from './validation-pool.js';
import type { Validator } from './validation-pool.js';

/** Answers a GET entry of a batch or transaction (searches, reads) through the server's dispatcher. */
export type ReadHandler = (url: string) => Promise<{ status: number; body: Resource }>;

/** Options for {@link processBundle}. */
export interface BundleOptions {
  /** `Prefer: return=minimal`: answer entries without the stored resource. */
  readonly minimal: boolean;
  readonly read: ReadHandler;
  /** Where new and changed resources are validated (a worker pool); inline by default. */
  readonly validate?: Validator;
}

interface PlannedWrite {
  readonly index: number;
  readonly method: 'PUT' | 'POST' | 'DELETE';
  readonly resourceType: string;
  readonly id: string;
  readonly resource: Resource | undefined;
}

/**
 * Processes a `transaction` or `batch` Bundle. A transaction is all-or-nothing: every entry is
 * planned, its `urn:uuid:` fullUrl mapped to the server id (`Type/id` from a PUT's url, a new id for
 * a POST), every reference rewritten, every resource validated, and only then written inside
 * {@link SandboxRepository.atomically}, so a bad entry rolls back the whole bundle.
 * A batch processes each entry alone and reports each one's status.
 */
export async function processBundle(repo: SandboxRepository, bundle: Bundle, options: BundleOptions): Promise<Bundle> {
  if (bundle.type === 'transaction') return processTransaction(repo, bundle, options);
  if (bundle.type === 'batch') return processBatch(repo, bundle, options);
  throw new OperationOutcomeError(badRequest(`Bundle.type must be transaction or batch, not ${String(bundle.type)}`, 'Bundle.type'));
}

async function processTransaction(repo: SandboxRepository, bundle: Bundle, options: BundleOptions): Promise<Bundle> {
  const entries = bundle.entry ?? [];
  const identities = new Map<string, string>();
  const writes: PlannedWrite[] = [];
  const reads: number[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const method = entry.request?.method;
    if (method === 'GET' || method === 'HEAD') {
      reads.push(index);
      return;
    }
    const plan = planWrite(repo, entry, index);
    const key = `${plan.resourceType}/${plan.id}`;
    if (seen.has(key)) throw entryError(index, `${key} appears twice in the transaction`);
    seen.add(key);
    if (entry.fullUrl !== undefined) identities.set(entry.fullUrl, key);
    writes.push(plan);
  });
  const rewritten = writes.map((write) =>
    write.resource === undefined ? write : { ...write, resource: rewriteReferences(write.resource, identities, write.index) },
  );
  // Validate before taking the write lock, so transactions validate in parallel (on a pool).
  // A resource identical to what is stored is skipped; should it change before the lock is taken,
  // put() validates it there.
  const toValidate = rewritten.filter((write) => write.resource !== undefined && !repo.isUnchanged(write.resource));
  const outcomes = await (options.validate ?? inlineValidator)(toValidate.map((write) => write.resource as Resource));
  const validated = new Set<number>();
  toValidate.forEach((write, i) => {
    const outcome = outcomes[i];
    if (outcome !== undefined) throw entryError(write.index, undefined, new OperationOutcomeError(outcome));
    validated.add(write.index);
  });
  const results = await repo.atomically(async () => {
    const done = new Map<number, WriteResult | 'deleted'>();
    for (const write of rewritten) {
      try {
        if (write.method === 'DELETE') {
          if (repo.has(write.resourceType, write.id)) repo.remove(write.resourceType, write.id);
          done.set(write.index, 'deleted');
        } else {
          done.set(write.index, repo.put(write.resource as Resource, { validated: validated.has(write.index) }));
        }
      } catch (error) {
        throw entryError(write.index, undefined, error);
      }
    }
    return done;
  });
  const response: BundleEntry[] = entries.map(() => ({}));
  for (const [index, result] of results) response[index] = writeEntry(result, options.minimal);
  for (const index of reads) response[index] = await readEntry(entries[index] as BundleEntry, options.read);
  return { resourceType: 'Bundle', type: 'transaction-response', entry: response };
}

async function processBatch(repo: SandboxRepository, bundle: Bundle, options: BundleOptions): Promise<Bundle> {
  const response: BundleEntry[] = [];
  for (const [index, entry] of (bundle.entry ?? []).entries()) {
    const method = entry.request?.method;
    if (method === 'GET' || method === 'HEAD') {
      response.push(await readEntry(entry, options.read));
      continue;
    }
    try {
      const write = planWrite(repo, entry, index);
      const result = await repo.exclusively((): Promise<WriteResult | 'deleted'> => {
        if (write.method === 'DELETE') {
          repo.remove(write.resourceType, write.id);
          return Promise.resolve('deleted' as const);
        }
        return Promise.resolve(repo.put(rewriteReferences(write.resource as Resource, new Map(), index)));
      });
      response.push(writeEntry(result, options.minimal));
    } catch (error) {
      const outcome = normalizeOperationOutcome(error);
      response.push({ response: { status: String(getStatus(outcome)), outcome } });
    }
  }
  return { resourceType: 'Bundle', type: 'batch-response', entry: response };
}

function planWrite(repo: SandboxRepository, entry: BundleEntry, index: number): PlannedWrite {
  const method = entry.request?.method;
  const url = entry.request?.url ?? '';
  if (url.includes('?')) throw entryError(index, 'conditional create/update/delete is not supported by chartwright serve');
  const [resourceType, id, ...rest] = url.replace(/^\//, '').split('/');
  if (resourceType === undefined || resourceType === '' || rest.length > 0) throw entryError(index, `bad request.url "${url}"`);
  if (method === 'DELETE') {
    if (id === undefined) throw entryError(index, 'DELETE needs Type/id');
    return { index, method, resourceType, id, resource: undefined };
  }
  if (method !== 'PUT' && method !== 'POST') throw entryError(index, `unsupported request.method ${String(method)}`);
  const resource = entry.resource;
  if (resource === undefined) throw entryError(index, 'entry has no resource');
  if (resource.resourceType !== resourceType) {
    throw entryError(index, `resource is a ${resource.resourceType} but request.url names ${resourceType}`);
  }
  if (method === 'PUT') {
    if (id === undefined) throw entryError(index, 'PUT needs Type/id');
    if (resource.id !== undefined && resource.id !== id) throw entryError(index, `resource.id ${resource.id} differs from request.url ${url}`);
    return { index, method, resourceType, id, resource: { ...resource, id } };
  }
  const newId = repo.generateId();
  return { index, method, resourceType, id: newId, resource: { ...resource, id: newId } };
}

/**
 * Returns a copy of `resource` with every `urn:uuid:`/`urn:oid:` reference replaced by the server
 * reference of the entry it names; a placeholder that names no entry is an error, since it would
 * leave a dangling reference on the server.
 */
export function rewriteReferences<T extends Resource>(resource: T, identities: ReadonlyMap<string, string>, index: number): T {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === 'reference' && typeof child === 'string' && /^urn:(uuid|oid):/.test(child)) {
        const target = identities.get(child);
        if (target === undefined) throw entryError(index, `reference ${child} names no entry of the bundle`);
        out[key] = target;
      } else {
        out[key] = visit(child);
      }
    }
    return out;
  };
  return visit(resource) as T;
}

function writeEntry(result: WriteResult | 'deleted', minimal: boolean): BundleEntry {
  if (result === 'deleted') return { response: { status: '204 No Content' } };
  const { resource, outcome } = result;
  const version = resource.meta?.versionId ?? '';
  return {
    ...(minimal ? {} : { resource }),
    response: {
      status: outcome === 'created' ? '201 Created' : '200 OK',
      location: `${resource.resourceType}/${resource.id}/_history/${version}`,
      etag: `W/"${version}"`,
      ...(resource.meta?.lastUpdated !== undefined ? { lastModified: resource.meta.lastUpdated } : {}),
    },
  };
}

async function readEntry(entry: BundleEntry, read: ReadHandler): Promise<BundleEntry> {
  const { status, body } = await read(entry.request?.url ?? '');
  return status < 300 ? { resource: body, response: { status: String(status) } } : { response: { status: String(status), outcome: body as OperationOutcome } };
}

function entryError(index: number, message: string | undefined, cause?: unknown): OperationOutcomeError {
  const outcome: OperationOutcome =
    message === undefined ? normalizeOperationOutcome(cause) : badRequest(message, `Bundle.entry[${index}]`);
  const issue = outcome.issue.map((i) => ({
    ...i,
    expression: (i.expression ?? ['']).map((e) => `Bundle.entry[${index}]${e === '' || e.startsWith('Bundle.') ? '' : '.resource.' + e}`.replace(/\.resource\.$/, '')),
  }));
  return new OperationOutcomeError({ ...outcome, issue }, cause);
}
