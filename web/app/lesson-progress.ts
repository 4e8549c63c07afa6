/**
 * A reader's progress through a lesson, kept on this device (localStorage): the step open, the
 * steps passed, and the app the reader edits for each step (in IndexedDB, like any app).
 */
export interface LessonProgress {
  current: string;
  passed: string[];
  /** Step id → the reader's app for that step. */
  apps: Record<string, string>;
}

const key = (lesson: string): string => `twirl.lesson.${lesson}`;

export function readProgress(lesson: string, firstStep: string): LessonProgress {
  try {
    const stored = JSON.parse(localStorage.getItem(key(lesson)) ?? 'null') as Partial<LessonProgress> | null;
    if (stored && typeof stored.current === 'string') return { current: stored.current, passed: stored.passed ?? [], apps: stored.apps ?? {} };
  } catch {
    // Unreadable progress starts over rather than breaking the lesson.
  }
  return { current: firstStep, passed: [], apps: {} };
}

export const saveProgress = (lesson: string, progress: LessonProgress): void => localStorage.setItem(key(lesson), JSON.stringify(progress));

/** Steps up to the first one not passed are open; the rest wait. */
export function unlockedSteps(steps: ReadonlyArray<{ id: string }>, passed: readonly string[]): number {
  const first = steps.findIndex((s) => !passed.includes(s.id));
  return first === -1 ? steps.length : first + 1;
}
