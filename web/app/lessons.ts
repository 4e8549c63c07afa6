/** The lessons the playground build ships (`?lesson=<name>`), and the reader's app for each step. */
import type { StoredApp } from '../app-model.ts';
import { newAppId, readApp, saveApp } from '../app-store.ts';
import type { LessonSummary, PreparedLesson, PreparedStep } from '../lesson-model.ts';
import { readProgress, saveProgress } from './lesson-progress.ts';

const base = (): string => import.meta.env.BASE_URL;

export async function listLessons(): Promise<LessonSummary[]> {
  const response = await fetch(`${base()}__twirl/lessons/index.json`);
  return response.ok ? ((await response.json()) as LessonSummary[]) : [];
}

export async function fetchLesson(name: string): Promise<PreparedLesson> {
  const response = await fetch(`${base()}__twirl/lessons/${encodeURIComponent(name)}.json`);
  if (!response.ok) throw new Error(`no lesson "${name}" (${response.status})`);
  return (await response.json()) as PreparedLesson;
}

/** The lesson the page's address names (`?lesson=quickstart`), if any. */
export const lessonInUrl = (search: string): string | undefined => new URLSearchParams(search).get('lesson') ?? undefined;

/** The reader's app for `step`: the one kept from last time, or a new one from the step's start. */
export async function stepApp(lesson: PreparedLesson, step: PreparedStep): Promise<StoredApp> {
  const progress = readProgress(lesson.name, lesson.steps[0]!.id);
  const kept = progress.apps[step.id];
  const existing = kept ? await readApp(kept) : undefined;
  if (existing) return existing;
  return freshStepApp(lesson, step);
}

/** A new app from the step's start files (starting the step over). */
export async function freshStepApp(lesson: PreparedLesson, step: PreparedStep): Promise<StoredApp> {
  const app: StoredApp = {
    id: newAppId(),
    name: `${lesson.name}: ${step.id}`,
    files: structuredClone(step.files),
    updated: Date.now(),
    ...(step.variables ? { variables: { ...step.variables } } : {}),
  };
  await saveApp(app);
  const progress = readProgress(lesson.name, lesson.steps[0]!.id);
  saveProgress(lesson.name, { ...progress, apps: { ...progress.apps, [step.id]: app.id } });
  return app;
}
