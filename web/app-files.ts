/** An app's stored files seen as the engine's FileSource, and small conversions between forms. */
import type { FileSource } from '../shared/ports.ts';
import type { AppFile } from './app-model.ts';

export function bytesOf(file: AppFile): Uint8Array | undefined {
  if ('text' in file) return new TextEncoder().encode(file.text);
  if ('base64' in file) return fromBase64(file.base64);
  return undefined;
}

export function appFileSource(files: Readonly<Record<string, AppFile>>): FileSource {
  return {
    read: async (path) => {
      const file = files[path];
      return file ? bytesOf(file) : undefined;
    },
    list: async () => Object.keys(files).filter((p) => !('component' in files[p]!)),
  };
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
