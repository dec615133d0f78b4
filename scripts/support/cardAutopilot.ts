/**
 * A simulated participant for Wijzer's Adaptive Cards.
 *
 * Part 1 (pure): given the last card the bot sent, `CardAutopilot.respond` returns what Teams would post back
 * when a participant fills the card in and presses a button: the button's `data` merged with the card's input
 * values. It recognises the card by its stamped buttons (`data.wz.a`; Action.Execute, whose Action.Submit fallback
 * carries the same data, or Action.Submit) and by the ids of the inputs it finds walking the body (Containers,
 * ColumnSets, ActionSets, nested). Deterministic for a given seed.
 *
 * Part 2 (transport-agnostic): `runParticipant` plays one whole interview: it opens the chat, reads each card
 * the bot sent from a `ConversationReader` (the mock connector), answers it with the autopilot and sends the
 * press through a `send` function the caller provides (HTTP in the bench and the tests): as Teams does, an
 * `adaptiveCard/action` invoke for an Action.Execute button, whose HTTP response carries the card that replaces
 * the pressed one; a message with a `value` for an Action.Submit (or every button, with `actions: 'submit'`: a
 * client without Universal Actions).
 */

import { seededRandom } from '../../src/analysis/random.js';
import { Stamp, type Action } from '../../src/interview/actions.js';
import { defined } from '../../src/defined.js';

export type { Stamp };

export interface SubmitAction {
  title: string;
  data: Record<string, unknown> & { wz: Stamp };
  /** Adaptive Cards 1.3+: "none" sends only `data`, without the card's inputs. */
  associatedInputs?: 'auto' | 'none';
  /** Set for an Action.Execute (Universal Actions): what Teams puts in the invoke's `action.verb`. */
  verb?: string;
}

export type InputType =
  'Input.Text' | 'Input.ChoiceSet' | 'Input.Toggle' | 'Input.Number' | 'Input.Date' | 'Input.Time';

export interface CardInput {
  type: InputType;
  id: string;
  /** The value the card shows (and Teams submits) when the participant leaves the input alone. */
  value: string;
  choices: { title: string; value: string }[];
  maxLength?: number;
  valueOn?: string;
  valueOff?: string;
}

/** What kind of Wijzer card this is; `final` has nothing to press (the closing card, a summary). */
export type CardKind = 'info' | 'consent' | 'questions' | 'pick' | 'place' | 'review' | 'withdraw' | 'final';

export interface AutopilotMove {
  kind: CardKind;
  action: Action;
  /** The stamp of the pressed button: where the card was shown and at which record revision. */
  stamp: Stamp;
  /** What Teams posts as the message activity's `value` (or the invoke's `action.data`). */
  value: Record<string, unknown>;
  /** The verb of an Action.Execute button; undefined for an Action.Submit. */
  verb?: string;
}

export interface AutopilotOptions {
  /** Seeds the choice of sentences and (with choices "random") of choices. Default 1. */
  seed?: number;
  /** Which option a ChoiceSet question gets. Default "first". */
  choices?: 'first' | 'random';
  /** How many toggles of the pick card are switched on (the first N). Default 12. */
  pickCount?: number;
  /** The answer to the consent card's quote toggle. Default true. */
  quote?: boolean;
}

const SENTENCES = [
  'Ik werk als jeugdgeneralist in een wijkteam en ondersteun gezinnen met opvoedvragen.',
  'Vooral het contact met ouders en scholen vind ik belangrijk in mijn werk.',
  'Sinds vorig jaar werk ik meer samen met de huisarts en het onderwijs.',
  'Ik merk dat gesprekken over veiligheid veel tijd en aandacht vragen.',
  'Een training over gespreksvoering met jongeren zou mij helpen.',
  'Mijn team bespreekt lastige casussen elke week samen.',
  'Ik heb ervaring met schuldhulp en met jongeren die thuis vastlopen.',
  'Dit herken ik goed uit mijn dagelijkse praktijk in de wijk.',
  'Hier wil ik het komende jaar graag verder in groeien.',
  'Intervisie met collega’s helpt mij om scherp te blijven.',
];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
// Card data is JSON: a string as it is, a number or boolean as JSON writes it.
const str = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);

