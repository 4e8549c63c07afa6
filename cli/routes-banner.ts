/** What `up` prints once serving, in Spin's words: `Serving <url>` then `Available Routes:`. */
import type { App, HttpTrigger } from '../shared/manifest/types.ts';

export function servingBanner(app: App, url: string): string {
  const origin = url.replace(/\/+$/, '');
  const base = app.basePath.replace(/\/+$/, '');
  const lines = [`Serving ${origin}`, 'Available Routes:'];
  for (const trigger of app.triggers) {
    if (!('path' in trigger.route)) continue;
    lines.push(`  ${label(trigger)}: ${origin}${base}${displayRoute(trigger.route.path)}`);
    const description = trigger.component ? app.components[trigger.component]?.description : undefined;
    if (description) lines.push(`    ${description}`);
  }
  return lines.join('\n');
}

function label(trigger: HttpTrigger): string {
  return trigger.component ?? '(static response)';
}

/** `/...` → ` (wildcard)`, `/api/...` → `/api (wildcard)`, exact routes as written. */
function displayRoute(path: string): string {
  const wildcard = /\/(?:\.\.\.|\*)$/.exec(path);
  if (!wildcard) return path.startsWith('/') ? path : `/${path}`;
  const prefix = path.slice(0, wildcard.index);
  return `${prefix && !prefix.startsWith('/') ? '/' : ''}${prefix} (wildcard)`;
}
