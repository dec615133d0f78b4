import type { OutboxJob } from '../../src/ports/outbox.js';
import type { MockConnector } from './mockConnector.js';

export interface DeliveryTally {
  statuses: Record<string, number>;
  /** Jobs whose invitation reached the connector at least once. */
  delivered: number;
  /** Neither sent and delivered nor 'uncertain'. */
  lost: number;
  /** Jobs whose invitation reached the connector more than once. */
  duplicates: number;
  uncertain: number;
  uncertainDelivered: number;
  /** Messages to a user that were not their invitation. */
  strays: number;
  problems: string[];
}

/**
 * Compares what the outbox says with what the mock connector received: every job's invitation, counted per user,
 * so that a loss or a second invitation shows whatever the stored status claims.
 */
export function tallyDeliveries(
  connector: MockConnector,
  jobs: OutboxJob[],
  final: OutboxJob[],
  textOf: (job: OutboxJob) => string,
): DeliveryTally {
  const statuses: Record<string, number> = {};
  for (const job of final) statuses[job.status] = (statuses[job.status] ?? 0) + 1;
  const problems: string[] = [];
  const byUser = new Map<string, string[]>();
  for (const conversationId of connector.conversationIds()) {
    const member = connector.memberOf(conversationId);
    const texts = connector
      .activities(conversationId)
      .map((x) => (typeof x.activity.text === 'string' ? x.activity.text : ''));
    if (!member) problems.push(`${texts.length} messages to ${conversationId}, never opened`);
    else byUser.set(member, [...(byUser.get(member) ?? []), ...texts]);
  }
  const tally: DeliveryTally = {
    statuses,
    delivered: 0,
    lost: 0,
    duplicates: 0,
    uncertain: 0,
    uncertainDelivered: 0,
    strays: 0,
    problems,
  };
  const byId = new Map(final.map((j) => [j.id, j]));
  for (const job of jobs) {
    const stored = byId.get(job.id);
    const texts = byUser.get(job.target.userId) ?? [];
    const invitations = texts.filter((t) => t === textOf(job)).length;
    tally.strays += texts.length - invitations;
    if (invitations > 1) {
      tally.duplicates++;
      problems.push(`${job.id}: ${invitations} invitations`);
    }
    if (invitations > 0) tally.delivered++;
    if (stored?.status === 'uncertain') {
      tally.uncertain++;
      if (invitations > 0) tally.uncertainDelivered++;
    } else if (stored?.status !== 'sent' || invitations === 0) {
      tally.lost++;
      if (problems.length < 10)
        problems.push(
          `${job.id}: ${stored?.status ?? 'missing'}, ${invitations} invitations${stored?.lastError ? `, ${stored.lastError}` : ''}`,
        );
    }
  }
  return tally;
}
