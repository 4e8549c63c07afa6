/** Runs the wrangler Twirl installs (`npx wrangler …` from the repository), collecting what it prints. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface WranglerRun {
  code: number | null;
  /** stdout and stderr, interleaved as printed. */
  output: string;
}

/** `echo` shows wrangler's output as it runs; the promise settles when wrangler exits, whatever its exit code. */
export function runWrangler(args: string[], echo: boolean): Promise<WranglerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['wrangler', ...args], { cwd: repoRoot, stdio: ['inherit', 'pipe', 'pipe'] });
    let output = '';
    const collect = (target: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      if (echo) target.write(chunk);
    };
    child.stdout.on('data', collect(process.stdout));
    child.stderr.on('data', collect(process.stderr));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The last lines wrangler printed, for an error message. */
export const tailOf = (output: string, lines = 15): string => output.trim().split('\n').slice(-lines).join('\n');
