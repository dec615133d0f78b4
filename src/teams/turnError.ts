import type { TurnContext } from 'botbuilder';
import { localeOf, participantText } from '../interview/messages.js';
import { log, noteTurn } from '../log.js';

/**
 * The adapter's last resort for a turn that threw. It must never throw itself (botbuilder would answer 500):
 * it logs, and tells a participant who sent a message that nothing was lost, in their language.
 */
export async function onTurnError(context: TurnContext, err: unknown): Promise<void> {
  try {
    log.error('turn.error', err);
    noteTurn({ outcome: 'error' });
    if (context.activity?.type !== 'message') return;
    await context.sendActivity(participantText(localeOf(context.activity.locale), 'tryAgain'));
  } catch (failed) {
    log.error('turn.error.reply', failed);
  }
}
