import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { auditEvents, type Db } from '@memory-context/db';
import { decodeCursor, encodeCursor, MemctxError } from '@memory-context/protocol';
import type { AuditOutcome } from './event.js';

/** Every field narrows; `from` is inclusive, `to` exclusive. */
export interface AuditEventFilter {
  actor?: string | null | undefined;
  submoduleId?: string | null | undefined;
  resourceType?: string | null | undefined;
  resourceId?: string | null | undefined;
  action?: string | null | undefined;
  outcome?: AuditOutcome | null | undefined;
  from?: Date | null | undefined;
  to?: Date | null | undefined;
}

export type AuditEventRow = typeof auditEvents.$inferSelect;

export interface AuditEventPage {
  nodes: AuditEventRow[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

/** Audit events newest first, a page of `first` after the cursor of a previous page. */
export async function listAuditEvents(db: Db, filter: AuditEventFilter, first: number, after: string | null | undefined): Promise<AuditEventPage> {
  const where: SQL[] = [];
  if (filter.actor) where.push(eq(auditEvents.actor, filter.actor));
  if (filter.submoduleId) where.push(eq(auditEvents.submoduleId, filter.submoduleId));
  if (filter.resourceType) where.push(eq(auditEvents.resourceType, filter.resourceType));
  if (filter.resourceId) where.push(eq(auditEvents.resourceId, filter.resourceId));
  if (filter.action) where.push(eq(auditEvents.action, filter.action));
  if (filter.outcome) where.push(eq(auditEvents.outcome, filter.outcome));
  if (filter.from) where.push(gte(auditEvents.at, filter.from));
  if (filter.to) where.push(lt(auditEvents.at, filter.to));
  const before = decodeAuditCursor(after);
  if (before !== undefined) where.push(lt(auditEvents.seq, before));

  const rows = await db.select().from(auditEvents).where(and(...where)).orderBy(desc(auditEvents.seq)).limit(first + 1);
  const nodes = rows.slice(0, first);
  const last = nodes.at(-1);
  const hasNextPage = rows.length > first;
  return { nodes, pageInfo: { endCursor: last ? encodeCursor('page', { auditSeq: last.seq }) : null, hasNextPage } };
}

function decodeAuditCursor(after: string | null | undefined): number | undefined {
  if (after === null || after === undefined || after === '') return undefined;
  const value = decodeCursor('page', after) as { auditSeq?: unknown } | undefined;
  if (typeof value === 'object' && value !== null && Number.isSafeInteger(value.auditSeq)) return value.auditSeq as number;
  throw new MemctxError('BAD_USER_INPUT', 'Invalid `after` cursor: pass the `pageInfo.endCursor` of a previous auditEvents page.');
}
