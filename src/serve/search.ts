import { DEFAULT_SEARCH_COUNT, evalFhirPath, getSearchParameter, OperationOutcomeError, badRequest, parseSearchRequest } from '@medplum/core';
import type { Bundle, BundleEntry, Reference, Resource } from '@medplum/fhirtypes';
import type { SandboxRepository } from './repository.js';

/** A parsed query string: each parameter with all its values, in order. */
export type Query = ReadonlyMap<string, readonly string[]>;

const MAX_COUNT = 1000;
const RESULT_PARAMS = new Set(['_include', '_revinclude', '_summary', '_count', '_offset', '_format', '_pretty']);

/**
 * Searches `resourceType` the way clients expect and Medplum's in-memory search does not on its own:
 * bare ids in reference parameters (`Observation?patient=123`), `_include`, `_revinclude`,
 * `_summary=count`, and `_count`/`_offset` paging with `next`/`previous` links.
 */
export async function searchType(repo: SandboxRepository, base: string, resourceType: string, query: Query): Promise<Bundle> {
  const filters: Record<string, string[]> = {};
  for (const [name, values] of query) {
    if (RESULT_PARAMS.has(name)) continue;
    for (const value of values) {
      const [code, param] = qualifyReference(repo, resourceType, name, value);
      (filters[code] ??= []).push(param);
    }
  }
  const count = Math.min(numberParam(query, '_count') ?? DEFAULT_SEARCH_COUNT, MAX_COUNT);
  const offset = numberParam(query, '_offset') ?? 0;
  const summaryCount = query.get('_summary')?.includes('count') === true;
  const request = parseSearchRequest(resourceType, filters);
  request.offset = offset;
  request.count = summaryCount ? 0 : count;
  request.total = 'accurate';
  const result = await repo.search(request);
  const total = result.total ?? 0;
  if (summaryCount) return { resourceType: 'Bundle', type: 'searchset', total };

  const matches = (result.entry ?? []).flatMap((entry) => (entry.resource === undefined ? [] : [entry.resource]));
  const entries: BundleEntry[] = matches.map((resource) => ({ fullUrl: `${base}/${resource.resourceType}/${resource.id}`, resource, search: { mode: 'match' } }));
  const seen = new Set(matches.map((r) => `${r.resourceType}/${r.id}`));
  const addInclude = (resource: Resource): void => {
    const key = `${resource.resourceType}/${resource.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    entries.push({ fullUrl: `${base}/${key}`, resource, search: { mode: 'include' } });
  };
  for (const spec of query.get('_include') ?? []) {
    for (const resource of await included(repo, matches, spec)) addInclude(resource);
  }
  for (const spec of query.get('_revinclude') ?? []) {
    for (const resource of await revIncluded(repo, matches, spec)) addInclude(resource);
  }

  const link = [{ relation: 'self', url: pageUrl(base, resourceType, query, offset, count) }];
  if (offset + count < total) link.push({ relation: 'next', url: pageUrl(base, resourceType, query, offset + count, count) });
  if (offset > 0) link.push({ relation: 'previous', url: pageUrl(base, resourceType, query, Math.max(0, offset - count), count) });
  return { resourceType: 'Bundle', type: 'searchset', total, link, ...(entries.length > 0 ? { entry: entries } : {}) };
}

/**
 * Turns `patient=123` into `patient=Patient/123` (and `subject:Patient=123` into `subject=Patient/123`):
 * a bare id gets the parameter's target type when it has one, else the first target type that
 * holds a resource with that id.
 */
export function qualifyReference(repo: SandboxRepository, resourceType: string, name: string, value: string): [string, string] {
  const [code = name, modifier] = name.split(':');
  const param = getSearchParameter(resourceType, code);
  if (param?.type !== 'reference') return [name, value];
  const targets = param.target ?? [];
  const typed = modifier !== undefined && /^[A-Z]/.test(modifier) ? modifier : undefined;
  const qualified = value
    .split(',')
    .map((one) => {
      if (one.includes('/') || one.includes(':')) return one;
      if (typed !== undefined) return `${typed}/${one}`;
      const [only] = targets;
      if (targets.length === 1 && only !== undefined) return `${only}/${one}`;
      const holder = targets.find((target) => repo.has(target, one));
      return holder === undefined ? one : `${holder}/${one}`;
    })
    .join(',');
  return [typed === undefined ? name : code, qualified];
}

async function included(repo: SandboxRepository, matches: readonly Resource[], spec: string): Promise<Resource[]> {
  const [sourceType, code, targetType] = spec.split(':');
  if (sourceType === undefined || code === undefined) throw new OperationOutcomeError(badRequest(`bad _include ${spec}`));
  const param = getSearchParameter(sourceType, code);
  if (param?.expression === undefined) throw new OperationOutcomeError(badRequest(`unknown search parameter in _include ${spec}`));
  const out: Resource[] = [];
  for (const resource of matches) {
    if (resource.resourceType !== sourceType) continue;
    for (const value of evalFhirPath(param.expression, resource)) {
      const reference = (value as Reference | undefined)?.reference;
      if (typeof reference !== 'string') continue;
      const [type, id] = reference.split('/');
      if (type === undefined || id === undefined || (targetType !== undefined && type !== targetType)) continue;
      if (repo.has(type, id)) out.push(await repo.readResource(type, id));
    }
  }
  return out;
}

async function revIncluded(repo: SandboxRepository, matches: readonly Resource[], spec: string): Promise<Resource[]> {
  const [sourceType, code] = spec.split(':');
  if (sourceType === undefined || code === undefined) throw new OperationOutcomeError(badRequest(`bad _revinclude ${spec}`));
  if (matches.length === 0) return [];
  // One scan for the whole page: reference values joined with commas match any of them.
  const request = parseSearchRequest(sourceType, { [code]: matches.map((r) => `${r.resourceType}/${r.id}`).join(',') });
  request.count = Number.MAX_SAFE_INTEGER;
  const found = await repo.search(request);
  return (found.entry ?? []).flatMap((entry) => (entry.resource === undefined ? [] : [entry.resource]));
}

function numberParam(query: Query, name: string): number | undefined {
  const raw = query.get(name)?.at(-1);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new OperationOutcomeError(badRequest(`${name} must be a non-negative integer`));
  return value;
}

function pageUrl(base: string, resourceType: string, query: Query, offset: number, count: number): string {
  const params = new URLSearchParams();
  for (const [name, values] of query) {
    if (name === '_offset' || name === '_count') continue;
    for (const value of values) params.append(name, value);
  }
  params.set('_count', String(count));
  params.set('_offset', String(offset));
  return `${base}/${resourceType}?${params.toString()}`;
}