/** The button's stamp, read as the bot reads it (src/interview/actions.ts); null when it is not one. */
function stampOf(data: unknown): Stamp | null {
  if (!isObject(data)) return null;
  const parsed = Stamp.safeParse(data.wz);
  return parsed.success ? parsed.data : null;
}

/** The elements a body element holds: Container items, ColumnSet columns' items, ActionSet actions' cards. */
function childrenOf(element: Json): unknown[] {
  return [
    ...asArray(element.items),
    ...asArray(element.columns).flatMap((c) => (isObject(c) ? asArray(c.items) : [])),
    ...asArray(element.body),
  ];
}

function walk(elements: unknown[], visit: (element: Json) => void): void {
  for (const element of elements) {
    if (!isObject(element) || element.isVisible === false) continue;
    visit(element);
    walk(childrenOf(element), visit);
  }
}

/** Every input of the card, in document order, with the value it would be submitted with if left alone. */
export function inputsOf(card: unknown): CardInput[] {
  if (!isObject(card)) return [];
  const inputs: CardInput[] = [];
  walk(asArray(card.body), (element) => {
    const type = str(element.type);
    if (!type.startsWith('Input.') || typeof element.id !== 'string') return;
    const choices = asArray(element.choices)
      .filter(isObject)
      .map((c) => ({ title: str(c.title), value: str(c.value) }));
    const input: CardInput = { type: type as InputType, id: element.id, value: str(element.value), choices };
    if (type === 'Input.Toggle') {
      input.valueOn = element.valueOn === undefined ? 'true' : str(element.valueOn);
      input.valueOff = element.valueOff === undefined ? 'false' : str(element.valueOff);
      if (input.value === '') input.value = input.valueOff;
    }
    const maxLength = Number(element.maxLength);
    if (Number.isInteger(maxLength) && maxLength > 0) input.maxLength = maxLength;
    inputs.push(input);
  });
  return inputs;
}

/** The card's buttons that carry a Wijzer stamp (Action.Submit or Action.Execute), from its actions and ActionSets. */
export function submitActionsOf(card: unknown): SubmitAction[] {
  if (!isObject(card)) return [];
  const candidates: unknown[] = [...asArray(card.actions)];
  walk(asArray(card.body), (element) => {
    if (element.type === 'ActionSet') candidates.push(...asArray(element.actions));
  });
  const out: SubmitAction[] = [];
  for (const action of candidates) {
    if (
      !isObject(action) ||
      (action.type !== 'Action.Submit' && action.type !== 'Action.Execute') ||
      !stampOf(action.data)
    )
      continue;
    out.push({
      title: str(action.title),
      data: action.data as SubmitAction['data'],
      ...(action.associatedInputs === 'none' || action.associatedInputs === 'auto'
        ? { associatedInputs: action.associatedInputs }
        : {}),
      ...(action.type === 'Action.Execute' ? { verb: str(action.verb) } : {}),
    });
  }
  return out;
}

export function classifyCard(card: unknown): CardKind {
  const actions = submitActionsOf(card).map((a) => a.data.wz.a);
  if (actions.length === 0) return 'final';
  if (actions.includes('consentYes')) return 'consent';
  if (actions.includes('confirm')) return 'review';
  if (actions.includes('withdrawYes')) return 'withdraw';
  const ids = inputsOf(card).map((i) => i.id);
  if (ids.some((id) => id.startsWith('pick_'))) return 'pick';
  if (ids.some((id) => id.startsWith('col_'))) return 'place';
  if (ids.some((id) => id.startsWith('q_'))) return 'questions';
  return 'info';
}

/** The scale's values ordered from the ends inwards (-3, 3, -2, 2, -1, 1, 0): a page of two cards already has both extremes. */
const VALUE = 'value between the ends';

function endsFirst(values: string[]): string[] {
  const sorted = [...values].sort((a, b) => Number(a) - Number(b));
  const out: string[] = [];
  for (let lo = 0, hi = sorted.length - 1; lo <= hi; lo++, hi--) {
    out.push(defined(sorted[lo], VALUE));
    if (hi !== lo) out.push(defined(sorted[hi], VALUE));
  }
  return out;
}

