import type { Content } from '../content/load.js';
import type { Round } from '../content/schema.js';
import type { Locale, Reply } from '../interview/types.js';
import { localize } from '../interview/text.js';
import type { ConversationTarget, Stores } from '../storage/ports.js';
import type { ResearchCommand } from './commands.js';
import { rt } from './messages.js';
import type { Outbox } from './outbox/outbox.js';
import type { OutboxJob } from './outbox/types.js';
import { analyseRound } from '../analysis/index.js';
import { queueDigestNow } from '../digest/dispatch.js';
import { remindNow } from './reminders.js';
import { roundFromForm, RoundForm, transition } from './rounds.js';
import { roundStatus } from './status.js';
import { roundFormView, statusView } from './views.js';

/** A person to invite, as Teams names them; only their pseudonym and chat target are kept. */
export interface Member {
  aadObjectId: string;
  userId: string;
}

/** Where the researcher wrote from: what the Teams edge can tell and do there. */
export interface ResearchPlace {
  tenantId: string;
  /** The conversation the command came from; a channel's root, for digests. */
  conversationId?: string;
  /** 'personal', 'groupChat' or 'channel'. */
  conversationType?: string;
  serviceUrl: string;
  channelId: string;
  botId?: string;
  /** The researcher who gave the command: not invited to their own round. */
  actorId?: string;
  /** Finds a team member by user principal name (e-mail), when the command came from a team channel. */
  resolveMember?: (upn: string) => Promise<Member | null>;
  /** The members of the team, when the command came from a team channel. */
  teamMembers?: () => Promise<Member[]>;
  /** Outside a 1:1 chat: sends replies to the researcher's 1:1 chat instead; false when Teams refused. */
  privately?: (replies: ResearchReply[]) => Promise<boolean>;
}

export type ResearchReply = Reply;

export interface ExportLinks {
  /** Signed, time-limited links to the export files. */
  links(roundId: string, format: 'csv' | 'json' | 'pqmethod' | 'analysis'): Promise<{ name: string; url: string }[]>;
  minutes: number;
}

