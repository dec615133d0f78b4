import type { KeyEntry, Stores } from '../ports/stores.js';

/**
 * Withdrawal ("stoppen") deletes everything about the participant in the rounds they name, in both stores. It is
 * several deletes in two stores, so it is written as an intent first and each step is harmless to repeat: a
 * withdrawal interrupted by a crash or a database error is completed on their next turn, by the scheduler, or at
 * start-up, and is never left half done.
 *
 *  1. the key entry is marked `withdrawing` (the intent, in the key store);
 *  2. their outbox jobs of the round go (a queued or uncertain reminder must never go out afterwards);
 *  3. the interview goes, and the round's anonymous withdrawal count goes up;
 *  4. the key entry goes, and the chat target with their last entry (unlink).
 * When no interview of theirs is left, whatever else the key store holds about them goes too (invitations,
 * their "no thanks" of other rounds, every job): they asked for everything to be deleted.
 */

/** The rounds a participant can withdraw from: those where they gave consent and whose keys still exist. */
export function withdrawable(entries: Record<string, KeyEntry>): string[] {
  return Object.entries(entries)
    .filter(([, e]) => e.code)
    .map(([roundId]) => roundId)
    .sort();
}

async function finish(stores: Stores, pseudonym: string, roundId: string, entry: KeyEntry): Promise<void> {
  await stores.outbox.removeParticipant(pseudonym, roundId);
  if (entry.code && (await stores.answers.getInterview(roundId, entry.code))) {
    await stores.answers.deleteInterview(roundId, entry.code);
    // After the delete: a crash in between undercounts by one rather than counting one withdrawal twice.
    await stores.answers.countEvent(roundId, 'withdrawn');
  }
  await stores.keys.unlink(pseudonym, roundId);
}

/** Forgets the rest once no consent of theirs is left: entries without a code, every job, the chat target. */
async function forgetRest(stores: Stores, pseudonym: string): Promise<void> {
  const rest = await stores.keys.entries(pseudonym);
  if (withdrawable(rest).length) return;
  // The last unlink forgets the chat target too.
  for (const roundId of Object.keys(rest)) await stores.keys.unlink(pseudonym, roundId);
  await stores.outbox.removeParticipant(pseudonym);
}

export interface Withdrawn {
  rounds: string[];
  /** The bot's summary cards of those rounds in the chat, to edit to a neutral text. */
  cards: string[];
}

/** Withdraws the participant from the rounds (those they gave consent in; others are ignored). */
export async function withdraw(stores: Stores, pseudonym: string, roundIds: string[], now: Date): Promise<Withdrawn> {
  const done: Withdrawn = { rounds: [], cards: [] };
  for (const roundId of roundIds) {
    const entry = await stores.keys.update(pseudonym, roundId, (e) =>
      e?.code ? { ...e, withdrawing: e.withdrawing ?? now.toISOString() } : e,
    );
    if (!entry?.code) continue;
    await finish(stores, pseudonym, roundId, entry);
    done.rounds.push(roundId);
    done.cards.push(...(entry.cards ?? []));
  }
  if (done.rounds.length) await forgetRest(stores, pseudonym);
  return done;
}

/**
 * "Stoppen" from someone invited who never consented: as "No thanks" on the invitation. The decline is kept (so that
 * they are not invited again) and counted, and their queued invitations and reminders of those rounds go.
 * Returns the rounds it concerned.
 */
export async function stopInvitations(
  stores: Stores,
  pseudonym: string,
  entries: Record<string, KeyEntry>,
): Promise<string[]> {
  const rounds = Object.entries(entries)
    .filter(([, e]) => !e.code && !e.declined)
    .map(([roundId]) => roundId)
    .sort();
  for (const roundId of rounds) {
    await stores.outbox.removeParticipant(pseudonym, roundId);
    await stores.keys.update(pseudonym, roundId, (e) => (e ? { ...e, declined: true } : e));
    await stores.answers.countEvent(roundId, 'declined');
  }
  return rounds;
}

/** Completes the participant's interrupted withdrawals; returns what they concerned. */
export async function finishWithdrawals(
  stores: Stores,
  pseudonym: string,
  entries: Record<string, KeyEntry>,
): Promise<Withdrawn> {
  const pending = Object.entries(entries).filter(([, e]) => e.withdrawing);
  const done: Withdrawn = { rounds: [], cards: [] };
  for (const [roundId, entry] of pending) {
    await finish(stores, pseudonym, roundId, entry);
    done.rounds.push(roundId);
    done.cards.push(...(entry.cards ?? []));
  }
  if (done.rounds.length) await forgetRest(stores, pseudonym);
  return done;
}

/** At start-up and on the scheduler: every interrupted withdrawal, of anyone, is completed. Returns how many. */
export async function finishAllWithdrawals(stores: Stores): Promise<number> {
  let count = 0;
  for (const round of await stores.answers.listRounds()) {
    for (const { pseudonym, entry } of await stores.keys.participants(round.id)) {
      if (!entry.withdrawing) continue;
      await finishWithdrawals(stores, pseudonym, { [round.id]: entry });
      count++;
    }
  }
  return count;
}
