/** Processes and their threads, read from Linux's /proc: for the tools that measure the browser thread by thread. */
import { readFile, readdir } from 'node:fs/promises';

/** Every process whose command line `wanted` accepts (arguments are NUL-separated). */
export async function processes(wanted: (cmdline: string, pid: string) => boolean): Promise<Array<{ pid: string; cmdline: string }>> {
  const found = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (wanted(cmdline, pid)) found.push({ pid, cmdline });
  }
  return found;
}

/** The threads of a process, with their names (Linux keeps 15 characters of one); gone ones are left out. */
export async function threadsOf(pid: string): Promise<Array<{ tid: string; name: string }>> {
  const threads = [];
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [])) {
    const name = await readFile(`/proc/${pid}/task/${tid}/comm`, 'utf8').catch(() => undefined);
    if (name !== undefined) threads.push({ tid, name: name.trim() });
  }
  return threads;
}
