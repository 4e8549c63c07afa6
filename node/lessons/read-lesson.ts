/**
 * Lessons on disk, `lessons/<name>/`:
 *
 *   lesson.toml          title, description, steps = ["first-component", ...] (folder names, in order)
 *   <step>/step.md       the step's text, Markdown; its first `# heading` is the step's title
 *   <step>/step.toml     hints = ["..."], variables = { name = "value" }, [[checks]] (shared/checks/parse-checks.ts)
 *   <step>/start/        the app the step starts from: spin.toml and its sources, as in templates/
 *   <step>/solution/     optional: the files a finished step changes, for "show solution" and the tests
 *
 * Everything wrong is collected as diagnostics naming the file, line where known, and field.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { Marked } from 'marked';
import type { Check } from '../../shared/checks/check.ts';
import { parseChecks } from '../../shared/checks/parse-checks.ts';
import { TwirlError, type Diagnostic } from '../../shared/errors.ts';
import { parseManifest } from '../../shared/manifest/parse.ts';
import { SourceMap, type FieldPath } from '../../shared/manifest/source-map.ts';
import { parseToml, type TomlTable } from '../../shared/manifest/toml.ts';

export interface LessonStep {
  id: string;
  title: string;
  /** step.md as HTML, its title heading left out. */
  html: string;
  /** HTML each. */
  hints: string[];
  checks: Check[];
  files: Record<string, { text: string } | { base64: string }>;
  variables?: Record<string, string>;
  /** The files a finished step changes, by path. */
  solution: Record<string, string>;
}

export interface Lesson {
  name: string;
  title: string;
  description: string;
  steps: LessonStep[];
}

export const lessonsRoot = resolve(import.meta.dirname, '../../lessons');

/** Build output and local state a start app may have picked up; never shipped. */
const SKIPPED = new Set(['dist', 'node_modules', '.twirl']);
const LESSON_FIELDS = new Set(['title', 'description', 'steps']);
const STEP_FIELDS = new Set(['hints', 'variables', 'checks']);

/** A lesson that cannot be shown; carries every problem found. */
export class LessonError extends TwirlError {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super('invalid-lesson', diagnostics.map(describe).join('\n'));
    this.name = 'LessonError';
    this.diagnostics = diagnostics;
  }
}

const describe = (d: Diagnostic): string => `${[d.file, d.line].filter((p) => p !== undefined).join(':')}: ${d.field ? `${d.field}: ` : ''}${d.message}`;

export async function listLessonNames(root = lessonsRoot): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  const withLesson = await Promise.all(names.map(async (n) => ((await isFile(join(root, n, 'lesson.toml'))) ? n : undefined)));
  return withLesson.filter((n) => n !== undefined).sort();
}

/** Reads and validates `root/<name>`; throws a LessonError listing every problem. */
export async function readLesson(name: string, root = lessonsRoot): Promise<Lesson> {
  const dir = join(root, name);
  const problems: Diagnostic[] = [];
  const where = (path: string): string => relative(root, join(dir, path)).split(sep).join('/');
  const lessonToml = await readToml(join(dir, 'lesson.toml'), where('lesson.toml'), problems);
  const meta = lessonToml && lessonMeta(lessonToml.table, lessonToml.note, problems);
  const steps: LessonStep[] = [];
  for (const [index, id] of (meta?.steps ?? []).entries()) {
    const step = await readStep(join(dir, id), id, where(id), problems);
    if (!step && !(await isDirectory(join(dir, id)))) lessonToml!.note(['steps', index], `no step folder "${id}" beside lesson.toml`);
    if (step) steps.push(step);
  }
  if (problems.length || !meta) throw new LessonError(problems);
  return { name, title: meta.title, description: meta.description, steps };
}

interface ReadToml {
  table: TomlTable;
  /** Records a problem at a field of this file, with its line where the text shows it. */
  note(path: FieldPath, message: string): void;
}

async function readToml(path: string, file: string, problems: Diagnostic[]): Promise<ReadToml | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) {
    problems.push({ code: 'invalid-lesson', file, message: 'missing', severity: 'error' });
    return undefined;
  }
  const { table, diagnostic } = parseToml(text, file);
  if (!table) {
    problems.push(diagnostic!);
    return undefined;
  }
  const map = SourceMap.scan(text);
  return {
    table,
    note(field, message) {
      const line = map.lineOf(field);
      problems.push({ code: 'invalid-lesson', file, field: fieldText(field), message, severity: 'error', ...(line !== undefined ? { line, lineText: map.lineText(line) } : {}) });
    },
  };
}

function lessonMeta(table: TomlTable, note: ReadToml['note'], problems: Diagnostic[]) {
  for (const key of Object.keys(table)) if (!LESSON_FIELDS.has(key)) note([key], `unknown field (lesson.toml has ${[...LESSON_FIELDS].join(', ')})`);
  // Past unknown fields, so the steps are still read and their problems reported too.
  const before = problems.length;
  const { title, description = '', steps } = table;
  if (typeof title !== 'string' || !title.trim()) note(['title'], 'missing: the lesson\'s title, a text');
  if (typeof description !== 'string') note(['description'], 'must be a text');
  if (!Array.isArray(steps) || steps.length === 0 || !steps.every((s) => typeof s === 'string' && /^[\w-]+$/.test(s))) {
    note(['steps'], 'must list the step folders in order, e.g. steps = ["first-component", "routes"]');
  } else if (new Set(steps).size !== steps.length) note(['steps'], 'a step is listed twice');
  if (problems.length > before) return undefined;
  return { title: title as string, description: description as string, steps: steps as string[] };
}

