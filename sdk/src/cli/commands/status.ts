import type { Command } from 'commander';
import { CliContext } from '../context.js';
import { currentPendingAlert, warnPendingAlert } from '../pending-alert.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('queued writes, rejected writes, conflicts, last pull and push, and whether the gateway answers')
    .option('--offline', 'do not ask the gateway whether it is reachable')
    .action(async (options: { offline?: boolean }, command: Command) => {
      const ctx = CliContext.of(command);
      const client = ctx.client();
      try {
        if (!options.offline && client.options.url && client.options.token) {
          // One cheap request tells whether the gateway answers.
          await client.sessions.list(null, { first: 1, fetchPolicy: 'network-only' }).catch(() => undefined);
        }
        const status = client.status();
        const pendingAlert = currentPendingAlert(client);
        if (pendingAlert) warnPendingAlert(ctx.out, pendingAlert);
        const settings = { cacheConfigPath: client.options.cacheConfigPath ?? null, credentials: ctx.loginUsed ?? null };
        ctx.out.result({ ...status, ...settings, pendingAlert }, () =>
          [
            `cache        ${status.cachePath}`,
            `config       ${settings.cacheConfigPath ?? '(no cache.config.json)'}`,
            `login        ${settings.credentials ?? '(not used: flags or environment)'}`,
            `submodule    ${status.submoduleId ?? '(no token)'}`,
            `gateway      ${status.url ?? '(not configured)'} — ${status.online === null ? 'not asked' : status.online ? 'online' : 'offline'}`,
            `pending      ${status.pending}${pendingAlert ? ` (alert: at or above ${pendingAlert.threshold})` : ''}`,
            `rejected     ${status.rejected}`,
            `conflicts    ${status.conflicts}`,
            `last pull    ${status.lastPullAt ?? 'never'}`,
            `last push    ${status.lastPushAt ?? 'never'}`,
          ].join('\n'),
        );
      } finally {
        await client.close();
      }
    });
}
