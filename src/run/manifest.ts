import type { GenerateOptions } from './options.js';

/** `OUT/manifest.json`: what was generated, from what, and how long it took. */
export interface Manifest {
  readonly tool: 'chartwright';
  readonly version: string;
  readonly seed: number;
  readonly referenceDate: string;
  readonly runTag: string;
  readonly options: {
    readonly patients: number;
    readonly age: GenerateOptions['age'] | null;
    readonly gender: GenerateOptions['gender'] | null;
    readonly state: string | null;
    readonly shard: GenerateOptions['shard'] | null;
    readonly formats: readonly string[];
    readonly includeDeceased: boolean;
    readonly workers: number;
  };
  readonly counts: {
    readonly patients: { readonly living: number; readonly deceased: number };
    readonly resources: Readonly<Record<string, number>>;
    readonly totalResources: number;
  };
  readonly files: { readonly bundles: number; readonly ndjson: readonly string[] };
  /** Clinical notes (`--notes`): writer, kept and rejected per type, tokens, cost, cache; null without notes. */
  readonly notes: Readonly<Record<string, unknown>> | null;
  /** `--validate`: the IGs checked against (base R4 always) and warnings on patient resources; null without it. */
  readonly validation: { readonly igs: readonly string[]; readonly warnings: number } | null;
  readonly wallTimeMs: number;
}
