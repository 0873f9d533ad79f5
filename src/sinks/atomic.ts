import { closeSync, fsyncSync, openSync, renameSync, writeSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';

let counter = 0;

/**
 * Writes a file atomically: the data goes to a temporary file in `tmpDir` (same file system as the
 * target), then a rename puts it in place, so a reader or a killed run only ever sees whole files.
 */
export function writeFileAtomic(path: string, data: string, tmpDir: string, options: { fsync?: boolean } = {}): void {
  mkdirSync(tmpDir, { recursive: true });
  const tmp = join(tmpDir, `${basename(path)}.${process.pid}.${counter++}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, data);
    if (options.fsync === true) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