async function readStep(dir: string, id: string, at: string, problems: Diagnostic[]): Promise<LessonStep | undefined> {
  if (!(await isDirectory(dir))) return undefined;
  const before = problems.length;
  const markdown = await readFile(join(dir, 'step.md'), 'utf8').catch(() => undefined);
  const text = markdown === undefined ? undefined : stepText(markdown, `${at}/step.md`, problems);
  const toml = await readToml(join(dir, 'step.toml'), `${at}/step.toml`, problems);
  if (markdown === undefined) problems.push({ code: 'invalid-lesson', file: `${at}/step.md`, message: 'missing: the step\'s text', severity: 'error' });
  const config = toml && stepConfig(toml, problems);
  const files = await readApp(join(dir, 'start'));
  if (!files) problems.push({ code: 'invalid-lesson', file: `${at}/start`, message: 'missing: the app the step starts from (a folder with spin.toml)', severity: 'error' });
  else checkManifest(files, `${at}/start/spin.toml`, problems);
  const solution = await readApp(join(dir, 'solution'));
  const solutionText: Record<string, string> = {};
  for (const [path, file] of Object.entries(solution ?? {})) {
    if ('text' in file) solutionText[path] = file.text;
    else problems.push({ code: 'invalid-lesson', file: `${at}/solution/${path}`, message: 'a solution file must be text', severity: 'error' });
  }
  if (solution?.['spin.toml'] && 'text' in solution['spin.toml']) checkManifest(solution, `${at}/solution/spin.toml`, problems);
  if (problems.length > before || !text || !config || !files) return undefined;
  return { id, title: text.title, html: text.html, hints: config.hints, checks: config.checks, files, ...(config.variables ? { variables: config.variables } : {}), solution: solutionText };
}

const markdownRenderer = new Marked({ gfm: true });

function stepText(markdown: string, file: string, problems: Diagnostic[]): { title: string; html: string } | undefined {
  const heading = /^#\s+(.+)$/m.exec(markdown);
  if (!heading) {
    problems.push({ code: 'invalid-lesson', file, line: 1, message: 'must start with a `# Title` heading', severity: 'error' });
    return undefined;
  }
  const body = markdown.slice(0, heading.index) + markdown.slice(heading.index + heading[0].length);
  return { title: heading[1]!.trim(), html: markdownRenderer.parse(body, { async: false }) };
}

function stepConfig({ table, note }: ReadToml, problems: Diagnostic[]) {
  const before = problems.length;
  for (const key of Object.keys(table)) if (!STEP_FIELDS.has(key)) note([key], `unknown field (step.toml has ${[...STEP_FIELDS].join(', ')})`);
  const { hints = [], variables, checks: rawChecks } = table;
  if (!Array.isArray(hints) || !hints.every((h) => typeof h === 'string')) note(['hints'], 'must be a list of texts (Markdown)');
  if (variables !== undefined && (typeof variables !== 'object' || variables === null || !Object.values(variables).every((v) => typeof v === 'string'))) {
    note(['variables'], 'must be a table of texts, e.g. { api_token = "s3cret" }');
  }
  const { checks, problems: checkProblems } = parseChecks(rawChecks);
  for (const p of checkProblems) note(pathOf(p.field), p.message);
  if (problems.length > before) return undefined;
  return {
    hints: (hints as string[]).map((h) => markdownRenderer.parseInline(h, { async: false })),
    checks,
    variables: variables === undefined ? undefined : { ...(variables as Record<string, string>) },
  };
}

function checkManifest(files: Record<string, { text: string } | { base64: string }>, file: string, problems: Diagnostic[]): void {
  const manifest = files['spin.toml'];
  if (!manifest || !('text' in manifest)) {
    problems.push({ code: 'invalid-lesson', file, message: 'missing: the app\'s manifest', severity: 'error' });
    return;
  }
  problems.push(...parseManifest(manifest.text, file).diagnostics.filter((d) => d.severity === 'error'));
}

/** A folder's files by forward-slash path, text where UTF-8, else base64; undefined when missing. */
async function readApp(dir: string): Promise<Record<string, { text: string } | { base64: string }> | undefined> {
  if (!(await isDirectory(dir))) return undefined;
  const files: Record<string, { text: string } | { base64: string }> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (SKIPPED.has(path.split('/')[0]!)) continue;
    const bytes = await readFile(join(dir, path));
    try {
      files[path] = { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      files[path] = { base64: Buffer.from(bytes).toString('base64') };
    }
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}

/** `checks[0].expect.status` → ['checks', 0, 'expect', 'status']. */
const pathOf = (field: string): FieldPath => field.split(/\.|(?=\[)/).map((part) => (/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part));
const fieldText = (path: FieldPath): string => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');

const isDirectory = (path: string): Promise<boolean> => stat(path).then((s) => s.isDirectory(), () => false);
const isFile = (path: string): Promise<boolean> => stat(path).then((s) => s.isFile(), () => false);
