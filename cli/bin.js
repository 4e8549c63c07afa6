#!/usr/bin/env node
// The `twirl` executable. An installed package runs the JS that `npm pack` compiled beside each
// TypeScript file (Node strips no types under node_modules); a checkout runs its TypeScript as it
// is, which needs a Node that strips types. This file stays plain JS so any Node can say so.
import { existsSync } from 'node:fs';
import module from 'node:module';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`twirl needs Node 20.19 or later (this is Node ${process.versions.node}): install a newer Node from https://nodejs.org`);
  process.exit(1);
}
const compiled = new URL('./index.js', import.meta.url);
const installed = import.meta.url.includes('/node_modules/');
const stripsTypes = typeof process.features.typescript === 'string';
if (!existsSync(compiled) && !stripsTypes) {
  console.error(`twirl runs from this checkout as TypeScript, which needs Node 22.18 or later (this is Node ${process.versions.node}):
run it as \`npx twirl\` inside the checkout (npm uses the Node 24 it pins), or install the package built by \`npm pack\``);
  process.exit(1);
}
// Loading the CLI's modules (and, in a checkout, stripping their types) is much of a short
// command's time; Node keeps what it compiled for the next run (Node 22.1+, else nothing).
module.enableCompileCache?.();
const { main } = await import(existsSync(compiled) && (installed || !stripsTypes) ? './index.js' : './index.ts');
process.exitCode = await main(process.argv.slice(2));
