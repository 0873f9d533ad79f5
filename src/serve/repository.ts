import { badRequest, deepEquals, notFound, OperationOutcomeError } from '@medplum/core';
import type { WithId } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { assertValid } from './validate.js';

/** What a write did: `created` for a new id, `updated` for a new version, `unchanged` when the content was identical. */
export type WriteOutcome = 'created' | 'updated' | 'unchanged';

/** The result of one write: the stored resource and what happened. */
export interface WriteResult {
  readonly resource: WithId<Resource>;
  readonly outcome: WriteOutcome;
}

type Store = Map<string, Map<string, Resource>>;
type HistoryStore = Map<string, Map<string, Resource[]>>;

interface JournalEntry {
  readonly type: string;
  readonly id: string;
  readonly current: Resource | undefined;
  readonly historyLength: number;
}

/**
 * Medplum's in-memory repository with the guarantees a sandbox needs and the router lacks:
 * every write is validated against base R4, an identical PUT keeps its version (so a re-upload
 * really is a no-op), and {@link SandboxRepository.atomically} rolls back every write of a failed
 * transaction. Writes are serialised; the journal relies on that.
 */
export class SandboxRepository extends MemoryRepository {
  private readonly writeLock = pLimit(1);
  private journal: JournalEntry[] | undefined;
  private journalKeys: Set<string> | undefined;

  private get store(): Store {
    return (this as unknown as { resources: Store }).resources;
  }

  private get historyStore(): HistoryStore {
    return (this as unknown as { history: HistoryStore }).history;
  }

  /** Runs `work` alone among writers; if it throws, every write it made is undone. */
  atomically<T>(work: () => Promise<T>): Promise<T> {
    return this.writeLock(async () => {
      this.journal = [];
      this.journalKeys = new Set();
      try {
        return await work();
      } catch (error) {
        this.rollback(this.journal);
        throw error;
      } finally {
        this.journal = undefined;
        this.journalKeys = undefined;
      }
    });
  }

  /** Runs `work` alone among writers, without rollback (batches: each entry stands alone). */
  exclusively<T>(work: () => Promise<T>): Promise<T> {
    return this.writeLock(work);
  }

  /**
   * Creates or replaces `resource` under its own id, after validation (unless the caller already
   * validated it, e.g. on a worker thread).
   */
  put(resource: Resource, options: { readonly validated?: boolean } = {}): WriteResult {
    const id = resource.id;
    if (id === undefined) throw new OperationOutcomeError(badRequest('Missing id'));
    const existing = this.store.get(resource.resourceType)?.get(id);
    // Identical to what is stored (which was validated when written): skip validation, the costly part.
    if (existing !== undefined && deepEquals(withoutVersion(existing), withoutVersion(resource))) {
      return { resource: structuredClone(existing) as WithId<Resource>, outcome: 'unchanged' };
    }
    if (options.validated !== true) assertValid(resource);
    const stored = structuredClone(resource) as WithId<Resource>;
    stored.meta = { ...stored.meta, versionId: randomUUID(), lastUpdated: new Date().toISOString() };
    this.record(resource.resourceType, id);
    let byId = this.store.get(resource.resourceType);
    if (byId === undefined) this.store.set(resource.resourceType, (byId = new Map()));
    byId.set(id, stored);
    let historyById = this.historyStore.get(resource.resourceType);
    if (historyById === undefined) this.historyStore.set(resource.resourceType, (historyById = new Map()));
    let versions = historyById.get(id);
    if (versions === undefined) historyById.set(id, (versions = []));
    versions.push(stored);
    return { resource: structuredClone(stored), outcome: existing === undefined ? 'created' : 'updated' };
  }

  /** Removes a resource; throws not-found when it is absent. */
  remove(resourceType: string, id: string): void {
    if (this.store.get(resourceType)?.get(id) === undefined) throw new OperationOutcomeError(notFound);
    this.record(resourceType, id);
    this.store.get(resourceType)?.delete(id);
  }

  /** Whether `resource` is stored already with exactly this content (a PUT of it would change nothing). */
  isUnchanged(resource: Resource): boolean {
    const existing = resource.id === undefined ? undefined : this.store.get(resource.resourceType)?.get(resource.id);
    return existing !== undefined && deepEquals(withoutVersion(existing), withoutVersion(resource));
  }

  /** Whether a resource with this type and id is stored now. */
  has(resourceType: string, id: string): boolean {
    return this.store.get(resourceType)?.has(id) === true;
  }

  /** Every stored resource (current versions), by type. Read-only view for compartment scans. */
  *allResources(): Iterable<Resource> {
    for (const byId of this.store.values()) yield* byId.values();
  }

  override createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    const withId = { ...resource, id: resource.id ?? this.generateId() } as T;
    return Promise.resolve(this.put(withId).resource as WithId<T>);
  }

  override updateResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    return Promise.resolve(this.put(resource).resource as WithId<T>);
  }

  override deleteResource(resourceType: string, id: string): Promise<void> {
    this.remove(resourceType, id);
    return Promise.resolve();
  }

  // Medplum's readHistory reverses the stored array in place; read a copy, newest first.
  override async readHistory<T extends Resource>(resourceType: string, id: string): Promise<Bundle<T>> {
    await this.readResource(resourceType, id);
    const versions = [...(this.historyStore.get(resourceType)?.get(id) ?? [])].reverse();
    return {
      resourceType: 'Bundle',
      type: 'history',
      ...(versions.length > 0 ? { entry: versions.map((resource) => ({ resource: structuredClone(resource) as T })) } : {}),
    };
  }

  private record(type: string, id: string): void {
    if (this.journal === undefined || this.journalKeys === undefined) return;
    const key = `${type}/${id}`;
    if (this.journalKeys.has(key)) return;
    this.journalKeys.add(key);
    this.journal.push({
      type,
      id,
      current: this.store.get(type)?.get(id),
      historyLength: this.historyStore.get(type)?.get(id)?.length ?? 0,
    });
  }

  private rollback(journal: readonly JournalEntry[]): void {
    for (const entry of [...journal].reverse()) {
      const byId = this.store.get(entry.type);
      if (entry.current === undefined) byId?.delete(entry.id);
      else byId?.set(entry.id, entry.current);
      const versions = this.historyStore.get(entry.type)?.get(entry.id);
      if (versions !== undefined) versions.length = entry.historyLength;
    }
  }
}

function withoutVersion(resource: Resource): Resource {
  const { meta, ...rest } = resource;
  if (meta === undefined) return rest as Resource;
  const { versionId: _v, lastUpdated: _l, ...metaRest } = meta;
  return (Object.keys(metaRest).length > 0 ? { ...rest, meta: metaRest } : rest) as Resource;
}
