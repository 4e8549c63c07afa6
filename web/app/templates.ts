/** The prepared templates the playground build ships, turned into new apps. */
import type { PreparedTemplate, StoredApp, TemplateSummary } from '../app-model.ts';
import { newAppId } from '../app-store.ts';

const base = (): string => import.meta.env.BASE_URL;

export async function listTemplates(): Promise<TemplateSummary[]> {
  const response = await fetch(`${base()}__twirl/templates/index.json`);
  if (!response.ok) return [];
  return (await response.json()) as TemplateSummary[];
}

export async function fetchTemplate(name: string): Promise<PreparedTemplate> {
  const response = await fetch(`${base()}__twirl/templates/${encodeURIComponent(name)}.json`);
  if (!response.ok) throw new Error(`no template "${name}" (${response.status})`);
  return (await response.json()) as PreparedTemplate;
}

export async function appFromTemplate(name: string): Promise<StoredApp> {
  const template = await fetchTemplate(name);
  return { id: newAppId(), name: template.name, files: template.files, template: template.name, updated: Date.now() };
}
