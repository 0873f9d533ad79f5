/**
 * Text assembled from literal pieces and tagged PHI values, recording each value's offsets as it
 * goes: the header and footer of a note know where their PHI is by construction, not by search.
 */
import { phiCategoryOf, type PhiSpan, type PhiType } from './phi-tags.js';

export class TaggedText {
  private text = '';
  private readonly tagged: PhiSpan[] = [];

  /** Appends literal text. */
  add(literal: string): this {
    this.text += literal;
    return this;
  }

  /** Appends a PHI value tagged with its i2b2 2014 type. */
  tag(value: string, type: PhiType): this {
    if (value === '') return this;
    const start = this.text.length;
    this.text += value;
    this.tagged.push({ start, end: start + value.length, text: value, type, category: phiCategoryOf(type) });
    return this;
  }

  /** Appends another tagged text, shifting its spans. */
  append(other: TaggedText): this {
    const offset = this.text.length;
    this.text += other.text;
    for (const s of other.tagged) this.tagged.push({ ...s, start: s.start + offset, end: s.end + offset });
    return this;
  }

  get length(): number {
    return this.text.length;
  }

  toString(): string {
    return this.text;
  }

  /** The spans, shifted to where this text starts in a larger one. */
  spansAt(offset: number): PhiSpan[] {
    return this.tagged.map((s) => ({ ...s, start: s.start + offset, end: s.end + offset }));
  }
}
