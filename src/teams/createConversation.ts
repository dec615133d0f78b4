import type { ConversationParameters, TurnContext } from 'botbuilder';

/**
 * The adapter as createConversation needs it. botbuilder types `audience` as a string, yet reads a missing one as
 * "the default scope of this cloud", which is what Wijzer wants; a method signature lets the adapter fit as it is.
 */
interface ConversationCreator {
  createConversationAsync(
    botAppId: string,
    channelId: string,
    serviceUrl: string,
    audience: string | undefined,
    parameters: ConversationParameters,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void>;
}

/** Opens (or finds) a conversation with the connector's default audience and runs `logic` in it. */
export function createConversation(
  adapter: ConversationCreator,
  botAppId: string,
  channelId: string,
  serviceUrl: string,
  parameters: ConversationParameters,
  logic: (context: TurnContext) => Promise<void>,
): Promise<void> {
  return adapter.createConversationAsync(botAppId, channelId, serviceUrl, undefined, parameters, logic);
}
