/**
 * `up`'s LogSink: each line a component writes goes to the terminal and to
 * `.twirl/logs/<component>_<stdout|stderr>.txt`, as Spin writes `.spin/logs/`.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogLine, LogSink } from '../shared/ports.ts';

export interface ComponentLogs extends LogSink {
  dir: string;
  close(): Promise<void>;
}

export async function openComponentLogs(dir: string): Promise<ComponentLogs> {
  await mkdir(dir, { recursive: true });
  const files = new Map<string, WriteStream>();
  const fileFor = (line: LogLine): WriteStream => {
    const name = `${line.component.replace(/[^A-Za-z0-9_-]/g, '_')}_${line.stream}.txt`;
    let file = files.get(name);
    if (!file) files.set(name, (file = createWriteStream(join(dir, name), { flags: 'a' })));
    return file;
  };
  return {
    dir,
    write(line) {
      (line.stream === 'stderr' ? process.stderr : process.stdout).write(`${line.line}\n`);
      fileFor(line).write(`${line.line}\n`);
    },
    async close() {
      await Promise.all([...files.values()].map((f) => new Promise<void>((done) => f.end(done))));
      files.clear();
    },
  };
}
