/**
 * Assembles a note section by section while recording mentions: every fact written through
 * {@link SectionWriter.fact} is quoted exactly and tagged with its fact id, so template notes carry
 * the same gold annotations an LLM note must return.
 */
import type { NoteMention, NoteOutput, NoteSection } from '../note-output.js';

export class SectionWriter {
  private text = '';
  readonly mentions: NoteMention[] = [];

  /** Appends plain text. */
  add(text: string): this {
    this.text += text;
    return this;
  }

  /** Appends text that states a fact, and records the mention. */
  fact(text: string, factId: string): this {
    this.text += text;
    this.mentions.push({ text, factId });
    return this;
  }

  get value(): string {
    return this.text;
  }
}

export class NoteBuilder {
  private readonly sections: { heading: string; writer: SectionWriter }[] = [];

  constructor(private readonly title: string) {}

  section(heading: string): SectionWriter {
    const writer = new SectionWriter();
    this.sections.push({ heading, writer });
    return writer;
  }

  /** The text of the sections written so far, so a later section need not repeat what an earlier one said. */
  get written(): string {
    return this.sections.map((s) => s.writer.value).join('\n');
  }

  build(): NoteOutput {
    const sections: NoteSection[] = [];
    const mentions: NoteMention[] = [];
    for (const { heading, writer } of this.sections) {
      const text = writer.value.trim();
      if (text === '') continue;
      sections.push({ heading, text });
      mentions.push(...writer.mentions);
    }
    return { title: this.title, sections, mentions };
  }
}
