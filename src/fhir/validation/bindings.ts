/**
 * Binding checks, which Medplum's validator does not do: walks a resource alongside a type schema
 * (base type or profile) and checks every value under a required or extensible binding against
 * the offline expansion of its value set. Required misses are errors, extensible misses warnings;
 * value sets that cannot be expanded offline are counted as not verified.
 */
import { tryGetDataType, tryGetProfile, type InternalSchemaElement, type InternalTypeSchema } from '@medplum/core';
import type { Terminology } from './terminology.js';
import type { Finding, UnverifiedBindings } from './issue.js';

/** A binding finding before it is tied to a resource. */
export type BindingFinding = Finding & { readonly code: 'code-invalid' };

interface Resolved {
  readonly element: InternalSchemaElement;
  readonly elementKey: string;
  readonly typeCode: string;
  readonly scope: Scope;
}

/** Where child elements are looked up: a schema, and a path prefix inside it for nested elements. */
interface Scope {
  readonly schema: InternalTypeSchema;
  readonly prefix: string;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Checks bindings of resources against schemas; reuse one per profile set. */
export class BindingChecker {
  private readonly keyIndex = new WeakMap<InternalTypeSchema, Map<string, Map<string, Resolved>>>();
  private readonly nestedPrefixes = new WeakMap<InternalTypeSchema, Set<string>>();

  constructor(
    private readonly terminology: Terminology,
    readonly unverified: UnverifiedBindings = new Map(),
  ) {}

  /** Findings for `resource` checked against `schema` (a base type or a loaded profile). */
  check(resource: Record<string, unknown>, schema: InternalTypeSchema): BindingFinding[] {
    const out: BindingFinding[] = [];
    this.walk(resource, [{ schema, prefix: '' }], String(resource.resourceType), out);
    return out;
  }

  private walk(obj: Record<string, unknown>, scopes: readonly Scope[], path: string, out: BindingFinding[]): void {
    for (const key of Object.keys(obj)) {
      if (key === 'resourceType' || key.charCodeAt(0) === 95 /* _ */) continue;
      const resolved = this.resolve(scopes, key);
      if (resolved === undefined) continue;
      const value = obj[key];
      const items = Array.isArray(value) ? (value as unknown[]) : [value];
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        if (item === null || item === undefined) continue;
        const itemPath = Array.isArray(value) ? `${path}.${key}[${i}]` : `${path}.${key}`;
        const binding = resolved.element.binding;
        if (binding?.valueSet !== undefined && (binding.strength === 'required' || binding.strength === 'extensible')) {
          this.checkValue(item, resolved.typeCode, binding.valueSet, binding.strength, itemPath, out);
        }
        if (typeof item === 'object' && !Array.isArray(item)) {
          const record = item as Record<string, unknown>;
          // Contained and entry resources are validated as resources of their own.
          if (typeof record.resourceType === 'string') continue;
          const childScopes = this.childScopes(resolved, record);
          if (childScopes.length > 0) this.walk(record, childScopes, itemPath, out);
        }
      }
    }
  }

  private childScopes(resolved: Resolved, item: Record<string, unknown>): Scope[] {
    const scopes: Scope[] = [];
    const { scope, elementKey, typeCode, element } = resolved;
    const nested = `${scope.prefix}${elementKey}.`;
    if (this.prefixesOf(scope.schema).has(nested)) scopes.push({ schema: scope.schema, prefix: nested });
    let typeSchema: InternalTypeSchema | undefined;
    if (typeCode === 'Extension' && typeof item.url === 'string') typeSchema = tryGetProfile(item.url);
    const declared = element.type.find((t) => t.code === typeCode)?.profile?.[0];
    if (typeSchema === undefined && declared !== undefined) typeSchema = tryGetProfile(declared);
    if (typeSchema === undefined) {
      typeSchema = scope.schema.innerTypes.find((t) => t.name === typeCode) ?? tryGetDataType(typeCode);
    }
    if (typeSchema !== undefined) scopes.push({ schema: typeSchema, prefix: '' });
    return scopes;
  }

