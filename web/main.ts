/** The playground page: moves to a host whose subdomains can serve previews, then starts `<twirl-app>`. */
import { betterPlaygroundUrl, isPreviewHost } from './app/playground-host.ts';

const moveTo = betterPlaygroundUrl(new URL(location.href), import.meta.env['VITE_TWIRL_PREVIEW_ORIGIN'] as string | undefined);
if (moveTo) location.replace(moveTo);
else if (isPreviewHost(location.hostname)) {
  document.body.textContent = 'This address serves an app preview; open it from the playground.';
} else {
  await import('./app/twirl-app.ts');
  document.body.append(document.createElement('twirl-app'));
}
