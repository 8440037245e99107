import { asc, inArray } from 'drizzle-orm';
import { submodules, touchSubmoduleSync, type Db, type DbOrTx } from '@memory-context/db';
import { MemctxError } from '@memory-context/protocol';
import type { RegisterSubmoduleInput } from './submodule-input.js';

export type SubmoduleRow = typeof submodules.$inferSelect;

/** Data access for the submodule registry. Every submodule is visible to every reader (ARCHITECTURE §4). */
export class SubmoduleStore {
  constructor(private readonly db: Db) {}

  list(): Promise<SubmoduleRow[]> {
    return this.db.select().from(submodules).orderBy(asc(submodules.id));
  }

  async get(id: string): Promise<SubmoduleRow> {
    const row = (await this.getMany([id])).get(id);
    if (!row) throw new MemctxError('NOT_FOUND', `Submodule ${id} not found.`);
    return row;
  }

  /** Batch read for entity references and Session.submodule: unknown ids are absent from the map. */
  async getMany(ids: readonly string[]): Promise<Map<string, SubmoduleRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.select().from(submodules).where(inArray(submodules.id, [...ids]));
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Registers a submodule or updates it; a sync status left out keeps the current one. */
  async register(tx: DbOrTx, input: RegisterSubmoduleInput): Promise<SubmoduleRow> {
    const values = { name: input.name, gitUrl: input.gitUrl ?? null, ...(input.syncStatus ? { syncStatus: input.syncStatus } : {}) };
    const [row] = await tx.insert(submodules).values({ id: input.id, ...values }).onConflictDoUpdate({ target: submodules.id, set: values }).returning();
    if (!row) throw new MemctxError('INTERNAL', 'Submodule was not written.');
    return row;
  }

  /** Marks that the submodule just pulled changes (best effort: a failure never fails the read). */
  touchSync(id: string): void {
    void touchSubmoduleSync(this.db, id).catch(() => {});
  }
}
