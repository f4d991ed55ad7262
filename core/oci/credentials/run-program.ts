// Runs a local sign-in program (a docker credential helper, `az`) with a timeout and captures what it prints.
// Returns the output to the caller only; never logs it, since it may hold a secret.

export interface ProgramOutcome {
  /** Exit code, or undefined when the program could not run or was killed. */
  code?: number;
  stdout: string;
  stderr: string;
  /** Set when the program did not finish normally: a sentence without any of its output. */
  problem?: string;
}

export interface RunProgramOptions {
  stdin?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Start through the shell: needed for Windows `.cmd` programs (`az.cmd`); only for fixed arguments, never user input. */
  shell?: boolean;
}

const MAX_OUTPUT = 1 << 20;

export async function runProgram(program: string, args: string[], options: RunProgramOptions = {}): Promise<ProgramOutcome> {
  // Loaded when a program is first run: most commands never run one, and child_process costs start-up.
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const timeoutMs = options.timeoutMs ?? 5000;
    const finish = (outcome: Omit<ProgramOutcome, 'stdout' | 'stderr'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, stdout, stderr });
    };
    const child = spawn(program, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], shell: options.shell ?? false });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ problem: `${program} did not answer within ${timeoutMs} ms` });
    }, timeoutMs);
    const keep = (current: string, chunk: Buffer) => (current.length < MAX_OUTPUT ? current + chunk.toString('utf8') : current);
    child.stdout.on('data', (d: Buffer) => (stdout = keep(stdout, d)));
    child.stderr.on('data', (d: Buffer) => (stderr = keep(stderr, d)));
    child.on('error', (e: NodeJS.ErrnoException) => finish({ problem: e.code === 'ENOENT' ? `${program} is not on PATH` : `${program} could not be started` }));
    child.on('close', (code) => finish(code === null ? { problem: `${program} was stopped by a signal` } : { code }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}
