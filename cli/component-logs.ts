/**
 * `up`'s LogSink: each line a component writes goes to the terminal and to
 * `.twirl/logs/<component>_<stdout|stderr>.txt`, as Spin writes `.spin/logs/`.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogLine, LogSink } from '../shared/ports.ts';

export interface ComponentLogs extends LogSink {
  dir: string;
  close(): void;
}

export async function openComponentLogs(dir: string): Promise<ComponentLogs> {
  await mkdir(dir, { recursive: true });
  // Written synchronously: log lines are few, and none is lost if the process ends abruptly.
  const files = new Map<string, number>();
  const fileFor = (line: LogLine): number => {
    const name = `${line.component.replace(/[^A-Za-z0-9_-]/g, '_')}_${line.stream}.txt`;
    let fd = files.get(name);
    if (fd === undefined) files.set(name, (fd = openSync(join(dir, name), 'a')));
    return fd;
  };
  return {
    dir,
    write(line) {
      (line.stream === 'stderr' ? process.stderr : process.stdout).write(`${line.line}\n`);
      writeSync(fileFor(line), `${line.line}\n`);
    },
    close() {
      for (const fd of files.values()) closeSync(fd);
      files.clear();
    },
  };
}
