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

/**
 * The replies to a pressed card as Teams messages: the texts before a card go out in that card's message, above
 * it, so that "this card is outdated" and the current card cost one Bot Connector call, not two. Texts after the
 * last card stay messages of their own.
 */
export function toCardTurnActivities(cards: CardTemplates, replies: Reply<AnyCardView>[]): Partial<Activity>[] {
  const activities: Partial<Activity>[] = [];
  let texts: string[] = [];
  for (const reply of replies) {
    if (reply.kind === 'text') {
      texts.push(reply.text);
      continue;
    }
    const card = toActivity(cards, reply);
    activities.push(texts.length ? { ...card, text: texts.join('\n\n'), textFormat: 'markdown' } : card);
    texts = [];
  }
  for (const text of texts) activities.push(toActivity(cards, { kind: 'text', text }));
  return activities;
}
