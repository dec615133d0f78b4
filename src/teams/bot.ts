import { ActivityHandler, ConversationState, MemoryStorage, type Storage, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { INTERVIEW_DIALOG, type InterviewDialog } from './interviewDialog.js';
import { tenantOf } from './turnInput.js';

/** Routes Teams activities to the interview dialog, after the tenant check. */
export class WijzerBot extends ActivityHandler {
  private readonly conversationState: ConversationState;
  private readonly dialogs: DialogSet;

  constructor(dialog: InterviewDialog, allowedTenants: string[], storage: Storage = new MemoryStorage()) {
    super();
    this.conversationState = new ConversationState(storage);
    this.dialogs = new DialogSet(this.conversationState.createProperty<DialogState>('dialogState')).add(dialog);
    const allowed = new Set(allowedTenants);
    this.onTurn(async (context, next) => {
      if (allowed.size > 0 && !allowed.has(tenantOf(context.activity))) return;
      await this.runDialog(context);
      await next();
    });
  }

  private async runDialog(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(INTERVIEW_DIALOG);
    await this.conversationState.saveChanges(context);
  }
}
