/** Sync protocol shapes shared by the subgraph change feeds and the SDK (ARCHITECTURE §6). */
export const CHANGE_OPS = ['UPSERT', 'DELETE'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

export interface ChangePage<TEntity> {
  changes: Array<Change<TEntity>>;
  cursor: string;
  hasMore: boolean;
}

export interface Change<TEntity> {
  op: ChangeOp;
  id: string;
  version: number;
  at: string;
  /** Present for UPSERT; absent for DELETE (a tombstone carries no content). */
  entity: TEntity | null;
}

export const MAX_CHANGE_PAGE = 1000;
export const DEFAULT_CHANGE_PAGE = 100;
/** Most ids one `sessionsByIds` / `patternsByIds` / `checkpointsByIds` read may name. */
export const MAX_IDS_PER_READ = 100;
