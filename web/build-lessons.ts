/**
 * Prepares the lessons (`lessons/<name>/`, read and validated by node/lessons/) for the
 * playground: `__twirl/lessons/index.json` and `__twirl/lessons/<name>.json` under `out`. A
 * lesson with problems is left out with every problem printed (file, line, field), as a template
 * that does not build is: the playground still starts.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LessonError, listLessonNames, readLesson } from '../node/lessons/read-lesson.ts';
import { messageOf } from '../shared/errors.ts';
import type { AppFile } from './app-model.ts';
import type { LessonSummary, PreparedLesson } from './lesson-model.ts';

/** Builds a start app's components into `files` (build-templates.ts does, for the playground); `name` is its folder, `lessons/<lesson>/<step>/start`. */
export type BuildStart = (files: Record<string, AppFile>, manifest: string, name: string) => Promise<void>;

export interface LessonBuildOptions {
  /** Where the lessons are (default: the repository's `lessons/`). */
  root?: string;
  buildStart?: BuildStart;
  /** Only these lessons (the browser tests ship only what they open). */
  only?: readonly string[];
}

export async function buildPlaygroundLessons(out: string, { root, buildStart, only }: LessonBuildOptions = {}): Promise<LessonSummary[]> {
  const dir = join(out, '__twirl', 'lessons');
  await mkdir(dir, { recursive: true });
  const summaries: LessonSummary[] = [];
  for (const name of await listLessonNames(root)) {
    if (only && !only.includes(name)) continue;
    let lesson: PreparedLesson;
    try {
      lesson = await readLesson(name, root);
      for (const step of lesson.steps) {
        const manifest = step.files['spin.toml'];
        if (buildStart && manifest && 'text' in manifest) await buildStart(step.files, manifest.text, `lessons/${name}/${step.id}/start`);
      }
    } catch (err) {
      const problems = err instanceof LessonError ? err.message : messageOf(err);
      console.error(`twirl playground: lesson ${name} left out:\n${problems.replace(/^/gm, '  ')}`);
      continue;
    }
    await writeAtomic(join(dir, `${name}.json`), JSON.stringify(lesson));
    summaries.push({ name, title: lesson.title, description: lesson.description, steps: lesson.steps.length });
    console.error(`twirl playground: lesson ${name} ready (${lesson.steps.length} steps)`);
  }
  await writeAtomic(join(dir, 'index.json'), JSON.stringify(summaries));
  return summaries;
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const staging = `${path}.${process.pid}`;
  await writeFile(staging, text);
  await rename(staging, path);
}

/** `TWIRL_PLAYGROUND_LESSONS`: unset ships every lesson; a comma-separated list (possibly empty) ships those. */
export function lessonsFilter(value = process.env['TWIRL_PLAYGROUND_LESSONS']): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);
}
