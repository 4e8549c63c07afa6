/**
 * What an instance's imports see when it runs outside an engine (benchmarks, reset tests): output
 * dropped, no files or variables, an in-memory key-value store, no network, default budgets.
 */
import type { InstanceContext } from '../../shared/component/imports.ts';
import { RunMeter } from '../../shared/component/run-meter.ts';
import { LineSplitter } from '../../shared/host/wasi/cli.ts';
import { MemoryKeyValueBackend } from '../../shared/key-value-memory.ts';
import { defaultLimits } from '../../shared/limits.ts';

export function detachedContext(stores: string[] = []): InstanceContext {
  return {
    stdout: new LineSplitter(() => {}),
    stderr: new LineSplitter(() => {}),
    environment: [],
    files: new Map(),
    variables: {},
    keyValue: { backend: new MemoryKeyValueBackend(), allowed: stores, limits: defaultLimits, denied: () => {} },
    outbound: { fetch, allows: () => false, denied: () => {} },
    meter: new RunMeter(defaultLimits.cpuMs),
    fuel: BigInt(defaultLimits.fuel),
    maxHostCalls: defaultLimits.maxHostCalls,
  };
}
