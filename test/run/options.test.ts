import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addSchemaFlags, givenOptions } from '../../src/cli/schema-flags.js';
import { integer } from '../../src/core/option-schema.js';
import { OptionError, OutputDirError } from '../../src/errors.js';
import { generate } from '../../src/run/generate.js';
import { GENERATE_OPTIONS, manifestOptions, parseGenerateOptions } from '../../src/run/options.js';
import { generateOptionsJsonSchema } from '../../src/run/options-json-schema.js';
import { ROOT } from '../support/cli.js';

/** Parses argv the way `chartwright generate` does, without spawning it. */
function cli(args: readonly string[]): ReturnType<typeof parseGenerateOptions> {
  const command = addSchemaFlags(new Command('generate').exitOverride(), GENERATE_OPTIONS);
  command.parse([...args], { from: 'user' });
  return parseGenerateOptions(givenOptions(command, GENERATE_OPTIONS), {});
}

describe('generate options: one schema', () => {
  it('has one integer parser that refuses what is not plain digits', () => {
    const n = integer(0, 10);
    expect(n.parse('7')).toBe(7);
    expect(n.parse(7)).toBe(7);
    for (const bad of ['1e1', ' 5', '0x5', '5.0', '', '11', -1, 2.5]) expect(n.safeParse(bad).success).toBe(false);
  });

  it('gives the CLI and the library the same defaults (LLM concurrency 4)', () => {
    const fromCli = cli(['--seed', '1', '--reference-date', '2025-01-01', '--workers', '1']);
    const fromLibrary = parseGenerateOptions({ seed: 1, referenceDate: '2025-01-01', workers: 1 }, {});
    expect(fromCli.values).toEqual(fromLibrary.values);
    expect(fromLibrary.llm.concurrency).toBe(4);
    expect(fromLibrary.patients).toBe(100);
    expect([...fromLibrary.formats]).toEqual(['fhir', 'ndjson']);
  });

  it('validates library input and names the flag of a bad value', () => {
    expect(() => parseGenerateOptions({ patients: 0 })).toThrow(OptionError);
    expect(() => parseGenerateOptions({ patients: 0 })).toThrow(/^--patients: expected a whole number/);
    expect(() => parseGenerateOptions({ referenceDate: '2025-02-30' })).toThrow(/^--reference-date:/);
    expect(() => parseGenerateOptions({ notesSince: '2020-01-01' })).toThrow(/^--notes-since: needs --notes/);
    expect(() => parseGenerateOptions({ notes: true, dedup: false, dedupWithinPatient: true })).toThrow(/^--dedup-within-patient: cannot be combined with --no-dedup/);
    expect(() => parseGenerateOptions({ notes: true, minSpan: 8 })).toThrow(/^--min-span: expected more than 8/);
    expect(() => parseGenerateOptions({ force: true, resume: true })).toThrow(/^--resume: cannot be combined with --force/);
    expect(() => parseGenerateOptions({ notes: 'progress-note,poem' })).toThrow(/^--notes: .*"poem"/);
    expect(() => parseGenerateOptions({ patinets: 5 } as never)).toThrow(/^--patinets: is not an option/);
  });

  it('reads --config FILE (YAML or JSON) and lets flags override it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-config-'));
    const yaml = join(dir, 'run.yaml');
    writeFileSync(yaml, 'referenceDate: 2025-06-30\npatients: 12\nseed: 5\nnotes: [ed-note]\nformat: ndjson\n');
    const options = cli(['--config', yaml, '--patients', '3']);
    expect(options.patients).toBe(3);
    expect(options.seed).toBe(5);
    expect(options.referenceDate).toBe('2025-06-30');
    expect(options.notes?.types).toEqual(['ed-note']);
    expect([...options.formats]).toEqual(['ndjson']);
    const json = join(dir, 'run.json');
    writeFileSync(json, JSON.stringify({ patients: 0 }));
    expect(() => cli(['--config', json])).toThrow(/^--patients:/);
    writeFileSync(json, JSON.stringify({ patient: 4 }));
    expect(() => cli(['--config', json])).toThrow(/^--patient: is not an option/);
    writeFileSync(json, '[1]');
    expect(() => cli(['--config', json])).toThrow(/^--config:/);
  });

  it("writes a manifest's options that read back as a config", () => {
    const options = parseGenerateOptions({ seed: 9, referenceDate: '2024-01-01', patients: 5, workers: 2, age: '20-30', shard: '1/3' }, {});
    const written = manifestOptions(options.values);
    expect(written).toMatchObject({ patients: 5, seed: 9, age: { min: 20, max: 30 }, shard: { index: 1, count: 3 }, format: ['fhir', 'ndjson'] });
    expect(written).not.toHaveProperty('out');
    const again = parseGenerateOptions(Object.fromEntries(Object.entries(written).filter(([, v]) => v !== null)), {});
    expect(again.values).toEqual({ ...options.values, out: './output' });
  });

  it('keeps generate-options.schema.json current (npm run options-schema rewrites it)', () => {
    const checkedIn = JSON.parse(readFileSync(join(ROOT, 'generate-options.schema.json'), 'utf8'));
    expect(checkedIn).toEqual(generateOptionsJsonSchema());
    expect(Object.keys(checkedIn.properties)).toEqual(Object.keys(GENERATE_OPTIONS));
  });
});

describe('generate --resume', () => {
  it('refuses other notes settings than the interrupted run, naming the option', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cw-resume-'));
    const base = { patients: 2, seed: 3, referenceDate: '2025-06-01', workers: 1, out, format: 'ndjson' };
    await generate(base);
    await expect(generate({ ...base, resume: true })).resolves.toMatchObject({ alreadyComplete: true });
    const refused = generate({ ...base, resume: true, notes: 'progress-note' });
    await expect(refused).rejects.toThrow(OutputDirError);
    await expect(generate({ ...base, resume: true, notes: 'progress-note' })).rejects.toThrow(/other options \(--notes was false, now \["progress-note"\]\)/);
  });
});

describe('generate options: the record window', () => {
  it('defaults to 10 years, takes a number, all, or a start date, and refuses both or a bad value', () => {
    expect(cli([]).window).toEqual({ kind: 'years', years: 10 });
    expect(cli([]).values.historyYears).toBe(10);
    expect(cli(['--history-years', '3']).window).toEqual({ kind: 'years', years: 3 });
    expect(cli(['--history-years', 'all']).window).toEqual({ kind: 'all' });
    expect(cli(['--history-since', '2020-01-01']).window).toEqual({ kind: 'since', since: Date.parse('2020-01-01T00:00:00Z') });
    expect(cli(['--history-since', '2020-01-01']).values.historyYears).toBeUndefined();
    expect(() => cli(['--history-years', 'ten'])).toThrow(OptionError);
    expect(() => cli(['--history-years', '0'])).toThrow(/from 1 to 150, or all/);
    expect(() => cli(['--history-years', '5', '--history-since', '2020-01-01'])).toThrow(/cannot be combined with --history-years/);
    expect(() => cli(['--history-since', '2030-01-01', '--reference-date', '2025-01-01'])).toThrow(/after the reference date/);
  });
});
