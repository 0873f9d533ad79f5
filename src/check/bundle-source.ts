import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';

/** The shape `check` relies on: a Bundle of entries, each with a typed resource that has an id. */
export const BundleSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  id: z.string().optional(),
  timestamp: z.string().optional(),
  entry: z
    .array(
      z.looseObject({
        fullUrl: z.string().optional(),
        resource: z.looseObject({ resourceType: z.string().min(1), id: z.string().min(1) }),
      }),
    )
    .default([]),
});

export type CheckedBundle = z.infer<typeof BundleSchema>;
export type FhirResource = CheckedBundle['entry'][number]['resource'];

/** One file of `OUT/fhir/`: its parsed bundle, or why it could not be read. */
export type BundleFile = { readonly file: string; readonly bundle: CheckedBundle } | { readonly file: string; readonly error: string };

/**
 * Lists the bundle files of a generated cohort, sorted so reports are reproducible. A missing or
 * unreadable folder is an {@link InputError} (one clear line for the user).
 */
export async function listBundleFiles(out: string): Promise<string[]> {
  let isDir: boolean;
  try {
    isDir = (await stat(out)).isDirectory();
  } catch {
    throw new InputError(`no such folder; expected the --out folder of \`chartwright generate\``, out);
  }
  if (!isDir) throw new InputError('not a folder; expected the --out folder of `chartwright generate`', out);
  const fhirDir = join(out, 'fhir');
  let names: string[];
  try {
    names = await readdir(fhirDir);
  } catch (error) {
    throw new InputError(`cannot read the fhir/ folder (${(error as NodeJS.ErrnoException).code ?? 'error'}); was the cohort generated with --format fhir?`, out);
  }
  return names.filter((n) => n.endsWith('.json')).sort();
}

/**
 * Reads the cohort's bundles one at a time, so memory stays flat however large the cohort is. A file
 * that is not JSON or not a Bundle is yielded as an error, to be reported rather than abort the audit.
 */
export async function* readBundleFiles(out: string, names: readonly string[]): AsyncGenerator<BundleFile> {
  for (const name of names) {
    const path = join(out, 'fhir', name);
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      yield { file: name, error: `cannot be parsed as JSON: ${(error as Error).message}` };
      continue;
    }
    const parsed = BundleSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      yield { file: name, error: `is not a FHIR Bundle${issue === undefined ? '' : ` (${issue.path.join('.') || 'root'}: ${issue.message})`}` };
      continue;
    }
    yield { file: name, bundle: parsed.data };
  }
}
