import { ActivityHandler, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { DialogSet, type DialogState } from 'botbuilder-dialogs';
import { localeOf, t } from '../interview/messages.js';
import { verdictOf, type Admission } from './admission.js';
import { INTERVIEW_DIALOG, type InterviewDialog } from './interviewDialog.js';
import type { ResearchHandler } from './researchHandler.js';

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

/** Routes Teams activities, after the admission check (tenant, channel, Entra user), to the researchers' commands or to the interview dialog. */
export class WijzerBot extends ActivityHandler {
  private readonly dialogs: DialogSet;

  constructor(dialog: InterviewDialog, admission: Admission, research?: ResearchHandler) {
    super();
    this.dialogs = new DialogSet(new TurnScopedState()).add(dialog);
    this.onTurn(async (context, next) => {
      const verdict = verdictOf(context.activity, admission);
      if (verdict === 'ignore') return;
      if (verdict === 'anonymous') {
        if (context.activity.type === 'message') await context.sendActivity(t(localeOf(context.activity.locale), 'signedInOnly'));
        return;
      }
      if (await research?.handle(context)) return next();
      const dc = await this.dialogs.createContext(context);
      await dc.beginDialog(INTERVIEW_DIALOG);
      await next();
    });
  }
}
