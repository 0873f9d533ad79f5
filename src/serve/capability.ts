import { getResourceTypes, getSearchParameters } from '@medplum/core';
import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import { TOOL_VERSION } from '../version.js';

/** The CapabilityStatement `chartwright serve` answers at `/metadata`. */
export function capabilityStatement(base: string): CapabilityStatement {
  const resource: CapabilityStatementRestResource[] = getResourceTypes().map((type) => ({
    type,
    interaction: (['read', 'vread', 'update', 'delete', 'history-instance', 'create', 'search-type'] as const).map((code) => ({ code })),
    versioning: 'versioned',
    updateCreate: true,
    searchInclude: ['*'],
    searchRevInclude: ['*'],
    searchParam: Object.values(getSearchParameters(type) ?? {}).map((p) => ({ name: p.code ?? '', type: p.type ?? 'string' })),
    ...(type === 'Patient' ? { operation: [{ name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' }] } : {}),
  }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: { name: 'chartwright serve', version: TOOL_VERSION },
    implementation: { description: 'Chartwright local FHIR R4 sandbox (in memory)', url: base },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        resource,
        interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }],
      },
    ],
  };
}
