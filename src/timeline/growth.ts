/**
 * CDC LMS growth-chart arithmetic: value at a z-score, z-score of a value, and percentiles.
 * (Cole's LMS method: X = M (1 + L S z)^(1/L), or M exp(S z) when L = 0.)
 */
import type { GrowthChart } from '../knowledge/growth-charts.js';
import type { AdministrativeSex } from '../record/types.js';

export interface Lms {
  readonly l: number;
  readonly m: number;
  readonly s: number;
}

/** L, M and S at x (age in months or length in cm), interpolated; clamped to the chart's range. */
export function lmsAt(chart: GrowthChart, sex: AdministrativeSex, x: number): Lms {
  const rows = sex === 'male' ? chart.male : chart.female;
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  if (x <= first[0]) return { l: first[1], m: first[2], s: first[3] };
  if (x >= last[0]) return { l: last[1], m: last[2], s: last[3] };
  let lo = 0;
  let hi = rows.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]![0] <= x) lo = mid;
    else hi = mid;
  }
  const a = rows[lo]!;
  const b = rows[hi]!;
  const t = (x - a[0]) / (b[0] - a[0]);
  return { l: a[1] + t * (b[1] - a[1]), m: a[2] + t * (b[2] - a[2]), s: a[3] + t * (b[3] - a[3]) };
}

/** The measurement at a z-score. */
export function valueAtZ(lms: Lms, z: number): number {
  if (Math.abs(lms.l) < 1e-9) return lms.m * Math.exp(lms.s * z);
  const base = 1 + lms.l * lms.s * z;
  // Far tails of a negative-L chart have no value; stay at the edge of the defined range.
  return lms.m * Math.pow(Math.max(base, 1e-6), 1 / lms.l);
}

/** The z-score of a measurement. */
export function zOfValue(lms: Lms, value: number): number {
  if (Math.abs(lms.l) < 1e-9) return Math.log(value / lms.m) / lms.s;
  return (Math.pow(value / lms.m, lms.l) - 1) / (lms.l * lms.s);
}

/** Standard normal CDF (Abramowitz and Stegun 7.1.26 via erf; error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** Percentile (0–100) of a measurement on a chart. */
export function percentileOf(chart: GrowthChart, sex: AdministrativeSex, x: number, value: number): number {
  return 100 * normalCdf(zOfValue(lmsAt(chart, sex, x), value));
}
