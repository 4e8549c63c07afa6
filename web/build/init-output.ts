import type { LogLine } from '../../shared/ports.ts';

/** What a component's top-level code printed while a build initialised it, as log lines of `requestId`. */
export function initOutputLines(app: string, component: string, text: string, requestId: string): LogLine[] {
  const time = Date.now();
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => ({ app, component, requestId, stream: 'stdout', line, time }));
}
