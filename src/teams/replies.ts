import type { Activity } from 'botbuilder';
import type { Reply } from '../interview/types.js';
import type { CardTemplates } from './cardTemplates.js';

/** A reply of the interview or research logic as a Teams message. */
export function toActivity(cards: CardTemplates, reply: Reply): Partial<Activity> {
  return reply.kind === 'text'
    ? { type: 'message', text: reply.text, textFormat: 'markdown' }
    : { type: 'message', attachments: [cards.render(reply.card)] };
}
