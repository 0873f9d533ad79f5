/** Gestational age as charts write it: decimal weeks for the Observation, "39 weeks 2 days" for the text. */

/** Completed days over 7, to two decimals (39 weeks 2 days is 39.29 wk); {@link gestationalAgeDays} inverts it. */
export function gestationalAgeWeeks(days: number): number {
  return Math.round((days / 7) * 100) / 100;
}

/** The completed days a charted decimal-weeks value stands for. */
export function gestationalAgeDays(weeks: number): number {
  return Math.round(weeks * 7);
}

/** "39 weeks 2 days", "37 weeks" (no "0 days"), "38 weeks 1 day". */
export function gestationalAgeText(days: number): string {
  const weeks = Math.floor(days / 7);
  const rest = days % 7;
  return rest === 0 ? `${weeks} weeks` : `${weeks} weeks ${rest} ${rest === 1 ? 'day' : 'days'}`;
}
