import { join, resolve } from 'node:path';
import { z } from 'zod';
import { parseContentFile } from './load.js';
import { compileTemplate, type ExpandTemplate } from './templateCompiler.js';

export type { ExpandTemplate };

/** A card template of cards/templates: Teams renders Adaptive Cards up to schema 1.5. */
export const CardTemplateFile = z
  .object({
    type: z.literal('AdaptiveCard'),
    version: z.enum(['1.0', '1.1', '1.2', '1.3', '1.4', '1.5']),
    body: z.array(z.unknown()),
  })
  .passthrough();

/** A card to show: the template's name and the view model its `${...}` bindings read. */
export interface CardView<Name extends string = string, Data extends object = object> {
  template: Name;
  data: Data;
}

/** The views of a feature's templates, from a map of template name to the data that template binds. */
export type ViewsOf<DataByTemplate> = {
  [Name in keyof DataByTemplate & string]: CardView<Name, DataByTemplate[Name] & object>;
}[keyof DataByTemplate & string];

/**
 * A feature's template names, each once: the object literal must name every template of the map and no other
 * (the compiler says which is missing or extra).
 */
export function templateNames<DataByTemplate>(
  names: Record<keyof DataByTemplate & string, true>,
): (keyof DataByTemplate & string)[] {
  return Object.keys(names) as (keyof DataByTemplate & string)[];
}

/** Compiled once per template file: expanding is the per-card work. */
const loaded = new Map<string, ExpandTemplate>();

/** The template cards/templates/<name>.json under root, validated and compiled the first time it is asked for. */
export function cardTemplate(name: string, root = process.cwd()): ExpandTemplate {
  const file = resolve(join(root, 'cards', 'templates', `${name}.json`));
  let template = loaded.get(file);
  if (!template) {
    template = compileTemplate(parseContentFile(CardTemplateFile, file, root));
    loaded.set(file, template);
  }
  return template;
}

/** The card as Teams receives it: the view's template expanded with the view's data. */
export function expandCard(view: CardView, root = process.cwd()): Record<string, unknown> {
  return cardTemplate(view.template, root)(view.data) as Record<string, unknown>;
}
