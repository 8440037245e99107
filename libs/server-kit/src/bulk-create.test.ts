import { describe, expect, it } from '@jest/globals';
import { MemctxError } from '@memory-context/protocol';
import { bulkCreates } from './bulk-create.js';
import type { BulkCreateTable, MutationSpec } from './mutation.js';

const table = {} as BulkCreateTable<unknown>;
const other = {} as BulkCreateTable<unknown>;

function create(key: string, id: string, on = table): { key: string; spec: MutationSpec<unknown, unknown> } {
  return { key, spec: { idempotencyKey: key, bulkCreate: { table: on, id, prepare: () => ({}) } } as unknown as MutationSpec<unknown, unknown> };
}
const update = (key: string) => ({ key, spec: { idempotencyKey: key } as unknown as MutationSpec<unknown, unknown> });

describe('bulkCreates: which batches are written together', () => {
  it('takes two or more keyed creates of one kind with distinct ids and keys', () => {
    expect(bulkCreates([create('k-000001', 'a'), create('k-000002', 'b')])?.map((w) => w.key)).toEqual(['k-000001', 'k-000002']);
  });

  it('leaves every other batch to the write-by-write path', () => {
    expect(bulkCreates([create('k-000001', 'a')])).toBeNull();
    expect(bulkCreates([create('k-000001', 'a'), update('k-000002')])).toBeNull();
    expect(bulkCreates([create('k-000001', 'a'), create('k-000002', 'b', other)])).toBeNull();
    expect(bulkCreates([create('k-000001', 'a'), create('k-000002', 'a')])).toBeNull();
    expect(bulkCreates([create('k-000001', 'a'), create('k-000001', 'b')])).toBeNull();
    expect(bulkCreates([create('k-000001', 'a'), { key: 'k-000002', invalid: new MemctxError('BAD_USER_INPUT', 'no') }])).toBeNull();
    expect(bulkCreates([create('k-000001', 'a'), create('bad key!', 'b')])).toBeNull();
    const admin = create('k-000002', 'b');
    expect(bulkCreates([create('k-000001', 'a'), { ...admin, spec: { ...admin.spec, scope: 'memory:admin' } }])).toBeNull();
    const unkeyed = create('k-000002', 'b');
    expect(bulkCreates([create('k-000001', 'a'), { ...unkeyed, spec: { ...unkeyed.spec, idempotencyKey: 'k-other' } }])).toBeNull();
  });
});
