import type { Content } from '../content/load.js';
import type { Round } from '../content/schema.js';
import type { Locale, Reply } from '../interview/types.js';
import { localize } from '../interview/text.js';
import type { ConversationTarget, Stores } from '../ports/stores.js';
import type { ResearchCommand } from './commands.js';
import { audienceName, researcherText, statusName, usage } from './messages.js';
import type { Outbox } from './outbox/outbox.js';
import type { OutboxJob } from '../ports/outbox.js';
import { analyseRound, type AnalysisSummaryView } from '../analysis/index.js';
import { calendarDate, weekdayName } from '../time.js';
import { queueDigestNow } from './digestQueue.js';
import { chooseRound, ExportError, type Delimiter, type ExportFormat, type ExportOptions } from '../export/index.js';
import { roundFormView } from './formView.js';
import { idProblem, isObjectId, isUpn } from './ids.js';
import { log } from '../log.js';
import { remindNow } from './reminders.js';
import { parseForm, roundFromForm, transition, type FormProblem } from './rounds.js';
import { roundStatus } from './status.js';
import type { ResearchView } from './cardViews.js';
import { statusView } from './views.js';

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

/** A reply to a researcher: text, a research card or the analysis summary card. */
export type ResearchReply = Reply<ResearchView | AnalysisSummaryView>;

export interface ExportLinks {
  /** Signed, time-limited links to the export files. */
  links(
    roundId: string,
    format: 'csv' | 'json' | 'pqmethod' | 'analysis',
    options?: ExportOptions,
  ): Promise<{ name: string; url: string }[]>;
  minutes: number;
}

type CommandKind = ResearchCommand['kind'];
type CommandOf<K extends CommandKind> = Extract<ResearchCommand, { kind: K }>;
type CommandHandlers = {
  [K in CommandKind]: (command: CommandOf<K>, locale: Locale, place: ResearchPlace) => Promise<ResearchReply[]>;
};

/** Calls the handler of the command's kind (kind and command passed apart, so that their types stay paired). */
function runCommand<K extends CommandKind>(
  handlers: CommandHandlers,
  kind: K,
  command: CommandOf<K>,
  locale: Locale,
  place: ResearchPlace,
): Promise<ResearchReply[]> {
  return handlers[kind](command, locale, place);
}

const textReply = (value: string): ResearchReply[] => [{ kind: 'text', text: value }];

/** Why a reminder skipped someone, and the text that counts them. */
const SKIP_REASONS = [
  ['snoozed', 'skippedSnoozed'],
  ['declined', 'skippedDeclined'],
  ['unreachable', 'skippedUnreachable'],
  ['notDelivered', 'skippedNotDelivered'],
] as const;