/** Fills in Wijzer cards as a cooperative participant would. Keep one per participant: its random stream is its own. */
export class CardAutopilot {
  private readonly random: () => number;
  private readonly choices: 'first' | 'random';
  private readonly pickCount: number;
  private readonly quote: boolean;
  /** The toggles switched on so far, over all pick pages. */
  private readonly picked = new Set<string>();

  constructor(options: AutopilotOptions = {}) {
    this.random = seededRandom(options.seed ?? 1);
    this.choices = options.choices ?? 'first';
    this.pickCount = options.pickCount ?? 12;
    this.quote = options.quote ?? true;
  }

  private sentence(maxLength?: number): string {
    const text = defined(SENTENCES[Math.floor(this.random() * SENTENCES.length)], 'sentence');
    return maxLength && text.length > maxLength ? text.slice(0, maxLength).trim() : text;
  }

  private choice(input: CardInput): string {
    if (input.choices.length === 0) return input.value;
    const index = this.choices === 'random' ? Math.floor(this.random() * input.choices.length) : 0;
    return defined(input.choices[index], 'choice').value;
  }

  /** The values a participant enters on this kind of card; inputs not named keep the value the card shows. */
  private fill(kind: CardKind, inputs: CardInput[]): Record<string, string> {
    const values: Record<string, string> = Object.fromEntries(inputs.map((i) => [i.id, i.value]));
    switch (kind) {
      case 'consent':
        for (const input of inputs.filter((i) => i.type === 'Input.Toggle'))
          values[input.id] = (this.quote ? input.valueOn : input.valueOff) ?? String(this.quote);
        break;
      case 'questions':
        for (const input of inputs) {
          if (input.type === 'Input.Text') values[input.id] = this.sentence(input.maxLength);
          else if (input.type === 'Input.ChoiceSet') values[input.id] = this.choice(input);
        }
        break;
      case 'pick':
        // The deck comes over several pick pages: pickCount cards in all, the first ones offered.
        for (const input of inputs.filter((i) => i.type === 'Input.Toggle')) {
          const on = this.picked.size < this.pickCount || this.picked.has(input.id);
          if (on) this.picked.add(input.id);
          values[input.id] = (on ? input.valueOn : input.valueOff) ?? String(on);
        }
        break;
      case 'place':
        inputs
          .filter((i) => i.type === 'Input.ChoiceSet' && i.choices.length > 0)
          .forEach((input, n) => {
            const order = endsFirst(input.choices.map((c) => c.value));
            values[input.id] = defined(order[n % order.length], 'choice'); // choices.length > 0 above
          });
        break;
      default:
        break;
    }
    return values;
  }

  /** The button this participant presses on a card of this kind. */
  private press(kind: CardKind, actions: SubmitAction[]): SubmitAction | undefined {
    const by = (a: Action) => actions.find((x) => x.data.wz.a === a);
    switch (kind) {
      case 'consent':
        return by('consentYes');
      case 'review':
        return by('confirm');
      case 'withdraw':
        return by('withdrawNo');
      case 'final':
        return undefined;
      case 'info':
        return actions[0];
      default:
        return by('next') ?? actions[0];
    }
  }

