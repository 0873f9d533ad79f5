/**
 * What a writer returns for one note: a title, sections, and the mentions it used, each the exact
 * text of the note that states a fact and the id of that fact. The zod schema follows OpenAI's
 * strict structured-output rules (every property required, no optional fields, objects closed),
 * so it can go to `response_format: json_schema` as is.
 */
import { z } from 'zod';

export const noteSectionSchema = z.object({
  heading: z.string().describe('Section heading as it appears in the note, e.g. "Assessment and Plan"'),
  text: z.string().describe('Section body, plain text'),
});

export const noteMentionSchema = z.object({
  text: z.string().describe('Exact substring of the note that states the fact'),
  factId: z.string().describe('Id of the fact-sheet fact the text states, e.g. "vital.bp"'),
});

export const noteOutputSchema = z.object({
  title: z.string().describe('Document title, e.g. "Progress Note"'),
  sections: z.array(noteSectionSchema).min(1),
  mentions: z.array(noteMentionSchema),
});

export type NoteSection = z.infer<typeof noteSectionSchema>;
export type NoteMention = z.infer<typeof noteMentionSchema>;
export type NoteOutput = z.infer<typeof noteOutputSchema>;

/** Name of the schema in `response_format` (OpenAI allows `[a-zA-Z0-9_-]{1,64}`). */
export const NOTE_OUTPUT_SCHEMA_NAME = 'clinical_note';

/**
 * The note as plain text: the one rendering that is stored (`.txt`, DocumentReference attachment)
 * and that the grounding checks read, so spans in violations point into exactly what users see.
 */
export function noteToText(note: NoteOutput): string {
  const parts = [note.title.trim()];
  for (const section of note.sections) parts.push(`${section.heading.trim()}:\n${section.text.trim()}`);
  return `${parts.join('\n\n')}\n`;
}
