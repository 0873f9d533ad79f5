/**
 * Eras as data: when each coded item came into US practice (with its source) and what was used
 * before it. The engine asks for the era's choice of an item at a date; `check` flags any item used
 * outside its period. Every drug, procedure, lab code and vaccine the knowledge can emit must have a
 * period, or the knowledge fails to load.
 */
import { z } from 'zod';
import { KnowledgeError } from '../errors.js';
import { acuteModules } from './acute.js';
import { conditionModules } from './conditions.js';
import { loadImmunizations } from './immunizations.js';
import { eraValueModels, loadLabs, type EraValueModel } from './labs.js';
import { loadKnowledgeFile, once } from './load.js';
import { loadPathways } from './pathways.js';
import { loadPregnancy } from './pregnancy.js';
import { loadPregnancyMedications } from './pregnancy-medications.js';
import { loadScreening } from './screening.js';
import type { CodingSchema } from './schemas.js';

type Coding = z.infer<typeof CodingSchema>;

/** Short names of the code systems the table covers, and their FHIR system URIs. */
export const SYSTEMS = {
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  nucc: 'http://nucc.org/provider-taxonomy',
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  /**
   * Products of an era no standard terminology still carries (RxNorm holds no U-40 or U-80 animal
   * insulin): charted under the project's own code system rather than a code that did not exist.
   */
  historical: 'https://chartwright.dev/fhir/CodeSystem/historical-medication',
} as const;

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

const ItemSchema = z.strictObject({
  system: z.enum(Object.keys(SYSTEMS) as [keyof typeof SYSTEMS]),
  code: z.string().min(1),
  display: z.string().min(1),
  from: IsoDate,
  until: IsoDate.optional(),
  source: z.string().min(1),
  /** Codes used before `from`, tried in order; each has its own entry. Same system, or `<system>:<code>` for another (`historical:nph-insulin-u40`). */
  alternatives: z.array(z.string()).default([]),
  /**
   * How an alternative stands in. `recode` (the default): the same quantity by the era's method (a
   * manual white count for the automated one), so the value is kept under the older code.
   * `value-model`: a different analyte (fasting glucose for HbA1c), whose value the engine computes
   * with a model in labs.json; relabelling the value would chart an A1c of 7.9 as a glucose of 7.9.
   */
  substitute: z.enum(['recode', 'value-model']).default('recode'),
});

/**
 * How patients move to a newer drug of their line once it is marketed: each order decides once
 * whether to stay on what works (`neverShare`), and the others change at each later visit with
 * `perVisitShare`.
 */
const EraSwitchSchema = z.strictObject({
  neverShare: z.number().min(0).max(1),
  perVisitShare: z.number().gt(0).max(1),
  /** The stop reason's words after "Changed to <drug>: ". */
  reason: z.string().min(1),
  /** The stop reason's words when the product itself left the market (past its `until`). */
  withdrawnReason: z.string().min(1),
  source: z.string().min(1),
});

export const AvailabilitySchema = z.strictObject({ source: z.string(), eraSwitch: EraSwitchSchema, items: z.array(ItemSchema).min(1) });
export type Availability = z.infer<typeof AvailabilitySchema>;

/** One item's period, as instants (ms since epoch, UTC). */
export interface Period {
  readonly coding: Coding;
  readonly from: number;
  readonly until: number;
  readonly source: string;
  readonly alternatives: readonly string[];
  readonly substitute: 'recode' | 'value-model';
}

const keyOf = (system: string, code: string): string => `${system}|${code}`;

/** The table key of an alternative of an item in `system`: its own system when named (`historical:...`), else the item's. */
function alternativeKey(system: string, alt: string): string {
  const i = alt.indexOf(':');
  const named = i > 0 ? (SYSTEMS as Record<string, string>)[alt.slice(0, i)] : undefined;
  return named === undefined ? keyOf(system, alt) : keyOf(named, alt.slice(i + 1));
}

/** Indexes the table by `system|code`, refusing duplicates and dangling alternatives. */
export function indexAvailability(table: Availability): ReadonlyMap<string, Period> {
  const out = new Map<string, Period>();
  for (const item of table.items) {
    const system = SYSTEMS[item.system];
    const key = keyOf(system, item.code);
    if (out.has(key)) throw new KnowledgeError(`availability.yaml lists ${item.system} ${item.code} twice`);
    const from = Date.parse(`${item.from}T00:00:00Z`);
    const until = item.until === undefined ? Infinity : Date.parse(`${item.until}T00:00:00Z`);
    if (!(from < until)) throw new KnowledgeError(`availability.yaml: ${item.system} ${item.code} ends before it begins`);
    out.set(key, { coding: { system, code: item.code, display: item.display }, from, until, source: item.source, alternatives: item.alternatives, substitute: item.substitute });
  }
  for (const p of out.values()) {
    for (const alt of p.alternatives) {
      if (!out.has(alternativeKey(p.coding.system, alt))) throw new KnowledgeError(`availability.yaml: alternative ${alt} of ${p.coding.code} has no entry`);
    }
  }
  return out;
}

