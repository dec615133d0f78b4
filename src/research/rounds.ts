import { z } from 'zod';
import type { Content } from '../content/load.js';
import { Round } from '../content/schema.js';

/** Some clients send an empty input as "", others leave it out: both mean "not given". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema);

/** What a researcher fills in to create or edit a round (the form card or a JSON file); zod turns it into a Round. */
export const RoundForm = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'use 2-40 lower-case letters, digits and dashes, starting with a letter'),
  nameNl: z.string().trim().min(1).max(120),
  nameEn: optional(z.string().trim().max(120).optional()),
  guide: z.string().min(1),
  deck: z.string().min(1),
  audience: z.enum(['open', 'invite']),
  opensAt: z.iso.date(),
  closesAt: z.iso.date(),
  extremeColumns: optional(z.string().trim().regex(/^-?\d+(\s*,\s*-?\d+)*$/, 'a comma-separated list such as -3,3').default('-3,3')),
  minCards: optional(z.coerce.number().int().positive().optional()),
  workAreas: z.string().trim().min(1, 'name at least one work area'),
  retentionMonths: z.coerce.number().int().min(1).max(120),
  reminderDays: optional(z.string().trim().regex(/^(\d+(\s*,\s*\d+)*)?$/, 'a comma-separated list of days such as 3,7').default('3,7')),
  reminderMax: optional(z.coerce.number().int().min(0).max(10).default(2)),
}).refine((f) => f.opensAt <= f.closesAt, { path: ['closesAt'], message: 'the closing date lies before the opening date' });
export type RoundForm = z.infer<typeof RoundForm>;

const slug = (label: string) => label.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'gebied';

/** Builds a draft round from a form, checked against the content (guide, deck, scale) like content files are. */
export function roundFromForm(form: RoundForm, content: Content, previous?: Round): { ok: true; round: Round } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const guide = content.guides.get(form.guide);
  const deck = content.decks.get(form.deck);
  if (!guide) problems.push(`guide: no guide "${form.guide}"`);
  if (!deck) problems.push(`deck: no deck "${form.deck}"`);
  const extremeColumns = form.extremeColumns.split(',').map((c) => Number(c.trim()));
  if (guide && extremeColumns.some((c) => c < guide.scale.min || c > guide.scale.max)) problems.push(`extremeColumns: outside the scale ${guide.scale.min}..${guide.scale.max}`);
  const total = deck ? deck.clusters.reduce((n, c) => n + c.competencies.length, 0) : 0;
  if (deck && form.minCards !== undefined && form.minCards > total) problems.push(`minCards: more than the ${total} cards of the deck`);
  const areas = form.workAreas.split(/\r?\n|;/).map((a) => a.trim()).filter(Boolean);
  const parsed = Round.safeParse({
    id: form.id,
    name: { nl: form.nameNl, en: form.nameEn || form.nameNl },
    guide: form.guide,
    deck: form.deck,
    status: previous?.status ?? 'draft',
    audience: form.audience,
    opensAt: form.opensAt,
    closesAt: form.closesAt,
    extremeColumns,
    ...(form.minCards !== undefined ? { minCards: form.minCards } : {}),
    workAreas: areas.map((label) => ({ id: slug(label), label: { nl: label, en: label } })),
    retentionMonths: form.retentionMonths,
    reminders: { afterDays: form.reminderDays ? form.reminderDays.split(',').map((d) => Number(d.trim())) : [], max: form.reminderMax },
    openedAt: previous?.openedAt ?? null,
    closedAt: previous?.closedAt ?? null,
  });
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  if (new Set(areas.map(slug)).size !== areas.length) problems.push('workAreas: two work areas have the same name');
  return problems.length ? { ok: false, problems } : { ok: true, round: parsed.data! };
}

export type Transition = 'start' | 'pause' | 'close';

/** The lifecycle: draft → open ⇄ paused → closed; a closed round stays closed. Editing is for drafts only. */
export function transition(round: Round, action: Transition, now: Date): { ok: true; round: Round } | { ok: false; problem: string } {
  const at = now.toISOString();
  switch (action) {
    case 'start':
      if (round.status === 'draft' || round.status === 'paused') return { ok: true, round: { ...round, status: 'open', openedAt: round.openedAt ?? at } };
      return { ok: false, problem: `round "${round.id}" is ${round.status}; only a draft or paused round can start` };
    case 'pause':
      if (round.status === 'open') return { ok: true, round: { ...round, status: 'paused' } };
      return { ok: false, problem: `round "${round.id}" is ${round.status}; only an open round can pause` };
    case 'close':
      if (round.status !== 'closed') return { ok: true, round: { ...round, status: 'closed', closedAt: at } };
      return { ok: false, problem: `round "${round.id}" is already closed` };
  }
}
