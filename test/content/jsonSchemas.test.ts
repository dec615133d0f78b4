import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { contentJsonSchemas, schemaText } from '../../src/content/jsonSchemas.js';
import { main } from '../../scripts/schemas.js';
import { at } from '../support/defined.js';

/*
 * The editor's schemas for dialogs/ and cards/ are generated from the zod schemas: the committed ones must be the
 * generated ones, every shipped content file must pass them (an editor shows no false alarm), a broken one not.
 */

const schemas = contentJsonSchemas();
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
/** The content files a fileMatch such as "/dialogs/guides/*.json" names. */
const filesOf = (fileMatch: string) => {
  const dir = fileMatch.replace(/^\//, '').replace(/\/\*\.json$/, '');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(dir, f));
};
const validatorOf = (schema: Record<string, unknown>) => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(schema);
};

// Compared as JSON, not as text, so that a formatter may lay the files out its own way.
test.each(schemas.map((s) => [s.file, s] as const))(
  'schemas/%s is up to date (else: npm run schemas)',
  (file, { schema }) => {
    expect(readJson(join('schemas', file))).toEqual(schema);
  },
);

test('schemas/ holds the generated schemas and nothing else', () => {
  expect(readdirSync('schemas').sort()).toEqual(schemas.map((s) => s.file).sort());
});

test('VS Code maps every content folder to its schema', () => {
  const settings = readJson(join('.vscode', 'settings.json')) as {
    'json.schemas': { fileMatch: string[]; url: string }[];
  };
  expect(settings['json.schemas']).toEqual(
    schemas.map((s) => ({ fileMatch: [s.fileMatch], url: `./schemas/${s.file}` })),
  );
});

test.each(schemas.map((s) => [s.fileMatch, s] as const))(
  'every file of %s passes its schema',
  (fileMatch, { schema }) => {
    const validate = validatorOf(schema);
    const files = filesOf(fileMatch);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files)
      expect({ file, errors: validate(readJson(file)) ? null : validate.errors }).toEqual({ file, errors: null });
  },
);

/** The content with the value at the path replaced (undefined: removed). */
function changed(content: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(content) as Record<string | number, unknown>;
  const parent = path
    .slice(0, -1)
    .reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, copy);
  const last = at(path, -1, 'path key');
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

test.each([
  [
    'a guide step without its Dutch title',
    '/dialogs/guides/*.json',
    ['steps', 1, 'title', 'nl'],
    undefined,
    '/steps/1/title',
  ],
  ['a deck with an unknown field', '/cards/decks/*.json', ['colour'], 'red', ''],
  ['a round with an id in capitals first', '/dialogs/rounds/*.json', ['id'], 'Default', '/id'],
  ['a card template above schema 1.5', '/cards/templates/*.json', ['version'], '1.6', '/version'],
] as const)('%s fails its schema', (_what, fileMatch, path, value, place) => {
  const { schema } = schemas.find((s) => s.fileMatch === fileMatch)!;
  const content = changed(readJson(at(filesOf(fileMatch), 0, fileMatch)), [...path], value);
  const validate = validatorOf(schema);
  expect(validate(content)).toBe(false);
  expect(validate.errors?.map((e) => e.instancePath)).toContain(place);
});

test('npm run schemas writes the generated schemas to a folder, and refuses an unknown option', async () => {
  const out = mkdtempSync(join(tmpdir(), 'wijzer-schemas-'));
  try {
    const lines: string[] = [];
    const io = { env: {}, out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    expect(await main(['--out', out], io)).toBe(0);
    for (const { file, schema } of schemas) expect(readFileSync(join(out, file), 'utf8')).toBe(schemaText(schema));
    expect(await main(['--colour', 'red'], io)).toBe(2);
    expect(lines.join('\n')).toContain('unknown option --colour');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
