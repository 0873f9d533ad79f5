// Rewrites generate-options.schema.json from the compiled options schema (npm run options-schema).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { generateOptionsJsonSchema } = await import(new URL('../dist/run/options-json-schema.js', import.meta.url).href);
writeFileSync(`${root}generate-options.schema.json`, `${JSON.stringify(generateOptionsJsonSchema(), null, 2)}\n`);
console.log('wrote generate-options.schema.json');
