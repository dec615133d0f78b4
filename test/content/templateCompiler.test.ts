import { describe, expect, test } from '@jest/globals';
import * as ACData from 'adaptivecards-templating';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileTemplate } from '../../src/content/templateCompiler.js';
import { TEMPLATE_NAMES } from '../../src/teams/cardTemplates.js';
import { representativeViews } from '../support/cardViews.js';

/*
 * A compiled template gives the card adaptivecards-templating gives, byte for byte: every template of
 * cards/templates with the view models the bot builds, then templates made to hit each rule of the library's
 * expansion (lists, `$when`, missing fields, functions, case, errors) with chosen and with random data.
 */

const templateJson = (name: string): unknown =>
  JSON.parse(readFileSync(join('cards', 'templates', `${name}.json`), 'utf8'));

/** The library's card, or the message it throws. */
function byLibrary(template: unknown, data: unknown): unknown {
  try {
    return new ACData.Template(template).expand({ $root: data });
  } catch (error) {
    return { threw: (error as Error).message };
  }
}

function byCompiled(template: unknown, data: object): unknown {
  try {
    return compileTemplate(template)(data);
  } catch (error) {
    return { threw: (error as Error).message };
  }
}

/** Both ways, as JSON (what Teams receives) and as values (`undefined` and `null` told apart). */
function expectSame(template: unknown, data: object): void {
  const library = byLibrary(template, data);
  const compiled = byCompiled(template, data);
  expect(JSON.stringify(compiled)).toBe(JSON.stringify(library));
  expect(compiled).toStrictEqual(library);
}

describe.each(['nl', 'en'] as const)('every template with the view models the bot builds (%s)', (locale) => {
  const views = representativeViews(locale);

  test.each([...TEMPLATE_NAMES])('%s', (name) => {
    const filled = views.filter((view) => view.template === name);
    expect(filled.length).toBeGreaterThan(0);
    for (const view of filled) expectSame(templateJson(name), view.data);
  });
});

/** One element per rule of the library's expansion. */
const RULES = {
  type: 'AdaptiveCard',
  version: '1.5',
  $schema: 'kept: not a reserved field',
  body: [
    { type: 'TextBlock', text: '${title}', plain: 'no binding', number: 3, flag: false, nothing: null },
    { type: 'TextBlock', text: '✓ ${status} (${count}) ${missing} ${flag}' },
    { type: 'TextBlock', text: '${missing}', other: '${nested.missing}', deep: '${nested.list[1]}' },
    { type: 'TextBlock', text: '${TITLE} ${Nested.Value}', $when: '${FLAG}' },
    { type: 'TextBlock', text: "${if(status == '', title, concat(title, ' · ', status))}" },
    { type: 'TextBlock', text: '${concat(title, missing)}', size: '${count(list)}' },
    { $when: "${status != ''}", type: 'TextBlock', text: 'shown when status' },
    { $when: '${count}', type: 'TextBlock', text: 'a number is not true' },
    { $when: '${missing}', type: 'TextBlock', text: 'a missing field is not true' },
    { $when: true, type: 'TextBlock', text: 'a $when that is no expression drops the element' },
    { $when: '', type: 'TextBlock', text: 'an empty $when does not' },
    { $data: '${list}', type: 'TextBlock', text: '${$index}: ${name} of ${$root.title}', id: '${$data.id}' },
    { $data: '${list}', $when: '${show}', type: 'Container', items: [{ $data: '${tags}', text: '${$data}' }] },
    { $data: '${nested}', type: 'TextBlock', text: '${value} ${$root.count}' },
    { $data: '${empty}', type: 'TextBlock', text: 'never' },
    { $data: '${missing}', type: 'TextBlock', text: '${$data}' },
    { $data: [{ name: 'constant' }], type: 'TextBlock', text: '${name}' },
    { type: 'FactSet', facts: [{ $data: '${list}', title: '${name}', value: '${id}' }], none: { $data: '${empty}' } },
    { type: 'Input.ChoiceSet', choices: '${choices}', value: '${nested}', spliced: ['${choices}', 'last'] },
    { type: 'TextBlock', text: '${$_acTemplateVersion.major}', $root: 'dropped', $index: 'dropped' },
  ],
  actions: [{ $data: '${actions}', type: 'Action.Submit', title: '${title}', data: '${data}' }],
};

const DATA = {
  title: 'Titel',
  status: 'klaar',
  count: 2,
  flag: true,
  nested: { value: 'waarde', list: ['a', 'b'] },
  list: [
    { id: 'x', name: 'Eerste', show: true, tags: ['t1', 't2'] },
    { id: 'y', name: 'Tweede', show: false, tags: [] },
    { id: 'z', name: 'Derde', show: true, tags: ['t3'] },
  ],
  empty: [],
  choices: [{ title: 'Ja', value: 'ja' }],
  actions: [{ title: 'Volgende', data: { wz: { a: 'next' } } }],
};

describe('each rule of the expansion, against the library', () => {
  test('every field given', () => expectSame(RULES, DATA));

  test('fields missing, empty or of another type', () => {
    expectSame(RULES, { title: '', status: '', list: [{ name: 'alleen' }], nested: 'tekst', actions: [] });
    expectSame(RULES, { ...DATA, list: { id: 'one', name: 'object, not a list' }, flag: 'true' });
    expectSame(RULES, {});
  });

  test('a field named in another case is found, the first key in its order', () => {
    expectSame({ type: 'TextBlock', text: '${Title} ${TITLE}' }, { TITLE: 'upper', title: 'lower' });
  });

  test('the same errors as the library', () => {
    // Joined into text, a null field fails; a whole-string binding keeps it.
    expectSame({ type: 'TextBlock', text: 'a ${title}', whole: '${title}' }, { title: null });
    expectSame({ type: 'TextBlock', text: '${title}' }, { title: null });
    expectSame({ type: 'TextBlock', text: '${nosuchfunction(title)}' }, { title: 'x' });
    expectSame({ type: 'TextBlock', text: 'x ${nosuchfunction(title)} y' }, { title: 'x' });
  });

  test('a missing field is left as its binding, which the template test looks for', () => {
    expect(compileTemplate({ type: 'TextBlock', text: 'Hallo ${name}' })({})).toEqual({
      type: 'TextBlock',
      text: 'Hallo ${name}',
    });
  });
});

test('random data: the same card as the library', () => {
  const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(''));
  const item = fc.record({ id: value, name: value, show: fc.boolean(), tags: fc.array(value, { maxLength: 3 }) });
  const data = fc.record(
    {
      title: value,
      status: value,
      count: value,
      flag: fc.oneof(fc.boolean(), value),
      nested: fc.oneof(fc.record({ value, list: fc.array(value) }), value),
      list: fc.oneof(fc.array(item, { maxLength: 4 }), item, value),
      empty: fc.oneof(fc.constant([]), value),
      choices: fc.oneof(fc.array(fc.record({ title: value, value }), { maxLength: 3 }), value),
      actions: fc.array(fc.record({ title: value, data: fc.object() }), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(data, (sample) => expectSame(RULES, sample)),
    { numRuns: 300 },
  );
});
