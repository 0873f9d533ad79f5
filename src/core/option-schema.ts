/**
 * The building blocks of a command's options schema: each option is one zod schema registered with
 * its help text and CLI facts, so the flags, the library's validation, the config file, the JSON
 * Schema, the manifest and the resume fingerprint are all read off one declaration.
 */
import { z } from 'zod';
import { OptionError } from '../errors.js';

/** What an option is besides its type and default. */
export interface OptionMeta {
  /** One line for `--help` and the JSON Schema's `description`. */
  readonly help: string;
  /** The value's name in `--help` (`<n>`, `<dir>`); absent for a switch. */
  readonly value?: string;
  /** `--flag [value]`: the value may be left out (the schema then receives `true`). */
  readonly optionalValue?: boolean;
  /** A switch whose default is on and whose flag is `--no-<name>`. */
  readonly negated?: boolean;
  /** The flag may be given several times; the values are collected into an array. */
  readonly repeatable?: boolean;
  /** The default as `--help` shows it, when it is computed (today, cores − 1, random). */
  readonly defaultLabel?: string;
  /** An environment variable that fills the option when no flag gives it. */
  readonly env?: string;
  /**
   * True when the option changes what is written: such options enter the resume fingerprint, and
   * `--resume` with another value is refused naming the option.
   */
  readonly affectsOutput: boolean;
  /** False for options that say how to run, not what was made (`--out`, `--force`): left out of the manifest. */
  readonly inManifest?: boolean;
}

/** The registry holding every option's {@link OptionMeta}. */
export const optionRegistry = z.registry<OptionMeta, z.ZodType>();

/** Declares one option: its schema, with help text (also the JSON Schema's description) and CLI facts. */
export function option<T extends z.ZodType>(schema: T, meta: OptionMeta): T {
  const described = schema.describe(meta.help) as T;
  optionRegistry.add(described, meta);
  return described;
}

/** The meta of an option declared with {@link option}; throws for a field declared without it. */
export function optionMeta(shape: z.ZodRawShape, key: string): OptionMeta {
  const meta = optionRegistry.get(shape[key] as z.ZodType);
  if (meta === undefined) throw new TypeError(`option ${key} is not declared with option()`);
  return meta;
}

/** `referenceDate` → `--reference-date`. */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * A whole number from `min` to `max`, given as a number (library, config file) or as decimal
 * digits (a flag). The one integer parser of every option: `1e3`, ` 5`, `0x10` and `5.0` are refused.
 */
export function integer(min: number, max: number): z.ZodType<number, number | string> {
  const message = `expected a whole number from ${min} to ${max}`;
  return z
    .union([z.number(), z.string()])
    .transform((value, ctx) => {
      const n = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${message}, got ${JSON.stringify(value)}` });
        return z.NEVER;
      }
      return n;
    })
    .meta({ type: 'integer', minimum: min, maximum: max }) as unknown as z.ZodType<number, number | string>;
}

/** A decimal number in a range, given as a number or as text (a flag). */
export function decimal(range: { readonly min?: number; readonly gt?: number; readonly max: number }): z.ZodType<number, number | string> {
  const low = range.gt !== undefined ? `above ${range.gt}` : `from ${range.min ?? 0}`;
  const message = `expected a number ${low} to ${range.max}`;
  return z
    .union([z.number(), z.string()])
    .transform((value, ctx) => {
      const n = typeof value === 'number' ? value : /^\s*$/.test(value) ? NaN : Number(value);
      const tooLow = range.gt !== undefined ? !(n > range.gt) : !(n >= (range.min ?? 0));
      if (!Number.isFinite(n) || tooLow || n > range.max) {
        ctx.addIssue({ code: 'custom', message: `${message}, got ${JSON.stringify(value)}` });
        return z.NEVER;
      }
      return n;
    })
    .meta({ type: 'number', maximum: range.max, ...(range.gt !== undefined ? { exclusiveMinimum: range.gt } : { minimum: range.min ?? 0 }) }) as unknown as z.ZodType<
    number,
    number | string
  >;
}

/** A switch: `true`/`false` (flags and config files). */
export function flag(defaultValue: boolean): z.ZodDefault<z.ZodBoolean> {
  return z.boolean().default(defaultValue);
}

/**
 * Validates options against a command's schema. The first problem becomes an {@link OptionError}
 * naming its flag (`--patients: expected ...`), exit code 2.
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') throw new OptionError(flagOf(issue.keys[0] ?? ''), 'is not an option of this command');
  const key = String(issue.path[0] ?? '');
  throw new OptionError(key === '' ? 'options' : flagOf(key), issue.message);
}
