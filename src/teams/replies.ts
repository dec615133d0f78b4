import type { Activity } from 'botbuilder';
import type { Reply } from '../interview/types.js';
import type { AnyCardView, CardTemplates } from './cardTemplates.js';
import { withExecuteActions } from './executeActions.js';

/** A reply of the interview or research logic as a Teams message; a participant card's buttons as Action.Execute. */
export function toActivity(cards: CardTemplates, reply: Reply<AnyCardView>): Partial<Activity> {
  switch (reply.kind) {
    case 'text':
      return { type: 'message', text: reply.text, textFormat: 'markdown' };
    case 'card':
      return { type: 'message', attachments: [withExecuteActions(cards.render(reply.card))] };
  }
}
