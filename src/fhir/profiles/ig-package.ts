/**
 * Reads a FHIR package (npm layout, e.g. `hl7.fhir.us.core`) from a folder or a `.tgz` into memory:
 * its name, version and every conformance resource it ships (StructureDefinition, ValueSet,
 * CodeSystem). Examples and search parameters are left out: validation does not need them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { z } from 'zod';
import { InputError } from '../../errors.js';

/** The resource types a package contributes to validation. */
const CONFORMANCE_TYPES = new Set(['StructureDefinition', 'ValueSet', 'CodeSystem']);

const packageManifestSchema = z.looseObject({
  name: z.string(),
  version: z.string(),
  fhirVersions: z.array(z.string()).optional(),
});

const conformanceResourceSchema = z.looseObject({
  resourceType: z.string(),
  url: z.string().optional(),
});

/** A conformance resource as read from a package; the validator reads its fields itself. */
export type ConformanceResource = z.infer<typeof conformanceResourceSchema> & Record<string, unknown>;

/** One loaded IG package. */
export interface IgPackage {
  /** Package name, e.g. `hl7.fhir.us.core`. */
  readonly name: string;
  readonly version: string;
  /** Where it was read from, as the user gave it. */
  readonly source: string;
  readonly resources: readonly ConformanceResource[];
}

/** Reads the package at `path`: a folder (with or without a `package/` level) or a `.tgz`. */
export function readIgPackage(path: string): IgPackage {
  if (!existsSync(path)) throw new InputError('IG package not found', path);
  const files = statSync(path).isDirectory() ? readFolder(path) : readTarball(path);
  const manifestText = files.get('package.json');
  if (manifestText === undefined) throw new InputError('not a FHIR package (no package.json)', path);
  const manifest = packageManifestSchema.safeParse(parseJson(manifestText, `${path}: package.json`));
  if (!manifest.success) throw new InputError(`package.json: ${manifest.error.issues[0]?.message ?? 'invalid'}`, path);
  const resources: ConformanceResource[] = [];
  for (const [name, text] of files) {
    if (!name.endsWith('.json') || name === 'package.json' || name.startsWith('.')) continue;
    const kind = name.split('-')[0] ?? '';
    // File names of the npm layout start with the resource type; skip the rest unread.
    if (!CONFORMANCE_TYPES.has(kind)) continue;
    const parsed = conformanceResourceSchema.safeParse(parseJson(text, `${path}: ${name}`));
    if (parsed.success && CONFORMANCE_TYPES.has(parsed.data.resourceType)) {
      resources.push(parsed.data as ConformanceResource);
    }
  }
  return { name: manifest.data.name, version: manifest.data.version, source: path, resources };
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`not JSON (${(error as Error).message})`, where, { cause: error });
  }
}

/** Top-level files of the package folder, keyed by file name. */
function readFolder(dir: string): Map<string, string> {
  const root = existsSync(join(dir, 'package', 'package.json')) ? join(dir, 'package') : dir;
  const files = new Map<string, string>();
  for (const name of readdirSync(root)) {
    if (!name.endsWith('.json')) continue;
    const full = join(root, name);
    if (statSync(full).isFile()) files.set(name, readFileSync(full, 'utf8'));
  }
  return files;
}

/** Top-level files of `package/` in an npm tarball, keyed by file name. */
function readTarball(file: string): Map<string, string> {
  const files = new Map<string, string>();
  try {
    tar.t({
      file,
      sync: true,
      onReadEntry(entry) {
        const match = /^(?:\.\/)?package\/([^/]+\.json)$/.exec(entry.path);
        if (match === null) {
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () => files.set(match[1] as string, Buffer.concat(chunks).toString('utf8')));
      },
    });
  } catch (error) {
    throw new InputError(`cannot read package archive (${(error as Error).message})`, file, { cause: error });
  }
  return files;
}
