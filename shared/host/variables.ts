import { TwirlError } from '../errors.ts';
import type { App } from '../manifest/types.ts';

/** Spin's environment provider reads `api_key` from `SPIN_VARIABLE_API_KEY`. */
const ENVIRONMENT_PREFIX = 'SPIN_VARIABLE_';

/** The environment variable (or Worker binding) Spin reads variable `name` from. */
export const environmentNameOf = (name: string): string => `${ENVIRONMENT_PREFIX}${name.toUpperCase()}`;

/** Variables set in an environment (process env, Worker bindings) as `SPIN_VARIABLE_<NAME>`; other entries are ignored. */
export function variablesFromEnvironment(env: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(ENVIRONMENT_PREFIX) && typeof value === 'string') out[name.slice(ENVIRONMENT_PREFIX.length).toLowerCase()] = value;
  }
  return out;
}

/** A piece of a `{{ name }}` template: literal text or a reference to a variable. */
export type TemplateSegment = { literal: string } | { variable: string };

/** Spin's variable names: lowercase words of letters and digits joined by single underscores. */
const VARIABLE_NAME = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/** Why `name` is not a Spin variable name, or undefined when it is one. */
export function checkVariableName(name: string): string | undefined {
  if (VARIABLE_NAME.test(name)) return undefined;
  return `\`${name}\` is not a valid variable name: use lowercase letters, digits and single underscores, starting with a letter`;
}

/**
 * Splits `Hello {{ name }}!` into literal text and variable references. `{{` must be closed by
 * `}}` and hold one variable name; a lone `}}` is literal text, as in Spin.
 */
export function parseTemplate(template: string): { segments: TemplateSegment[]; error?: string } {
  const segments: TemplateSegment[] = [];
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    if (open < 0) {
      segments.push({ literal: rest });
      break;
    }
    if (open > 0) segments.push({ literal: rest.slice(0, open) });
    const close = rest.indexOf('}}', open + 2);
    if (close < 0) return { segments: [], error: `unclosed \`{{\` in template ${JSON.stringify(template)}` };
    const name = rest.slice(open + 2, close).trim();
    const nameError = checkVariableName(name);
    if (nameError) return { segments: [], error: `in template ${JSON.stringify(template)}: ${nameError}` };
    segments.push({ variable: name });
    rest = rest.slice(close + 2);
  }
  return { segments };
}

/** The variable names a template refers to; empty when it has none or does not parse. */
export function templateVariables(template: string): string[] {
  return parseTemplate(template).segments.flatMap((s) => ('variable' in s ? [s.variable] : []));
}

/** Fills a template from `values`; throws `invalid-template` or `missing-variable`. */
export function resolveTemplate(template: string, values: Record<string, string>): string {
  const { segments, error } = parseTemplate(template);
  if (error) throw new TwirlError('invalid-template', error);
  return segments
    .map((s) => {
      if ('literal' in s) return s.literal;
      if (!Object.hasOwn(values, s.variable)) {
        throw new TwirlError('missing-variable', `variable \`${s.variable}\` has no value`);
      }
      return values[s.variable] as string;
    })
    .join('');
}

/**
 * The value of every application variable that has one: `provided` (e.g. from `SPIN_VARIABLE_*`)
 * overrides the declared default. Throws `missing-variable` for a required variable without one.
 */
export function resolveAppVariables(app: App, provided: Record<string, string>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, declaration] of Object.entries(app.variables)) {
    const value = Object.hasOwn(provided, name) ? provided[name] : declaration.default;
    if (value !== undefined) values[name] = value;
    else if (declaration.required) {
      throw new TwirlError('missing-variable', `variable \`${name}\` is required but has no value`);
    }
  }
  return values;
}

/**
 * A component's `[component.<id>.variables]`, each template filled from the application
 * variables. Throws `missing-variable` when a variable it needs has no value.
 */
export function resolveVariables(app: App, componentId: string, provided: Record<string, string>): Record<string, string> {
  const component = Object.hasOwn(app.components, componentId) ? app.components[componentId] : undefined;
  if (!component) throw new TwirlError('unknown-component', `no component \`${componentId}\` in app \`${app.name}\``);
  const appValues = resolveAppVariables(app, provided);
  const resolved: Record<string, string> = {};
  for (const [name, template] of Object.entries(component.variables)) {
    try {
      resolved[name] = resolveTemplate(template, appValues);
    } catch (err) {
      if (!(err instanceof TwirlError)) throw err;
      throw new TwirlError(err.code, `component \`${componentId}\` variable \`${name}\`: ${err.message}`, { cause: err });
    }
  }
  return resolved;
}
