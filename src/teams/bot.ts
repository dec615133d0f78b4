import { ActivityHandler, type Activity, type TurnContext } from 'botbuilder';
import { localeOf, participantText } from '../interview/messages.js';
import { noteTurn } from '../log.js';
import { unusable } from './activitySchema.js';
import { verdictOf, type Admission } from './admission.js';
import { answerCardAction, isCardAction } from './cardInvoke.js';
import type { FloodVerdict } from './floodLimiter.js';
import type { InterviewDialog } from './interviewDialog.js';
import type { ResearchHandler } from './researchHandler.js';
import { isPersonal } from './turnInput.js';

/**
 * Routes Teams activities, after the admission check (tenant, channel, Entra user), to the researchers' commands or
 * to the interview dialog. Activities the bot cannot use, and messages of a participant who floods the bot, stop
 * here: no store is read. A card button's invoke (Action.Execute) is always answered in its invoke response.
 */
export class WijzerBot extends ActivityHandler {
  constructor(
    dialog: InterviewDialog,
    admission: Admission,
    research?: ResearchHandler,
    flood?: (activity: Partial<Activity>) => FloodVerdict,
  ) {
    super();
    const say = async (context: TurnContext, key: 'unreadable' | 'textOnly' | 'slowDown' | 'signedInOnly') => {
      const text = participantText(localeOf(context.activity.locale), key);
      if (isCardAction(context.activity)) await answerCardAction(context, { message: text });
      else if (isPersonal(context.activity) || key === 'signedInOnly') await context.sendActivity(text);
    };
    this.onTurn(async (context, next) => {
      const { activity } = context;
      const pressed = isCardAction(activity);
      const verdict = verdictOf(activity, admission);
      if (verdict === 'ignore') return;
      if (verdict === 'anonymous') {
        if (activity.type === 'message' || pressed) await say(context, 'signedInOnly');
        return;
      }
      const refused = unusable(activity);
      if (refused) {
        noteTurn({ outcome: 'unusable' });
        if (refused.reply) await say(context, refused.reply);
        return;
      }
      // A button press counts like a message; an invoke is told every time (its answer costs no outbound call).
      const pace = activity.type === 'message' || pressed ? (flood?.(activity) ?? 'go') : 'go';
      if (pace !== 'go') {
        noteTurn({ outcome: 'limited' });
        if (pace === 'warn' || pressed) await say(context, 'slowDown');
        return;
      }
      if (await research?.handle(context)) return next();
      // Straight to the dialog: it keeps no state on a dialog stack, and a DialogSet would build its memory scopes
      // for every turn only to throw them away.
      await dialog.handle(context);
      // The dialog answered the invoke: botbuilder's own invoke handling would only answer it again, with 501.
      if (!pressed) await next();
    });
  }
}
