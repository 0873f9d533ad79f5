/**
 * Flags from an options schema: every option declared with `option()` (src/core/option-schema.ts)
 * becomes a commander flag named after its key, with its help text and default; the values the
 * user gave (flags, their environment variables, `--config FILE`) come back as one object for the
 * schema to validate. Commander only splits argv here; it neither defaults nor checks values.
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { flagOf, optionMeta } from '../core/option-schema.js';
import { InputError, OptionError } from '../errors.js';

function defaultText(schema: z.ZodType): string | undefined {
  const result = schema.safeParse(undefined);
  if (!result.success || result.data === undefined || typeof result.data === 'boolean') return undefined;
  const value: unknown = result.data;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.join(',');
  return String(value);
}

/** Declares a flag on `command` for every option in `shape`. */
export function addSchemaFlags(command: Command, shape: z.ZodRawShape, { skip = [] }: { skip?: readonly string[] } = {}): Command {
  for (const key of Object.keys(shape)) {
    if (skip.includes(key)) continue;
    const meta = optionMeta(shape, key);
    const name = meta.negated === true ? `--no-${flagOf(key).slice(2)}` : flagOf(key);
    const shown = meta.defaultLabel ?? (meta.value === undefined ? undefined : defaultText(shape[key] as z.ZodType));
    const help = shown === undefined ? meta.help : `${meta.help} (default: ${shown})`;
    const flag = new Option(meta.value === undefined ? name : `${name} ${meta.value}`, help);
    if (meta.repeatable === true) flag.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    if (meta.env !== undefined) flag.env(meta.env);
    command.addOption(flag);
  }
  return command;
}

/** Reads `--config FILE`: a YAML or JSON object of options by their camelCase names. */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read the config file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, path, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new OptionError('--config', `${path} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new OptionError('--config', `${path} must hold one object of options by name (e.g. referenceDate: 2025-06-30)`);
  }
  // null stands for "not set", as the manifest writes absent options: a manifest's options are a config.
  return Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== null));
}

/**
 * The options the user gave: those of `--config FILE` (when the schema has `config`), overridden by
 * flags and environment variables. Commander's own defaults are left out: the schema holds them.
 */
export function givenOptions(command: Command, shape: z.ZodRawShape): Record<string, unknown> {
  const flags = command.opts<Record<string, unknown>>();
  const given: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) {
    const source = command.getOptionValueSource(key);
    if (source === 'cli' || source === 'env') given[key] = flags[key];
  }
  const config = typeof given.config === 'string' ? readConfigFile(given.config) : {};
  if ('config' in config) throw new OptionError('--config', 'a config file cannot name another config file');
  return { ...config, ...given };
}
