import os from 'node:os';
import { round } from './stats.js';

export interface Machine {
  os: string;
  cpuModel: string;
  cpuCount: number;
  totalMemoryMB: number;
  node: string;
  /** A loaded machine's figures are not comparable: the reports print it. */
  loadAverageAtStart: number[];
}

export function machineInfo(): Machine {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryMB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    loadAverageAtStart: os.loadavg().map((l) => round(l, 2)!),
  };
}

/** One line for a progress log. */
export const describeMachine = (m: Machine) => `${m.cpuModel} × ${m.cpuCount}, ${m.totalMemoryMB} MB, Node ${m.node}, load average ${m.loadAverageAtStart.join(' ')}`;
