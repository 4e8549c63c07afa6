/**
 * Spans on this context's performance timeline (the page, the build worker, the preview's
 * service worker), named `twirl:<step>`: the browser benchmark reads them to show where a Run's
 * time goes; devtools' performance panel shows them too. Costs a timeline entry per step.
 */
export const SPAN_PREFIX = 'twirl:';

export function span(name: string, start: number, end = performance.now()): void {
  performance.measure(`${SPAN_PREFIX}${name}`, { start, end });
}

/** Runs `step`, recording its duration as `name`, however it ends. */
export async function timed<T>(name: string, step: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await step();
  } finally {
    span(name, start);
  }
}
