/**
 * The fast structural checker: the same rules as Medplum's `validateResource` (structure,
 * cardinality, JSON types and formats of primitives, fixed and pattern values, slice counts,
 * FHIRPath invariants, unknown properties), walked the same way and in the same order, but
 * compiled once per type schema instead of being re-derived per resource:
 *
 * - property lookups are precomputed per (type, key) rather than searched per value;
 * - profiles are read from Medplum's registry once, not re-parsed from the StructureDefinition;
 * - FHIRPath invariants are parsed once; a few that dominate the cost have exact native
 *   shortcuts (see {@link NATIVE_SHORTCUTS}); every other invariant is evaluated by Medplum's
 *   own FHIRPath engine, so it cannot disagree with it.
 *
 * The equivalence with Medplum is not assumed: `test/fhir/validation/fast-checker.test.ts`
 * compares verdicts and paths on the US Core examples, broken resources and a generated cohort.
 *
 * Three rules go beyond Medplum 4.x, each a defect HAPI FHIR's validator reports and Medplum's
 * misses (`test/interop/hapi-validator.test.ts` holds the resources that showed it): dates must be
 * calendar dates (no 30 February); a complex datatype's own invariants hold wherever it is used
 * (Period per-1, Quantity qty-3, ...); and a value that falls in a slice meets the slice's own
 * element rules (US Core's heart rate fixes `valueQuantity.code` to `/min` inside a type slice).
 */
import {
  arrayify,
  deepEquals,
  deepIncludes,
  getDataType,
  getTypedPropertyValue,
  isResource,
  parseFhirPath,
  toTypedValue,
  tryGetDataType,
  type FhirPathAtom,
  type InternalSchemaElement,
  type InternalTypeSchema,
  type SliceDefinition,
  type SliceDiscriminator,
  type SlicingRules,
  type TypedValue,
} from '@medplum/core';
import type { Finding } from './issue.js';

/** A structural finding, as Medplum would report it: `structure`, `invariant` or `processing`. */
export type StructuralIssue = Finding & { readonly severity: 'error' | 'warning'; readonly code: 'structure' | 'invariant' | 'processing' };

interface TV {
  type: string;
  value: any;
  path: string;
}

type Constraint = NonNullable<InternalSchemaElement['constraints']>[number];

const JS_TYPES: Record<string, 'string' | 'number' | 'boolean'> = {
  base64Binary: 'string', boolean: 'boolean', canonical: 'string', code: 'string', date: 'string', dateTime: 'string',
  decimal: 'number', id: 'string', instant: 'string', integer: 'number', integer64: 'string', markdown: 'string',
  oid: 'string', positiveInt: 'number', string: 'string', time: 'string', unsignedInt: 'number', uri: 'string',
  url: 'string', uuid: 'string', xhtml: 'string', 'http://hl7.org/fhirpath/System.String': 'string',
};

