/**
 * The JSON Schema of `generate`'s options, for editors completing a `--config FILE`: generated from
 * {@link generateOptionsSchema} and checked into the repo as `generate-options.schema.json`
 * (`npm run options-schema` rewrites it; a test fails when it is stale).
 */
import { z } from 'zod';
import { generateOptionsSchema } from './options.js';

/** The schema as JSON Schema draft 2020-12 (input side: what a config file may hold). */
export function generateOptionsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(generateOptionsSchema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      // Numbers and switches may be given as text on the command line; a config file gives them as
      // JSON numbers, which is what editors should suggest (`integer()` says so in its meta).
      const json = ctx.jsonSchema as Record<string, unknown>;
      if (typeof json.type === 'string' && Array.isArray(json.anyOf)) delete json.anyOf;
      const def = ctx.zodSchema._zod.def as { type: string; defaultValue?: unknown };
      if (def.type === 'default' && json.default === undefined) json.default = def.defaultValue;
    },
  }) as Record<string, unknown>;
  return { ...schema, title: 'chartwright generate options', $comment: 'Generated from src/run/options.ts by `npm run options-schema`; do not edit.' };
}
