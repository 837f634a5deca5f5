import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const VIGIL_BIN = fileURLToPath(new URL('../../bin/vigil', import.meta.url));

export interface VigilRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  /** Added to a clean environment: only PATH and HOME are inherited, so a developer's VIGIL_* never leaks in. */
  env?: Record<string, string>;
  input?: string;
}

/** Runs the real `bin/vigil` as a child process, the way users run it. */
export function runVigil(args: readonly string[], options: RunOptions = {}): Promise<VigilRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(VIGIL_BIN, args, {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
