/** Drives the real `twirl` executable as a user would: a child process in a folder of our choosing. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const binJs = resolve(import.meta.dirname, '../../cli/bin.js');

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `twirl ...args` in `cwd` to completion. */
export function twirl(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  const child = spawnTwirl(args, cwd, env);
  const out = collect(child);
  return new Promise((done) => child.once('exit', (code) => done({ code, ...out() })));
}

export interface Serving {
  url: string;
  /** Everything printed so far. */
  output(): string;
  /** Waits until the output contains `text` (or times out). */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Sends SIGINT (Ctrl-C) and waits for the exit code. */
  stop(): Promise<number | null>;
  /** Sends `signal` and waits for the process to end. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Starts a long-running `twirl up`/`watch` and resolves once it prints `Serving <url>`. The
 * deadline is generous: a first start bundles and prepares the app, minutes on a busy machine.
 */
export async function twirlServing(args: string[], cwd: string, timeoutMs = 180_000): Promise<Serving> {
  const child = spawnTwirl(args, cwd);
  const out = collect(child);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const ended = new Promise<void>((done) => child.once('exit', () => done()));
  const output = (): string => out().stdout + out().stderr;
  const waitFor = async (text: string | RegExp, ms = timeoutMs): Promise<void> => {
    const deadline = Date.now() + ms;
    const seen = (): boolean => (typeof text === 'string' ? output().includes(text) : text.test(output()));
    while (!seen()) {
      if (child.exitCode !== null) throw new Error(`twirl ${args.join(' ')} exited (${child.exitCode}) before printing ${text}:\n${output()}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${text} from twirl ${args.join(' ')}:\n${output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    await waitFor('Available Routes:');
  } catch (err) {
    // Leave no server behind: a live child would keep the test runner waiting forever.
    child.kill('SIGKILL');
    throw err;
  }
  const url = /Serving (\S+)/.exec(out().stdout)![1]!;
  return {
    url,
    output,
    waitFor,
    async stop() {
      child.kill('SIGINT');
      return exited;
    },
    async kill(signal) {
      child.kill(signal);
      return ended;
    },
  };
}

/**
 * As typed in a shell: none of the variables npm sets for its scripts (hints name `npx twirl` under npm).
 * Read at each start: a test sets its own variables after its imports ran.
 */
const shellEnv = () => Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')));

function spawnTwirl(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [binJs, ...args], { cwd, env: { ...shellEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function collect(child: ChildProcess): () => { stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return () => ({ stdout, stderr });
}

/** A fresh temporary folder, and a function that removes it. */
export async function tempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'twirl-cli-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
