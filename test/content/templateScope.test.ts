import { expect, test } from '@jest/globals';
import * as AEL from 'adaptive-expressions';
import * as ACData from 'adaptivecards-templating';
import { pathParts, ScopeMemory, substitute, valueAt } from '../../src/content/templateScope.js';

/** Fields read the way adaptivecards-templating reads them, so that a compiled card binds what the library binds. */

const root = { title: 'Titel', Nested: { list: ['a', 'b'] }, items: [{ name: 'Eerste' }] };
const scope = { root, data: root.items[0], index: 0 };

test('a path splits on dots and brackets, quotes dropped, as SimpleObjectMemory splits it', () => {
  expect(pathParts("nested.list[1]['key']").map((part) => part.name)).toEqual(['nested', 'list', '1', 'key']);
});

test.each([
  ['name', 'Eerste'],
  ['NAME', 'Eerste'],
  ['$root.title', 'Titel'],
  ['$ROOT.nested.LIST[1]', 'b'],
  ['$root.nested.list[2]', undefined],
  ['$index', 0],
  ['$root.missing.deeper', undefined],
  ['$host', undefined],
])('%s reads %j', (path, expected) => {
  expect(valueAt(scope, pathParts(path), path[0] !== '$')).toEqual(expected);
  expect(new ScopeMemory(scope).getValue(path)).toEqual(expected);
});

test.each(['$root.title', '$ROOT.nested.LIST[1]', '$root.nested.list[2]', '$_acTemplateVersion'])(
  '%s reads what the library reads',
  (path) => {
    const library: unknown = ACData.Template.tryEvaluateExpression(
      AEL.Expression.parse(path),
      { $root: root },
      false,
    ).value;
    expect(new ScopeMemory(scope).getValue(path)).toEqual(library);
  },
);

test('the values in a scope: the item of a list, its index', () => {
  expect(valueAt(scope, pathParts('name'), true)).toBe('Eerste');
  expect(valueAt(scope, pathParts('$index'), false)).toBe(0);
});

test('a missing field becomes its binding; a memory for expressions does not write', () => {
  expect(substitute('titel')).toBe('${titel}');
  expect(() => new ScopeMemory(scope).setValue()).toThrow(/cannot set/);
});
