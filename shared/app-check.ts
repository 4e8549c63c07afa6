/**
 * What the engine checks when it starts an app, without starting it: a host that stores an app
 * to run later (publishing) refuses here what `twirl up` would refuse at start, instead of
 * storing an app that fails every request. Uses the very functions the engine does.
 */
import type { App } from './manifest/types.ts';
import { compileRoutes } from './routing/router.ts';
import { resolveAppVariables, resolveVariables } from './host/variables.ts';
import { AllowedHosts } from './host/allowed-hosts.ts';
import { planMounts } from './host/files.ts';
import { TwirlError } from './errors.ts';

/** Throws a TwirlError naming the component and field when the app could not start with these files and variables. */
export function checkAppStarts(app: App, files: readonly string[], variables: Record<string, string> = {}): void {
  const { invalid } = compileRoutes(app.triggers, app.basePath);
  if (invalid.length > 0) throw new TwirlError('invalid-route', `invalid route: ${JSON.stringify(invalid[0])}`);
  const appVariables = resolveAppVariables(app, variables);
  const routed = new Set(app.triggers.flatMap((t) => (t.component ? [t.component] : [])));
  for (const id of routed) {
    const config = app.components[id];
    if (!config) throw new TwirlError('missing-component', `a trigger names component "${id}", which the manifest does not define`);
    resolveVariables(app, id, variables);
    inField(`component.${id}.allowed_outbound_hosts`, () => AllowedHosts.compile(config.allowedOutboundHosts, appVariables));
    inField(`component.${id}.files`, () => planMounts(config.files, config.excludeFiles, files));
  }
}

function inField(field: string, check: () => unknown): void {
  try {
    check();
  } catch (err) {
    if (!(err instanceof TwirlError)) throw err;
    throw new TwirlError(err.code, `${field}: ${err.message}`, { cause: err });
  }
}