  private prefixesOf(schema: InternalTypeSchema): Set<string> {
    let set = this.nestedPrefixes.get(schema);
    if (set === undefined) {
      set = new Set();
      for (const key of Object.keys(schema.elements)) {
        let dot = key.indexOf('.');
        while (dot !== -1) {
          set.add(key.slice(0, dot + 1));
          dot = key.indexOf('.', dot + 1);
        }
      }
      this.nestedPrefixes.set(schema, set);
    }
    return set;
  }

  private resolve(scopes: readonly Scope[], key: string): Resolved | undefined {
    for (const scope of scopes) {
      const found = this.indexOf(scope).get(key);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** JSON property name -> element, for the elements directly under `scope.prefix`. */
  private indexOf(scope: Scope): Map<string, Resolved> {
    let byPrefix = this.keyIndex.get(scope.schema);
    if (byPrefix === undefined) {
      byPrefix = new Map();
      this.keyIndex.set(scope.schema, byPrefix);
    }
    let index = byPrefix.get(scope.prefix);
    if (index === undefined) {
      index = new Map();
      for (const [elementKey, element] of Object.entries(scope.schema.elements)) {
        if (!elementKey.startsWith(scope.prefix)) continue;
        const local = elementKey.slice(scope.prefix.length);
        if (local.includes('.')) continue;
        if (local.endsWith('[x]')) {
          const base = local.slice(0, -3);
          for (const t of element.type) index.set(base + capitalize(t.code), { element, elementKey: local, typeCode: t.code, scope });
        } else {
          index.set(local, { element, elementKey: local, typeCode: element.type[0]?.code ?? '', scope });
        }
      }
      byPrefix.set(scope.prefix, index);
    }
    return index;
  }

  private checkValue(
    item: unknown,
    typeCode: string,
    valueSet: string,
    strength: 'required' | 'extensible',
    path: string,
    out: BindingFinding[],
  ): void {
    let shown: string;
    let inSet: (codes: ReadonlySet<string>, systemCodes: ReadonlySet<string>) => boolean;
    if (typeof item === 'string') {
      shown = `'${item}'`;
      inSet = (codes) => codes.has(item);
    } else if (typeof item !== 'object' || item === null) {
      return;
    } else if (typeCode === 'CodeableConcept') {
      const codings = (item as { coding?: { system?: string; code?: string }[] }).coding ?? [];
      const coded = codings.filter((c) => typeof c.code === 'string');
      if (coded.length === 0) return;
      shown = coded.map((c) => `${c.system ?? ''}#${c.code ?? ''}`).join(', ');
      inSet = (codes, systemCodes) => coded.some((c) => matches(c, codes, systemCodes));
    } else if (typeCode === 'Coding' || typeCode === 'Quantity') {
      const c = typeCode === 'Coding' ? (item as { system?: string; code?: string }) : quantityAsCoding(item);
      if (typeof c.code !== 'string') return;
      shown = `${c.system ?? ''}#${c.code}`;
      inSet = (codes, systemCodes) => matches(c, codes, systemCodes);
    } else {
      return;
    }
    const expansion = this.terminology.expand(valueSet);
    if (expansion.kind === 'unverifiable') {
      const entry = this.unverified.get(valueSet);
      if (entry === undefined) this.unverified.set(valueSet, { count: 1, reason: expansion.reason });
      else entry.count += 1;
      return;
    }
    if (inSet(expansion.codes, expansion.systemCodes)) return;
    out.push({
      severity: strength === 'required' ? 'error' : 'warning',
      code: 'code-invalid',
      path,
      message: `${shown} is not in value set ${valueSet} (${strength} binding)`,
    });
  }
}

function quantityAsCoding(item: object): { system?: string; code?: string } {
  const q = item as { system?: string; code?: string };
  return q;
}

function matches(c: { system?: string; code?: string }, codes: ReadonlySet<string>, systemCodes: ReadonlySet<string>): boolean {
  if (c.code === undefined) return false;
  return c.system === undefined ? codes.has(c.code) : systemCodes.has(`${c.system}|${c.code}`);
}
