import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import type { SandboxRepository } from './repository.js';

/**
 * `Patient/{id}/$everything`: the patient, every resource that references them (their compartment,
 * found by scanning references rather than a compartment table, which the in-memory store lacks),
 * and the resources those point at (organizations, practitioners, locations, encounters).
 * Throws not-found through `readResource` when the patient is absent.
 */
export async function patientEverything(repo: SandboxRepository, base: string, patientId: string): Promise<Bundle> {
  const patient = await repo.readResource('Patient', patientId);
  const target = `Patient/${patientId}`;
  const found = new Map<string, Resource>([[target, patient]]);
  for (const resource of repo.allResources()) {
    if (resource.resourceType !== 'Patient' && referencesOf(resource).has(target)) {
      found.set(`${resource.resourceType}/${resource.id}`, structuredClone(resource));
    }
  }
  for (const resource of [...found.values()]) {
    for (const reference of referencesOf(resource)) {
      if (found.has(reference)) continue;
      const [type, id] = reference.split('/');
      if (type !== undefined && id !== undefined && repo.has(type, id)) found.set(reference, await repo.readResource(type, id));
    }
  }
  const entry: BundleEntry[] = [...found].map(([key, resource]) => ({ fullUrl: `${base}/${key}`, resource, search: { mode: 'match' } }));
  return { resourceType: 'Bundle', type: 'searchset', total: entry.length, entry };
}

/** Every `Type/id` reference string inside a resource. */
export function referencesOf(resource: Resource): Set<string> {
  const out = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'reference' && typeof child === 'string') out.add(child);
        else visit(child);
      }
    }
  };
  visit(resource);
  return out;
}
