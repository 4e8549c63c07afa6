/**
 * Run's first step: components whose JS/TS sources were edited are built again in the build
 * worker (web/build/), with the build's progress in the toolbar and its errors at their lines.
 */
import { formatDiagnostic, messageOf, type Diagnostic } from '../../shared/errors.ts';
import type { BuildPhase, BuildTimings } from '../build/build-protocol.ts';
import { PHASE_TEXT, rebuildComponent, staleComponents } from '../build/app-build.ts';
import { BuildFailure } from '../build/component-builder.ts';
import type { AppSession } from './app-session.ts';
import type { CodeEditor } from './code-editor.ts';
import { stillRunning, type TwirlApp } from './twirl-app.ts';
import { timed } from '../timing.ts';

export interface BuildStatus {
  component: string;
  phase: BuildPhase;
}

export const describeBuild = (status: BuildStatus): string => `Building ${status.component}: ${PHASE_TEXT[status.phase]}…`;

/**
 * Builds what is stale; true when the app may run (nothing needed building, or all built).
 * Leaves `host.buildDiagnostics` at the failing sources' lines otherwise. The builds' writes to
 * IndexedDB go on meanwhile: each is added to `saving`, for the Run to wait for at its end.
 */
export async function buildEdited(host: TwirlApp, session: AppSession, saving: Promise<void>[] = []): Promise<boolean> {
  const current = () => host.session === session;
  for (const component of await timed('page: stale components', () => staleComponents(session.app))) {
    host.building = { component: component.id, phase: 'loading' };
    try {
      const built = await rebuildComponent(session.app, component, (phase) => current() && (host.building = { component: component.id, phase }));
      saving.push(built.saved);
      if (!current()) return false;
      session.setFile(component.output, built.file);
      host.app = session.app;
      if (built.initOutput) host.showBuildOutput(component.id, built.initOutput);
      const seconds = ((built.timings.total ?? 0) / 1000).toFixed(1);
      if (built.reused) {
        host.say(`Took ${component.id} as built from these sources earlier in this browser (${(built.bytes / 1e6).toFixed(1)} MB).`);
        continue;
      }
      // For whoever watches the console (and the browser benchmark): where the time went.
      console.info(`twirl: built ${component.id} in the browser as a ${built.via}, ${built.bytes} bytes; ${describeTimings(built.timings)}`);
      host.say(`Built ${component.id} in this browser in ${seconds} s (${(built.bytes / 1e6).toFixed(1)} MB).`);
    } catch (err) {
      if (!current()) return false;
      host.buildDiagnostics = err instanceof BuildFailure ? err.diagnostics : [];
      if (err instanceof BuildFailure) host.showBuildOutput(component.id, err.initOutput);
      const first = host.buildDiagnostics[0];
      host.say('', `Could not build ${component.id}: ${first ? formatDiagnostic(first) : messageOf(err)}${stillRunning(host.previewOrigin)}`);
      revealFirst(host, host.buildDiagnostics);
      return false;
    } finally {
      if (current()) host.building = undefined;
    }
  }
  host.buildDiagnostics = [];
  return true;
}

/** `total 1520 ms, bundle 12 ms, splice 0 ms, …` */
const describeTimings = (timings: BuildTimings): string =>
  Object.entries(timings)
    .map(([step, ms]) => `${step} ${Math.round(ms)} ms`)
    .join(', ');

function revealFirst(host: TwirlApp, diagnostics: readonly Diagnostic[]): void {
  const first = diagnostics.find((d) => d.file && host.app?.files[d.file]);
  if (!first) return;
  host.select(first.file);
  void (async () => {
    await host.updateComplete;
    const editor = host.renderRoot.querySelector<CodeEditor>('twirl-code-editor');
    await editor?.updateComplete;
    editor?.revealLine(first.line ?? 1);
  })();
}
