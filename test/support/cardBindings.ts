import { Expression } from 'adaptive-expressions';

/*
 * Checks a card template's `${...}` bindings against a view model, the way adaptivecards-templating reads them:
 * every field an expression names (in a text, a `$when`, inside a function) must be in the data, scoped by `$data`
 * as the templating scopes it. A misspelt field otherwise renders as "${titel}", or as an empty text or a hidden
 * element when it sits inside `if(...)` or `$when`.
 */

const BINDING = /\$\{([^}]*)\}/g;
const MISSING = Symbol('missing');

interface Scope {
  data: unknown;
  root: unknown;
}

export interface BindingReport {
  /** "body[1].text: ${titel} reads titel", one per field the data does not hold. */
  unbound: string[];
  /** The places in the template whose expressions were checked against some data. */
  checked: Set<string>;
}

function field(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return MISSING;
  const found = (value as Record<string, unknown>)[key];
  return found === undefined ? MISSING : found;
}

/** The value a reference ("title", "submit.data", "$root.topLabel", "$data", "a[0].b") points at in the scope. */
function resolve(reference: string, scope: Scope): unknown {
  const [head = '', ...rest] = reference.replace(/\[(\d+)\]/g, '.$1').split('.');
  if (head === '$index') return 0;
  let value = head === '$root' ? scope.root : head === '$data' ? scope.data : field(scope.data, head);
  for (const key of rest) value = value === MISSING ? MISSING : field(value, key);
  return value;
}

function checkText(text: string, scope: Scope, place: string, report: BindingReport): void {
  for (const [, expression = ''] of text.matchAll(BINDING)) {
    report.checked.add(place);
    for (const reference of Expression.parse(expression).references()) {
      if (resolve(reference, scope) === MISSING) report.unbound.push(`${place}: \${${expression}} reads ${reference}`);
    }
  }
}

/** The scopes an element is repeated over: one per item of its `$data` array, or its `$data` object. */
function scopesOf(dataBinding: string, scope: Scope, place: string): Scope[] {
  const path = /^\$\{([\w$.[\]]+)\}$/.exec(dataBinding)?.[1];
  if (!path)
    throw new Error(`${place}: $data "${dataBinding}" is not a plain field; the check reads plain fields only`);
  const value = resolve(path, scope);
  if (value === MISSING) return [];
  return (Array.isArray(value) ? value : [value]).map((data) => ({ data, root: scope.root }));
}

function walk(node: unknown, scope: Scope, place: string, report: BindingReport): void {
  if (typeof node === 'string') return checkText(node, scope, place, report);
  if (Array.isArray(node)) return node.forEach((item, i) => walk(item, scope, `${place}[${i}]`, report));
  if (node === null || typeof node !== 'object') return;
  const { $data: dataBinding, ...rest } = node as Record<string, unknown>;
  let scopes = [scope];
  if (typeof dataBinding === 'string') {
    checkText(dataBinding, scope, `${place}.$data`, report);
    scopes = scopesOf(dataBinding, scope, place);
  }
  for (const inner of scopes) {
    for (const [key, value] of Object.entries(rest)) walk(value, inner, place ? `${place}.${key}` : key, report);
  }
}

/** The template's bindings the data leaves unbound, and which places were checked. */
export function checkBindings(template: unknown, data: unknown): BindingReport {
  const report: BindingReport = { unbound: [], checked: new Set() };
  walk(template, { data, root: data }, '', report);
  return report;
}

/** Every place in the template that holds a `${...}` expression. */
export function bindingPlaces(node: unknown, place = ''): string[] {
  if (typeof node === 'string') return node.includes('${') ? [place] : [];
  if (Array.isArray(node)) return node.flatMap((item, i) => bindingPlaces(item, `${place}[${i}]`));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => bindingPlaces(value, place ? `${place}.${key}` : key));
}
