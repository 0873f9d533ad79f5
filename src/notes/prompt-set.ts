/**
 * The prompts: `prompts/system.md` (shared) and `prompts/<note-type>.md`, rendered with
 * `@langchain/core` chat prompt templates (f-string syntax: `{fact_sheet}` and `{instructions}`;
 * write literal braces as `{{` and `}}`). Each note records the sha256 of the two templates it was
 * written from, so a changed prompt is visible in the output and misses the response cache.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import type { BaseMessage } from '@langchain/core/messages';
import { KnowledgeError } from '../errors.js';
import { renderFactSheet } from './fact-sheet-text.js';
import { NOTE_TYPES, type FactSheet, type NoteType } from './facts.js';
import type { ChatMessage } from './llm/note-model.js';

/** The bundled prompts folder (the same path from `src/notes` and `dist/notes`). */
export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL('../../prompts', import.meta.url));

export interface RenderedPrompt {
  readonly messages: readonly ChatMessage[];
  /** sha256 (hex) of the system and note-type templates. */
  readonly promptHash: string;
}

export interface PromptSet {
  readonly dir: string;
  /** Template hash per note type. */
  readonly hashes: Readonly<Record<NoteType, string>>;
  /** The messages for one note: the sheet rendered as text, plus free instructions (default none). */
  render(sheet: FactSheet, instructions?: string): Promise<RenderedPrompt>;
}

/** Loads and checks every template; a missing file or an unknown variable fails here, not mid-run. */
export async function loadPromptSet(dir: string = DEFAULT_PROMPTS_DIR): Promise<PromptSet> {
  const templates = new Map<NoteType, ChatTemplate>();
  const hashes = {} as Record<NoteType, string>;
  for (const noteType of NOTE_TYPES) {
    const template = await loadChatTemplate(dir, 'system.md', `${noteType}.md`, ['fact_sheet', 'instructions']);
    templates.set(noteType, template);
    hashes[noteType] = template.hash;
  }
  return {
    dir,
    hashes,
    render(sheet, instructions = '') {
      return templates.get(sheet.encounter.noteType)!.render({ fact_sheet: renderFactSheet(sheet), instructions });
    },
  };
}

/** A two-message prompt (system, human) read from files, checked for its variables, with its hash. */
export interface ChatTemplate {
  /** sha256 (hex) of the two templates. */
  readonly hash: string;
  render(variables: Readonly<Record<string, string>>): Promise<RenderedPrompt>;
}

/**
 * Loads `systemFile` and `bodyFile` of `dir` as one prompt whose variables must be among `allowed`
 * (the corpus's task prompts); a missing file or an unknown variable fails here, not mid-run.
 */
export async function loadChatTemplate(dir: string, systemFile: string, bodyFile: string, allowed: readonly string[]): Promise<ChatTemplate> {
  const system = await readTemplate(dir, systemFile);
  const body = await readTemplate(dir, bodyFile);
  let template: ChatPromptTemplate;
  try {
    template = ChatPromptTemplate.fromMessages([
      ['system', system],
      ['human', body],
    ]);
  } catch (error) {
    throw new KnowledgeError(`${join(dir, bodyFile)}: not a valid prompt template: ${(error as Error).message}`, { cause: error });
  }
  const unknown = template.inputVariables.filter((v) => !allowed.includes(v));
  if (unknown.length > 0) {
    throw new KnowledgeError(`${join(dir, bodyFile)}: unknown template variable ${unknown.map((v) => `{${v}}`).join(', ')} (allowed: ${allowed.map((v) => `{${v}}`).join(', ')})`);
  }
  const hash = createHash('sha256').update(system).update('\0').update(body).digest('hex');
  return {
    hash,
    async render(variables) {
      const messages = await template.formatMessages(variables);
      return { messages: messages.map(toChatMessage), promptHash: hash };
    },
  };
}

async function readTemplate(dir: string, name: string): Promise<string> {
  try {
    return (await readFile(join(dir, name), 'utf8')).trim();
  } catch (error) {
    throw new KnowledgeError(`${join(dir, name)}: cannot read prompt template: ${(error as Error).message}`, { cause: error });
  }
}

function toChatMessage(message: BaseMessage): ChatMessage {
  const type = message.getType();
  const content = typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
  // Blank lines from an empty {instructions} are noise in the prompt and the cache key.
  const text = content.replace(/\n{3,}/g, '\n\n');
  return { role: type === 'system' ? 'system' : type === 'ai' ? 'assistant' : 'user', content: text };
}
