/**
 * Offline value-set expansion for binding checks. A value set is expandable here when every part
 * of it is an enumerated list, a whole CodeSystem we hold with complete content, or another
 * expandable value set. Anything that needs a terminology server (LOINC/SNOMED filters, VSAC
 * value sets, external code systems) is "not verifiable", and callers count it as such instead
 * of passing it silently.
 */
import type { ConformanceResource } from '../profiles/ig-package.js';

/** An expansion: the codes in the set, or why it cannot be expanded offline. */
export type Expansion =
  | { readonly kind: 'codes'; readonly systemCodes: ReadonlySet<string>; readonly codes: ReadonlySet<string> }
  | { readonly kind: 'unverifiable'; readonly reason: string };

interface Concept {
  code?: string;
  concept?: Concept[];
}

interface Include {
  system?: string;
  version?: string;
  concept?: { code?: string }[];
  filter?: unknown[];
  valueSet?: string[];
}

interface ValueSetLike {
  url?: string;
  compose?: { include?: Include[]; exclude?: Include[] };
  expansion?: { contains?: Contains[] };
}

interface Contains {
  system?: string;
  code?: string;
  contains?: Contains[];
}

interface CodeSystemLike {
  url?: string;
  content?: string;
  concept?: Concept[];
}

function stripVersion(url: string): string {
  const bar = url.indexOf('|');
  return bar === -1 ? url : url.slice(0, bar);
}

/** Value sets and code systems by canonical URL, with memoised expansions. */
export class Terminology {
  private readonly valueSets = new Map<string, ValueSetLike>();
  private readonly codeSystems = new Map<string, CodeSystemLike>();
  private readonly expansions = new Map<string, Expansion>();

  /** Later resources with the same URL replace earlier ones (an IG may override core). */
  constructor(resources: readonly ConformanceResource[]) {
    for (const r of resources) {
      if (typeof r.url !== 'string') continue;
      if (r.resourceType === 'ValueSet') this.valueSets.set(stripVersion(r.url), r as ValueSetLike);
      else if (r.resourceType === 'CodeSystem') this.codeSystems.set(stripVersion(r.url), r as CodeSystemLike);
    }
  }

  /** The expansion of the value set at `url` (a `|version` suffix is ignored). */
  expand(url: string): Expansion {
    const key = stripVersion(url);
    const cached = this.expansions.get(key);
    if (cached !== undefined) return cached;
    // Guard against value sets that include each other.
    this.expansions.set(key, { kind: 'unverifiable', reason: `value set ${key} includes itself` });
    const result = this.compute(key);
    this.expansions.set(key, result);
    return result;
  }

  private compute(url: string): Expansion {
    const vs = this.valueSets.get(url);
    if (vs === undefined) return { kind: 'unverifiable', reason: `value set ${url} is not available offline` };
    const systemCodes = new Set<string>();
    const codes = new Set<string>();
    const add = (system: string, code: string): void => {
      systemCodes.add(`${system}|${code}`);
      codes.add(code);
    };
    if (vs.expansion?.contains !== undefined) {
      const walk = (items: Contains[]): void => {
        for (const c of items) {
          if (c.system !== undefined && c.code !== undefined) add(c.system, c.code);
          if (c.contains !== undefined) walk(c.contains);
        }
      };
      walk(vs.expansion.contains);
      return { kind: 'codes', systemCodes, codes };
    }
    const includes = vs.compose?.include ?? [];
    if (includes.length === 0) return { kind: 'unverifiable', reason: `value set ${url} has no content` };
    for (const include of includes) {
      const part = this.includeCodes(include);
      if (part.kind === 'unverifiable') return part;
      for (const sc of part.systemCodes) systemCodes.add(sc);
      for (const c of part.codes) codes.add(c);
    }
    for (const exclude of vs.compose?.exclude ?? []) {
      const part = this.includeCodes(exclude);
      if (part.kind === 'unverifiable') return { kind: 'unverifiable', reason: `value set ${url}: ${part.reason}` };
      for (const sc of part.systemCodes) systemCodes.delete(sc);
    }
    codes.clear();
    for (const sc of systemCodes) codes.add(sc.slice(sc.lastIndexOf('|') + 1));
    return { kind: 'codes', systemCodes, codes };
  }

  private includeCodes(include: Include): Expansion {
    const systemCodes = new Set<string>();
    const codes = new Set<string>();
    if (include.filter !== undefined && include.filter.length > 0) {
      return { kind: 'unverifiable', reason: `filter on ${include.system ?? 'a code system'} needs a terminology server` };
    }
    if (include.valueSet !== undefined && include.valueSet.length > 0) {
      if (include.system !== undefined) {
        return { kind: 'unverifiable', reason: 'system intersected with value sets is not expanded offline' };
      }
      for (const ref of include.valueSet) {
        const inner = this.expand(ref);
        if (inner.kind === 'unverifiable') return inner;
        for (const sc of inner.systemCodes) systemCodes.add(sc);
        for (const c of inner.codes) codes.add(c);
      }
      return { kind: 'codes', systemCodes, codes };
    }
    const system = include.system;
    if (system === undefined) return { kind: 'unverifiable', reason: 'include without system' };
    if (include.concept !== undefined && include.concept.length > 0) {
      for (const c of include.concept) {
        if (c.code === undefined) continue;
        systemCodes.add(`${system}|${c.code}`);
        codes.add(c.code);
      }
      return { kind: 'codes', systemCodes, codes };
    }
    const cs = this.codeSystems.get(system);
    if (cs === undefined || cs.content !== 'complete' || cs.concept === undefined) {
      return { kind: 'unverifiable', reason: `code system ${system} is not available offline` };
    }
    const walk = (concepts: Concept[]): void => {
      for (const c of concepts) {
        if (c.code !== undefined) {
          systemCodes.add(`${system}|${c.code}`);
          codes.add(c.code);
        }
        if (c.concept !== undefined) walk(c.concept);
      }
    };
    walk(cs.concept);
    return { kind: 'codes', systemCodes, codes };
  }
}
