/**
 * CDC LMS growth-chart arithmetic: value at a z-score, z-score of a value, and percentiles
 * (Cole's LMS method: X = M (1 + L S z)^(1/L), or M exp(S z) when L = 0), with the CDC 2022
 * extended BMI-for-age method above the 95th percentile, where the LMS formula of a negative-L chart
 * runs out of values (Wei et al., Am J Clin Nutr 2020; CDC Extended BMI-for-age growth charts, 2022).
 * Kept in `knowledge` because both the engine and `check` compute with it.
 */
import type { GrowthChart, GrowthCharts } from './growth-charts.js';

/** The sexes the charts tabulate. */
export type ChartSex = 'male' | 'female';

export interface Lms {
  readonly l: number;
  readonly m: number;
  readonly s: number;
}

/** L, M and S at x (age in months or length in cm), interpolated; clamped to the chart's range. */
export function lmsAt(chart: GrowthChart, sex: ChartSex, x: number): Lms {
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

/**
 * The CDC "modified" z-score used to flag biologically implausible values: distances from the
 * median in units of half the distance to z = ±2, so that the far tails stay linear.
 */
export function modifiedZOfValue(lms: Lms, value: number): number {
  if (value >= lms.m) return (value - lms.m) / (0.5 * (valueAtZ(lms, 2) - lms.m));
  return (value - lms.m) / (0.5 * (lms.m - valueAtZ(lms, -2)));
}

/** Standard normal CDF (Abramowitz and Stegun 7.1.26 via erf; error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** Inverse standard normal CDF (Acklam's rational approximation; relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const tail = (q: number): number =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** Percentile (0–100) of a measurement on a chart. */
export function percentileOf(chart: GrowthChart, sex: ChartSex, x: number, value: number): number {
  return 100 * normalCdf(zOfValue(lmsAt(chart, sex, x), value));
}

type Extended = GrowthCharts['extendedBmiForAge'];

/** The z-score of the 95th percentile, where the extended method takes over. */
const Z95 = 1.6448536269514722;

/** The extended method's scale (kg/m²) at an age: a quadratic in years, by sex. */
function extendedSigma(extended: Extended, sex: ChartSex, months: number): number {
  const [c0, c1, c2] = extended.sigma[sex];
  const years = months / 12;
  return c0 + c1 * years + c2 * years * years;
}

/**
 * BMI at an (extended) z-score: the LMS value up to the 95th percentile, above it the 95th
 * percentile plus σ·Φ⁻¹((P − 90)/10), P the percentile of z, which grows without bound but stays finite.
 */
export function bmiAtZ(charts: GrowthCharts, sex: ChartSex, months: number, z: number): number {
  const lms = lmsAt(charts.charts.bmiForAge, sex, months);
  if (z <= Z95) return valueAtZ(lms, z);
  // (P − 90)/10 = 1 − 10·(1 − Φ(z)), computed on the upper tail for precision.
  const upper = 10 * normalCdf(-z);
  return valueAtZ(lms, Z95) - extendedSigma(charts.extendedBmiForAge, sex, months) * normalQuantile(upper);
}

/** BMI percentile (0–100) by the extended method: LMS below the 95th percentile, 90 + 10·Φ((BMI − P95)/σ) above it. */
export function bmiPercentileOf(charts: GrowthCharts, sex: ChartSex, months: number, bmi: number): number {
  const lms = lmsAt(charts.charts.bmiForAge, sex, months);
  const p95 = valueAtZ(lms, Z95);
  if (bmi < p95) return 100 * normalCdf(zOfValue(lms, bmi));
  return 90 + 10 * normalCdf((bmi - p95) / extendedSigma(charts.extendedBmiForAge, sex, months));
}
