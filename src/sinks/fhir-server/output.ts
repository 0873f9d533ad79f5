import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { RUN_TAG_SYSTEM } from '../../fhir/meta.js';


/** The system of the run tag every resource of one output carries (`_tag=<system>|<code>`). */
export const RUN_TAG = RUN_TAG_SYSTEM;

const Manifest = z.looseObject({
  runTag: z.string().regex(/^[0-9a-f]{16}$/),
  counts: z.looseObject({ resources: z.record(z.string(), z.number()).optional() }).optional(),
});

/** The parts of `OUT/manifest.json` the upload reads. */
export type Manifest = z.infer<typeof Manifest>;

const Entry = z.looseObject({
  fullUrl: z.string().optional(),
  resource: z.looseObject({ resourceType: z.string().regex(/^[A-Z][A-Za-z]+$/), id: z.string().min(1) }),
  request: z.looseObject({ method: z.enum(['PUT', 'POST']), url: z.string().min(1) }),
});

const PatientBundle = z.looseObject({
  resourceType: z.literal('Bundle'),
  id: z.string().min(1),
  type: z.literal('transaction'),
  entry: z.array(Entry).min(1),
});

/** One patient's transaction bundle as `generate` writes it. */
export type PatientBundle = z.infer<typeof PatientBundle>;
/** One entry of a {@link PatientBundle}. */
export type PatientBundleEntry = z.infer<typeof Entry>;

/** A bundle read from disk, with the digest that identifies its content in the ledger. */
export interface LoadedBundle {
  readonly file: string;
  readonly patientId: string;
  readonly bundle: PatientBundle;
  /** SHA-256 of the file's bytes. */
  readonly digest: string;
}

/** Reads `OUT/manifest.json`; an output without one is not from `chartwright generate`. */
export async function readManifest(out: string): Promise<Manifest> {
  const file = join(out, 'manifest.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'}); is ${out} an output folder of \`chartwright generate\`?`, file, { cause: error });
  }
  try {
    return Manifest.parse(JSON.parse(text));
  } catch (error) {
    throw new InputError('not a chartwright manifest (needs a 16-hex-digit runTag)', file, { cause: error });
  }
}

/** Bundle files of the output, sorted by name so every run visits patients in the same order. */
export async function listBundleFiles(out: string): Promise<string[]> {
  const dir = join(out, 'fhir');
  try {
    return (await readdir(dir)).filter((name) => name.endsWith('.json')).sort().map((name) => join(dir, name));
  } catch (error) {
    throw new InputError(`cannot list bundles (${(error as NodeJS.ErrnoException).code ?? 'error'})`, dir, { cause: error });
  }
}

/** Reads and checks one patient bundle; a malformed file is an InputError naming the file. */
export async function readBundle(file: string): Promise<LoadedBundle> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new InputError(`cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`, file, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new InputError('not valid JSON', file, { cause: error });
  }
  const parsed = PatientBundle.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`not a patient transaction bundle (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'})`, file);
  }
  return {
    file,
    patientId: parsed.data.id || basename(file, '.json'),
    bundle: parsed.data,
    digest: createHash('sha256').update(bytes).digest('hex'),
  };
}
