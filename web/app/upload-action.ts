/** Upload (files into the open app) and Open (a zip or folder as a new app). */
import { MANIFEST } from '../app-model.ts';
import { saveApp } from '../app-store.ts';
import { appFile, appFromEntries, entriesOfFiles, entriesOfZip } from './app-import.ts';
import { wireComponent } from './wire-component.ts';
import type { TwirlApp } from './twirl-app.ts';
import { messageOf } from '../../shared/errors.ts';

export async function uploadFiles(host: TwirlApp, input: HTMLInputElement): Promise<void> {
  const files = [...(input.files ?? [])];
  input.value = '';
  try {
    for (const file of files) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const isWasm = file.name.endsWith('.wasm');
      const path = isWasm ? `dist/${file.name}` : file.name;
      if (isWasm) host.say(`Preparing ${file.name} (jco transpile)…`);
      const stored = await appFile(path, bytes);
      host.setFile(path, stored);
      const manifest = host.app?.files[MANIFEST];
      if ('component' in stored && manifest && 'text' in manifest) host.setFile(MANIFEST, { text: wireComponent(manifest.text, path) });
      host.select(path);
    }
    host.say(files.length ? `Added ${files.map((f) => f.name).join(', ')}. Press Run to use it.` : '');
  } catch (err) {
    host.say('', `Could not add the file: ${messageOf(err)}`);
  }
}

export async function openArchive(host: TwirlApp, input: HTMLInputElement): Promise<void> {
  const files = [...(input.files ?? [])];
  input.value = '';
  if (files.length === 0) return;
  try {
    host.say('Opening…');
    const single = files.length === 1 && files[0]!.name.endsWith('.zip') ? files[0]! : undefined;
    const entries = single ? await entriesOfZip(new Uint8Array(await single.arrayBuffer())) : await entriesOfFiles(files);
    const name = (single?.name ?? files[0]!.webkitRelativePath.split('/')[0] ?? 'app').replace(/\.zip$/, '');
    const app = await appFromEntries(name, entries);
    await saveApp(app);
    host.say('');
    await host.open(app);
  } catch (err) {
    host.say('', `Could not open it: ${messageOf(err)}`);
  }
}
