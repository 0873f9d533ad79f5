import { createHash } from 'node:crypto';
import type { SandboxRepository } from '../../src/serve/repository.js';

/** Resources per type on a server, read with `_summary=count`. */
export async function resourceCounts(baseUrl: string, types: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const type of types) {
    const body = (await (await fetch(`${baseUrl}/${type}?_summary=count`)).json()) as { total: number };
    counts[type] = body.total;
  }
  return counts;
}

/**
 * The server's content, independent of write order and timing: one digest per resource with
 * meta.versionId and meta.lastUpdated left out, sorted. Two servers with equal fingerprints hold
 * the same resources with the same content: nothing lost, nothing duplicated.
 */
export function serverFingerprint(repo: SandboxRepository): string[] {
  const out: string[] = [];
  for (const resource of repo.allResources()) {
    const { meta, ...rest } = resource;
    const { versionId: _v, lastUpdated: _l, ...metaRest } = meta ?? {};
    const text = JSON.stringify({ ...rest, meta: metaRest });
    out.push(`${resource.resourceType}/${resource.id} ${createHash('sha256').update(text).digest('hex').slice(0, 16)}`);
  }
  return out.sort();
}
