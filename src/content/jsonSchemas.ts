import { z } from 'zod';
import { CardTemplateFile } from './cardTemplate.js';
import { Deck, Guide, Round } from './schema.js';

/*
 * JSON Schemas of the content files, generated from the zod schemas that load them, so that an editor completes
 * and checks dialogs/ and cards/ as they are typed (.vscode/settings.json maps the files to them). The zod schemas
 * stay the authority: cross-checks (step order, duplicate ids, a known deck) run only at start-up.
 */

export interface ContentJsonSchema {
  /** The file under schemas/. */
  file: string;
  /** The content files it describes, as VS Code's json.schemas fileMatch writes them. */
  fileMatch: string;
  schema: Record<string, unknown>;
}

const SCHEMAS = [
  { file: 'guide.schema.json', fileMatch: '/dialogs/guides/*.json', title: 'Wijzer interview guide', zod: Guide },
  { file: 'round.schema.json', fileMatch: '/dialogs/rounds/*.json', title: 'Wijzer survey round', zod: Round },
  { file: 'deck.schema.json', fileMatch: '/cards/decks/*.json', title: 'Wijzer card deck', zod: Deck },
  {
    file: 'card-template.schema.json',
    fileMatch: '/cards/templates/*.json',
    title: 'Wijzer Adaptive Card template (schema 1.5 at most)',
    zod: CardTemplateFile,
  },
] as const;

/** Every content schema, as the files are written (input shapes: a field with a default may be left out). */
export function contentJsonSchemas(): ContentJsonSchema[] {
  return SCHEMAS.map(({ file, fileMatch, title, zod }) => {
    // The parts with an id (LocalText, Id, Choice, Question) are written once, under $defs.
    const generated = z.toJSONSchema(zod, { io: 'input', target: 'draft-2020-12' });
    return { file, fileMatch, schema: { $schema: generated.$schema, title, ...generated } };
  });
}

/** A schema file's text: two-space JSON with a final newline, as it is committed. */
export function schemaText(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
