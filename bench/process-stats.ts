// What a bench reads about a child process from /proc (Linux): its peak RSS (VmHWM) and CPU time, and a
// runner that polls them until the child exits. Measures only; starts nothing but the given command.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function statusKiB(pid: number | 'self', field: 'VmHWM' | 'VmRSS'): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  } catch {
    return Number.NaN; // the process has exited
  }
}

/** User + system CPU milliseconds a process has used so far (10 ms resolution), NaN once it has exited. */
export function cpuMsOf(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces, hence the last ')'): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Runs a command to completion, polling its VmHWM (monotonic, so the last reading is the peak seen) and CPU time. */
export function runPolled(command: string, args: string[], env: Record<string, string> = {}): Promise<{ wallMs: number; peakKiB: number; cpuMs: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    let peakKiB = 0;
    let cpuMs = 0;
    const poll = () => {
      const hwm = statusKiB(child.pid!, 'VmHWM');
      if (Number.isFinite(hwm)) peakKiB = Math.max(peakKiB, hwm);
      const cpu = cpuMsOf(child.pid!);
      if (Number.isFinite(cpu)) cpuMs = Math.max(cpuMs, cpu);
    };
    const timer = setInterval(poll, 2);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      clearInterval(timer);
      if (code !== 0) reject(new Error(`${command} ${args[0] ?? ''} failed (${code}): ${stderr.slice(-400)}`));
      else resolve({ wallMs, peakKiB, cpuMs, stdout });
    });
  });
}
