/** Packages `wasi:http/proxy` already brings in; importing them again would be redundant. */
const PROXY_PACKAGES = ['wasi:http/', 'wasi:io/', 'wasi:cli/', 'wasi:clocks/', 'wasi:random/'];

/** The name of the world generated from a bundle's own host imports. */
export const DETECTED_WORLD = 'detected';

/**
 * A world exporting the HTTP handler and importing exactly the host interfaces the bundle
 * imports, so a component asks its host for nothing it does not use.
 */
export function worldForImports(hostImports: readonly string[]): string {
  const imports = [...new Set(hostImports)]
    .filter((name) => !PROXY_PACKAGES.some((p) => name.startsWith(p)))
    .sort()
    .map((name) => `  import ${name};\n`)
    .join('');
  return `\nworld ${DETECTED_WORLD} {\n${imports}  include wasi:http/proxy@0.2.10;\n}\n`;
}
