import * as AEL from 'adaptive-expressions';
import * as ACData from 'adaptivecards-templating';
import { pathParts, ScopeMemory, substitute, valueAt, type Scope } from './templateScope.js';

/*
 * A card template compiled once into a function of its view model. adaptivecards-templating walks the template and
 * sets up an expression evaluation for every `${...}` of every card it expands; here the walk is decided once per
 * template: text without `${` is a constant, a plain field (`${title}`, `${yes.data}`, `${$root.topLabel}`) a
 * direct read, and only function calls (`if(...)`, `x != ''`, `count(...)`) are still evaluated by
 * adaptive-expressions. Every rule of the library's Template.expand is kept as it is: `$data` lists repeat an
 * element, `$when` drops it unless it evaluates to true, a missing field becomes `${field}`, an error in a binding
 * throws. test/content/templateCompiler.test.ts holds the two side by side.
 */

/** A compiled template: the card for one view model. */
export type ExpandTemplate = (data: object) => unknown;

type Expand = (scope: Scope) => unknown;
type Evaluation = { value: unknown; error?: string };
type Evaluate = (scope: Scope) => Evaluation;

/** Fields of a template element that the library reads and never copies into the card. */
const RESERVED = new Set(['$data', '$when', '$root', '$index', '$host', '$_acTemplateVersion']);

/** The template with every string that holds `${` parsed, as Template's constructor prepares it. */
function prepare(node: unknown): unknown {
  if (typeof node === 'string') return ACData.Template.parseInterpolatedString(node);
  if (Array.isArray(node)) return Array.from(node, (item: unknown) => prepare(item));
  if (typeof node !== 'object' || node === null) return node;
  const prepared: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) prepared[key] = prepare(value);
  return prepared;
}

/** The memory path of a plain field (a chain of property names), as tryAccumulatePath builds it; else null. */
function fieldPath(expression: AEL.Expression): string | null {
  let path = '';
  for (let left: AEL.Expression | undefined = expression; left; left = left.children[1]) {
    const name = left.children[0];
    const plain = left.type === AEL.ExpressionType.Accessor && left.children.length <= 2;
    if (!plain || !(name instanceof AEL.Constant) || typeof name.value !== 'string') return null;
    path = `${name.value}.${path}`;
  }
  path = path.replace(/(\.*$)/g, '').replace(/(\.\[)/g, '[');
  return path === '' ? null : path;
}

function substitutingOptions(): AEL.Options {
  const options = new AEL.Options();
  options.nullSubstitution = substitute;
  return options;
}

/** One expression: a constant, a direct read of a plain field, or adaptive-expressions' evaluation. */
function evaluator(expression: AEL.Expression, substitutions: boolean): Evaluate {
  if (expression instanceof AEL.Constant) return () => ({ value: expression.value });
  const path = fieldPath(expression);
  if (path === null) {
    return (scope) => expression.tryEvaluate(new ScopeMemory(scope), substitutions ? substitutingOptions() : undefined);
  }
  const parts = pathParts(path);
  const fromData = path[0] !== '$';
  return (scope) => {
    const value = valueAt(scope, parts, fromData);
    return { value: value === undefined && substitutions ? substitute(path) : value };
  };
}

/** A value joined into text as the library joins it: by its own toString, so a null field fails as it does there. */
const asText = (value: unknown): string => (value as { toString(): string }).toString();

/** Text with bindings in it ("✓ ${status}"): each part on its own, a part that fails left as its `${...}`. */
function interpolation(expression: AEL.Expression): Evaluate {
  const parts = expression.children.map((child) => ({ child, evaluate: evaluator(child, true) }));
  return (scope) => {
    let text = '';
    for (const { child, evaluate } of parts) {
      let value: unknown;
      let failed: boolean;
      try {
        const result = evaluate(scope);
        [value, failed] = [result.value, Boolean(result.error)];
      } catch (error) {
        [value, failed] = [undefined, Boolean(error)];
      }
      text += failed ? '${' + child.toString() + '}' : asText(value);
    }
    return { value: text };
  };
}

function expressionOf(expression: AEL.Expression, substitutions: boolean): Evaluate {
  return expression.type === AEL.ExpressionType.Concat && substitutions
    ? interpolation(expression)
    : evaluator(expression, substitutions);
}

function valueOf(evaluate: Evaluate, scope: Scope): unknown {
  const result = evaluate(scope);
  if (result.error) throw new Error(result.error);
  return result.value;
}

/** A list: each item expanded, an item that expands to nothing left out, one that repeats spliced in. */
function compileList(items: unknown[]): Expand {
  const expands = items.map(compileNode);
  return (scope) => {
    const out: unknown[] = [];
    for (const expand of expands) {
      const value = expand(scope);
      if (Array.isArray(value)) for (const item of value) out.push(item);
      else if (value !== null) out.push(value);
    }
    return out;
  };
}

/** An element: once, or once per item of its `$data` list; dropped where its `$when` is not true. */
function compileElement(node: Record<string, unknown>): Expand {
  const { $when: when, $data: dataContext } = node;
  const fields = Object.keys(node)
    .filter((key) => !RESERVED.has(key))
    .map((key) => ({ key, expand: compileNode(node[key]) }));
  const keepWhen = when instanceof AEL.Expression ? expressionOf(when, false) : null;
  // A `$when` that is no expression drops the element, unless it is empty.
  const alwaysDropped = !keepWhen && Boolean(when);
  const evaluateData = dataContext instanceof AEL.Expression ? expressionOf(dataContext, true) : null;
  return (scope) => {
    const context = evaluateData ? valueOf(evaluateData, scope) : dataContext;
    const isList = Array.isArray(context);
    const contexts: unknown[] = isList ? context : [context];
    const out: Record<string, unknown>[] = [];
    let { data, index } = scope;
    for (let i = 0; i < contexts.length; i++) {
      if (isList) index = i;
      if (contexts[i] !== undefined) data = contexts[i];
      const inner: Scope = { root: scope.root, data, index };
      if (alwaysDropped) continue;
      if (keepWhen) {
        const result = keepWhen(inner);
        if (result.error || result.value !== true) continue;
      }
      const element: Record<string, unknown> = {};
      for (const { key, expand } of fields) {
        const value = expand(inner);
        if (value !== undefined) element[key] = value;
      }
      out.push(element);
    }
    return out.length === 0 ? null : out.length === 1 ? out[0] : out;
  };
}

function compileNode(node: unknown): Expand {
  if (Array.isArray(node)) return compileList(node);
  if (node instanceof AEL.Expression) {
    const evaluate = expressionOf(node, true);
    return (scope) => valueOf(evaluate, scope);
  }
  if (typeof node === 'object' && node !== null) return compileElement(node as Record<string, unknown>);
  return () => node;
}

/** Compiles a template (the JSON of a cards/templates file) into the function that expands it. */
export function compileTemplate(payload: unknown): ExpandTemplate {
  const expand = compileNode(prepare(payload));
  return (data) => expand({ root: data, data, index: undefined });
}
