import { ActivityTypes, StatusCodes, type Activity, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { CardAttachment } from './cardTemplates.js';
import { isPlainObject } from '../plainObject.js';

/** The invoke Teams sends when an Action.Execute button is pressed (Universal Actions). */
export const CARD_ACTION = 'adaptiveCard/action';

/**
 * Teams merges the card's inputs into the action's data, as for an Action.Submit. The data is checked to be an
 * object and handed on as it came (the activity check has already bounded it and refused prototype keys): a
 * parsed copy of every input would be thrown away, the inputs are read by whoever needs them.
 */
const CardActionValue = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.string().max(64).nullish(),
    data: z.custom<Record<string, unknown>>(isPlainObject),
  }),
});

export function isCardAction(activity: Partial<Activity>): boolean {
  return activity.type === ActivityTypes.Invoke && activity.name === CARD_ACTION;
}

/** The verb of a card's `refresh` action: Teams sends it when it shows the card again (see executeActions). */
export const REFRESH_VERB = 'refresh';

export interface CardAction {
  verb?: string;
  /** What the button sent: its data and the card's inputs. */
  data: Record<string, unknown>;
}

/** Each invoke's action, read once: the bot's check of the activity and the dialog's input both ask for it. */
const readActions = new WeakMap<object, CardAction | null>();

/** The pressed button's verb and data; null when the invoke carries nothing readable. */
export function cardActionOf(activity: Partial<Activity>): CardAction | null {
  if (!isCardAction(activity)) return null;
  const { value } = activity as { value?: unknown };
  if (typeof value !== 'object' || value === null) return null;
  let action = readActions.get(value);
  if (action === undefined) {
    const parsed = CardActionValue.safeParse(value);
    action = parsed.success ? { verb: parsed.data.action.verb ?? undefined, data: parsed.data.action.data } : null;
    readActions.set(value, action);
  }
  return action;
}

/** What the pressed button sent (its data and the card's inputs); null when the invoke carries nothing readable. */
export function cardActionData(activity: Partial<Activity>): Record<string, unknown> | null {
  return cardActionOf(activity)?.data ?? null;
}

/** The card that replaces the pressed one, or a message Teams shows on the card (which then stays as it is). */
export type CardActionAnswer = { card: CardAttachment } | { message: string };

/**
 * Answers the invoke in the HTTP response itself: no Bot Connector call. Always 200, with a card or a message, so
 * that Teams never shows its generic error on the card.
 */
export async function answerCardAction(context: TurnContext, answer: CardActionAnswer): Promise<void> {
  const body =
    'card' in answer
      ? { statusCode: StatusCodes.OK, type: answer.card.contentType, value: answer.card.content }
      : { statusCode: StatusCodes.OK, type: 'application/vnd.microsoft.activity.message', value: answer.message };
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: StatusCodes.OK, body } });
}
