/**
 * Usage accounting for a run: requests and tokens per note type (or any label), split into billed
 * calls and cache hits, and the estimated cost from a price table. The manifest and the summary
 * line read {@link UsageLedger.summary}.
 */
import { addUsage, NO_USAGE, type TokenUsage } from './note-model.js';
import { estimateCost, type PriceTable } from './price-table.js';

export interface UsageLine {
  /** Calls that reached the model (each may include a repair round). */
  readonly requests: number;
  /** Calls answered from the cache: free. */
  readonly cachedRequests: number;
  /** Billed tokens (cache hits excluded). */
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Estimated cost of the billed tokens; null when the model has no price. */
  readonly cost: number | null;
}

export interface UsageSummary {
  readonly model: string;
  readonly currency: string;
  readonly byLabel: Readonly<Record<string, UsageLine>>;
  readonly total: UsageLine;
}

interface Tally {
  requests: number;
  cachedRequests: number;
  usage: TokenUsage;
}

export class UsageLedger {
  private readonly tallies = new Map<string, Tally>();

  /** Counts one call under `label` (default `unlabelled`). */
  record(label: string | undefined, usage: TokenUsage, cached: boolean): void {
    const key = label ?? 'unlabelled';
    const tally = this.tallies.get(key) ?? { requests: 0, cachedRequests: 0, usage: NO_USAGE };
    if (cached) tally.cachedRequests++;
    else {
      tally.requests++;
      tally.usage = addUsage(tally.usage, usage);
    }
    this.tallies.set(key, tally);
  }

  /** Per-label and total lines, labels sorted, with costs when the model has a price. */
  summary(model: string, prices?: PriceTable): UsageSummary {
    const line = (t: Tally): UsageLine => {
      const cost = prices === undefined ? undefined : estimateCost(prices, model, t.usage);
      return {
        requests: t.requests,
        cachedRequests: t.cachedRequests,
        promptTokens: t.usage.promptTokens,
        completionTokens: t.usage.completionTokens,
        cost: cost ?? null,
      };
    };
    const byLabel: Record<string, UsageLine> = {};
    const total: Tally = { requests: 0, cachedRequests: 0, usage: NO_USAGE };
    for (const label of [...this.tallies.keys()].sort()) {
      const t = this.tallies.get(label)!;
      byLabel[label] = line(t);
      total.requests += t.requests;
      total.cachedRequests += t.cachedRequests;
      total.usage = addUsage(total.usage, t.usage);
    }
    return { model, currency: prices?.currency ?? 'USD', byLabel, total: line(total) };
  }
}
