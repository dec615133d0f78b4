import type { TurnContext } from 'botbuilder';
import { LRUCache } from 'lru-cache';
// Only the Dialog base class, not the package's index: that loads every prompt and the text recognizers behind them
// (5 MB of JavaScript, in every test file that reaches this one, and at the bot's start).
import { Dialog } from 'botbuilder-dialogs/lib/dialog.js';
import type { DialogContext, DialogTurnResult } from 'botbuilder-dialogs';
import { localeOf, participantText } from '../interview/messages.js';
import type { InterviewSession, TurnResponse } from '../interview/session.js';
import { log, noteTurn } from '../log.js';
import type { Pseudonyms } from '../storage/pseudonyms.js';
import { isStoreUnavailable } from '../storage/unavailable.js';
import { answerCardAction, isCardAction } from './cardInvoke.js';
import type { CardAttachment, CardTemplates } from './cardTemplates.js';
import { toActivity, toCardTurnActivities } from './replies.js';
import { inputOf, isPersonal, targetOf, tenantOf, userIdOf } from './turnInput.js';

const INTERVIEW_DIALOG = 'interview';
/** Participants whose chat target this process has refreshed, at most: one evicted is refreshed once more. */
const TARGETS_KEPT = 10_000;

/**
 * The participant interview. It keeps no state of its own: every turn is handed to the interview session, whose
 * state lives in the answers store, so a restart or another instance continues exactly where the participant was.
 * The bot calls `handle` directly; as a botbuilder dialog it runs on botbuilder-testing's DialogTestClient too.
 *
 * An Action.Execute button whose turn's one reply is the next card gets that card in the invoke response: Teams
 * shows it in place of the pressed one, and the turn makes no Bot Connector call (Universal Actions' sequential
 * workflow). The card's refresh shows it on the participant's other devices. Otherwise, and when the scrubber
 * changed what the participant typed (so that they see what was stored), a pressed card is replaced by its read-only
 * summary: for an Action.Execute button in the invoke response, for an Action.Submit (the fallback of clients
 * without Universal Actions) by updateActivity; and the replies follow as messages.
 */
export class InterviewDialog extends Dialog {
  private readonly targetsSeen: LRUCache<string, true>;

  constructor(
    private readonly session: InterviewSession,
    private readonly cards: CardTemplates,
    private readonly pseudonyms: Pseudonyms,
    targetsKept = TARGETS_KEPT,
  ) {
    super(INTERVIEW_DIALOG);
    this.targetsSeen = new LRUCache({ max: targetsKept });
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    await this.handle(dc.context);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    await this.handle(dc.context);
    return Dialog.EndOfTurn;
  }

  /** One turn, without a dialog context: the bot calls this directly (see WijzerBot). */
  async handle(context: TurnContext): Promise<void> {
    const { activity } = context;
    const input = inputOf(activity);
    if (!input) return;
    const locale = localeOf(activity.locale);
    const pressed = isCardAction(activity);
    // What the participant is told instead of the turn's outcome: on the pressed card itself for an invoke.
    const tell = (text: string) =>
      pressed ? answerCardAction(context, { message: text }) : context.sendActivity(text);
    if (!isPersonal(activity)) {
      if (input.kind !== 'start') await tell(participantText(locale, 'personalOnly'));
      return;
    }
    let response: TurnResponse;
    const pseudonym = this.pseudonyms.of(tenantOf(activity), userIdOf(activity));
    // The chat to send reminders to: the session keeps it from consent on; refreshed when the chat opens, and once
    // per process for older chats (the most recent participants' remembered, so that memory stays bounded). A
    // card's refresh is read-only: it brings none.
    const target = input.kind === 'refresh' ? undefined : targetOf(activity);
    const fresh = input.kind === 'start' || (target !== undefined && !this.targetsSeen.has(pseudonym));
    if (target) this.targetsSeen.set(pseudonym, true);
    try {
      response = await this.session.run({
        pseudonym,
        locale,
        participantName: activity.from?.name,
        input,
        target,
        refreshTarget: fresh,
      });
    } catch (err) {
      log.error('turn.failed', err);
      noteTurn({ outcome: 'error' });
      // A refresh saves nothing, so it is not told that an answer was not saved.
      const key = input.kind === 'refresh' ? 'refreshFailed' : isStoreUnavailable(err) ? 'notSaved' : 'tryAgain';
      await tell(participantText(locale, key));
      return;
    }
    const [only, ...more] = response.replies;
    if (pressed && only?.kind === 'card' && !more.length && !response.erase && !response.showSubmitted) {
      await Promise.all([
        // The message now shows the participant's answers: its id is kept so that a withdrawal can blank it.
        input.kind === 'submit' && response.roundId && activity.replyToId
          ? this.remember(pseudonym, response.roundId, activity.replyToId)
          : undefined,
        answerCardAction(context, { card: toActivity(this.cards, only).attachments![0] as CardAttachment }),
      ]);
      return;
    }
    const work: Promise<unknown>[] = [];
    const skipped = (err: unknown) =>
      log.info('card.update.skipped', { reason: err instanceof Error ? err.name : 'unknown' });
    const summary =
      response.submitted && (pressed || activity.replyToId) ? this.cards.render(response.submitted) : undefined;
    if (summary && activity.replyToId) {
      // Replacing the pressed card by a read-only summary stops a second press; not every client can.
      if (!pressed)
        work.push(
          context.updateActivity({ id: activity.replyToId, type: 'message', attachments: [summary] }).catch(skipped),
        );
      // The summary shows answers: its id is kept (key store) so that a withdrawal can blank it.
      if (response.roundId) work.push(this.remember(pseudonym, response.roundId, activity.replyToId));
    }
    // A withdrawal: the earlier summaries in this chat are edited to a neutral text (Teams keeps its own edit history).
    if (response.erase) {
      const blank = this.cards.render(response.erase.card);
      for (const id of response.erase.ids)
        work.push(context.updateActivity({ id, type: 'message', attachments: [blank] }).catch(skipped));
    }
    // The update and the next card are independent: send them side by side, not one after the other.
    const activities =
      input.kind === 'submit'
        ? toCardTurnActivities(this.cards, response.replies)
        : response.replies.map((r) => toActivity(this.cards, r));
    const sending = activities.length ? context.sendActivities(activities) : Promise.resolve([]);
    work.push(sending);
    await Promise.all(work);
    // A pressed card answered this way: the interview moves on in the card message just sent, which is remembered
    // after the pressed one, so that a refresh of the pressed message shows it out of date, not the current card.
    const cardAt = activities.map((a) => Boolean(a.attachments?.length)).lastIndexOf(true);
    const sentId = cardAt >= 0 ? (await sending)[cardAt]?.id : undefined;
    if (pressed && response.roundId && sentId) await this.remember(pseudonym, response.roundId, sentId);
    if (pressed)
      await answerCardAction(context, summary ? { card: summary } : { message: this.onCard(response, locale) });
  }

  private remember(pseudonym: string, roundId: string, cardId: string): Promise<void> {
    return this.session
      .rememberCard(pseudonym, roundId, cardId)
      .catch((err: unknown) => log.error('card.remember.failed', err));
  }

  /**
   * The note on a pressed card that stays as it is: what the first reply says (the card is outdated, an answer is
   * missing), or, for a second press of a card already handled, that it was saved.
   */
  private onCard(response: TurnResponse, locale: ReturnType<typeof localeOf>): string {
    const first = response.replies.find((reply) => reply.kind === 'text');
    return first?.kind === 'text' ? first.text : participantText(locale, 'saved');
  }
}
