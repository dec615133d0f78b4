import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { z } from 'zod';
import { parseContentFile } from '../content/load.js';
import type { CardView } from '../interview/types.js';

/** Teams renders Adaptive Cards up to schema 1.5. */
const Template = z.object({
  type: z.literal('AdaptiveCard'),
  version: z.enum(['1.0', '1.1', '1.2', '1.3', '1.4', '1.5']),
  body: z.array(z.unknown()),
}).passthrough();

export const TEMPLATE_NAMES: CardView['template'][] = ['info', 'consent', 'questions', 'pick', 'place', 'review', 'summary', 'roundForm', 'status', 'digest'];

export interface CardAttachment {
  contentType: 'application/vnd.microsoft.card.adaptive';
  content: Record<string, unknown>;
}

/** The Adaptive Card templates of cards/templates, validated at start-up and expanded per view. */
export class CardTemplates {
  private readonly templates = new Map<string, ACData.Template>();

  constructor(root = process.cwd()) {
    for (const name of TEMPLATE_NAMES) {
      const template = parseContentFile(Template, join(root, 'cards', 'templates', `${name}.json`), root);
      this.templates.set(name, new ACData.Template(template));
    }
  }

  render(view: CardView): CardAttachment {
    const template = this.templates.get(view.template);
    if (!template) throw new Error(`no card template "${view.template}"`);
    const content = template.expand({ $root: view.data }) as Record<string, unknown>;
    return { contentType: 'application/vnd.microsoft.card.adaptive', content };
  }
}
