import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

export interface CpuCores {
  /** Whole machine, in cores. */
  machineCores: number;
  /** This process: server(s), PGlite, the load generator's worker thread. */
  benchCores: number;
  /** The gateway (or the whole stack) run as a separate process, when there is one. */
  gatewayProcessCores?: number;
  /** Processes named `postgres` (a local server); a lower bound: ticks of exited backends are lost. */
  postgresCores: number;
  /** Everything else on the machine: above ~0.2 the figures are disturbed. */
  otherCores: number;
}

export interface MachineCpuOptions {
  /** A separate server process (the gateway alone, or a whole stack) whose CPU is counted apart. */
  gatewayPid?: number;
  /** Whether the local `postgres` processes serve this bench (then they are not "others"). Default true. */
  postgresIsOurs?: boolean;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * CPU used during a measurement, split by who used it (Linux /proc; `stop()`
 * answers null elsewhere). The benches share the machine: when others load
 * it, their figures are not comparable, and the reports say so.
 */
export class MachineCpu {
  private readonly stat = readMachine();
  private readonly postgres = postgresTicks();
  private readonly gateway: number;
  private readonly own = process.cpuUsage();
  private readonly at = process.hrtime.bigint();

  constructor(private readonly options: MachineCpuOptions = {}) {
    this.gateway = options.gatewayPid === undefined ? 0 : processTicks(options.gatewayPid);
  }

  /** Cores in use since construction. */
  stop(): CpuCores | null {
    const end = readMachine();
    const postgresEnd = postgresTicks();
    if (!this.stat || !end) return null;
    const wallS = Number(process.hrtime.bigint() - this.at) / 1e9;
    const own = process.cpuUsage(this.own);
    const ticks = end.total - this.stat.total;
    const machineCores = ticks > 0 ? ((end.busy - this.stat.busy) / ticks) * os.cpus().length : 0;
    const benchCores = (own.user + own.system) / 1e6 / wallS;
    const postgresCores = (postgresEnd - this.postgres) / 100 / wallS; // USER_HZ is 100 on Linux
    const gatewayPid = this.options.gatewayPid;
    const gatewayProcessCores = gatewayPid === undefined ? 0 : (processTicks(gatewayPid) - this.gateway) / 100 / wallS;
    const ours = benchCores + gatewayProcessCores + (this.options.postgresIsOurs === false ? 0 : postgresCores);
    return {
      machineCores: round2(machineCores),
      benchCores: round2(benchCores),
      ...(gatewayPid === undefined ? {} : { gatewayProcessCores: round2(gatewayProcessCores) }),
      postgresCores: round2(postgresCores),
      otherCores: round2(Math.max(0, machineCores - ours)),
    };
  }
}

function readMachine(): { busy: number; total: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** CPU ticks (USER_HZ) of one process: utime + stime. */
function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** CPU ticks (USER_HZ) of every process named `postgres`: the database server, when it runs on this machine. */
function postgresTicks(): number {
  let ticks = 0;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === 'postgres') ticks += processTicks(Number(pid));
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return 0;
  }
  return ticks;
}
