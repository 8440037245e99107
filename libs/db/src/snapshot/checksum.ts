import { createHash, type Hash } from 'node:crypto';

/**
 * Count and sha256 of one table's canonical rows: each row as Postgres's
 * row_to_json text (timestamps in UTC), one per line, in primary-key order.
 * Both PGlite and Postgres print the same text for the same row, so a digest
 * taken on one compares with one taken on the other.
 */
export class TableDigest {
  private readonly hash: Hash = createHash('sha256');
  rows = 0;

  add(row: string): void {
    this.hash.update(row);
    this.hash.update('\n');
    this.rows++;
  }

  hex(): string {
    return this.hash.digest('hex');
  }
}
