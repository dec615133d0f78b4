import type { Guide, Round } from '../content/schema.js';
import type { InterviewRecord, Locale } from '../interview/types.js';
import { localize } from '../interview/text.js';
import type { RoundCounters } from '../ports/stores.js';
import type { OutboxJob } from '../ports/outbox.js';

/** Counts only: a researcher must not be able to learn who did or did not take part. */
export interface RoundStatus {
  roundId: string;
  status: Round['status'];
  invited: number;
  reached: number;
  unreachable: number;
  failed: number;
  /** Gave consent; nobody is counted before that, since nothing about a person is kept before consent. */
  consented: number;
  completed: number;
  inProgress: number;
  declined: number;
  withdrawn: number;
  /** Interviews in progress by the step they stopped at, in guide order. */
  dropOff: { step: string; title: string; count: number }[];
  /** Mean minutes from first showing a step to its last answer. */
  timePerStep: { step: string; title: string; minutes: number; n: number }[];
}

export function roundStatus(
  round: Round,
  guide: Guide,
  interviews: InterviewRecord[],
  counters: RoundCounters,
  invitations: OutboxJob[],
  locale: Locale,
): RoundStatus {
  const invites = invitations.filter((j) => j.kind === 'invite');
  const open = interviews.filter((r) => !r.completedAt);
  const title = (id: string) => localize(guide.steps.find((s) => s.id === id)?.title ?? { nl: id, en: id }, locale);
  const dropOff = guide.steps
    .map((s) => ({ step: s.id, title: title(s.id), count: open.filter((r) => r.position.step === s.id).length }))
    .filter((d) => d.count > 0);
  const timePerStep = guide.steps.flatMap((s) => {
    const spans = interviews
      .map((r) => r.stepTimes[s.id])
      .filter((t): t is { firstAt: string; lastAt: string } => Boolean(t?.lastAt))
      .map((t) => (Date.parse(t.lastAt) - Date.parse(t.firstAt)) / 60000);
    return spans.length
      ? [
          {
            step: s.id,
            title: title(s.id),
            minutes: Math.round((spans.reduce((a, b) => a + b, 0) / spans.length) * 10) / 10,
            n: spans.length,
          },
        ]
      : [];
  });
  return {
    roundId: round.id,
    status: round.status,
    invited: invites.length,
    reached: invites.filter((j) => j.status === 'sent').length,
    unreachable: invites.filter((j) => j.status === 'unreachable').length,
    failed: invites.filter((j) => j.status === 'failed' || j.status === 'uncertain').length,
    consented: interviews.length + counters.withdrawn,
    completed: interviews.length - open.length,
    inProgress: open.length,
    declined: counters.declined,
    withdrawn: counters.withdrawn,
    dropOff,
    timePerStep,
  };
}
