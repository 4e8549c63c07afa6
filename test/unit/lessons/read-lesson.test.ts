import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LessonError, listLessonNames, readLesson } from '../../../node/lessons/read-lesson.ts';
import { buildPlaygroundLessons } from '../../../web/build-lessons.ts';

const MANIFEST = `spin_manifest_version = 2
[application]
name = "a"
[[trigger.http]]
route = "/..."
component = "a"
[component.a]
source = "dist/a.wasm"
[component.a.build]
command = "twirl componentize src/index.js -o dist/a.wasm"
`;

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

async function withLessons(files: Record<string, string>, body: (root: string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'twirl-lessons-'));
  try {
    await writeTree(root, files);
    await body(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

test('the quickstart tutorial is valid: every step has text, a start app, and checks but the last', async () => {
  assert.ok((await listLessonNames()).includes('quickstart'));
  const lesson = await readLesson('quickstart');
  assert.deepEqual(
    lesson.steps.map((s) => s.id),
    ['first-component', 'routes', 'key-value', 'variables', 'outbound-http', 'static-files', 'deploy'],
  );
  for (const step of lesson.steps.slice(0, -1)) {
    assert.ok(step.checks.length > 0, `${step.id} has checks`);
    assert.ok(Object.keys(step.solution).length > 0, `${step.id} has a solution`);
    assert.ok(step.files['spin.toml'], `${step.id} starts with an app`);
    for (const path of Object.keys(step.solution)) assert.notEqual(step.solution[path], (step.files[path] as { text?: string } | undefined)?.text, `${step.id}: the solution changes ${path}`);
  }
  assert.match(lesson.steps.at(-1)!.html, /twirl deploy/);
});

test('a valid lesson reads into steps: title from the heading, Markdown as HTML, hints, variables', async () => {
  await withLessons(
    {
      'one/lesson.toml': 'title = "One"\nsteps = ["first"]\n',
      'one/first/step.md': 'Intro.\n\n# Say hello\n\nUse `fetch`.\n',
      'one/first/step.toml': 'hints = ["Try **this**"]\nvariables = { token = "t" }\n[[checks]]\nrequest = { path = "/" }\nexpect.status = 200\n',
      'one/first/start/spin.toml': MANIFEST,
      'one/first/start/src/index.js': '// start\n',
      'one/first/solution/src/index.js': '// done\n',
    },
    async (root) => {
      const lesson = await readLesson('one', root);
      const [step] = lesson.steps;
      assert.equal(step?.title, 'Say hello');
      assert.match(step!.html, /<p>Use <code>fetch<\/code>\.<\/p>/);
      assert.doesNotMatch(step!.html, /Say hello/);
      assert.deepEqual(step!.hints, ['Try <strong>this</strong>']);
      assert.deepEqual(step!.variables, { token: 't' });
      assert.deepEqual(Object.keys(step!.files), ['spin.toml', 'src/index.js']);
      assert.deepEqual(step!.solution, { 'src/index.js': '// done\n' });
      assert.equal(step!.checks[0]?.name, 'GET /');
    },
  );
});

test('every problem in a lesson is reported with its file, line and field', async () => {
  await withLessons(
    {
      'bad/lesson.toml': 'title = "Bad"\nsteps = ["first", "gone"]\ncolour = "red"\n',
      'bad/first/step.md': 'No heading here.\n',
      'bad/first/step.toml': 'hints = "one"\n\n[[checks]]\nrequest = { path = "/" }\nexpect.status = 42\n',
      'bad/first/start/spin.toml': 'spin_manifest_version = 2\n[application]\nname = "a"\n[[trigger.http]]\nroute = "/..."\ncomponent = "nope"\n',
    },
    async (root) => {
      const error = await readLesson('bad', root).then(
        () => assert.fail('an invalid lesson must not read'),
        (err: unknown) => err as LessonError,
      );
      assert.ok(error instanceof LessonError);
      const found = error.diagnostics.map((d) => `${d.file}:${d.line ?? ''}:${d.field ?? ''}`);
      assert.ok(found.includes('bad/lesson.toml:3:colour'), found.join('\n'));
      assert.ok(found.includes('bad/lesson.toml:2:steps[1]'), found.join('\n'));
      assert.ok(found.includes('bad/first/step.md:1:'), found.join('\n'));
      assert.ok(found.includes('bad/first/step.toml:1:hints'), found.join('\n'));
      assert.ok(found.includes('bad/first/step.toml:5:checks[0].expect.status'), found.join('\n'));
      assert.ok(error.diagnostics.some((d) => d.file === 'bad/first/start/spin.toml' && /nope/.test(d.message)), error.message);
      assert.match(error.message, /bad\/first\/step\.toml:5: checks\[0\]\.expect\.status: must be an HTTP status/);
    },
  );
});

test('a TOML syntax error points at its line', async () => {
  await withLessons({ 'syntax/lesson.toml': 'title = "x"\nsteps = [\n' }, async (root) => {
    await assert.rejects(readLesson('syntax', root), (err: LessonError) => err.diagnostics[0]?.file === 'syntax/lesson.toml' && err.diagnostics[0].line !== undefined && /not valid TOML/.test(err.message));
  });
});

test('the playground build ships valid lessons and leaves out invalid ones, saying why', async () => {
  await withLessons(
    {
      'good/lesson.toml': 'title = "Good"\nsteps = ["s"]\n',
      'good/s/step.md': '# S\n',
      'good/s/step.toml': '',
      'good/s/start/spin.toml': MANIFEST,
      'broken/lesson.toml': 'steps = []\n',
    },
    async (root) => {
      const out = await mkdtemp(join(tmpdir(), 'twirl-lessons-out-'));
      const logged: string[] = [];
      const original = console.error;
      console.error = (line: string) => logged.push(line);
      try {
        const summaries = await buildPlaygroundLessons(out, { root });
        assert.deepEqual(summaries, [{ name: 'good', title: 'Good', description: '', steps: 1 }]);
        const shipped = JSON.parse(await readFile(join(out, '__twirl/lessons/good.json'), 'utf8')) as { steps: Array<{ id: string }> };
        assert.equal(shipped.steps[0]?.id, 's');
        assert.match(logged.join('\n'), /lesson broken left out:\n.*broken\/lesson\.toml.*title/);
      } finally {
        console.error = original;
        await rm(out, { recursive: true, force: true });
      }
    },
  );
});
