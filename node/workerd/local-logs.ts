/** Routes workerd's console output during a local run: component lines to the LogSink, the rest to the terminal. */
import type { LogLine, LogSink } from '../../shared/ports.ts';

interface WorkerdLog {
  timestamp: number;
  level: string;
  message: string;
}

const terminal: LogSink = {
  write: (line) => (line.stream === 'stderr' ? process.stderr : process.stdout).write(`[${line.component}] ${line.line}\n`),
};

/** Component lines arrive as JSON objects tagged `"twirl": "log"` (isolates/app-host.ts). */
export function logHandler(logs: LogSink = terminal): (log: WorkerdLog) => void {
  return ({ level, message }) => {
    if (message.startsWith('{"twirl":"log"')) {
      try {
        const { twirl: _tag, ...line } = JSON.parse(message) as LogLine & { twirl: string };
        logs.write(line);
        return;
      } catch {
        // Not one of ours after all: shown as is below.
      }
    }
    (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(`${message}\n`);
  };
}
