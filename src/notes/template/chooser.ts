/**
 * Deterministic choices for the template writer, drawn from the note's own stream
 * ({@link TextSeededStream}, seeded from the note's id), so the same record always gives the same text.
 */
import { TextSeededStream } from '../../core/random.js';

export class Chooser {
  private readonly stream: TextSeededStream;

  constructor(seed: string) {
    this.stream = new TextSeededStream(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.stream.next();
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Some of the items (each kept with probability p), in their order; at least `min`. */
  some<T>(items: readonly T[], p: number, min = 0): T[] {
    const kept = items.filter(() => this.chance(p));
    for (const item of items) {
      if (kept.length >= min) break;
      if (!kept.includes(item)) kept.push(item);
    }
    return kept;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}
