import { normalizeErrorString } from '@medplum/core';
import type { Bundle } from '@medplum/fhirtypes';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, InternalError } from '../errors.js';
import type { SandboxRepository } from './repository.js';
import pLimit from 'p-limit';
import { processBundle } from './transaction.js';
import type { Validator } from './validation-pool.js';

/** What {@link preloadOutput} loaded. */
export interface PreloadResult {
  readonly bundles: number;
  readonly resources: number;
  /** Bundles that were rejected, each with the server's reason; the others are loaded. */
  readonly rejected: readonly { readonly file: string; readonly reason: string }[];
}

/**
 * Loads every `OUT/fhir/*.json` bundle as a transaction, exactly as an upload would, so a bundle
 * that fails validation is skipped whole and reported.
 */
export async function preloadOutput(
  repo: SandboxRepository,
  out: string,
  options: { readonly validator?: Validator; readonly concurrency?: number } = {},
): Promise<PreloadResult> {
  const dir = join(out, 'fhir');
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    throw new InputError(`cannot read the bundles folder (${(error as NodeJS.ErrnoException).code ?? 'error'}); is it a chartwright output folder?`, dir, { cause: error });
  }
  let bundles = 0;
  let resources = 0;
  const rejected: { file: string; reason: string }[] = [];
  // Several bundles in flight let a validation pool work in parallel; writes stay serialised.
  const limit = pLimit(Math.max(1, options.concurrency ?? 1));
  await Promise.all(
    names.map((name) =>
      limit(async () => {
        const file = join(dir, name);
        try {
          const bundle = JSON.parse(await readFile(file, 'utf8')) as Bundle;
          const response = await processBundle(repo, { ...bundle, type: 'transaction' }, {
            minimal: true,
            read: () => Promise.reject(new InternalError('no reads in preload')),
            ...(options.validator === undefined ? {} : { validate: options.validator }),
          });
          bundles += 1;
          resources += response.entry?.length ?? 0;
        } catch (error) {
          rejected.push({ file, reason: normalizeErrorString(error) });
        }
      }),
    ),
  );
  rejected.sort((a, b) => a.file.localeCompare(b.file));
  return { bundles, resources, rejected };
}
