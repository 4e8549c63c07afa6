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
import type { LessonSummary, PreparedLesson } from './lesson-model.ts';

export async function buildPlaygroundLessons(out: string, root?: string): Promise<LessonSummary[]> {
  const dir = join(out, '__twirl', 'lessons');
  await mkdir(dir, { recursive: true });
  const summaries: LessonSummary[] = [];
  for (const name of await listLessonNames(root)) {
    let lesson: PreparedLesson;
    try {
      lesson = await readLesson(name, root);
    } catch (err) {
      const problems = err instanceof LessonError ? err.message : messageOf(err);
      console.error(`twirl playground: lesson ${name} left out:\n${problems.replace(/^/gm, '  ')}`);
      continue;
    }
    await writeAtomic(join(dir, `${name}.json`), JSON.stringify(lesson));
    summaries.push({ name, title: lesson.title, description: lesson.description, steps: lesson.steps.length });
  }
  await writeAtomic(join(dir, 'index.json'), JSON.stringify(summaries));
  return summaries;
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const staging = `${path}.${process.pid}`;
  await writeFile(staging, text);
  await rename(staging, path);
}