/** Format rules of FHIR R4 primitives, as Medplum 4.x checks them. */
const FORMATS: Record<string, RegExp> = {
  base64Binary: /^([A-Za-z\d+/]{4})*([A-Za-z\d+/]{2}==|[A-Za-z\d+/]{3}=)?$/,
  canonical: /^\S*$/,
  code: /^[^\s]+( [^\s]+)*$/,
  date: /^(\d(\d(\d[1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2]\d|3[0-1]))?)?$/,
  dateTime: /^(\d(\d(\d[1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2]\d|3[0-1])(T([01]\d|2[0-3])(:[0-5]\d:([0-5]\d|60)(\.\d{1,9})?)?)?)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)?)?)?$/,
  id: /^[A-Za-z0-9\-.]{1,64}$/,
  instant: /^(\d(\d(\d[1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2]\d|3[0-1])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/,
  markdown: /^[\r\n\t\u0020-\uFFFF]+$/,
  oid: /^urn:oid:[0-2](\.(0|[1-9]\d*))+$/,
  string: /^[\r\n\t\u0020-\uFFFF]+$/,
  time: /^([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?$/,
  uri: /^\S*$/,
  url: /^\S*$/,
  uuid: /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  xhtml: /.*/,
};

/** Invariants Medplum does not evaluate. */
const SKIPPED = new Set(['ele-1', 'dom-3', 'org-1', 'sdf-19']);
const UCUM = 'http://unitsofmeasure.org';
const HL7_SD = 'http://hl7.org/fhir/StructureDefinition/';
const MEDPLUM_SD = 'https://medplum.com/fhir/StructureDefinition/';

/**
 * Exact shortcuts for the invariants evaluated most often, keyed by FHIRPath expression (not by
 * key, so an IG that reuses a key with another expression is not affected). Each returns `true`
 * only where the invariant certainly holds for this JSON shape, and `undefined` otherwise, so a
 * failing or unusual value is always judged by Medplum's FHIRPath engine itself.
 */
const NATIVE_SHORTCUTS: Record<string, (value: TV, keys: ChoiceKeys) => true | undefined> = {
  // Medplum's htmlChecks() is always true.
  'htmlChecks()': () => true,
  'contained.contained.empty()': (tv) => (field(tv, 'contained') === undefined ? true : undefined),
  'contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()': (tv) => (field(tv, 'contained') === undefined ? true : undefined),
  'contained.meta.security.empty()': (tv) => (field(tv, 'contained') === undefined ? true : undefined),
  'extension.exists() != value.exists()': (tv, keys) => {
    const ext = field(tv, 'extension');
    const hasExt = Array.isArray(ext) && ext.length > 0;
    if (ext !== undefined && !hasExt) return undefined;
    const value = choiceShape(tv, keys.extension);
    if (hasExt && value === 'absent') return true;
    if (!hasExt && value === 'plain') return true;
    return undefined;
  },
  'dataAbsentReason.empty() or value.empty()': (tv) => (field(tv, 'dataAbsentReason') === undefined ? true : undefined),
  'value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()': (tv, keys) =>
    choiceShape(tv, keys.observation) === 'absent' ? true : undefined,
  'low.exists() or high.exists() or text.exists()': (tv) =>
    nonEmpty(field(tv, 'low')) || nonEmpty(field(tv, 'high')) || nonEmpty(field(tv, 'text')) ? true : undefined,
  '(component.empty() and hasMember.empty()) implies (dataAbsentReason.exists() or value.exists())': (tv, keys) => {
    const component = field(tv, 'component');
    if (Array.isArray(component) && component.length > 0) return true;
    return choiceShape(tv, keys.observation) === 'plain' ? true : undefined;
  },
  "value.ofType(Quantity).system.empty() or value.ofType(Quantity).system = 'http://unitsofmeasure.org'": (tv, keys) => {
    const shape = choiceShape(tv, keys.observation);
    if (shape === 'absent') return true;
    const q = field(tv, 'valueQuantity') as { system?: unknown } | undefined;
    if (shape === 'plain' && q !== undefined && (q.system === undefined || q.system === UCUM)) return true;
    return undefined;
  },
  '$this is DateTime implies $this.toString().length() >= 10': (tv) =>
    tv.type === 'Period' || (tv.type === 'dateTime' && typeof tv.value === 'string' && tv.value.length >= 10) ? true : undefined,
  '($this as dateTime).toString().length() >= 8': (tv) =>
    tv.type === 'dateTime' && typeof tv.value === 'string' && tv.value.length >= 8 ? true : undefined,
  // Datatype invariants (checked beyond Medplum, see the header), on every Reference, Quantity, ...
  "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))": (tv) => {
    const reference = field(tv, 'reference');
    return reference === undefined || (typeof reference === 'string' && !reference.startsWith('#')) ? true : undefined;
  },
  'code.empty() or system.exists()': (tv) => (field(tv, 'code') === undefined || nonEmpty(field(tv, 'system')) ? true : undefined),
  'value.empty() or system.exists()': (tv) => (field(tv, 'value') === undefined || nonEmpty(field(tv, 'system')) ? true : undefined),
  'data.empty() or contentType.exists()': (tv) => (field(tv, 'data') === undefined || nonEmpty(field(tv, 'contentType')) ? true : undefined),
  'start.hasValue().not() or end.hasValue().not() or (start <= end)': (tv) => {
    const start = field(tv, 'start');
    const end = field(tv, 'end');
    if (start === undefined || end === undefined) return true;
    // Same-shaped UTC instants compare as strings; anything else is left to FHIRPath.
    const utc = (v: unknown): v is string => typeof v === 'string' && v.length === 20 && v.endsWith('Z');
    return utc(start) && utc(end) && start <= end ? true : undefined;
  },
  'low.empty() or high.empty() or (low <= high)': (tv) => (field(tv, 'low') === undefined || field(tv, 'high') === undefined ? true : undefined),
};

function field(tv: TV, key: string): unknown {
  return typeof tv.value === 'object' && tv.value !== null ? (tv.value as Record<string, unknown>)[key] : undefined;
}

function nonEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v !== '';
  if (typeof v === 'object') return Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0;
  return true;
}

/** JSON keys of `value[x]` for Extension and Observation (a checker reads them once the base definitions are loaded). */
interface ChoiceKeys {
  readonly extension: ReadonlySet<string>;
  readonly observation: ReadonlySet<string>;
}

function choiceKeys(type: string): ReadonlySet<string> {
  const element = tryGetDataType(type)?.elements['value[x]'];
  return new Set((element?.type ?? []).map((t) => `value${capitalize(t.code)}`));
}

/**
 * `absent`: no `value…`/`_value…` key at all; `plain`: exactly one, a valid `value[x]` key of
 * `allowed` holding a non-empty, non-array value, and no primitive extension; `other`: anything
 * else (left to FHIRPath).
 */
function choiceShape(tv: TV, allowed: ReadonlySet<string>): 'absent' | 'plain' | 'other' {
  const obj = tv.value;
  if (typeof obj !== 'object' || obj === null) return 'other';
  let found = 0;
  for (const k of Object.keys(obj)) {
    if (k.startsWith('_value')) return 'other';
    if (!k.startsWith('value')) continue;
    found += 1;
    if (!allowed.has(k)) return 'other';
    const x = (obj as Record<string, unknown>)[k];
    if (Array.isArray(x) || !nonEmpty(x)) return 'other';
  }
  if (found === 0) return 'absent';
  return found === 1 ? 'plain' : 'other';
}

/** One element of a schema, with the property plan of the type last seen for it. */
interface Entry {
  readonly key: string;
  readonly element: InternalSchemaElement;
  readonly dotted: boolean;
  planType: string | undefined;
  plan: PropertyPlan | null;
}

interface PropertyPlan {
  readonly element: InternalSchemaElement;
  /** [json key, type code, `_`json key] in the order Medplum tries them. */
  readonly candidates: readonly (readonly [string, string, string])[];
}

function capitalize(s: string): string {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : '';
}

/** A compiled checker; one per process (or worker), shared by all validators of a profile set. */
export class FastChecker {
  private readonly plans = new Map<string, Map<string, PropertyPlan | null>>();
  private readonly atoms = new Map<string, FhirPathAtom>();
  private readonly schemaEntries = new WeakMap<InternalTypeSchema, Entry[]>();
  private readonly choiceNames = new WeakMap<Record<string, InternalSchemaElement>, Map<string, [string, string] | null>>();
  private readonly ucum = toTypedValue(UCUM);
  private issues: StructuralIssue[] = [];
  private root!: TV;
  private resourceStack: unknown[] = [];
  private choiceKeys: ChoiceKeys | undefined;

  /** Structural issues of `resource` against `schema` (a base resource type or a profile). */
  check(resource: Record<string, unknown>, schema: InternalTypeSchema): StructuralIssue[] {
    this.choiceKeys ??= { extension: choiceKeys('Extension'), observation: choiceKeys('Observation') };
    this.issues = [];
    this.root = { type: String(resource.resourceType), value: resource, path: schema.path };
    this.resourceStack = [resource];
    try {
      this.constraintsCheck(this.root, schema.constraints);
      this.checkNulls(resource, schema.path);
      this.crawlObject(this.root, schema, schema.path);
    } catch (error) {
      // Medplum's validator throws here too (e.g. an unknown data type); report it as it would be.
      this.issues = [{ severity: 'error', code: 'structure', path: schema.path, message: `validator failed: ${(error as Error).message}` }];
    }
    const issues = this.issues;
    this.issues = [];
    return issues;
  }

  private error(path: string, message: string): void {
    this.issues.push({ severity: 'error', code: 'structure', path, message });
  }

  // ---- property access (Medplum's getTypedPropertyValue, precomputed) ----

  private plan(type: string, key: string): PropertyPlan | null {
    let byKey = this.plans.get(type);
    if (byKey === undefined) {
      byKey = new Map();
      this.plans.set(type, byKey);
    }
    let plan = byKey.get(key);
    if (plan === undefined) {
      plan = null;
      const schema = tryGetDataType(type);
      const element = schema === undefined ? undefined : findElement(schema.elements, key);
      if (element !== undefined) {
        const last = element.path.substring(element.path.lastIndexOf('.') + 1);
        plan = {
          element,
          candidates: element.type.map((t) => {
            const jsonKey = last.replace('[x]', capitalize(t.code));
            return [jsonKey, t.code, `_${jsonKey}`] as const;
          }),
        };
      }
      byKey.set(key, plan);
    }
    return plan;
  }

  private getProperty(tv: TV, key: string): TypedValue | TypedValue[] | undefined {
    if (!tv.value) return undefined;
    const plan = this.plan(tv.type, key);
    if (plan === null) return getTypedPropertyValue(tv, key);
    const obj = tv.value;
    let value: any;
    let ext: any;
    let type = 'undefined';
    if (plan.candidates.length === 0) return undefined;
    for (const [jsonKey, code, extKey] of plan.candidates) {
      value = obj[jsonKey];
      ext = obj[extKey];
      if (value !== undefined || ext !== undefined) {
        type = code;
        break;
      }
    }
    if (ext) {
      // Rare: primitive extensions; let Medplum merge them exactly as it does.
      return getTypedPropertyValue(tv, key);
    }
    if (isEmptyValue(value)) return undefined;
    if (type === 'Element' || type === 'BackboneElement') type = plan.element.type[0]?.code ?? type;
    if (Array.isArray(value)) return value.map((v) => typed(v, type));
    return typed(value, type);
  }

  private nested(tv: TV, key: string): (TV | TV[])[] {
    if (key === '$this') return [tv];
    const dot = key.indexOf('.');
    if (dot === -1) return [this.withPath(this.getProperty(tv, key), tv.path, key)];
    const parts = key.split('.');
    let values: (TV | TV[])[] = [this.withPath(this.getProperty(tv, parts[0] as string), tv.path, parts[0] as string)];
    for (let i = 1; i < parts.length; i++) {
      const prop = parts[i] as string;
      const next: (TV | TV[])[] = [];
      for (const current of values) {
        if (Array.isArray(current)) {
          for (const item of current) next.push(this.withPath(this.getProperty(item, prop), item.path, prop));
        } else if (current.value !== undefined) {
          next.push(this.withPath(this.getProperty(current, prop), current.path, prop));
        }
      }
      values = next;
    }
    return values;
  }

  private nestedPlain(tv: TV, key: string): (TypedValue | TypedValue[] | undefined)[] {
    if (key === '$this') return [tv];
    const parts = key.split('.');
    let values: (TypedValue | TypedValue[] | undefined)[] = [this.getProperty(tv, parts[0] as string)];
    for (let i = 1; i < parts.length; i++) {
      const prop = parts[i] as string;
      const next: (TypedValue | TypedValue[] | undefined)[] = [];
      for (const current of values) {
        if (Array.isArray(current)) {
          for (const item of current) next.push(this.getProperty(item as TV, prop));
        } else if (current !== undefined) {
          next.push(this.getProperty(current as TV, prop));
        }
      }
      values = next;
    }
    return values;
  }

  private withPath(v: TypedValue | TypedValue[] | undefined, parentPath: string, key: string): TV | TV[] {
    const prefix = parentPath ? `${parentPath}.` : '';
    if (v === undefined) return { type: 'undefined', value: undefined, path: `${prefix}${key}` };
    if (Array.isArray(v)) return v.map((x, i) => ({ type: x.type, value: x.value, path: `${prefix}${key}[${i}]` }));
    return { type: v.type, value: v.value, path: `${prefix}${key}` };
  }

  // ---- the crawl (Medplum's crawler + ResourceValidator) ----

  private crawlObject(obj: TV, schema: InternalTypeSchema, path: string): void {
    const isRes = isResource(obj.value);
    if (isRes && obj !== this.root) this.resourceStack.push(obj.value);
    // Beyond Medplum: a datatype's own invariants (per-1, qty-3, ...) wherever the type is used.
    if (!isRes && obj !== this.root && schema.kind === 'complex-type') this.constraintsCheck(obj, schema.constraints);
    const raw = obj.value as Record<string, unknown> | undefined;
    for (const entry of this.entries(schema)) {
      const { key, element, dotted } = entry;
      if (!dotted && this.isAbsent(obj, raw, entry)) {
        // What Medplum does for an absent property, without building its value objects.
        if (element.min > 0) this.error(obj.path ? `${obj.path}.${key}` : key, 'Missing required property');
        continue;
      }
      const keyPath = `${path}.${key}`;
      const values = this.nested(obj, key);
      this.visitProperty(key, keyPath, values, schema);
      for (const pv of values) {
        if (!pv) continue;
        for (const value of arrayify(pv) as TV[]) {
          if (!(value.type === 'undefined' || value.type in JS_TYPES)) this.crawlObject(value, getDataType(value.type), keyPath);
        }
      }
    }
    this.checkAdditionalProperties(obj, schema.elements, obj.path);
    if (isRes && obj !== this.root) this.resourceStack.pop();
  }

  private entries(schema: InternalTypeSchema): Entry[] {
    let list = this.schemaEntries.get(schema);
    if (list === undefined) {
      list = Object.entries(schema.elements).map(([key, element]) => ({ key, element, dotted: key.includes('.'), planType: undefined, plan: null }));
      this.schemaEntries.set(schema, list);
    }
    return list;
  }

  /** True when the entry's key certainly has no value in `raw` (Medplum's lookup gives undefined). */
  private isAbsent(obj: TV, raw: Record<string, unknown> | undefined, entry: Entry): boolean {
    if (!raw) return true;
    if (typeof raw !== 'object') return false;
    if (entry.planType !== obj.type) {
      entry.plan = this.plan(obj.type, entry.key);
      entry.planType = obj.type;
    }
    const plan = entry.plan;
    if (plan === null) return false;
    for (const candidate of plan.candidates) {
      if (raw[candidate[0]] !== undefined || raw[candidate[2]] !== undefined) return false;
    }
    return true;
  }

  private visitProperty(key: string, path: string, values: (TV | TV[])[], schema: InternalTypeSchema): void {
    const element = schema.elements[key] as InternalSchemaElement;
    for (const value of values) {
      if (!Array.isArray(value) && value.value === undefined) {
        if (element.min > 0) this.error(value.path, 'Missing required property');
        return;
      }
      if (Array.isArray(value) && value.length === 0) {
        this.error(path, 'Invalid empty value');
        return;
      }
      let list: TV[];
      if (element.isArray) {
        if (!Array.isArray(value)) {
          this.error(path, 'Expected array of values for property');
          return;
        }
        list = value;
      } else {
        if (Array.isArray(value)) {
          this.error(path, 'Expected single value for property');
          return;
        }
        list = [value];
      }
      if (list.length < element.min || list.length > element.max) {
        this.error(element.path, `Invalid number of values: expected ${element.min}..${Number.isFinite(element.max) ? element.max : '*'}, but found ${list.length}`);
      }
      if (!matchesSpecified(value, element)) this.error(path, 'Value did not match expected pattern');
      const counts = element.slicing ? new Map(element.slicing.slices.map((s) => [s.name, 0])) : undefined;
      for (const item of list) {
        this.constraintsCheck(item, element.constraints);
        this.referenceCheck(item, element);
        if (item.type === 'undefined' || item.type in JS_TYPES) this.checkPrimitive(item);
        else if (isEmptyValue(item.value)) this.error(item.path, 'Invalid empty non-primitive value');
        const slice = element.slicing === undefined ? undefined : this.sliceOf(item, element.slicing);
        if (slice !== undefined && counts !== undefined) {
          counts.set(slice, (counts.get(slice) ?? 0) + 1);
          this.checkSliceMember(item, element.slicing?.slices.find((s) => s.name === slice), 0);
        }
      }
      if (element.slicing !== undefined && counts !== undefined) {
        for (const slice of element.slicing.slices) {
          const n = counts.get(slice.name) ?? 0;
          if (n < slice.min || n > slice.max) {
            this.error(path, `Incorrect number of values provided for slice '${slice.name}': expected ${slice.min}..${Number.isFinite(slice.max) ? slice.max : '*'}, but found ${n}`);
          }
        }
      }
    }
  }

  /**
   * Beyond Medplum: a value in a slice meets the slice's element rules (required elements present,
   * fixed and pattern values), and so on into slices nested in it.
   */
  private checkSliceMember(item: TV, slice: SliceDefinition | undefined, depth: number): void {
    if (slice === undefined || depth > 4 || typeof item.value !== 'object' || item.value === null) return;
    for (const [key, member] of Object.entries(slice.elements)) {
      if (member.min === 0 && !member.fixed && !member.pattern && !member.slicing) continue;
      for (const value of this.nested(item, key)) {
        if (!Array.isArray(value) && value.value === undefined) {
          if (member.min > 0) this.error(value.path, 'Missing required property');
          continue;
        }
        if (!matchesSpecified(value, member)) this.error(Array.isArray(value) ? `${item.path}.${key}` : value.path, 'Value did not match expected pattern');
        if (member.slicing === undefined) continue;
        for (const part of arrayify(value) as TV[]) {
          const name = this.sliceOf(part, member.slicing);
          if (name !== undefined) this.checkSliceMember(part, member.slicing.slices.find((s) => s.name === name), depth + 1);
        }
      }
    }
  }

  private sliceOf(value: TV, slicing: SlicingRules): string | undefined {
    for (const slice of slicing.slices) {
      if (slicing.discriminator.every((d) => arrayify(this.nestedPlain(value, d.path))?.some((v) => matchDiscriminant(v, d, slice)))) return slice.name;
    }
    return undefined;
  }

  private checkAdditionalProperties(parent: TV, properties: Record<string, InternalSchemaElement>, path: string): void {
    const object = parent.value as Record<string, unknown> | undefined;
    if (!object) return;
    const choices: Record<string, string> = {};
    for (const key of Object.keys(object)) {
      if (key === 'resourceType') continue;
      const choice = this.choiceOfType(parent, key, properties);
      if (choice) {
        const related = choice.startsWith('_') ? choice.slice(1) : `_${choice}`;
        const requiredRelated = choice.startsWith('_') ? key.slice(1) : `_${key}`;
        if (related in choices && choices[related] !== requiredRelated) {
          this.issues.push({ severity: 'warning', code: 'structure', path: choice, message: `Type of primitive extension does not match the type of property "${choice.startsWith('_') ? choice.slice(1) : choice}"` });
        }
        if (choices[choice]) this.issues.push({ severity: 'warning', code: 'structure', path: key, message: `Conflicting choice of type properties: "${key}", "${choices[choice]}"` });
        choices[choice] = key;
        continue;
      }
      if (!(key in properties) && !(key.startsWith('_') && key.slice(1) in properties)) {
        this.error(`${path}.${key}`, `Invalid additional property "${key}"`);
      }
    }
  }

  private choiceOfType(parent: TV, key: string, properties: Record<string, InternalSchemaElement>): string | undefined {
    let byKey = this.choiceNames.get(properties);
    if (byKey === undefined) {
      byKey = new Map();
      this.choiceNames.set(properties, byKey);
    }
    let found = byKey.get(key);
    if (found === undefined) {
      found = null;
      let prefix = '';
      let k = key;
      if (k.startsWith('_')) {
        k = k.slice(1);
        prefix = '_';
      }
      let test = '';
      for (const part of k.split(/(?=[A-Z])/g)) {
        test += part;
        const name = `${test}[x]`;
        if (properties[name]) {
          found = [test, prefix + name];
          break;
        }
      }
      byKey.set(key, found);
    }
    if (found === null) return undefined;
    return this.getProperty(parent, found[0]) ? found[1] : undefined;
  }

  private constraintsCheck(value: TV, constraints: readonly Constraint[] | undefined): void {
    if (constraints === undefined) return;
    for (const c of constraints) {
      if (c.severity !== 'error' || SKIPPED.has(c.key)) continue;
      if (!this.holds(c, value)) {
        this.issues.push({ severity: 'error', code: 'invariant', path: value.path, message: `Constraint ${c.key} not met: ${c.description}`, fhirpath: c.expression });
        return;
      }
    }
  }

  private holds(c: Constraint, value: TV): boolean {
    const shortcut = NATIVE_SHORTCUTS[c.expression];
    if (shortcut !== undefined && shortcut(value, this.choiceKeys!) === true) return true;
    let atom = this.atoms.get(c.expression);
    try {
      if (atom === undefined) {
        atom = parseFhirPath(c.expression);
        this.atoms.set(c.expression, atom);
      }
      const variables: Record<string, TypedValue> = { '%context': value, '%ucum': this.ucum };
      const current = this.resourceStack[this.resourceStack.length - 1];
      if (current !== undefined) variables['%resource'] = toTypedValue(current);
      variables['%rootResource'] = this.root;
      const result = atom.eval({ variables }, [value]);
      return result.length === 1 && result[0]?.value === true;
    } catch {
      this.issues.push({ severity: 'error', code: 'processing', path: value.path, message: 'Error evaluating invariant expression', fhirpath: c.expression });
      return false;
    }
  }

  private referenceCheck(value: TV, element: InternalSchemaElement): void {
    if (value.type !== 'Reference') return;
    const ref = value.value as { reference?: unknown } | undefined;
    if (!ref || typeof ref !== 'object' || typeof ref.reference !== 'string' || ref.reference.startsWith('#')) return;
    const type = ref.reference.includes('?') ? ref.reference.split('?')[0] : ref.reference.split('/')[0];
    if (!type) return;
    const targets = element.type.find((t) => t.code === 'Reference')?.targetProfile;
    if (!targets) return;
    for (const t of targets) {
      if (t === `${HL7_SD}Resource` || t === HL7_SD + type || t === MEDPLUM_SD + type || (!t.startsWith(HL7_SD) && !t.startsWith(MEDPLUM_SD))) return;
    }
    this.issues.push({ severity: 'warning', code: 'structure', path: value.path, message: `Invalid reference: got "${type}", expected "${targets.join('", "')}"` });
  }

  private checkPrimitive(tv: TV): void {
    let primitive: TV | undefined = tv;
    let extension: TV | undefined;
    if (typeof tv.value === 'object' && tv.value) {
      const raw = tv.value.valueOf();
      if (raw === tv.value) {
        primitive = undefined;
        extension = { type: 'Element', value: tv.value, path: tv.path };
      } else {
        const keys = new Set(Object.keys(raw));
        const extra = Object.entries(tv.value).filter(([k]) => !keys.has(k));
        primitive = { type: tv.type, value: raw, path: tv.path };
        extension = { type: 'Element', value: extra.length > 0 ? Object.fromEntries(extra) : undefined, path: tv.path };
      }
    }
    if (primitive) {
      const { type, value, path } = primitive;
      const expected = JS_TYPES[type];
      if (expected === undefined) {
        this.error(path, `Invalid JSON type: ${type} is not a valid FHIR type`);
        return;
      }
      if (typeof value !== expected) {
        if (value !== null) this.error(path, `Invalid JSON type: expected ${expected}, but got ${typeof value}`);
        return;
      }
      if (expected === 'string') this.checkString(value as string, type, path);
      else if (expected === 'number') this.checkNumber(value as number, type, path);
    }
    if (extension) this.crawlObject(extension, getDataType('Element'), tv.path);
  }

  private checkString(s: string, type: string, path: string): void {
    if (!s.trim()) {
      this.error(path, 'String must contain non-whitespace content');
      return;
    }
    if (s.length > 1024 * 1024) {
      this.error(path, 'String cannot be larger than 1 MB');
      return;
    }
    const ok = type === 'base64Binary' ? isBase64(s) : (FORMATS[type]?.test(s) ?? true);
    if (!ok) this.error(path, `Invalid ${type} format`);
    else if ((type === 'date' || type === 'dateTime' || type === 'instant') && !isCalendarDay(s)) this.error(path, `Invalid ${type}: no such day`);
  }

  private checkNumber(n: number, type: string, path: string): void {
    if (Number.isNaN(n) || !Number.isFinite(n)) this.error(path, 'Invalid numeric value');
    else if ((type === 'integer' || type === 'positiveInt' || type === 'unsignedInt') && !Number.isInteger(n)) this.error(path, 'Expected number to be an integer');
    else if (type === 'positiveInt' && n <= 0) this.error(path, 'Expected number to be positive');
    else if (type === 'unsignedInt' && n < 0) this.error(path, 'Expected number to be non-negative');
  }

  /** Medplum's null/undefined scan; paths are only built for the (rare) findings. */
  private checkNulls(obj: Record<string, unknown>, path: string | (() => string)): void {
    for (const key in obj) {
      const value = obj[key];
      if (value === null) {
        this.error(`${resolvePath(path)}.${key}`, 'Invalid null value');
      } else if (Array.isArray(value)) {
        let partner: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          if (item === undefined) {
            this.error(`${resolvePath(path)}.${key}[${i}]`, 'Invalid undefined value');
          } else if (item === null) {
            partner ??= obj[key.startsWith('_') ? key.slice(1) : `_${key}`] as unknown[] | undefined;
            if (!partner?.[i]) this.error(`${resolvePath(path)}.${key}[${i}]`, 'Invalid null value');
          } else if (typeof item === 'object') {
            this.checkNulls(item as Record<string, unknown>, () => `${resolvePath(path)}.${key}[${i}]`);
          }
        }
      } else if (typeof value === 'object') {
        this.checkNulls(value as Record<string, unknown>, () => `${resolvePath(path)}.${key}`);
      }
    }
  }

}

/**
 * The same language as the base64Binary pattern (`^([A-Za-z\d+/]{4})*([A-Za-z\d+/]{2}==|[A-Za-z\d+/]{3}=)?$`)
 * in one pass; the regex backtracks on large attachments.
 */
export function isBase64(s: string): boolean {
  const n = s.length;
  if (n % 4 !== 0) return false;
  let end = n;
  if (n > 0 && s.charCodeAt(n - 1) === 61) end = s.charCodeAt(n - 2) === 61 ? n - 2 : n - 1;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
    if (!ok) return false;
  }
  return true;
}

