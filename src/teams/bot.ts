import { ActivityHandler, type Activity, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { DialogSet, type DialogState } from 'botbuilder-dialogs';
import { localeOf, participantText } from '../interview/messages.js';
import { noteTurn } from '../log.js';
import { unusable } from './activitySchema.js';
import { verdictOf, type Admission } from './admission.js';
import { answerCardAction, isCardAction } from './cardInvoke.js';
import type { FloodVerdict } from './floodLimiter.js';
import { INTERVIEW_DIALOG, type InterviewDialog } from './interviewDialog.js';
import type { ResearchHandler } from './researchHandler.js';
import { isPersonal } from './turnInput.js';

/**
 * The interview dialog keeps its state in the answers store, not on the dialog stack, so the stack lives for
 * one turn only: nothing accumulates in memory per conversation, and any instance can take any turn.
 */
class TurnScopedState implements StatePropertyAccessor<DialogState> {
  private readonly key = Symbol('dialogState');

  async get(context: TurnContext, defaultValue?: DialogState): Promise<DialogState> {
    if (!context.turnState.has(this.key) && defaultValue) context.turnState.set(this.key, defaultValue);
    return context.turnState.get<DialogState>(this.key);
  }

  async set(context: TurnContext, value: DialogState): Promise<void> {
    context.turnState.set(this.key, value);
  }

  async delete(context: TurnContext): Promise<void> {
    context.turnState.delete(this.key);
  }
}

/**
 * Routes Teams activities, after the admission check (tenant, channel, Entra user), to the researchers' commands or
 * to the interview dialog. Activities the bot cannot use, and messages of a participant who floods the bot, stop
 * here: no store is read. A card button's invoke (Action.Execute) is always answered in its invoke response.
 */
export class WijzerBot extends ActivityHandler {
  private readonly dialogs: DialogSet;

  constructor(
    dialog: InterviewDialog,
    admission: Admission,
    research?: ResearchHandler,
    flood?: (activity: Partial<Activity>) => FloodVerdict,
  ) {
    super();
    this.dialogs = new DialogSet(new TurnScopedState()).add(dialog);
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
      const dc = await this.dialogs.createContext(context);
      await dc.beginDialog(INTERVIEW_DIALOG);
      // The dialog answered the invoke: botbuilder's own invoke handling would only answer it again, with 501.
      if (!pressed) await next();
    });
  }
}