/** Every drug the knowledge can prescribe (condition medication lines, acute-care courses, pregnancy's replacements). */
function prescribableDrugs(): Coding[] {
  return [
    ...conditionModules().flatMap((m) => m.medications.map((s) => s.medication)),
    ...loadPregnancyMedications().replacements.map((r) => r.medication),
    ...acuteModules().flatMap((m) => m.medications.flatMap((slot) => slot.options.map((o) => o.medication))),
  ];
}

/** SNOMED CT semantic tags of the acts the record charts as Procedures (findings and disorders are Conditions). */
const ACT_TAG = /\((procedure|regime\/therapy)\)$/;

/**
 * Every coding under `tree` that the record can chart as a dated act: all LOINC codes (lab results,
 * panels) and the SNOMED CT procedures and regimes. Walks the parsed knowledge, so a code added to
 * any of these files is covered without a list to keep in step.
 */
function actCodings(tree: unknown, out: Coding[] = []): Coding[] {
  if (Array.isArray(tree)) {
    for (const x of tree) actCodings(x, out);
  } else if (tree !== null && typeof tree === 'object') {
    const o = tree as Record<string, unknown>;
    if (typeof o['system'] === 'string' && typeof o['code'] === 'string' && typeof o['display'] === 'string') {
      const c = o as Coding;
      if (c.system === SYSTEMS.loinc || (c.system === SYSTEMS.snomed && ACT_TAG.test(c.display))) out.push(c);
    } else {
      for (const v of Object.values(o)) actCodings(v, out);
    }
  }
  return out;
}

/** Every procedure, lab code and vaccine the knowledge can emit, with the drugs. */
function emittableCodes(): Coding[] {
  const vaccines = loadImmunizations().vaccines.map((v) => ({ system: SYSTEMS.cvx, code: v.cvx, display: v.display }));
  // A screening program's code is charted as its act whatever its SNOMED CT tag.
  const screens = loadScreening().programs.map((p) => p.code);
  const acts = actCodings([
    loadLabs(),
    loadPregnancy(),
    loadPathways(),
    acuteModules(),
    conditionModules(),
  ]);
  return [...prescribableDrugs(), ...screens, ...acts, ...vaccines];
}

/** Throws a KnowledgeError naming every item the knowledge can emit that `index` gives no period. */
export function assertComplete(index: ReadonlyMap<string, Period>): void {
  const missing = [...new Set(emittableCodes().filter((c) => !index.has(keyOf(c.system, c.code))).map((c) => `${c.code} (${c.display})`))];
  if (missing.length > 0) throw new KnowledgeError(`availability.yaml has no period for ${missing.join(', ')}`);
}

/** Throws a KnowledgeError naming every value-model alternative that labs.json gives no model for. */
export function assertValueModels(index: ReadonlyMap<string, Period>, models: readonly EraValueModel[] = eraValueModels(loadLabs())): void {
  const missing: string[] = [];
  for (const p of index.values()) {
    if (p.substitute !== 'value-model') continue;
    for (const alt of p.alternatives) {
      if (!models.some((m) => m.from === p.coding.code && m.to.code === alt)) missing.push(`${p.coding.code} -> ${alt}`);
    }
  }
  if (missing.length > 0) throw new KnowledgeError(`availability.yaml: no labs.json value model for the substitute ${missing.join(', ')}`);
}

const loadAvailability = once(() => loadKnowledgeFile('availability.yaml', AvailabilitySchema));

/** How patients change to a newer drug of their line (availability.yaml `eraSwitch`). */
export function loadEraSwitch(): z.infer<typeof EraSwitchSchema> {
  return loadAvailability().eraSwitch;
}

/** The table, checked complete: an emitted item without a period is a knowledge error. */
export const availability = once((): ReadonlyMap<string, Period> => {
  const index = indexAvailability(loadAvailability());
  assertComplete(index);
  assertValueModels(index);
  return index;
});

/** The item's period, or undefined when the table does not cover its code. */
export function periodOf(system: string, code: string): Period | undefined {
  return availability().get(keyOf(system, code));
}

/**
 * What a clinician would have used for `coding` at `at` (ms): the item itself inside its period,
 * else the first alternative of its era (recursively), else undefined (the record leaves it out).
 * Items the table does not cover are taken as always available.
 */
export function eraChoice(coding: Coding, at: number): Coding | undefined {
  const seen = new Set<string>();
  const pick = (c: Coding): Coding | undefined => {
    const p = periodOf(c.system, c.code);
    if (p === undefined) return c;
    if (at >= p.from && at < p.until) return c;
    seen.add(keyOf(c.system, c.code));
    for (const alt of p.alternatives) {
      const key = alternativeKey(c.system, alt);
      if (seen.has(key)) continue;
      const found = pick(availability().get(key)!.coding);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return pick(coding);
}
