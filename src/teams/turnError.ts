import type { TurnContext } from 'botbuilder';
import { localeOf, participantText } from '../interview/messages.js';
import { log, noteTurn } from '../log.js';
import { answerCardAction, isCardAction } from './cardInvoke.js';

/**
 * The adapter's last resort for a turn that threw. It must never throw itself (botbuilder would answer 500):
 * it logs, and tells a participant who sent a message or pressed a button that nothing was lost, in their language.
 */
export async function onTurnError(context: TurnContext, err: unknown): Promise<void> {
  try {
    log.error('turn.error', err);
    noteTurn({ outcome: 'error' });
    const text = participantText(localeOf(context.activity?.locale), 'tryAgain');
    // A card button's invoke is told on the card itself (its invoke response), a message by a reply.
    if (context.activity && isCardAction(context.activity)) await answerCardAction(context, { message: text });
    else if (context.activity?.type === 'message') await context.sendActivity(text);
  } catch (failed) {
    log.error('turn.error.reply', failed);
  }
}
