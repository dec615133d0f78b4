import { TeamsInfo, type TurnContext } from 'botbuilder';
import { parseCommand } from '../interview/commands.js';
import { localeOf, participantText } from '../interview/messages.js';
import { looksLikeResearchCommand, parseResearchCommand } from '../research/commands.js';
import { researcherText } from '../research/messages.js';
import type { Member, ResearchPlace, ResearchService } from '../research/researchService.js';
import type { CardTemplates } from './cardTemplates.js';
import { sendPrivately } from './privateChat.js';
import { toActivity } from './replies.js';
import { isPersonal, tenantOf } from './turnInput.js';

/** All members of the team a channel message came from, read page by page (getMembers is throttled and deprecated). */
async function teamMembers(context: TurnContext): Promise<Member[]> {
  const members: Member[] = [];
  let token: string | undefined;
  do {
    const page = await TeamsInfo.getPagedMembers(context, 100, token);
    for (const m of page.members) if (m.aadObjectId) members.push({ aadObjectId: m.aadObjectId, userId: m.id });
    token = page.continuationToken;
  } while (token);
  return members;
}

/** A team member by user principal name; null when the team has no such member. */
async function memberByUpn(context: TurnContext, upn: string): Promise<Member | null> {
  try {
    const m = await TeamsInfo.getMember(context, upn);
    return m.aadObjectId ? { aadObjectId: m.aadObjectId, userId: m.id } : null;
  } catch {
    return null;
  }
}

function placeOf(context: TurnContext, cards: CardTemplates): ResearchPlace {
  const { activity } = context;
  const teamId = (activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
  return {
    tenantId: tenantOf(activity),
    // A channel message's conversation id names its thread (";messageid=..."); digests start new threads.
    conversationId: activity.conversation?.id?.replace(/;messageid=.*$/, ''),
    conversationType: activity.conversation?.conversationType,
    serviceUrl: activity.serviceUrl,
    channelId: activity.channelId,
    botId: activity.recipient?.id,
    actorId: activity.from?.aadObjectId,
    teamMembers: teamId ? () => teamMembers(context) : undefined,
    resolveMember: teamId ? (upn) => memberByUpn(context, upn) : undefined,
    privately: isPersonal(activity)
      ? undefined
      : (replies) =>
          sendPrivately(
            context,
            replies.map((r) => toActivity(cards, r)),
          ),
  };
}

/**
 * Researcher commands: in a channel or group chat (where Teams only delivers messages that @mention the bot) and
 * in a 1:1 chat when the text starts with a command word. Anyone who is not a researcher is refused politely.
 */
export class ResearchHandler {
  constructor(
    private readonly service: ResearchService,
    private readonly cards: CardTemplates,
  ) {}

  /** Handles the activity and returns true when it is the researchers' business. */
  async handle(context: TurnContext): Promise<boolean> {
    const { activity } = context;
    if (activity.type !== 'message') return false;
    const text = activity.text ?? '';
    const form = (activity.value as { wzr?: unknown } | undefined)?.wzr === 'saveRound';
    const command = looksLikeResearchCommand(text);
    const personal = isPersonal(activity);
    const locale = localeOf(activity.locale);
    if (personal && !form && !command) {
      // "help" in a 1:1 chat: a researcher gets the researcher commands too, before the participant's help.
      if (parseCommand(text) === 'help' && (await this.service.isResearcher(activity.from?.aadObjectId)))
        await context.sendActivity(researcherText(locale, 'help'));
      return false;
    }
    if (!(await this.service.isResearcher(activity.from?.aadObjectId))) {
      await context.sendActivity(
        command || form
          ? researcherText(locale, personal ? 'notResearcherPersonal' : 'notResearcherChannel')
          : participantText(locale, 'personalOnly'),
      );
      return true;
    }
    const replies = form
      ? await this.service.saveForm(activity.value, locale)
      : await this.service.handle(parseResearchCommand(text), locale, placeOf(context, this.cards));
    await context.sendActivities(replies.map((r) => toActivity(this.cards, r)));
    return true;
  }
}
