/**
 * Loaded before `j2w` (`node --import`): its WIT tools read files through the preview2-shim npm
 * hoists beside it, whose 0.26 release starts with no preopens (os error 44) where earlier
 * releases exposed the filesystem root. Expose it as they did.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const fromBuildTools = createRequire(createRequire(import.meta.url).resolve('@spinframework/build-tools/package.json'));
const filesystem = (await import(pathToFileURL(fromBuildTools.resolve('@bytecodealliance/preview2-shim/filesystem')).href)) as {
  _setPreopens(preopens: Record<string, string>): void;
};
filesystem._setPreopens({ '/': '/' });
