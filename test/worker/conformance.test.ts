import { after } from 'node:test';
import { builtTemplate } from '../../node/templates/built-template.ts';
import { runConformanceContract, sendOverHttp, startHelloUpstream } from '../support/conformance-contract.ts';
import { published, removeState, startWorker, templateFiles, text, zip } from './support/platform.ts';

const upstream = await startHelloUpstream();
after(() => upstream.server.close());

// Both workers start before any test is registered: the first suite would otherwise run (and the
// file's `after` hooks with it) while the second worker is still starting.
// Deployed: the app's own worker, its `upstream` variable set as a secret would be.
const { dir } = await builtTemplate('fixtures/apps/conformance');
const deployed = await startWorker({ appDir: dir, variables: { upstream: upstream.host } });
after(() => removeState(deployed));
// Published: every component shares one .wasm, and `upstream` (named by allowed_outbound_hosts)
// is an app variable whose default the archive sets.
const platform = await startWorker();
after(() => removeState(platform));
const files = await templateFiles('fixtures/apps/conformance');
const manifest = new TextDecoder().decode(files['spin.toml']).replace(/upstream = \{ default = "[^"]*" \}/, `upstream = { default = "${upstream.host}" }`);
const app = await published(platform, zip({ ...files, 'spin.toml': text(manifest) }));

runConformanceContract('deployed bundle on workerd', (path, init) => sendOverHttp(deployed.at(path), init), upstream.host);
runConformanceContract('published app in a Worker Loader isolate', (path, init) => sendOverHttp(new URL(path.slice(1), app.url), init), upstream.host);
