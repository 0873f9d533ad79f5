/**
 * FHIR Bulk Data NDJSON, one file per resource type. Lines are appended to files in the run's
 * working folder and moved into `ndjson/` only when the run completes, so `ndjson/` never holds a
 * partial file. Sizes are tracked so that `--resume` can cut the files back to the last checkpoint.
 */
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readdirSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class NdjsonWriter {
  private readonly fds = new Map<string, number>();
  private readonly sizes = new Map<string, number>();

  constructor(
    private readonly partialDir: string,
    private readonly finalDir: string,
    private readonly suffix: string,
    private readonly extension = '.ndjson',
  ) {
    mkdirSync(partialDir, { recursive: true });
  }

  /** Reopens the files of an interrupted run, cut back to the sizes of its last checkpoint. */
  resumeFrom(sizes: Readonly<Record<string, number>>): void {
    for (const name of readdirSync(this.partialDir)) {
      const type = name.slice(0, -this.extension.length);
      const size = sizes[type] ?? 0;
      const fd = openSync(join(this.partialDir, name), 'r+');
      ftruncateSync(fd, size);
      closeSync(fd);
      if (size > 0) this.sizes.set(type, size);
    }
  }

  /** Appends lines (each already newline-terminated) for one type, as text or UTF-8 bytes. */
  append(type: string, text: string | Uint8Array): void {
    if (text.length === 0) return;
    let fd = this.fds.get(type);
    if (fd === undefined) {
      fd = openSync(join(this.partialDir, `${type}${this.extension}`), 'a');
      this.fds.set(type, fd);
    }
    let bytes: number;
    if (typeof text === 'string') {
      bytes = Buffer.byteLength(text);
      writeSync(fd, text);
    } else {
      bytes = text.byteLength;
      writeSync(fd, text);
    }
    this.sizes.set(type, (this.sizes.get(type) ?? 0) + bytes);
  }

  /** Byte sizes by type, for the checkpoint. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.sizes].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  /** Moves the finished files into place. */
  finalize(): string[] {
    this.close();
    mkdirSync(this.finalDir, { recursive: true });
    const written: string[] = [];
    if (!existsSync(this.partialDir)) return written;
    for (const name of readdirSync(this.partialDir).sort()) {
      const type = name.slice(0, -this.extension.length);
      if ((this.sizes.get(type) ?? 0) === 0) continue;
      const target = join(this.finalDir, `${type}${this.suffix}${this.extension}`);
      renameSync(join(this.partialDir, name), target);
      written.push(target);
    }
    return written;
  }
}
