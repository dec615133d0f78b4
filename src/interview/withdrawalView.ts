import { z } from 'zod';
import type { Round } from '../content/schema.js';
import { stamp, Stamp } from './actions.js';
import { participantText } from './messages.js';
import { localize } from './text.js';
import type { CardButton, InterviewView } from './cardViews.js';
import type { Locale } from './types.js';
import { defined } from '../defined.js';

/** A press on the withdrawal card: which rounds it concerns (the participant's own, checked again on arrival). */
export const WithdrawChoice = z
  .object({ wz: Stamp, withdraw: z.array(z.string().min(1).max(64)).min(1).max(50) })
  .catchall(z.unknown());

const STEP = 'withdraw';

function button(title: string, rounds: string[], action: 'withdrawYes' | 'withdrawNo'): CardButton {
  return {
    title,
    data: { ...stamp(defined(rounds[0], 'round of a withdrawal button'), STEP, 0, 0, action), withdraw: rounds },
  };
}

export function roundNames(rounds: Round[], locale: Locale): string {
  return rounds.map((r) => localize(r.name, locale)).join(', ');
}

/**
 * "Stoppen": the confirmation names the round it concerns; with more than one round, a button per round and one
 * for all of them. It works in any round the participant gave consent in, open, paused or closed.
 */
export function withdrawChoiceView(locale: Locale, rounds: Round[]): InterviewView {
  const ids = rounds.map((r) => r.id);
  const which =
    rounds.length > 1
      ? participantText(locale, 'withdrawWhich', { count: rounds.length, rounds: roundNames(rounds, locale) })
      : participantText(locale, 'withdrawAbout', { round: roundNames(rounds, locale) });
  const actions =
    rounds.length > 1
      ? [
          ...rounds.map((r) =>
            button(
              participantText(locale, 'withdrawRound', { round: localize(r.name, locale) }),
              [r.id],
              'withdrawYes',
            ),
          ),
          button(participantText(locale, 'withdrawAll', { count: rounds.length }), ids, 'withdrawYes'),
        ]
      : [button(participantText(locale, 'withdrawYes'), ids, 'withdrawYes')];
  return {
    template: 'info',
    data: {
      round: roundNames(rounds, locale),
      title: participantText(locale, 'withdrawConfirmTitle'),
      progress: '',
      paragraphs: [which, participantText(locale, 'withdrawConfirmBody')],
      actions: [...actions, button(participantText(locale, 'withdrawNo'), ids, 'withdrawNo')],
    },
  };
}

/** A read-only card about a withdrawal: the pressed confirmation, or (no lines) an earlier summary blanked. */
export function withdrawnSummaryView(
  locale: Locale,
  rounds: Round[],
  title: string,
  lines: string[] = [],
): InterviewView {
  return {
    template: 'summary',
    data: { round: roundNames(rounds, locale), title, lines: lines.map((value) => ({ label: '', value })), status: '' },
  };
}
