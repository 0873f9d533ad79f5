import { RequestRejectedError, ServerError } from '../../errors.js';
import type { FhirServer } from './client.js';

/** What an upload needs to know about a server, read from its CapabilityStatement. */
export interface ServerCapabilities {
  readonly fhirVersion: string;
  readonly software: string | undefined;
  readonly transactions: boolean;
  /** Whether the server offers the Bulk Data `$import` operation. */
  readonly bulkImport: boolean;
}

interface CapabilityShape {
  resourceType?: unknown;
  fhirVersion?: unknown;
  software?: { name?: string; version?: string };
  rest?: { mode?: string; interaction?: { code?: string }[]; operation?: { name?: string; definition?: string }[]; resource?: { operation?: { name?: string }[] }[] }[];
}

/**
 * Reads `/metadata` and refuses, with one clear line, a server that is not FHIR R4 or cannot run
 * transactions: uploading patient by patient relies on both.
 */
export async function checkServer(server: FhirServer, needTransactions = true): Promise<ServerCapabilities> {
  let body: unknown;
  try {
    ({ body } = await server.request('GET', 'metadata'));
  } catch (error) {
    // An answer that is neither a refusal of our credentials nor throttling: this URL is not a FHIR base.
    if ((error instanceof RequestRejectedError || error instanceof ServerError) && error.status !== undefined) {
      throw new ServerError(`${server.baseUrl} is not a FHIR server: /metadata answered HTTP ${error.status} (is the URL the FHIR base, e.g. .../fhir or .../baseR4?)`, { status: error.status, retryable: false, cause: error });
    }
    throw error;
  }
  return capabilitiesOf(server.baseUrl, body, needTransactions);
}

/** Pure part of {@link checkServer}: judges a `/metadata` body. */
export function capabilitiesOf(baseUrl: string, body: unknown, needTransactions: boolean): ServerCapabilities {
  const cs = (body ?? {}) as CapabilityShape;
  if (cs.resourceType !== 'CapabilityStatement') {
    throw new ServerError(`${baseUrl} is not a FHIR server: /metadata did not return a CapabilityStatement (is the URL the FHIR base?)`);
  }
  const fhirVersion = typeof cs.fhirVersion === 'string' ? cs.fhirVersion : 'unknown';
  if (!fhirVersion.startsWith('4.0')) {
    throw new ServerError(`${baseUrl} speaks FHIR ${fhirVersion}, not R4 (4.0.x); chartwright writes R4`);
  }
  const servers = (cs.rest ?? []).filter((rest) => rest.mode === undefined || rest.mode === 'server');
  const transactions = servers.some((rest) => (rest.interaction ?? []).some((i) => i.code === 'transaction'));
  if (needTransactions && !transactions) {
    throw new ServerError(`${baseUrl} does not support FHIR transactions (CapabilityStatement.rest.interaction has no "transaction"), so patients cannot be loaded whole`);
  }
  const bulkImport = servers.some(
    (rest) =>
      (rest.operation ?? []).some((op) => op.name === 'import' || op.name === '$import' || /\/import$/.test(op.definition ?? '')) ||
      (rest.resource ?? []).some((r) => (r.operation ?? []).some((op) => op.name === 'import')),
  );
  const software = cs.software?.name === undefined ? undefined : `${cs.software.name}${cs.software.version === undefined ? '' : ` ${cs.software.version}`}`;
  return { fhirVersion, software, transactions, bulkImport };
}
