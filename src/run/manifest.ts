/** `OUT/manifest.json`: what was generated, from what, and how long it took. */
export interface Manifest {
  readonly tool: 'chartwright';
  readonly version: string;
  readonly seed: number;
  readonly referenceDate: string;
  readonly runTag: string;
  /**
   * Every option of the run by its name in `GENERATE_OPTIONS` (src/run/options.ts), null when
   * absent, except those that only say how to run (`out`, `force`, `resume`, `quiet`, `config`):
   * usable as a `--config FILE` to reproduce the run.
   */
  readonly options: Readonly<Record<string, unknown>>;
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
