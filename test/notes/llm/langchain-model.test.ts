import { FakeListChatModel } from '@langchain/core/utils/testing';
import { describe, expect, it } from 'vitest';
import { LlmOutputError } from '../../../src/errors.js';
import { createLangChainModel } from '../../../src/notes/llm/langchain-model.js';
import { createModelRunner } from '../../../src/notes/llm/model-runner.js';
import { NOTE_OUTPUT_SCHEMA_NAME, noteOutputSchema } from '../../../src/notes/note-output.js';
import { diabetesNote } from '../../support/fact-sheets.js';

const request = {
  messages: [
    { role: 'system' as const, content: 'You write clinical notes.' },
    { role: 'user' as const, content: 'Write a progress note.' },
  ],
  schema: noteOutputSchema,
  schemaName: NOTE_OUTPUT_SCHEMA_NAME,
};

describe('langchain provider', () => {
  it('returns the structured output of any LangChain chat model, validated by the zod schema', async () => {
    const chat = new FakeListChatModel({ responses: [JSON.stringify(diabetesNote)] });
    const model = createLangChainModel(chat, { model: 'fake-list' });
    expect(model).toMatchObject({ provider: 'langchain', model: 'fake-list' });
    expect((await model.complete(request)).value).toEqual(diabetesNote);
  });

  it('repairs once when the output breaks the schema, then fails with the raw output', async () => {
    const bad = JSON.stringify({ title: 'Note', sections: 'none' });
    const repaired = createLangChainModel(new FakeListChatModel({ responses: [bad, JSON.stringify(diabetesNote)] }));
    expect((await repaired.complete(request)).value).toEqual(diabetesNote);

    const hopeless = createLangChainModel(new FakeListChatModel({ responses: [bad, bad] }));
    const error = await hopeless.complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmOutputError);
    expect((error as LlmOutputError).rawOutput).toBe(bad);
    expect((error as LlmOutputError).problems.some((p) => p.startsWith('sections'))).toBe(true);
  });

  it('works under the runner like any provider', async () => {
    const model = createLangChainModel(new FakeListChatModel({ responses: [JSON.stringify(diabetesNote)] }));
    const runner = createModelRunner(model, { concurrency: 2 });
    expect((await runner.complete(request)).value.title).toBe('Progress Note');
    expect(runner.model).toBe(model.model);
  });
});
