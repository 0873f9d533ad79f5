/**
 * Choosing LSH bands × rows the way datasketch's `_optimal_param` and text-dedup's `optimal_param`
 * do: with b bands of r rows, a pair of Jaccard similarity s becomes a candidate with probability
 * P(s) = 1 − (1 − s^r)^b (the S-curve). The false-positive area is ∫₀ᵗ P(s) ds, the false-negative
 * area ∫ₜ¹ (1 − P(s)) ds, and the chosen (b, r) minimizes their weighted sum over b·r ≤ num_perm.
 *
 * Unlike those two, Chartwright adds a recall floor: P(t) ≥ `minRecallAtThreshold` (0.99), so a
 * pair right at the threshold is caught 99 times in 100. The unconstrained optimum (at 128
 * permutations and t = 0.8: 9 bands × 13 rows) puts t in the middle of the curve, P(0.8) ≈ 0.40,
 * which is fine for shrinking a web corpus but not for a guard. The extra candidates the floor lets
 * through cost only their exact-Jaccard confirmation.
 */

export interface LshParamsRequest {
  readonly threshold: number;
  readonly numPerm: number;
  readonly falsePositiveWeight: number;
  readonly falseNegativeWeight: number;
  /** Least P(threshold) accepted; 0 for the plain datasketch optimum. */
  readonly minRecallAtThreshold: number;
}

export interface LshParams {
  readonly bands: number;
  readonly rows: number;
  readonly falsePositiveArea: number;
  readonly falseNegativeArea: number;
}

/** P(candidate | Jaccard s) with b bands of r rows. */
export function candidateProbability(s: number, bands: number, rows: number): number {
  return 1 - Math.pow(1 - Math.pow(s, rows), bands);
}

// Composite Simpson's rule on 100 intervals. The integrands are smooth, and the choice it leads to
// is the one 1,000 intervals (or scipy's quad, which datasketch uses) lead to, for every threshold
// from 0.5 to 0.95 in steps of 0.05 at 32 to 256 permutations; it keeps the search to ~20 ms.
function integrate(f: (s: number) => number, from: number, to: number): number {
  const n = 100;
  const h = (to - from) / n;
  let sum = f(from) + f(to);
  for (let i = 1; i < n; i++) sum += f(from + i * h) * (i % 2 === 1 ? 4 : 2);
  return (sum * h) / 3;
}

export function falsePositiveArea(threshold: number, bands: number, rows: number): number {
  return integrate((s) => candidateProbability(s, bands, rows), 0, threshold);
}

export function falseNegativeArea(threshold: number, bands: number, rows: number): number {
  return integrate((s) => 1 - candidateProbability(s, bands, rows), threshold, 1);
}

/** The (bands, rows) of least weighted error that meets the recall floor (see the module comment). */
export function optimalLshParams(request: LshParamsRequest): LshParams {
  const { threshold: t, numPerm } = request;
  let best: LshParams | undefined;
  let bestError = Infinity;
  for (let b = 1; b <= numPerm; b++) {
    for (let r = 1; r <= Math.floor(numPerm / b); r++) {
      if (candidateProbability(t, b, r) < request.minRecallAtThreshold) continue;
      const fp = falsePositiveArea(t, b, r);
      const fn = falseNegativeArea(t, b, r);
      const error = fp * request.falsePositiveWeight + fn * request.falseNegativeWeight;
      if (error < bestError) {
        bestError = error;
        best = { bands: b, rows: r, falsePositiveArea: fp, falseNegativeArea: fn };
      }
    }
  }
  // b = numPerm, r = 1 has P(t) = 1 − (1 − t)^numPerm, so a floor below that is always met.
  if (best === undefined) throw new RangeError(`no bands × rows within ${numPerm} permutations reach P(${t}) >= ${request.minRecallAtThreshold}`);
  return best;
}
