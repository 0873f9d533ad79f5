import type { FidelityMeasure, FidelityTargets } from '../knowledge/fidelity-targets.js';
import type { PatientFacts } from './patient-facts.js';

/** `pass` within the band, `fail` outside it, `insufficient-data` when the denominator is too small to judge. */
export type FidelityStatus = 'pass' | 'fail' | 'insufficient-data';

/** One row of the prevalence table. Proportions are 0..1; a mean-difference row reports points. */
export interface FidelityRow {
  readonly id: string;
  readonly label: string;
  readonly kind: FidelityMeasure['kind'];
  readonly usFigure: string;
  readonly source: string;
  /** Living patients in the measure's population (with a value, for value-based measures). */
  readonly denominator: number;
  readonly numerator: number;
  /** Proportion, or for mean-difference the difference of means; null when undefined. */
  readonly value: number | null;
  /** Human-readable target, e.g. `30-55%` or `>= 1.0 point higher`. */
  readonly target: string;
  readonly status: FidelityStatus;
  /** mean-difference only: group means and sizes. */
  readonly groups?: { readonly inGroup: { n: number; mean: number | null }; readonly others: { n: number; mean: number | null } };
}

interface Tally {
  numerator: number;
  denominator: number;
  groupSum: number;
  groupN: number;
  otherSum: number;
  otherN: number;
}

/** LOINC codes whose latest values the measures read; pass to {@link patientFacts}. */
export function measureLoincs(targets: FidelityTargets): Set<string> {
  const out = new Set<string>();
  for (const m of targets.measures) if ('loinc' in m) out.add(m.loinc);
  return out;
}

function inPopulation(m: FidelityMeasure, facts: PatientFacts): boolean {
  if (!facts.living || facts.age === undefined) return false;
  return facts.age >= m.population.minAge && (m.population.maxAge === undefined || facts.age <= m.population.maxAge);
}

function anyOf(codes: readonly string[], have: ReadonlySet<string>): boolean {
  return codes.some((c) => have.has(c));
}

const percent = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/**
 * Accumulates the prevalence table over a stream of patients in O(measures) memory: call
 * {@link FidelityTable.add} per patient, then {@link FidelityTable.rows}.
 */
export class FidelityTable {
  private readonly tallies: Tally[];

  constructor(private readonly targets: FidelityTargets) {
    this.tallies = targets.measures.map(() => ({ numerator: 0, denominator: 0, groupSum: 0, groupN: 0, otherSum: 0, otherN: 0 }));
  }

  add(facts: PatientFacts): void {
    this.targets.measures.forEach((m, i) => {
      if (!inPopulation(m, facts)) return;
      const t = this.tallies[i]!;
      switch (m.kind) {
        case 'condition':
          t.denominator++;
          if (anyOf(m.codes, facts.activeConditions)) t.numerator++;
          return;
        case 'latest-quantity': {
          const v = facts.latest.get(m.loinc)?.quantity;
          if (v === undefined) return;
          t.denominator++;
          if (v >= m.atLeast) t.numerator++;
          return;
        }
        case 'latest-coded': {
          const v = facts.latest.get(m.loinc);
          if (v === undefined) return;
          t.denominator++;
          if (anyOf(m.valueCodes, new Set(v.codes))) t.numerator++;
          return;
        }
        case 'untreated':
          if (!anyOf(m.codes, facts.activeConditions)) return;
          t.denominator++;
          if (anyOf(m.codes, facts.untreatedConditions)) t.numerator++;
          return;
        case 'immunization':
          t.denominator++;
          if (anyOf(m.cvx, facts.vaccines)) t.numerator++;
          return;
        case 'mean-difference': {
          const v = facts.latest.get(m.loinc)?.quantity;
          if (v === undefined) return;
          t.denominator++;
          if (anyOf(m.groupCodes, facts.activeConditions)) {
            t.numerator++;
            t.groupSum += v;
            t.groupN++;
          } else {
            t.otherSum += v;
            t.otherN++;
          }
          return;
        }
      }
    });
  }

  rows(): FidelityRow[] {
    const min = this.targets.minDenominator;
    return this.targets.measures.map((m, i) => {
      const t = this.tallies[i]!;
      const common = { id: m.id, label: m.label, kind: m.kind, usFigure: m.usFigure, source: m.source, denominator: t.denominator, numerator: t.numerator };
      if (m.kind === 'mean-difference') {
        const groupMean = t.groupN === 0 ? null : t.groupSum / t.groupN;
        const otherMean = t.otherN === 0 ? null : t.otherSum / t.otherN;
        const value = groupMean === null || otherMean === null ? null : groupMean - otherMean;
        const enough = t.denominator >= min && t.groupN >= m.minGroupSize && t.otherN >= m.minGroupSize;
        return {
          ...common,
          value,
          target: `>= ${m.minDifference.toFixed(1)} point higher`,
          status: !enough || value === null ? 'insufficient-data' : value >= m.minDifference ? 'pass' : 'fail',
          groups: { inGroup: { n: t.groupN, mean: groupMean }, others: { n: t.otherN, mean: otherMean } },
        };
      }
      const value = t.denominator === 0 ? null : t.numerator / t.denominator;
      return {
        ...common,
        value,
        target: `${percent(m.band.min)}-${percent(m.band.max)}`,
        status: t.denominator < min || value === null ? 'insufficient-data' : value >= m.band.min && value <= m.band.max ? 'pass' : 'fail',
      };
    });
  }
}
