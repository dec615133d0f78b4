import * as AEL from 'adaptive-expressions';
import * as ACData from 'adaptivecards-templating';

/*
 * How adaptivecards-templating (2.3) reads a field while it expands a card, done without its per-binding set-up:
 * the library builds a memory object, an options object and a path string for every `${...}` and splits that path
 * with a regular expression on every read. The rules below are the library's and adaptive-expressions' own
 * (TemplateObjectMemory, SimpleObjectMemory, InternalFunctionUtils.accessProperty/accessIndex), so that a field
 * reads the same value here as there, case-insensitive property names and all.
 */

/** Where an expression is evaluated: the view model, the current `$data` (the view model at the top) and `$index`. */
export interface Scope {
  readonly root: unknown;
  readonly data: unknown;
  readonly index: number | undefined;
}

/** One step of a field path: a property name, and the number it reads as when the value there is a list. */
interface PathPart {
  name: string;
  lower: string;
  index: number;
}

/** The template version the library exposes to expressions as `$_acTemplateVersion`, asked of the library once. */
const TEMPLATE_VERSION: unknown = ACData.Template.tryEvaluateExpression(
  AEL.Expression.parse('$_acTemplateVersion'),
  { $root: {} },
  false,
).value;

/** The parts of a memory path, split as SimpleObjectMemory splits them (quotes around a part dropped). */
export function pathParts(path: string): PathPart[] {
  return path
    .split(/[.[\]]+/)
    .filter((part) => part !== '')
    .map((part) => {
      const quoted = (part.startsWith('"') && part.endsWith('"')) || (part.startsWith("'") && part.endsWith("'"));
      const name = quoted ? part.slice(1, -1) : part;
      return { name, lower: name.toLowerCase(), index: parseInt(name) };
    });
}

/** A property as accessProperty finds it: the first own key equal to the name, ignoring case. */
function property(instance: unknown, part: PathPart): unknown {
  if (!instance) return undefined;
  if (instance instanceof Map) {
    const map = instance as Map<string, unknown>;
    const exact = map.get(part.name);
    if (exact !== undefined) return exact;
    const key = [...map.keys()].find((k) => k.toLowerCase() === part.lower);
    return key === undefined ? undefined : map.get(key);
  }
  const record = instance as Record<string, unknown>;
  for (const key of Object.keys(record)) if (key === part.name || key.toLowerCase() === part.lower) return record[key];
  return undefined;
}

/** The top of the memory the library builds for each expression: what a path starting with `$` names (any case). */
function top(scope: Scope, part: PathPart): unknown {
  switch (part.lower) {
    case '$root':
      return scope.root;
    case '$data':
      return scope.data;
    case '$index':
      return scope.index;
    case '$_actemplateversion':
      return TEMPLATE_VERSION;
    default:
      // `$host` too: the bot expands with no host data.
      return undefined;
  }
}

/** The value at a path (a path not starting with `$` is read in `$data`), or undefined when some part is missing. */
export function valueAt(scope: Scope, parts: readonly PathPart[], fromData: boolean): unknown {
  let value: unknown = fromData ? scope.data : undefined;
  for (const [i, part] of parts.entries()) {
    if (i === 0 && !fromData) value = top(scope, part);
    else if (!Number.isNaN(part.index) && Array.isArray(value)) {
      // Out of range is an error, which ends the lookup with nothing.
      if (part.index < 0 || part.index >= value.length) return undefined;
      value = value[part.index];
    } else value = property(value, part);
  }
  return value;
}

/** What the library puts in place of a field that is not there: `${path}`, unless a global setting says otherwise. */
export function substitute(path: string): string {
  const chosen = ACData.GlobalSettings.getUndefinedFieldValueSubstitutionString?.(path);
  return chosen ? chosen : '${' + path + '}';
}

const partsByPath = new Map<string, PathPart[]>();

/** The memory adaptive-expressions evaluates a function call (`if(...)`, `x != ''`) against, reading as above. */
export class ScopeMemory implements AEL.MemoryInterface {
  constructor(private readonly scope: Scope) {}

  getValue(path: string): unknown {
    if (path.length === 0) return undefined;
    let parts = partsByPath.get(path);
    if (!parts) {
      parts = pathParts(path);
      partsByPath.set(path, parts);
    }
    return valueAt(this.scope, parts, path[0] !== '$');
  }

  /** Only setPathToValue writes, which has no place in a card template. */
  setValue(): void {
    throw new Error('a card template cannot set a value');
  }

  version(): string {
    return '0';
  }
}
