import { readFileSync } from 'node:fs';

/** Resident set size of another process (Linux /proc), in bytes; undefined when unknown. */
function processRss(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** Highest resident set size of this process (and of another one, by pid) while it runs, sampled every 250 ms. */
export class RssSampler {
  maxBytes = 0;
  count = 0;
  /** Highest RSS of the other process (`pid`), when one is given. */
  otherMaxBytes = 0;
  /** process.memoryUsage() at the highest RSS seen. */
  peak: NodeJS.MemoryUsage | undefined;
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly pid?: number) {}
  start() {
    this.sample();
    this.timer = setInterval(() => this.sample(), 250);
  }
  stop() {
    clearInterval(this.timer);
    this.sample();
  }
  private sample() {
    this.count++;
    const usage = process.memoryUsage();
    if (usage.rss > this.maxBytes) {
      this.maxBytes = usage.rss;
      this.peak = usage;
    }
    if (this.pid !== undefined) this.otherMaxBytes = Math.max(this.otherMaxBytes, processRss(this.pid) ?? 0);
  }
}
