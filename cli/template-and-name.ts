/** The template and name `twirl new` and `twirl add` take, as `spin new` and `spin add` do. */
import { listTemplates } from '../node/templates/templates.ts';
import { expectPositionals } from './args.ts';
import { CliError } from './output.ts';

/**
 * `-t <template> <name>`, or both as positionals (`<template> <name>`). Without a template, the
 * error lists them: where `spin new` would offer a choice, Twirl never asks.
 */
export async function templateAndName(template: string | undefined, positionals: string[], usage: string): Promise<[string, string]> {
  if (template === undefined && positionals.length === 0) {
    const names = (await listTemplates()).map((t) => t.name);
    throw new CliError(`missing <template>: one of ${names.join(', ')}\nusage: ${usage}`, 'bad-arguments');
  }
  if (template === undefined) return expectPositionals(positionals, ['template', 'name'], usage) as [string, string];
  return [template, expectPositionals(positionals, ['name'], usage)[0]!];
}
