/**
 * Child process of e2e/sdk-submodules.test.ts: one submodule's agent, run in
 * the submodule's checkout with the SDK's default options (the URL comes from
 * the shared cache.config.json, the token from MEMCTX_TOKEN). Prints one JSON
 * line with what it did and what its cache holds.
 * Usage: node --import tsx sdk-submodules-agent.ts <write|read|offline|edit> [sessionId]
 */
import { createClient } from '@memory-context/sdk';

const [step, sessionId] = process.argv.slice(2);
const client = createClient();
const report: Record<string, unknown> = { cachePath: client.status().cachePath, submoduleId: client.status().submoduleId };
const me = client.status().submoduleId;

switch (step) {
  case 'write': {
    const team = await client.sessions.create({ title: `${me} team notes`, privacyLevel: 'TEAM' });
    const secret = await client.sessions.create({ title: `${me} private notes`, privacyLevel: 'PRIVATE' });
    Object.assign(report, { team: team.id, private: secret.id, sync: await client.sync() });
    break;
  }
  case 'read':
    report.sync = await client.sync();
    break;
  case 'offline':
    await client.sessions.create({ title: `${me} written offline`, privacyLevel: 'TEAM' });
    Object.assign(report, { sync: await client.sync(), flush: await client.flush() });
    break;
  case 'edit':
    await client.sessions.update(sessionId!, { title: `${me} edited from a stale copy` });
    report.flush = await client.flush();
    break;
  default:
    throw new Error(`unknown step ${step}`);
}
const cached = await client.sessions.list(null, { fetchPolicy: 'cache-only', first: 100 });
Object.assign(report, {
  cached: cached.nodes.map((s) => ({ id: s.id, submoduleId: s.submoduleId, privacyLevel: s.privacyLevel, title: s.title })),
  status: client.status(),
  conflicts: client.conflicts.list().map((c) => c.entityId),
  pending: client.outbox.export().writes.map((w) => w.write.id),
});
await client.close();
process.stdout.write(`${JSON.stringify(report)}\n`);