/** Researchers' commands: rounds, invitations, reminders, status and exports. Plain TypeScript; the Teams edge calls it. */
export class ResearchService {
  constructor(
    private readonly content: Content,
    private readonly stores: Stores,
    private readonly outbox: Outbox,
    private readonly pseudonymize: (tenantId: string, userId: string) => string,
    private readonly envResearchers: string[],
    private readonly exports: ExportLinks,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async isResearcher(aadObjectId: string | undefined): Promise<boolean> {
    if (!aadObjectId) return false;
    return this.envResearchers.includes(aadObjectId) || (await this.stores.keys.researchers()).includes(aadObjectId);
  }

  async handle(command: ResearchCommand, locale: Locale, place: ResearchPlace): Promise<ResearchReply[]> {
    const text = (value: string): ResearchReply[] => [{ kind: 'text', text: value }];
    const round = async (id: string): Promise<Round | null> => this.stores.answers.getRound(id).catch(() => null);
    switch (command.kind) {
      case 'help':
        return text(rt(locale, 'help'));
      case 'invalid':
        return text(rt(locale, 'usage', { usage: command.usage }));
      case 'rounds': {
        const rounds = await this.stores.answers.listRounds();
        if (!rounds.length) return text(rt(locale, 'noRounds'));
        return text(rounds.map((r) => rt(locale, 'roundLine', { id: r.id, status: r.status, audience: r.audience, name: localize(r.name, locale), opensAt: r.opensAt, closesAt: r.closesAt })).join('\n'));
      }
      case 'newRound':
        return [{ kind: 'card', card: roundFormView(this.content, locale) }];
      case 'editRound': {
        const r = await round(command.id);
        if (!r) return text(rt(locale, 'noSuchRound', { id: command.id }));
        if (r.status !== 'draft') return text(rt(locale, 'notDraft', { id: r.id }));
        return [{ kind: 'card', card: roundFormView(this.content, locale, r) }];
      }
      case 'transition': {
        const r = await round(command.id);
        if (!r) return text(rt(locale, 'noSuchRound', { id: command.id }));
        const result = transition(r, command.action, this.clock());
        if (!result.ok) return text(rt(locale, 'transitionRefused', { problem: result.problem }));
        await this.stores.answers.saveRound(result.round);
        return text(rt(locale, 'transitioned', { id: r.id, status: result.round.status }));
      }
      case 'status': {
        const r = command.id ? await round(command.id) : (await this.stores.answers.listRounds()).sort((a, b) => (b.openedAt ?? '').localeCompare(a.openedAt ?? ''))[0];
        if (!r) return text(rt(locale, 'noSuchRound', { id: command.id ?? '' }));
        const interviews = [];
        for await (const record of this.stores.answers.listInterviews(r.id)) interviews.push(record);
        const status = roundStatus(r, this.content.guides.get(r.guide)!, interviews, await this.stores.answers.counters(r.id), await this.stores.outbox.list(r.id), locale);
        return [{ kind: 'card', card: statusView(status, r, locale) }];
      }
      case 'invite':
        return this.invite(command.id, command.who, locale, place);
      case 'remind': {
        const r = await round(command.id);
        if (!r) return text(rt(locale, 'noSuchRound', { id: command.id }));
        const count = await remindNow(r, this.stores, this.outbox, this.clock());
        return text(rt(locale, 'reminded', { count }));
      }
      case 'export': {
        try {
          const links = await this.exports.links(command.id ?? '', command.format);
          return this.linksReply(place, locale, text(rt(locale, 'exportReady', { id: command.id ?? '', format: command.format, minutes: this.exports.minutes, links: links.map((l) => `- [${l.name}](${l.url})`).join('\n') })));
        } catch (err) {
          return text(rt(locale, 'exportFailed', { problem: err instanceof Error ? err.message : String(err) }));
        }
      }
      case 'digestHere': {
        const r = await round(command.id);
        if (!r) return text(rt(locale, 'noSuchRound', { id: command.id }));
        if (place.conversationType !== 'channel' || !place.conversationId) return text(rt(locale, 'digestChannelOnly'));
        const added = await this.stores.keys.addDigestChannel(r.id, { channelId: place.channelId, serviceUrl: place.serviceUrl, tenantId: place.tenantId, userId: '', conversationId: place.conversationId, botId: place.botId, conversationType: 'channel' });
        return text(rt(locale, added ? 'digestRegistered' : 'digestAlreadyRegistered', { id: r.id, weekday: r.digest.weekday, time: r.digest.time }));
      }
      case 'digestNow': {
        const r = await round(command.id);
        if (!r) return text(rt(locale, 'noSuchRound', { id: command.id }));
        if (!(await this.stores.keys.digestChannels(r.id)).length) return text(rt(locale, 'digestNoChannel', { id: r.id }));
        await queueDigestNow(r, this.stores, this.outbox, this.clock());
        return text(rt(locale, 'digestQueued', { id: r.id }));
      }
      case 'analyse': {
        try {
          const analysis = await analyseRound(this.stores, this.content, command.id, { locale });
          const links = await this.exports.links(command.id, 'analysis');
          return this.linksReply(place, locale, [
            { kind: 'adaptiveCard', content: analysis.summaryCard },
            { kind: 'text', text: rt(locale, 'analysisReady', { minutes: this.exports.minutes, links: links.map((l) => `- [${l.name}](${l.url})`).join('\n') }) },
          ]);
        } catch (err) {
          return text(rt(locale, 'analysisFailed', { problem: err instanceof Error ? err.message : String(err) }));
        }
      }
      case 'researchers': {
        const added = await this.stores.keys.researchers();
        if (command.op === 'list') return text(rt(locale, 'researchers', { env: this.envResearchers.join(', ') || rt(locale, 'none'), added: added.join(', ') || rt(locale, 'none') }));
        const ids = command.ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
        if (ids.length !== command.ids.length) return text(rt(locale, 'usage', { usage: 'researchers add|remove <AAD object id>' }));
        await this.stores.keys.setResearchers(command.op === 'add' ? [...added, ...ids] : added.filter((id) => !ids.includes(id)));
        return text(rt(locale, 'researchersChanged'));
      }
    }
  }

  /** Links are bearer tokens: outside a 1:1 chat (no type: a 1:1 chat) they go to the researcher's 1:1 chat. */
  private async linksReply(place: ResearchPlace, locale: Locale, replies: ResearchReply[]): Promise<ResearchReply[]> {
    if (!place.conversationType || place.conversationType === 'personal') return replies;
    const sent = place.privately ? await place.privately(replies).catch(() => false) : false;
    return [{ kind: 'text', text: rt(locale, sent ? 'linksSentPrivately' : 'linksNotSent') }];
  }

  /** The round form card was submitted: create a draft, or change a draft. */
  async saveForm(data: unknown, locale: Locale): Promise<ResearchReply[]> {
    const text = (value: string): ResearchReply[] => [{ kind: 'text', text: value }];
    const parsed = RoundForm.safeParse(data);
    if (!parsed.success) return text(rt(locale, 'badForm', { problems: parsed.error.issues.map((i) => `- ${i.path.join('.')}: ${i.message}`).join('\n') }));
    const existing = await this.stores.answers.getRound(parsed.data.id);
    const editing = (data as { editing?: unknown }).editing === parsed.data.id;
    if (existing && !editing) return text(rt(locale, 'roundExists', { id: parsed.data.id }));
    if (existing && existing.status !== 'draft') return text(rt(locale, 'notDraft', { id: existing.id }));
    const built = roundFromForm(parsed.data, this.content, existing ?? undefined);
    if (!built.ok) return text(rt(locale, 'badForm', { problems: built.problems.map((p) => `- ${p}`).join('\n') }));
    await this.stores.answers.saveRound(built.round);
    return text(rt(locale, 'roundSaved', { id: built.round.id }));
  }

  private async invite(roundId: string, who: 'team' | string[], locale: Locale, place: ResearchPlace): Promise<ResearchReply[]> {
    const text = (value: string): ResearchReply[] => [{ kind: 'text', text: value }];
    const r = await this.stores.answers.getRound(roundId).catch(() => null);
    if (!r) return text(rt(locale, 'noSuchRound', { id: roundId }));
    if (r.status !== 'draft' && r.status !== 'open') return text(rt(locale, 'inviteClosed', { id: r.id, status: r.status }));
    let members: Member[];
    if (who === 'team') {
      if (!place.teamMembers) return text(rt(locale, 'inviteTeamOnly'));
      members = (await place.teamMembers()).filter((m) => m.aadObjectId !== place.actorId);
    } else {
      const isId = (v: string) => /^[0-9a-f-]{36}$/i.test(v);
      const isUpn = (v: string) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v);
      if (!who.every((v) => isId(v) || isUpn(v))) return text(rt(locale, 'usage', { usage: 'invite <round> team | invite <round> <AAD object ids or e-mail addresses>' }));
      if (who.some(isUpn) && !place.resolveMember) return text(rt(locale, 'inviteUpnTeamOnly'));
      members = [];
      const unknown: string[] = [];
      for (const v of who) {
        const member = isId(v) ? { aadObjectId: v, userId: v } : await place.resolveMember!(v);
        if (member) members.push(member);
        else unknown.push(v);
      }
      if (unknown.length) return text(rt(locale, 'inviteUnknown', { who: unknown.join(', ') }));
    }
    const now = this.clock().toISOString();
    const jobs: OutboxJob[] = [];
    for (const member of members) {
      const pseudonym = this.pseudonymize(place.tenantId, member.aadObjectId);
      const known: ConversationTarget | null = await this.stores.keys.target(pseudonym);
      const target: ConversationTarget = known ?? { channelId: place.channelId, serviceUrl: place.serviceUrl, tenantId: place.tenantId, userId: member.userId, botId: place.botId };
      if (!known) await this.stores.keys.saveTarget(pseudonym, target);
      jobs.push({ id: `invite:${r.id}:${pseudonym}`, kind: 'invite', roundId: r.id, pseudonym, target, status: 'pending', attempts: 0, notBefore: now, createdAt: now });
    }
    const queued = await this.outbox.enqueue(jobs);
    this.outbox.kick();
    return text(rt(locale, 'invited', { queued, known: jobs.length - queued, id: r.id }));
  }
}