/**
 * Researchers' commands: rounds, invitations, reminders, status and exports. Plain TypeScript; the Teams edge calls
 * it.
 */
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

  /** Each command's handler, by its kind: adding a command means adding its line here. */
  private readonly commands: CommandHandlers = {
    help: async (_command, locale) => textReply(researcherText(locale, 'help')),
    invalid: async (command, locale) =>
      textReply(researcherText(locale, 'usage', { usage: usage(locale, command.usage) })),
    rounds: async (_command, locale) => this.listRounds(locale),
    newRound: async (_command, locale) => [
      { kind: 'card', card: roundFormView(this.content, locale, { now: this.clock() }) },
    ],
    editRound: async (command, locale) => this.editRound(command.id, locale),
    transition: async (command, locale) => this.transition(command, locale),
    status: async (command, locale) => this.status(command.id, locale),
    invite: async (command, locale, place) => this.invite(command.id, command.who, locale, place),
    remind: async (command, locale) => this.remind(command.id, locale),
    export: async (command, locale, place) =>
      this.exportLinks(command.id, command.format, locale, place, command.delimiter),
    digestHere: async (command, locale, place) => this.digestHere(command.id, locale, place),
    digestNow: async (command, locale) => this.digestNow(command.id, locale),
    analyse: async (command, locale, place) => this.analyse(command.id, locale, place),
    researchers: async (command, locale) => this.researchers(command, locale),
  };

  async handle(command: ResearchCommand, locale: Locale, place: ResearchPlace): Promise<ResearchReply[]> {
    return runCommand(this.commands, command.kind, command, locale, place);
  }

  private async round(id: string): Promise<Round | null> {
    return this.stores.answers.getRound(id).catch(() => null);
  }

  private async listRounds(locale: Locale): Promise<ResearchReply[]> {
    const rounds = await this.stores.answers.listRounds();
    if (!rounds.length) return textReply(researcherText(locale, 'noRounds'));
    const line = (r: Round) =>
      researcherText(locale, 'roundLine', {
        id: r.id,
        status: statusName(locale, r.status),
        audience: audienceName(locale, r.audience),
        name: localize(r.name, locale),
        opensAt: calendarDate(r.opensAt, locale),
        closesAt: calendarDate(r.closesAt, locale),
      });
    return textReply(rounds.map(line).join('\n'));
  }

  private async editRound(id: string, locale: Locale): Promise<ResearchReply[]> {
    const r = await this.round(id);
    if (!r) return textReply(researcherText(locale, 'noSuchRound', { id }));
    if (r.status !== 'draft') return textReply(researcherText(locale, 'notDraft', { id: r.id }));
    return [{ kind: 'card', card: roundFormView(this.content, locale, { round: r, now: this.clock() }) }];
  }

  private async transition(command: CommandOf<'transition'>, locale: Locale): Promise<ResearchReply[]> {
    const r = await this.round(command.id);
    if (!r) return textReply(researcherText(locale, 'noSuchRound', { id: command.id }));
    const result = transition(r, command.action, this.clock());
    if (!result.ok)
      return textReply(researcherText(locale, result.refusal, { id: r.id, status: statusName(locale, r.status) }));
    await this.stores.answers.saveRound(result.round);
    const status = statusName(locale, result.round.status);
    return textReply(researcherText(locale, 'transitioned', { id: r.id, status }));
  }

  private async status(id: string | undefined, locale: Locale): Promise<ResearchReply[]> {
    const r = await this.roundOrReply(id, locale);
    if (Array.isArray(r)) return r;
    const interviews = [];
    for await (const record of this.stores.answers.listInterviews(r.id)) interviews.push(record);
    const status = roundStatus(
      r,
      this.content.guides.get(r.guide)!,
      interviews,
      await this.stores.answers.counters(r.id),
      await this.stores.outbox.list(r.id),
      locale,
    );
    return [{ kind: 'card', card: statusView(status, r, locale) }];
  }

  private async remind(id: string, locale: Locale): Promise<ResearchReply[]> {
    const r = await this.round(id);
    if (!r) return textReply(researcherText(locale, 'noSuchRound', { id }));
    if (r.status !== 'open')
      return textReply(researcherText(locale, 'remindNotOpen', { id: r.id, status: statusName(locale, r.status) }));
    const { queued, skipped } = await remindNow(r, this.stores, this.outbox, this.clock());
    const parts = SKIP_REASONS.filter(([reason]) => skipped[reason] > 0).map(([reason, key]) =>
      researcherText(locale, key, { n: skipped[reason], id: r.id }),
    );
    const skippedText = parts.length
      ? researcherText(locale, 'remindSkipped', { list: parts.join('; ') })
      : researcherText(locale, 'remindNoneSkipped');
    return textReply(`${researcherText(locale, 'reminded', { count: queued })} ${skippedText}`);
  }

  /** The command came from a team channel: the round's digests go there from now on. */
  private async digestHere(id: string, locale: Locale, place: ResearchPlace): Promise<ResearchReply[]> {
    const r = await this.round(id);
    if (!r) return textReply(researcherText(locale, 'noSuchRound', { id }));
    if (place.conversationType !== 'channel' || !place.conversationId)
      return textReply(researcherText(locale, 'digestChannelOnly'));
    const added = await this.stores.keys.addDigestChannel(r.id, {
      channelId: place.channelId,
      serviceUrl: place.serviceUrl,
      tenantId: place.tenantId,
      userId: '',
      conversationId: place.conversationId,
      botId: place.botId,
      conversationType: 'channel',
    });
    return textReply(
      researcherText(locale, added ? 'digestRegistered' : 'digestAlreadyRegistered', {
        id: r.id,
        weekday: weekdayName(r.digest.weekday, locale),
        time: r.digest.time,
      }),
    );
  }

  private async digestNow(id: string, locale: Locale): Promise<ResearchReply[]> {
    const r = await this.round(id);
    if (!r) return textReply(researcherText(locale, 'noSuchRound', { id }));
    if (!(await this.stores.keys.digestChannels(r.id)).length)
      return textReply(researcherText(locale, 'digestNoChannel', { id: r.id }));
    await queueDigestNow(r, this.stores, this.outbox, this.clock());
    return textReply(researcherText(locale, 'digestQueued', { id: r.id }));
  }

  /** Lists the researchers (from the environment and added in Teams), or adds or removes added ones. */
  private async researchers(command: CommandOf<'researchers'>, locale: Locale): Promise<ResearchReply[]> {
    const added = await this.stores.keys.researchers();
    const none = researcherText(locale, 'none');
    if (command.op === 'list')
      return textReply(
        researcherText(locale, 'researchers', {
          env: this.envResearchers.join(', ') || none,
          added: added.join(', ') || none,
        }),
      );
    const wrong = badIds(command.ids, false, locale);
    if (wrong)
      return textReply(researcherText(locale, 'badIds', { ...wrong, action: researcherText(locale, 'badIdsChanged') }));
    const ids = command.ids;
    await this.stores.keys.setResearchers(
      command.op === 'add' ? [...new Set([...added, ...ids])] : added.filter((id) => !ids.includes(id)),
    );
    return textReply(researcherText(locale, 'researchersChanged'));
  }

  /** Links are bearer tokens: outside a 1:1 chat (no type: a 1:1 chat) they go to the researcher's 1:1 chat. */
  private async linksReply(place: ResearchPlace, locale: Locale, replies: ResearchReply[]): Promise<ResearchReply[]> {
    if (!place.conversationType || place.conversationType === 'personal') return replies;
    const sent = place.privately ? await place.privately(replies).catch(() => false) : false;
    return [{ kind: 'text', text: researcherText(locale, sent ? 'linksSentPrivately' : 'linksNotSent') }];
  }

  /**
   * The round form card was submitted: create a draft, or change a draft; else the form again, every problem at its
   * field.
   */
  async saveForm(data: unknown, locale: Locale): Promise<ResearchReply[]> {
    const submitted = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
    const again = (problems: FormProblem[], round?: Round): ResearchReply[] => [
      { kind: 'text', text: researcherText(locale, 'badForm', { count: problems.length }) },
      { kind: 'card', card: roundFormView(this.content, locale, { round, submitted, problems, now: this.clock() }) },
    ];
    const parsed = parseForm(submitted);
    const id = typeof submitted.id === 'string' ? submitted.id : '';
    const existing = id ? await this.stores.answers.getRound(id).catch(() => null) : null;
    const editing = submitted.editing === id && id !== '';
    if (existing && !editing) return textReply(researcherText(locale, 'roundExists', { id }));
    if (existing && existing.status !== 'draft')
      return textReply(researcherText(locale, 'notDraft', { id: existing.id }));
    if (!parsed.ok) {
      // The content checks of guide and deck too, so that every problem shows at once.
      const taken = new Set(parsed.problems.map((p) => p.field));
      const content: FormProblem[] = [];
      if (!taken.has('guide') && !this.content.guides.has(String(submitted.guide)))
        content.push({ field: 'guide', problem: 'unknownGuide', value: String(submitted.guide) });
      if (!taken.has('deck') && !this.content.decks.has(String(submitted.deck)))
        content.push({ field: 'deck', problem: 'unknownDeck', value: String(submitted.deck) });
      return again([...parsed.problems, ...content], existing ?? undefined);
    }
    const built = roundFromForm(parsed.form, this.content, existing ?? undefined);
    if (!built.ok) return again(built.problems, existing ?? undefined);
    await this.stores.answers.saveRound(built.round);
    return textReply(researcherText(locale, 'roundSaved', { id: built.round.id }));
  }

  /** The round asked for, or the most recently opened one; a reply instead when there is none. */
  private async roundOrReply(id: string | undefined, locale: Locale): Promise<Round | ResearchReply[]> {
    if (id)
      return (
        (await this.stores.answers.getRound(id).catch(() => null)) ??
        textReply(researcherText(locale, 'noSuchRound', { id }))
      );
    try {
      return await chooseRound(this.stores.answers);
    } catch (err) {
      if (err instanceof ExportError) return textReply(researcherText(locale, 'noOpenedRound'));
      throw err;
    }
  }

  private async completedCount(roundId: string): Promise<number> {
    let n = 0;
    for await (const record of this.stores.answers.listInterviews(roundId)) if (record.completedAt) n++;
    return n;
  }

  /** While a round is open (or paused), exports and analyses can still change: say so, as the command line does. */
  private stillOpen(r: Round, locale: Locale): string[] {
    return r.status === 'closed'
      ? []
      : [researcherText(locale, 'stillOpen', { id: r.id, status: statusName(locale, r.status) })];
  }

  private async exportLinks(
    id: string | undefined,
    format: ExportFormat,
    locale: Locale,
    place: ResearchPlace,
    delimiter?: Delimiter,
  ): Promise<ResearchReply[]> {
    const r = await this.roundOrReply(id, locale);
    if (Array.isArray(r)) return r;
    if (!(await this.completedCount(r.id)))
      return [{ kind: 'text', text: researcherText(locale, 'noCompleted', { id: r.id }) }];
    const chosen: Delimiter = delimiter ?? (locale === 'nl' ? ';' : ',');
    try {
      const links = await this.exports.links(
        r.id,
        format,
        format === 'csv' ? { delimiter: chosen, locale } : { locale },
      );
      const csv =
        format === 'csv'
          ? [
              researcherText(locale, 'csvDelimiter', {
                id: r.id,
                delimiter: chosen,
                hint: researcherText(locale, chosen === ';' ? 'csvHintSemicolon' : 'csvHintComma', { id: r.id }),
              }),
            ]
          : [];
      const ready = researcherText(locale, 'exportReady', {
        id: r.id,
        format,
        minutes: this.exports.minutes,
        links: links.map((l) => `- [${l.name}](${l.url})`).join('\n'),
      });
      return this.linksReply(place, locale, [
        { kind: 'text', text: [...this.stillOpen(r, locale), ready, ...csv].join('\n\n') },
      ]);
    } catch (err) {
      log.error('research.export.failed', err);
      return [{ kind: 'text', text: researcherText(locale, 'exportFailed') }];
    }
  }

  private async analyse(id: string | undefined, locale: Locale, place: ResearchPlace): Promise<ResearchReply[]> {
    const r = await this.roundOrReply(id, locale);
    if (Array.isArray(r)) return r;
    const completed = await this.completedCount(r.id);
    if (completed < 2)
      return [{ kind: 'text', text: researcherText(locale, 'tooFewToAnalyse', { id: r.id, count: completed }) }];
    try {
      const analysis = await analyseRound(this.stores, this.content, r.id, { locale });
      const links = await this.exports.links(r.id, 'analysis', { locale });
      return this.linksReply(place, locale, [
        ...this.stillOpen(r, locale).map((t): ResearchReply => ({ kind: 'text', text: t })),
        { kind: 'card', card: analysis.summaryCard },
        {
          kind: 'text',
          text: researcherText(locale, 'analysisReady', {
            minutes: this.exports.minutes,
            links: links.map((l) => `- [${l.name}](${l.url})`).join('\n'),
          }),
        },
      ]);
    } catch (err) {
      log.error('research.analyse.failed', err);
      return [{ kind: 'text', text: researcherText(locale, 'analysisFailed', { id: r.id }) }];
    }
  }

  private async invite(
    roundId: string,
    who: 'team' | string[],
    locale: Locale,
    place: ResearchPlace,
  ): Promise<ResearchReply[]> {
    const r = await this.stores.answers.getRound(roundId).catch(() => null);
    if (!r) return textReply(researcherText(locale, 'noSuchRound', { id: roundId }));
    if (r.status !== 'draft' && r.status !== 'open')
      return textReply(researcherText(locale, 'inviteClosed', { id: r.id, status: statusName(locale, r.status) }));
    let members: Member[];
    if (who === 'team') {
      if (!place.teamMembers) return textReply(researcherText(locale, 'inviteTeamOnly'));
      members = (await place.teamMembers()).filter((m) => m.aadObjectId !== place.actorId);
    } else {
      const wrong = badIds(who, true, locale);
      if (wrong)
        return textReply(
          researcherText(locale, 'badIds', { ...wrong, action: researcherText(locale, 'badIdsInvited') }),
        );
      if (who.some(isUpn) && !place.resolveMember) return textReply(researcherText(locale, 'inviteUpnTeamOnly'));
      members = [];
      const unknown: string[] = [];
      for (const v of who) {
        const member = isObjectId(v) ? { aadObjectId: v, userId: v } : await place.resolveMember!(v);
        if (member) members.push(member);
        else unknown.push(v);
      }
      if (unknown.length) return textReply(researcherText(locale, 'inviteUnknown', { who: unknown.join(', ') }));
    }
    const now = this.clock().toISOString();
    const jobs: OutboxJob[] = [];
    for (const member of members) {
      const pseudonym = this.pseudonymize(place.tenantId, member.aadObjectId);
      const known: ConversationTarget | null = await this.stores.keys.target(pseudonym);
      const target: ConversationTarget = known ?? {
        channelId: place.channelId,
        serviceUrl: place.serviceUrl,
        tenantId: place.tenantId,
        userId: member.userId,
        botId: place.botId,
      };
      if (!known) await this.stores.keys.saveTarget(pseudonym, target);
      jobs.push({
        id: `invite:${r.id}:${pseudonym}`,
        kind: 'invite',
        roundId: r.id,
        pseudonym,
        target,
        status: 'pending',
        attempts: 0,
        notBefore: now,
        createdAt: now,
      });
    }
    const queued = await this.outbox.enqueue(jobs);
    this.outbox.kick();
    return textReply(researcherText(locale, 'invited', { queued, known: jobs.length - queued, id: r.id }));
  }
}

/**
 * The typed ids (or, for invitations, e-mail addresses) that are not valid, each with its reason; null when all
 * are.
 */
function badIds(values: string[], mailToo: boolean, locale: Locale): { count: number; problems: string } | null {
  const lines: string[] = [];
  for (const value of values) {
    if (mailToo && value.includes('@')) {
      if (!isUpn(value)) lines.push(`- ${researcherText(locale, 'mailForm', { value })}`);
      continue;
    }
    const problem = idProblem(value);
    if (!problem) continue;
    if (problem.kind === 'length')
      lines.push(`- ${researcherText(locale, 'idLength', { value, length: problem.length })}`);
    else if (problem.kind === 'chars')
      lines.push(`- ${researcherText(locale, 'idChars', { value, chars: problem.chars })}`);
    else lines.push(`- ${researcherText(locale, 'idGroups', { value })}`);
  }
  return lines.length ? { count: lines.length, problems: lines.join('\n') } : null;
}
