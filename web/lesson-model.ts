/**
 * A lesson as the playground build ships it (`__twirl/lessons/<name>.json`, written by
 * build-lessons.ts from `lessons/<name>/`): steps with their text, hints, checks and start app.
 */
import type { Check } from '../shared/checks/check.ts';
import type { AppFile } from './app-model.ts';

export interface PreparedStep {
  /** The step's folder name; progress is kept by it. */
  id: string;
  title: string;
  /** The step's text as HTML, from the lesson's own Markdown. */
  html: string;
  /** HTML, revealed one at a time. */
  hints: string[];
  checks: Check[];
  /** The app the step starts from, its components built when the playground was. */
  files: Record<string, AppFile>;
  /** Values for the app's variables, as `spin up --variable` gives them. */
  variables?: Record<string, string>;
  /** The files a finished step changes, by path. */
  solution: Record<string, string>;
}

export interface PreparedLesson {
  name: string;
  title: string;
  description: string;
  steps: PreparedStep[];
}

export interface LessonSummary {
  name: string;
  title: string;
  description: string;
  steps: number;
}
