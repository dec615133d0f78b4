import { ActivityHandler, type Activity, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { DialogSet, type DialogState } from 'botbuilder-dialogs';
import { localeOf, t } from '../interview/messages.js';
import { noteTurn } from '../log.js';
import { unusable } from './activitySchema.js';
import type { FloodVerdict } from './floodLimiter.js';
import { INTERVIEW_DIALOG, type InterviewDialog } from './interviewDialog.js';
import type { ResearchHandler } from './researchHandler.js';
import { isPersonal, tenantOf } from './turnInput.js';

/**
 * The interview dialog keeps its state in the answers store, not on the dialog stack, so the stack lives for
 * one turn only: nothing accumulates in memory per conversation, and any instance can take any turn.
 */
class TurnScopedState implements StatePropertyAccessor<DialogState> {
  private readonly key = Symbol('dialogState');

  async get(context: TurnContext, defaultValue?: DialogState): Promise<DialogState> {
    if (!context.turnState.has(this.key) && defaultValue) context.turnState.set(this.key, defaultValue);
    return context.turnState.get(this.key) as DialogState;
  }

  async set(context: TurnContext, value: DialogState): Promise<void> {
    context.turnState.set(this.key, value);
  }

  async delete(context: TurnContext): Promise<void> {
    context.turnState.delete(this.key);
  }
}

/**
 * Routes Teams activities, after the tenant check, to the researchers' commands or to the interview dialog.
 * Activities the bot cannot use, and messages of a participant who floods the bot, stop here: no store is read.
 */
export class WijzerBot extends ActivityHandler {
  private readonly dialogs: DialogSet;

  constructor(dialog: InterviewDialog, allowedTenants: string[], research?: ResearchHandler, flood?: (activity: Partial<Activity>) => FloodVerdict) {
    super();
    this.dialogs = new DialogSet(new TurnScopedState()).add(dialog);
    const allowed = new Set(allowedTenants);
    const say = async (context: TurnContext, key: 'unreadable' | 'textOnly' | 'slowDown') => {
      if (isPersonal(context.activity)) await context.sendActivity(t(localeOf(context.activity.locale), key));
    };
    this.onTurn(async (context, next) => {
      const { activity } = context;
      if (allowed.size > 0 && !allowed.has(tenantOf(activity))) return;
      const refused = unusable(activity);
      if (refused) {
        noteTurn({ outcome: 'unusable' });
        if (refused.reply) await say(context, refused.reply);
        return;
      }
      const verdict = activity.type === 'message' ? flood?.(activity) ?? 'go' : 'go';
      if (verdict !== 'go') {
        noteTurn({ outcome: 'limited' });
        if (verdict === 'warn') await say(context, 'slowDown');
        return;
      }
      if (await research?.handle(context)) return next();
      const dc = await this.dialogs.createContext(context);
      await dc.beginDialog(INTERVIEW_DIALOG);
      await next();
    });
  }
}
