/**
 * `OUT/notes/rejected.jsonl`: one line per note that failed its checks after every retry, with the
 * reasons, so nothing unverified reaches a bundle and nothing rejected goes unexplained. Lines are
 * appended one at a time in call order (a JSONL log, read line by line; a crash can at worst leave
 * the last line partial).
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { IoError } from '../errors.js';
import type { Violation } from './grounding/violation.js';
import type { NoteType } from './facts.js';
import type { NoteOutput } from './note-output.js';

export interface RejectedNote {
  readonly patientId?: string;
  readonly encounterId: string;
  readonly noteType: NoteType;
  readonly writer: string;
  readonly model?: string;
  readonly promptHash?: string;
  readonly attempts: number;
  /** Violations of the last attempt. */
  readonly reasons: readonly Violation[];
  /** The last note, when there was one; else the raw output. */
  readonly note?: NoteOutput;
  readonly raw?: string;
}

export class RejectedNoteLog {
  private queue: Promise<void> = Promise.resolve();
  private written = 0;

  /** @param path usually `OUT/notes/rejected.jsonl`; its folder is created. */
  constructor(readonly path: string) {}

  /** Appends one rejection; resolves once it is on disk. */
  append(entry: RejectedNote): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    const next = this.queue.then(async () => {
      try {
        await mkdir(dirname(this.path), { recursive: true });
        await appendFile(this.path, line, 'utf8');
        this.written++;
      } catch (error) {
        throw new IoError(`cannot write ${this.path}: ${(error as Error).message}`, { cause: error });
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Rejections written so far. */
  get count(): number {
    return this.written;
  }
}
