#!/usr/bin/env node
// The `twirl` executable. The CLI is TypeScript that Node runs directly (type stripping), which
// needs Node 24; this shim stays plain JS so an older Node can at least say so.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(`twirl needs Node >= 24 (this is Node ${process.versions.node}); run it through npx twirl`);
  process.exit(1);
}
const { main } = await import('./index.ts');
process.exitCode = await main(process.argv.slice(2));
