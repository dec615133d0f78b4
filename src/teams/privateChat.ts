import type { Activity, CloudAdapterBase, ConversationParameters, TurnContext } from 'botbuilder';
import { AuthenticationConstants, type ClaimsIdentity } from 'botframework-connector';
import { createConversation } from './createConversation.js';

/**
 * Sends activities to the sender of this turn in their 1:1 chat with the bot, which Teams opens (or finds) on
 * createConversation. False when Teams refuses, e.g. when the app is not installed for them personally.
 */
export async function sendPrivately(context: TurnContext, activities: Partial<Activity>[]): Promise<boolean> {
  const { activity } = context;
  const adapter = context.adapter as CloudAdapterBase;
  if (!activity.from?.id || !activity.serviceUrl || typeof adapter.createConversationAsync !== 'function') return false;
  // The bot's app id: the audience of the channel's token (empty in local mode).
  const identity = context.turnState.get<ClaimsIdentity | undefined>(adapter.BotIdentityKey);
  const appId = identity?.getClaimValue(AuthenticationConstants.AudienceClaim) ?? '';
  const tenantId = activity.conversation?.tenantId;
  const parameters = {
    isGroup: false,
    bot: activity.recipient,
    members: [{ id: activity.from.id, name: '' }],
    tenantId,
    channelData: { tenant: { id: tenantId } },
  } as ConversationParameters;
  try {
    await createConversation(adapter, appId, activity.channelId, activity.serviceUrl, parameters, async (chat) => {
      await chat.sendActivities(activities);
    });
    return true;
  } catch {
    return false;
  }
}
