/** Where a proactive message to a participant goes: identity, so it lives in the key store only. */
export interface ConversationTarget {
  channelId: string;
  serviceUrl: string;
  tenantId: string;
  /** The user's channel id (29:...) for creating a 1:1 conversation. */
  userId: string;
  /** The 1:1 conversation (or the channel), once known. */
  conversationId?: string;
  botId?: string;
  /** 'personal' for a participant's chat, 'channel' for an Academie channel. */
  conversationType?: string;
}
