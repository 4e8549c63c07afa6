import { parseHostPattern } from '../host/allowed-hosts.ts';
import { parseTemplate, resolveTemplate } from '../host/variables.ts';
import type { Draft } from './draft.ts';
import type { Report } from './report.ts';
import { routeKey } from './route.ts';
import { WELL_KNOWN_PREFIX } from '../routing/well-known.ts';
import type { FieldPath } from './source-map.ts';
import type { App, HttpTrigger } from './types.ts';

export interface ValidateOptions {
  /** Values the host supplies for application variables; when given, required ones must be here. */
  variables?: Record<string, string>;
}

/** Checks that span parts of the manifest: references, templates, host patterns, routes. */
export function validateApp(report: Report, draft: Draft, options: ValidateOptions = {}): void {
  const { app, origins } = draft;
  checkComponentReferences(report, draft);
  checkDuplicateRoutes(report, draft);
  checkReservedRoutes(report, draft);
  if (options.variables) checkRequiredVariables(report, app, options.variables);
  const values = knownValues(app, options.variables);
  for (const [id, component] of Object.entries(app.components)) {
    const path = origins.components[id] ?? ['component', id];
    for (const [name, template] of Object.entries(component.variables)) {
      checkTemplate(report, app, template, [...path, origins.variablesField, name]);
    }
    for (const pattern of component.allowedOutboundHosts) {
      checkHostPattern(report, app, pattern, [...path, origins.hostsField], values);
    }
  }
}

function checkComponentReferences(report: Report, { origins }: Draft): void {
  const known = Object.keys(origins.components);
  for (const { id, path } of origins.componentRefs) {
    if (Object.hasOwn(origins.components, id)) continue;
    const list = known.length ? `known components: ${known.map((k) => `\`${k}\``).join(', ')}` : 'the manifest declares no components';
    report.error('missing-component', path, `trigger names component \`${id}\`, which does not exist (${list})`);
  }
}

function describeTarget(trigger: HttpTrigger): string {
  return trigger.component !== undefined ? `component \`${trigger.component}\`` : 'a static response';
}

/** Spin lets the last of two identical routes win; that is rarely meant, so say so. */
function checkDuplicateRoutes(report: Report, { app, origins }: Draft): void {
  const seen = new Map<string, HttpTrigger>();
  for (const trigger of app.triggers) {
    if (!('path' in trigger.route)) continue;
    const key = routeKey(trigger.route.path);
    const earlier = seen.get(key);
    seen.set(key, trigger);
    if (!earlier) continue;
    const path = [...(origins.triggers[trigger.index] ?? []), 'route'];
    report.warn(
      'duplicate-route',
      path,
      `route ${JSON.stringify(trigger.route.path)} is used by both ${describeTarget(earlier)} and ${describeTarget(trigger)}; the last one (${describeTarget(trigger)}) wins`,
    );
  }
}

/** Spin answers every path under /.well-known/spin/ itself: a route there never runs. */
function checkReservedRoutes(report: Report, { app, origins }: Draft): void {
  for (const trigger of app.triggers) {
    if (!('path' in trigger.route) || !trigger.route.path.startsWith(WELL_KNOWN_PREFIX)) continue;
    const path = [...(origins.triggers[trigger.index] ?? []), 'route'];
    report.warn('reserved-route', path, `routes under ${WELL_KNOWN_PREFIX} are answered by Spin (and Twirl) itself: this one never reaches ${describeTarget(trigger)}`);
  }
}

function checkRequiredVariables(report: Report, app: App, provided: Record<string, string>): void {
  for (const [name, declaration] of Object.entries(app.variables)) {
    if (declaration.required && !Object.hasOwn(provided, name)) {
      report.error('missing-variable', ['variables', name], `variable \`${name}\` is required but no value was provided`);
    }
  }
}

/** Application variable values known at load time: defaults, overridden by provided ones. */
function knownValues(app: App, provided: Record<string, string> = {}): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, declaration] of Object.entries(app.variables)) {
    const value = Object.hasOwn(provided, name) ? provided[name] : declaration.default;
    if (value !== undefined) values[name] = value;
  }
  return values;
}

/** Reports a malformed template or one naming an undeclared variable; true when it is fine. */
function checkTemplate(report: Report, app: App, template: string, path: FieldPath): boolean {
  const { segments, error } = parseTemplate(template);
  if (error) {
    report.error('invalid-template', path, error);
    return false;
  }
  let ok = true;
  for (const segment of segments) {
    if (!('variable' in segment) || Object.hasOwn(app.variables, segment.variable)) continue;
    const declared = Object.keys(app.variables);
    const hint = declared.length ? `declared: ${declared.join(', ')}` : 'there is no `[variables]` table';
    report.error('undeclared-variable', path, `\`{{ ${segment.variable} }}\` names a variable not declared in \`[variables]\` (${hint})`);
    ok = false;
  }
  return ok;
}

/** Literal patterns are checked now; templated ones once their variables have values. */
function checkHostPattern(report: Report, app: App, pattern: string, path: FieldPath, values: Record<string, string>): void {
  if (!checkTemplate(report, app, pattern, path)) return;
  let literal: string;
  try {
    literal = resolveTemplate(pattern, values);
  } catch {
    return; // a required variable without a value yet: checked when the host supplies values
  }
  const { error } = parseHostPattern(literal);
  if (error) report.error('invalid-host-pattern', path, literal === pattern ? error : `${JSON.stringify(pattern)} becomes ${JSON.stringify(literal)}: ${error}`);
}