  /** What Teams would post back for this card, or null when the card has nothing to press. */
  respond(card: unknown): AutopilotMove | null {
    const kind = classifyCard(card);
    const action = this.press(kind, submitActionsOf(card));
    if (!action) return null;
    const inputs = action.associatedInputs === 'none' ? {} : this.fill(kind, inputsOf(card));
    // Teams merges the input values into the button's data object.
    const value = { ...structuredClone(action.data), ...inputs };
    return {
      kind,
      action: action.data.wz.a,
      stamp: { ...action.data.wz },
      value,
      ...(action.verb === undefined ? {} : { verb: action.verb }),
    };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Part 2: one whole interview.

/** An activity the bot sent to the channel, as a connector recorded it (updates already applied). */
export interface SentActivity {
  /** The id the connector gave it: Teams puts it in `replyToId` when a card of it is submitted. */
  id: string;
  /** Increases with every activity the connector receives, over all conversations. */
  seq: number;
  activity: Record<string, unknown>;
}

/** Where the participant reads what the bot sent: the mock connector implements it. */
export interface ConversationReader {
  /** The activities the bot sent to this conversation with a seq above `afterSeq`, oldest first. */
  sentSince(conversationId: string, afterSeq: number): SentActivity[];
  /** The seq of the last activity received so far (any conversation). */
  lastSeq(): number;
  /** How many Bot Connector calls the bot made for this conversation so far. */
  callsTo(conversationId: string): number;
  /** Shows a card the bot answered an invoke with in place of the pressed one, as the Teams client does. */
  replaceCard(conversationId: string, activityId: string, card: Record<string, unknown>): void;
}

/** The bot's HTTP answer to one posted activity; `body` is what an invoke is answered with. */
export interface Posted {
  status: number;
  body: string;
}

export interface ParticipantIdentity {
  userId: string;
  userName: string;
  conversationId: string;
  tenantId: string;
  /** Teams' service URL: where the bot sends its replies (the mock connector). */
  serviceUrl: string;
  botId?: string;
  locale?: string;
}

export interface TurnRecord {
  kind: CardKind | 'start';
  /** When the turn was sent (performance.now()). */
  at: number;
  ms: number;
  status: number;
  /** The Bot Connector calls the bot made for this turn (it makes them before it answers the HTTP request). */
  connectorCalls: number;
}

export interface RunParticipantOptions {
  identity: ParticipantIdentity;
  /** Posts one activity to the bot's /api/messages and resolves with the HTTP status and body once it answered. */
  send: (activity: Record<string, unknown>) => Promise<Posted>;
  /** How buttons are pressed: as Teams does (default), or all as Action.Submit (a client without Universal Actions). */
  actions?: 'execute' | 'submit';
  reader: ConversationReader;
  autopilot?: CardAutopilot;
  /** A safety stop; a Wijzer interview takes about 20 turns. */
  maxTurns?: number;
  /** Awaited before every turn but the first: the participant reading the card and filling it in (think time). */
  pause?: () => Promise<void>;
  onTurn?: (turn: TurnRecord) => void;
}

export interface ParticipantResult {
  turns: TurnRecord[];
  /** True when the bot showed a card with nothing left to press (the closing card). */
  completed: boolean;
  /** The last card the bot sent. */
  lastCard: Record<string, unknown> | null;
}

export class ParticipantError extends Error {
  constructor(
    readonly identity: ParticipantIdentity,
    message: string,
    readonly turns: TurnRecord[],
  ) {
    super(
      `participant ${identity.userId}: ${message} (after ${turns.length} turns: ${turns.map((t) => t.kind).join(' > ')})`,
    );
    this.name = 'ParticipantError';
  }
}

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

function cardOf(activity: Record<string, unknown>): Record<string, unknown> | null {
  const attachment = asArray(activity.attachments).find((a) => isObject(a) && a.contentType === ADAPTIVE);
  return isObject(attachment) && isObject(attachment.content) ? attachment.content : null;
}

function textsOf(sent: SentActivity[]): string[] {
  return sent
    .map((s) => s.activity.text)
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.slice(0, 160));
}

/** Builds the activities Teams sends for a participant in a personal chat. */
export function teamsActivity(
  identity: ParticipantIdentity,
  id: string,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  const botId = identity.botId ?? '28:wijzer-bot';
  return {
    id,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: identity.serviceUrl,
    from: { id: identity.userId, name: identity.userName, aadObjectId: identity.userId },
    recipient: { id: botId, name: 'Wijzer' },
    conversation: { id: identity.conversationId, conversationType: 'personal', tenantId: identity.tenantId },
    channelData: { tenant: { id: identity.tenantId } },
    locale: identity.locale ?? 'nl-NL',
    ...fields,
  };
}

/** The activity Teams sends for a button press: an invoke for Action.Execute, a message for Action.Submit. */
function pressOf(move: AutopilotMove, cardId: string, execute: boolean): Record<string, unknown> {
  if (!execute || move.verb === undefined) return { type: 'message', replyToId: cardId, value: move.value };
  const action = { type: 'Action.Execute', verb: move.verb, data: move.value };
  return { type: 'invoke', name: 'adaptiveCard/action', replyToId: cardId, value: { action, trigger: 'manual' } };
}

/** The card an invoke was answered with; throws with what the bot said instead. */
function invokeCardOf(body: string): Record<string, unknown> {
  let answer: unknown;
  try {
    answer = JSON.parse(body);
  } catch {
    throw new Error(`the invoke response is not JSON: ${body.slice(0, 160)}`);
  }
  if (isObject(answer) && answer.statusCode === 200 && answer.type === ADAPTIVE && isObject(answer.value))
    return answer.value;
  throw new Error(`the invoke response is no card: ${body.slice(0, 300)}`);
}

/**
 * Plays one interview from opening the chat to the closing card. A pressed Action.Execute button is answered with
 * a card in the invoke response: the next one in its place, or a read-only summary with the next card sent as a
 * message. Throws a ParticipantError when the bot answers with an error status, sends no card, shows the same card
 * again (a rejected submission), answers an invoke with no card, or with a card to press beside a new one.
 */
export async function runParticipant(options: RunParticipantOptions): Promise<ParticipantResult> {
  const { identity, send, reader } = options;
  const autopilot = options.autopilot ?? new CardAutopilot();
  const maxTurns = options.maxTurns ?? 100;
  const execute = (options.actions ?? 'execute') === 'execute';
  const turns: TurnRecord[] = [];
  let seq = reader.lastSeq();
  let n = 0;

  const turn = async (
    kind: TurnRecord['kind'],
    fields: Record<string, unknown>,
  ): Promise<{ sent: SentActivity[]; body: string }> => {
    if (n > 0 && options.pause) await options.pause();
    const calls = reader.callsTo(identity.conversationId);
    const started = performance.now();
    const { status, body } = await send(teamsActivity(identity, `${identity.conversationId}-in-${n++}`, fields));
    const record = {
      kind,
      at: started,
      ms: performance.now() - started,
      status,
      connectorCalls: reader.callsTo(identity.conversationId) - calls,
    };
    turns.push(record);
    options.onTurn?.(record);
    if (status < 200 || status > 299) throw new ParticipantError(identity, `the bot answered HTTP ${status}`, turns);
    const sent = reader.sentSince(identity.conversationId, seq);
    seq = sent.at(-1)?.seq ?? seq;
    return { sent, body };
  };

  let { sent } = await turn('start', {
    type: 'conversationUpdate',
    membersAdded: [{ id: identity.userId, name: identity.userName }],
  });
  let previous: Stamp | null = null;
  while (turns.length <= maxTurns) {
    const latest = [...sent].reverse().find((s) => cardOf(s.activity));
    if (!latest)
      throw new ParticipantError(
        identity,
        `no card in the bot's reply (texts: ${JSON.stringify(textsOf(sent))})`,
        turns,
      );
    const last = { id: latest.id, card: cardOf(latest.activity)! };
    const move = autopilot.respond(last.card);
    if (!move) return { turns, completed: true, lastCard: last.card };
    if (previous && previous.s === move.stamp.s && previous.i === move.stamp.i && previous.r === move.stamp.r) {
      throw new ParticipantError(
        identity,
        `the bot showed the same card again (texts: ${JSON.stringify(textsOf(sent))})`,
        turns,
      );
    }
    previous = move.stamp;
    const press = pressOf(move, last.id, execute);
    const answered = await turn(move.kind, press);
    sent = answered.sent;
    if (press.type !== 'invoke') continue;
    let answer: Record<string, unknown>;
    try {
      answer = invokeCardOf(answered.body);
    } catch (err) {
      throw new ParticipantError(identity, (err as Error).message, turns);
    }
    reader.replaceCard(identity.conversationId, last.id, answer);
    // Either the next card in place of the pressed one (the closing card has no buttons), or a read-only summary
    // there and the next card as a message.
    if (!answered.sent.some((s) => cardOf(s.activity)))
      sent = [
        { id: last.id, seq: latest.seq, activity: { attachments: [{ contentType: ADAPTIVE, content: answer }] } },
      ];
    else if (submitActionsOf(answer).length)
      throw new ParticipantError(identity, 'the bot answered with a card in place and sent another one', turns);
  }
  throw new ParticipantError(identity, `no closing card after ${maxTurns} turns`, turns);
}
