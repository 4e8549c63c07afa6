/**
 * One open app: its stored state, saved as it is edited, and its preview connection. The
 * playground element renders from it; it knows nothing of the DOM beyond the bridge frame.
 */
import { isComponentFile, type AppFile, type StoredApp } from '../app-model.ts';
import { saveApp } from '../app-store.ts';
import { readComponent, type StoredComponent } from '../component-store.ts';
import { PreviewConnection } from './preview-connection.ts';
import { preparedByEarlierRelease, preparedByThisRelease } from './component-import.ts';

const SAVE_DELAY_MS = 300;

export class AppSession {
  app: StoredApp;
  readonly connection: PreviewConnection;
  /** Digests of uploaded components the preview origin already holds. */
  readonly #sent = new Set<string>();
  #saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(app: StoredApp) {
    this.app = app;
    this.connection = new PreviewConnection(app.id);
  }

  /** Changes (or adds, or with `undefined` removes) one file; saved shortly after. */
  setFile(path: string, file: AppFile | undefined): void {
    const files = { ...this.app.files };
    if (file) files[path] = file;
    else delete files[path];
    this.app = { ...this.app, files, updated: Date.now() };
    this.#scheduleSave();
  }

  setVariables(variables: Record<string, string>): void {
    this.app = { ...this.app, variables, updated: Date.now() };
    this.#scheduleSave();
  }

  rename(name: string): void {
    this.app = { ...this.app, name, updated: Date.now() };
    this.#scheduleSave();
  }

  async save(): Promise<void> {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    await saveApp(this.app);
  }

  /**
   * Saves, then hands the app (and any uploaded components it has not seen) to the preview.
   * `preparing` hears of each component an earlier release prepared, before it is prepared
   * again; the paths of those are returned.
   */
  async run(preparing?: (path: string) => void): Promise<string[]> {
    await this.save();
    const uploads: Record<string, StoredComponent> = {};
    const preparedAgain: string[] = [];
    for (const [path, file] of Object.entries(this.app.files)) {
      if (!isComponentFile(file) || file.component.url || this.#sent.has(file.component.digest)) continue;
      const stored = await readComponent(file.component.digest);
      if (!stored) continue;
      if (preparedByEarlierRelease(stored)) {
        preparing?.(path);
        preparedAgain.push(path);
      }
      uploads[file.component.digest] = await preparedByThisRelease(file.component.digest, stored);
    }
    await this.connection.load(this.app, uploads);
    for (const digest of Object.keys(uploads)) this.#sent.add(digest);
    return preparedAgain;
  }

  async close(): Promise<void> {
    if (this.#saveTimer) await this.save();
    this.connection.dispose();
  }

  #scheduleSave(): void {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => void this.save(), SAVE_DELAY_MS);
  }
}
