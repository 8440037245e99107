import { z } from 'zod';
import { listAuditEvents, type AuditEventRow } from '@memory-context/audit';
import type { Db } from '@memory-context/db';
import { MemctxError } from '@memory-context/protocol';
import { pageSize, parseInput } from '@memory-context/server-kit';
import type { QueryResolvers } from './generated/resolvers-types.js';

const name = z.string().trim().min(1).max(200);
const filterSchema = z
  .object({
    actor: name.nullish(),
    submodule: name.nullish(),
    resourceType: name.nullish(),
    resourceId: name.nullish(),
    action: name.nullish(),
    outcome: z.enum(['SUCCESS', 'DENIED', 'FAILED']).nullish(),
    from: z.date().nullish(),
    to: z.date().nullish(),
  })
  .strict();

/**
 * `auditEvents` (admin): the audit trail, read through the API. The table
 * holds no content, so neither can the answer; the query is audited too,
 * refused attempts included.
 */
export function auditEventResolvers(db: Db): { Query: Pick<QueryResolvers, 'auditEvents'> } {
  return {
    Query: {
      auditEvents: async (_, args, context) => {
        const { principal } = context;
        const audit = (outcome: 'SUCCESS' | 'DENIED', details: Record<string, number | string | string[]>) =>
          context.audit.append({ actor: principal.submoduleId, action: 'audit.query', resourceType: 'audit', requestId: context.requestId, outcome, details });
        if (!principal.admin) {
          audit('DENIED', { code: 'FORBIDDEN' });
          throw new MemctxError('FORBIDDEN', 'auditEvents needs the memory:admin scope.');
        }
        const filter = parseInput(filterSchema, args.filter ?? {}, 'filter');
        const page = await listAuditEvents(
          db,
          { ...filter, submoduleId: filter.submodule },
          pageSize(args.first),
          args.after ?? null,
        );
        audit('SUCCESS', { filters: Object.keys(filter).filter((k) => filter[k as keyof typeof filter] != null), returned: page.nodes.length });
        return { nodes: page.nodes.map(auditEventView), pageInfo: page.pageInfo };
      },
    },
  };
}

function auditEventView(row: AuditEventRow) {
  return { ...row, seq: String(row.seq) };
}
