/**
 * One patient index, end to end: simulate its records, map them to FHIR, serialize the bundle and
 * the NDJSON lines. Pure apart from the `writeBundle` callback, so the same code runs inline and in
 * worker threads.
 */
import type { Resource } from '@medplum/fhirtypes';
import { MetaFactory } from '../fhir/meta.js';
import { recordToResources, SHARED_TYPES } from '../fhir/record-to-fhir.js';
import { bundleText, serializeResources, toNdjsonLine } from '../fhir/serialize.js';
import { instantToDateTime } from '../record/time.js';
import type { PatientRecord } from '../record/types.js';
import { createCohortContext, simulateIndex, type CohortContext, type CohortSpec } from '../timeline/cohort.js';

export interface ProduceSettings {
  readonly spec: CohortSpec;
  readonly includeDeceased: boolean;
  readonly writeFhir: boolean;
  readonly writeNdjson: boolean;
}

export interface ProducedIndex {
  readonly index: number;
  readonly living: number;
  readonly deceased: number;
  /** NDJSON text by resource type, patient-specific resources only. */
  readonly ndjson: Record<string, string>;
  /** Shared resources as [type, id, ndjson line]; the writer keeps the first of each id. */
  readonly shared: [string, string, string][];
  /** Resource counts by type, patient-specific resources only. */
  readonly counts: Record<string, number>;
}

/** Per-thread state: the cohort context and meta factory are built once. */
export class Producer {
  readonly ctx: CohortContext;
  private readonly meta: MetaFactory;
  private readonly timestamp: string;

  constructor(
    readonly settings: ProduceSettings,
    private readonly writeBundle: (patientId: string, text: string) => void,
    /** Extension point: extra resources for a record (clinical notes), appended to its bundle. */
    private readonly extraResources?: (record: PatientRecord) => Resource[],
  ) {
    this.ctx = createCohortContext(settings.spec);
    this.meta = new MetaFactory(this.ctx.runTag);
    this.timestamp = instantToDateTime(this.ctx.referenceTime);
  }

  get runTag(): string {
    return this.ctx.runTag;
  }

  produce(index: number): ProducedIndex {
    const records = simulateIndex(this.ctx, index);
    const ndjson: Record<string, string> = {};
    const shared: [string, string, string][] = [];
    const counts: Record<string, number> = {};
    let living = 0;
    let deceased = 0;
    for (const record of records) {
      const isDeceased = record.deathTime !== undefined;
      if (isDeceased && !this.settings.includeDeceased) continue;
      if (isDeceased) deceased++;
      else living++;
      const resources = recordToResources(record, this.meta);
      if (this.extraResources !== undefined) resources.push(...this.extraResources(record));
      const serialized = serializeResources(resources);
      if (this.settings.writeFhir) this.writeBundle(record.id, bundleText(record.id, this.timestamp, this.ctx.runTag, serialized));
      const typeById = new Map<string, string>();
      for (const r of serialized) typeById.set(r.id, r.type);
      for (const r of serialized) {
        if (SHARED_TYPES.has(r.type)) {
          if (this.settings.writeNdjson) shared.push([r.type, r.id, toNdjsonLine(r.json, (id) => typeById.get(id))]);
          continue;
        }
        counts[r.type] = (counts[r.type] ?? 0) + 1;
        if (this.settings.writeNdjson) {
          ndjson[r.type] = (ndjson[r.type] ?? '') + toNdjsonLine(r.json, (id) => typeById.get(id)) + '\n';
        }
      }
      if (!this.settings.writeNdjson) for (const r of serialized) if (SHARED_TYPES.has(r.type)) shared.push([r.type, r.id, '']);
    }
    return { index, living, deceased, ndjson, shared, counts };
  }
}
