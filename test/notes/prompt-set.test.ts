import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KnowledgeError } from '../../src/errors.js';
import { renderFactSheet } from '../../src/notes/fact-sheet-text.js';
import { NOTE_TYPES } from '../../src/notes/facts.js';
import { DEFAULT_PROMPTS_DIR, loadPromptSet } from '../../src/notes/prompt-set.js';
import { chestPainEd, diabetesFollowUp } from '../support/fact-sheets.js';

function copyPrompts(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cw-prompts-'));
  cpSync(DEFAULT_PROMPTS_DIR, dir, { recursive: true });
  return dir;
}

describe('prompt set', () => {
  it('has a template per note type and renders system + user messages carrying the fact sheet', async () => {
    const prompts = await loadPromptSet();
    expect(Object.keys(prompts.hashes).sort()).toEqual([...NOTE_TYPES].sort());
    const { messages, promptHash } = await prompts.render(chestPainEd, 'Write tersely.');
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[0]!.content).toContain('mention');
    expect(messages[1]!.content).toContain('emergency department note');
    expect(messages[1]!.content).toContain('Write tersely.');
    expect(messages[1]!.content).toContain(renderFactSheet(chestPainEd));
    expect(promptHash).toBe(prompts.hashes['ed-note']);
    expect(promptHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes template content: stable across loads, changed by an edit to the system prompt or the note template', async () => {
    const a = await loadPromptSet();
    const dir = copyPrompts();
    expect((await loadPromptSet(dir)).hashes).toEqual(a.hashes);
    writeFileSync(join(dir, 'ed-note.md'), `${readFileSync(join(dir, 'ed-note.md'), 'utf8')}\nBe brief.`);
    const b = await loadPromptSet(dir);
    expect(b.hashes['ed-note']).not.toBe(a.hashes['ed-note']);
    expect(b.hashes['progress-note']).toBe(a.hashes['progress-note']);
    writeFileSync(join(dir, 'system.md'), 'You write notes.');
    const c = await loadPromptSet(dir);
    expect(c.hashes['progress-note']).not.toBe(a.hashes['progress-note']);
  });

  it('fails early on a missing template or an unknown variable', async () => {
    const dir = copyPrompts();
    writeFileSync(join(dir, 'consult-note.md'), 'Write a consult about {patient_name}.\n{fact_sheet}');
    await expect(loadPromptSet(dir)).rejects.toThrow(/unknown template variable \{patient_name\}/);
    await expect(loadPromptSet(join(dir, 'nope'))).rejects.toBeInstanceOf(KnowledgeError);
  });

  it('renders the fact sheet deterministically, with ids, values and negatives', () => {
    const text = renderFactSheet(diabetesFollowUp);
    expect(renderFactSheet(diabetesFollowUp)).toBe(text);
    expect(text).toContain('- [vital.bp] Blood pressure: systolic 138 mm[Hg], diastolic 86 mm[Hg]');
    expect(text).toContain('- [lab.a1c] Hemoglobin A1c: 7.4 %');
    expect(text).toContain('- not on insulin');
    expect(renderFactSheet({ ...diabetesFollowUp, negatives: [] })).toContain('(none: state no pertinent negatives)');
  });
});
