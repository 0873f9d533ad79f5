import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { IoError } from '../errors.js';

/** Counts recorded for one landed patient. */
export interface LandedCounts {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}

/**
 * The upload ledger: which patient bundles (by content digest) have landed on which server, so
 * `upload --resume` skips them after a crash or Ctrl-C. One SQLite file; each landing is its own
 * committed row, written only after the server confirmed the whole patient. The server is keyed
 * by origin and path only: never credentials, tokens or query strings.
 */
export class UploadLedger {
  private readonly db: Database.Database;
  private readonly landedStmt: Database.Statement<[string, string, string], { n: number }>;
  private readonly markStmt: Database.Statement<[string, string, string, string, number, number, number, string]>;

  constructor(file: string) {
    try {
      mkdirSync(dirname(file), { recursive: true });
      this.db = new Database(file);
    } catch (error) {
      throw new IoError(`cannot open the upload ledger ${file}: ${(error as Error).message}`, { cause: error });
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS landed (
      server TEXT NOT NULL,
      patient TEXT NOT NULL,
      digest TEXT NOT NULL,
      run_tag TEXT NOT NULL,
      created INTEGER NOT NULL,
      updated INTEGER NOT NULL,
      unchanged INTEGER NOT NULL,
      landed_at TEXT NOT NULL,
      PRIMARY KEY (server, patient)
    )`);
    this.landedStmt = this.db.prepare('SELECT COUNT(*) AS n FROM landed WHERE server = ? AND patient = ? AND digest = ?');
    this.markStmt = this.db.prepare(
      'INSERT OR REPLACE INTO landed (server, patient, digest, run_tag, created, updated, unchanged, landed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** Whether this exact bundle content already landed on `server`. */
  hasLanded(server: string, patient: string, digest: string): boolean {
    return (this.landedStmt.get(server, patient, digest)?.n ?? 0) > 0;
  }

  /** Records that a patient landed whole. */
  markLanded(server: string, patient: string, digest: string, runTag: string, counts: LandedCounts): void {
    this.markStmt.run(server, patient, digest, runTag, counts.created, counts.updated, counts.unchanged, new Date().toISOString());
  }

  /** How many patients of this run landed on `server`. */
  landedCount(server: string, runTag: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM landed WHERE server = ? AND run_tag = ?').get(server, runTag) as { n: number }).n;
  }

  /** Forgets this run's landings on `server` (after `--delete`). */
  forget(server: string, runTag: string): number {
    return this.db.prepare('DELETE FROM landed WHERE server = ? AND run_tag = ?').run(server, runTag).changes;
  }

  close(): void {
    this.db.close();
  }
}

/** The ledger's key for a server: origin and path, without credentials, query or fragment. */
export function ledgerServerKey(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