/**
 * Whether the day of a `YYYY-MM-DD...` value exists (the format regexes allow 30 February). Values
 * without a day are calendar-valid by construction.
 */
export function isCalendarDay(s: string): boolean {
  if (s.length < 10) return true;
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(5, 7));
  const day = Number(s.slice(8, 10));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day >= 1 && day <= days;
}

/** Medplum's `isEmpty` without allocating a key list. */
function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v === '';
  if (typeof v !== 'object') return false;
  if ('length' in v && (v as { length: number }).length > 0) return false;
  for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k)) return false;
  return true;
}

function resolvePath(path: string | (() => string)): string {
  return typeof path === 'string' ? path : path();
}

function typed(value: unknown, type: string): TypedValue {
  if (type === 'Resource' && isResource(value)) return { type: (value as { resourceType: string }).resourceType, value };
  return { type, value };
}

function findElement(elements: Record<string, InternalSchemaElement>, key: string): InternalSchemaElement | undefined {
  const direct = elements[key] ?? elements[`${key}[x]`];
  if (direct) return direct;
  for (let i = 0; i < key.length; i++) {
    const ch = key[i] as string;
    if (ch >= 'A' && ch <= 'Z') {
      const found = elements[`${key.slice(0, i)}[x]`];
      if (found) return found;
    }
  }
  return undefined;
}

function matchesSpecified(value: TV | TV[], element: InternalSchemaElement): boolean {
  if (!element.pattern && !element.fixed) return true;
  const tv = Array.isArray(value) ? value.map((v) => ({ type: v.type, value: v.value })) : { type: value.type, value: value.value };
  if (element.pattern && !deepIncludes(tv, element.pattern)) return false;
  if (element.fixed && !deepEquals(tv, element.fixed)) return false;
  return true;
}

function matchDiscriminant(value: TypedValue | TypedValue[] | undefined, d: SliceDiscriminator, slice: SliceDefinition): boolean {
  if (Array.isArray(value)) return false;
  const sliceElement = d.path === '$this' ? slice : slice.elements[d.path];
  switch (d.type) {
    case 'value':
    case 'pattern':
      if (!value || !sliceElement) return false;
      if (sliceElement.pattern) return deepIncludes(value, sliceElement.pattern);
      if (sliceElement.fixed) return deepEquals(value, sliceElement.fixed);
      if (sliceElement.binding?.strength === 'required' && sliceElement.binding.valueSet) return true;
      break;
    case 'type':
      if (!value || !slice.type?.length) return false;
      return slice.type.some((t) => t.code === value.type);
  }
  return false;
}
