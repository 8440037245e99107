/**
 * `npm start` runs tsx, which runs node: three processes. Signalling npm alone
 * leaves the stack running, so the whole process group (the child is spawned
 * `detached`) gets SIGTERM, then SIGKILL if any of it outlives `graceMs`.
 * Resolves once no process of the group is left.
 */
export async function stopProcessGroup(group: number | undefined, graceMs = 20_000): Promise<void> {
  if (!group || !groupAlive(group)) return;
  signalGroup(group, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(group) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (groupAlive(group)) signalGroup(group, 'SIGKILL');
}

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false; // ESRCH: every process of the group has exited
  }
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // gone meanwhile
  }
}
