import { normaliseText } from '../interview/commands.js';
import { EXPORT_FORMATS, type Delimiter, type ExportFormat } from '../export/index.js';
import type { UsageKey } from './messages.js';

/** A researcher's command, in Dutch or English. */
export type ResearchCommand =
  | { kind: 'help' }
  | { kind: 'rounds' }
  | { kind: 'newRound' }
  | { kind: 'editRound'; id: string }
  | { kind: 'transition'; id: string; action: 'start' | 'pause' | 'close' }
  | { kind: 'status'; id?: string }
  | { kind: 'invite'; id: string; who: 'team' | string[] }
  | { kind: 'remind'; id: string }
  /** Without a delimiter, CSV gets the researcher's language's: ";" for Dutch Excel, "," for English. */
  | { kind: 'export'; id?: string; format: ExportFormat; delimiter?: Delimiter }
  | { kind: 'researchers'; op: 'list' | 'add' | 'remove'; ids: string[] }
  | { kind: 'digestHere'; id: string }
  | { kind: 'digestNow'; id: string }
  | { kind: 'analyse'; id?: string }
  | { kind: 'invalid'; usage: UsageKey };

const FIRST_WORDS = new Set([
  'rounds',
  'rondes',
  'round',
  'ronde',
  'status',
  'invite',
  'uitnodigen',
  'nodig',
  'remind',
  'herinner',
  'export',
  'exporteer',
  'researchers',
  'onderzoekers',
  'onderzoeker',
  'researcher',
  'digest',
  'samenvatting',
  'analyse',
  'analyseer',
  'analyze',
]);

const ROUND_ACTIONS: Record<string, 'new' | 'edit' | 'start' | 'pause' | 'close'> = {
  new: 'new',
  nieuw: 'new',
  nieuwe: 'new',
  edit: 'edit',
  wijzig: 'edit',
  bewerk: 'edit',
  start: 'start',
  open: 'start',
  pause: 'pause',
  pauzeer: 'pause',
  close: 'close',
  sluit: 'close',
};

/** Whether a message is meant as a researcher command (and so is refused politely when the sender is not one). */
export function looksLikeResearchCommand(text: string): boolean {
  const [first = ''] = normaliseText(text).split(' ');
  return FIRST_WORDS.has(first);
}

export function parseResearchCommand(text: string): ResearchCommand {
  // Keep ids and addresses as typed: only the command words are normalised.
  const words = text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const [first = '', second = '', ...rest] = words;
  const head = first.toLowerCase();
  const arg = second.toLowerCase();
  switch (head) {
    case 'rounds':
    case 'rondes':
      return { kind: 'rounds' };
    case 'round':
    case 'ronde': {
      const action = ROUND_ACTIONS[arg];
      const id = rest[0];
      if (action === 'new') return { kind: 'newRound' };
      if (action && id) return action === 'edit' ? { kind: 'editRound', id } : { kind: 'transition', id, action };
      return { kind: 'invalid', usage: 'round' };
    }
    case 'status':
      return second ? { kind: 'status', id: second } : { kind: 'status' };
    case 'invite':
    case 'uitnodigen':
    case 'nodig': {
      const who = rest
        .join(' ')
        .split(/[\s,;]+/)
        .filter(Boolean);
      if (!second || !who.length) return { kind: 'invalid', usage: 'invite' };
      return {
        kind: 'invite',
        id: second,
        who: who.length === 1 && /^(team|het-team)$/i.test(who[0] ?? '') ? 'team' : who,
      };
    }
    case 'remind':
    case 'herinner':
      return second ? { kind: 'remind', id: second } : { kind: 'invalid', usage: 'remind' };
    case 'export':
    case 'exporteer':
      return exportCommand(words.slice(1));
    case 'researchers':
    case 'onderzoekers':
    case 'onderzoeker':
    case 'researcher': {
      const op = (
        { add: 'add', toevoegen: 'add', remove: 'remove', verwijder: 'remove', verwijderen: 'remove' } as const
      )[arg as 'add'];
      if (!second) return { kind: 'researchers', op: 'list', ids: [] };
      if (op && rest.length) return { kind: 'researchers', op, ids: rest };
      return { kind: 'invalid', usage: 'researchers' };
    }
    case 'analyse':
    case 'analyseer':
    case 'analyze':
      return second ? { kind: 'analyse', id: second } : { kind: 'analyse' };
    case 'digest':
    case 'samenvatting': {
      if (['here', 'hier'].includes(arg) && rest[0]) return { kind: 'digestHere', id: rest[0] };
      if (second && !['here', 'hier'].includes(arg)) return { kind: 'digestNow', id: second };
      return { kind: 'invalid', usage: 'digest' };
    }
    default:
      return { kind: 'help' };
  }
}

const DELIMITERS: Record<string, Delimiter> = {
  ';': ';',
  ',': ',',
  puntkomma: ';',
  semicolon: ';',
  komma: ',',
  comma: ',',
};

/** `export [round] format [delimiter]`; "csv;" is read as "csv ;". */
function exportCommand(args: string[]): ResearchCommand {
  const words = args.flatMap((w) => w.match(/[^;,]+|[;,]/g) ?? []);
  const at = words.findIndex((w) => (EXPORT_FORMATS as readonly string[]).includes(w.toLowerCase()));
  const invalid: ResearchCommand = { kind: 'invalid', usage: 'export' };
  const formatWord = words[at];
  if (formatWord === undefined || at > 1) return invalid;
  const format = formatWord.toLowerCase() as ExportFormat;
  const [delimiterWord, ...more] = words.slice(at + 1);
  const delimiter = delimiterWord === undefined ? undefined : DELIMITERS[delimiterWord.toLowerCase()];
  if (more.length > 0 || (delimiterWord !== undefined && (!delimiter || format !== 'csv'))) return invalid;
  return { kind: 'export', format, ...(at === 1 ? { id: words[0] } : {}), ...(delimiter ? { delimiter } : {}) };
}
