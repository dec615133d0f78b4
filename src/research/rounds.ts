import { z } from 'zod';
import type { Content } from '../content/load.js';
import { Round } from '../content/schema.js';

/** Some clients send an empty input as "", others leave it out: both mean "not given". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema);
const whole = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * What a researcher fills in to create or edit a round (the form card or a JSON file); zod turns it into a Round.
 * The researcher never sees zod's own words: every problem is reported as the field it is in (see formProblems).
 */
export const RoundForm = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/),
    nameNl: z.string().trim().min(1).max(120),
    nameEn: optional(z.string().trim().max(120).optional()),
    guide: z.string().min(1),
    deck: z.string().min(1),
    audience: z.enum(['open', 'invite']),
    opensAt: z.iso.date(),
    closesAt: z.iso.date(),
    extremeColumns: optional(
      z
        .string()
        .trim()
        .regex(/^-?\d+(\s*,\s*-?\d+)*$/)
        .default('-3,3'),
    ),
    minCards: optional(whole(1, 999).optional()),
    workAreas: z.string().trim().min(1),
    retentionMonths: whole(1, 120),
    reminderDays: optional(
      z
        .string()
        .trim()
        .regex(/^([1-9]\d*(\s*,\s*[1-9]\d*)*)?$/)
        .default('3,7'),
    ),
    reminderMax: optional(whole(0, 10).default(2)),
    digestWeekday: optional(whole(1, 7).default(1)),
    digestTime: optional(
      z
        .string()
        .trim()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
        .default('09:00'),
    ),
    digestK: optional(whole(2, 100).default(5)),
    digestLanguage: optional(z.enum(['nl', 'en']).default('nl')),
    digestMinMean: optional(whole(2, 100).default(3)),
    digestMinSpread: optional(whole(2, 100).default(5)),
    digestMinAttention: optional(whole(2, 100).default(3)),
    contactName: z.string().trim().min(1).max(120),
    contactNameEn: optional(z.string().trim().max(120).optional()),
    contactEmail: optional(z.email().optional()),
    contactTeams: optional(z.url({ protocol: /^https$/ }).optional()),
  })
  .refine((f) => f.opensAt <= f.closesAt, { path: ['closesAt'], params: { problem: 'closesBeforeOpens' } })
  .refine((f) => f.contactEmail || f.contactTeams, { path: ['contactEmail'], params: { problem: 'contactHow' } });
export type RoundForm = z.infer<typeof RoundForm>;
export type FormField = keyof z.input<typeof RoundForm>;
export const FORM_FIELDS = Object.keys(RoundForm.shape) as FormField[];

/** What is wrong with one field; the text is chosen in the researcher's language (views/formMessages). */
export type FormProblem =
  | { field: FormField; problem: 'invalid' }
  | { field: 'closesAt'; problem: 'closesBeforeOpens' }
  | { field: 'contactEmail'; problem: 'contactHow' }
  | { field: 'guide'; problem: 'unknownGuide'; value: string }
  | { field: 'deck'; problem: 'unknownDeck'; value: string }
  | { field: 'extremeColumns'; problem: 'outsideScale'; min: number; max: number }
  | { field: 'minCards'; problem: 'moreThanDeck'; total: number }
  | { field: 'workAreas'; problem: 'sameWorkArea' };

/** The Round's own fields, as the form names them. */
const ROUND_FIELD: Record<string, FormField> = {
  id: 'id',
  name: 'nameNl',
  guide: 'guide',
  deck: 'deck',
  audience: 'audience',
  opensAt: 'opensAt',
  closesAt: 'closesAt',
  extremeColumns: 'extremeColumns',
  minCards: 'minCards',
  workAreas: 'workAreas',
  retentionMonths: 'retentionMonths',
  reminders: 'reminderDays',
  digest: 'digestWeekday',
  contact: 'contactName',
};
const DIGEST_FIELD: Record<string, FormField> = {
  weekday: 'digestWeekday',
  time: 'digestTime',
  k: 'digestK',
  language: 'digestLanguage',
};
const CONTACT_FIELD: Record<string, FormField> = { name: 'contactName', email: 'contactEmail', teams: 'contactTeams' };
const MIN_N_FIELD: Record<string, FormField> = {
  mean: 'digestMinMean',
  spread: 'digestMinSpread',
  attention: 'digestMinAttention',
};

/** zod's issues as field problems, one per field (the first): zod's own message is never shown. */
export function formProblems(issues: z.core.$ZodIssue[]): FormProblem[] {
  const out = new Map<FormField, FormProblem>();
  for (const issue of issues) {
    const [first = '', second = '', third = ''] = issue.path.map(String);
    const field = (FORM_FIELDS as string[]).includes(first)
      ? (first as FormField)
      : first === 'digest' && second === 'minN'
        ? (MIN_N_FIELD[third] ?? 'digestMinMean')
        : first === 'digest' && second
          ? (DIGEST_FIELD[second] ?? 'digestWeekday')
          : first === 'contact' && second
            ? (CONTACT_FIELD[second] ?? 'contactName')
            : first === 'reminders' && second === 'max'
              ? 'reminderMax'
              : (ROUND_FIELD[first] ?? 'id');
    if (out.has(field)) continue;
    const custom = issue.code === 'custom' ? (issue.params as { problem?: string } | undefined)?.problem : undefined;
    out.set(
      field,
      custom === 'closesBeforeOpens'
        ? { field: 'closesAt', problem: custom }
        : custom === 'contactHow'
          ? { field: 'contactEmail', problem: custom }
          : { field, problem: 'invalid' },
    );
  }
  return [...out.values()];
}

export type FormResult = { ok: true; form: RoundForm } | { ok: false; problems: FormProblem[] };

/** The submitted card, checked field by field: every problem at once. */
export function parseForm(data: unknown): FormResult {
  const parsed = RoundForm.safeParse(data);
  if (parsed.success) return { ok: true, form: parsed.data };
  const problems = formProblems(parsed.error.issues);
  // zod skips the object's date check when another field failed: compare the dates here too, when both are dates.
  const { opensAt, closesAt } = (data ?? {}) as { opensAt?: unknown; closesAt?: unknown };
  const date = z.iso.date();
  if (
    !problems.some((p) => p.field === 'opensAt' || p.field === 'closesAt') &&
    date.safeParse(opensAt).success &&
    date.safeParse(closesAt).success &&
    String(opensAt) > String(closesAt)
  ) {
    problems.push({ field: 'closesAt', problem: 'closesBeforeOpens' });
  }
  const { contactEmail, contactTeams } = (data ?? {}) as { contactEmail?: unknown; contactTeams?: unknown };
  if (
    !problems.some((p) => p.field === 'contactEmail' || p.field === 'contactTeams') &&
    !contactEmail &&
    !contactTeams
  ) {
    problems.push({ field: 'contactEmail', problem: 'contactHow' });
  }
  return { ok: false, problems };
}

const slug = (label: string) =>
  label
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'gebied';

/** Builds a draft round from a form, checked against the content (guide, deck, scale) like content files are. */
export function roundFromForm(
  form: RoundForm,
  content: Content,
  previous?: Round,
): { ok: true; round: Round } | { ok: false; problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  const guide = content.guides.get(form.guide);
  const deck = content.decks.get(form.deck);
  if (!guide) problems.push({ field: 'guide', problem: 'unknownGuide', value: form.guide });
  if (!deck) problems.push({ field: 'deck', problem: 'unknownDeck', value: form.deck });
  const extremeColumns = form.extremeColumns.split(',').map((c) => Number(c.trim()));
  if (guide && extremeColumns.some((c) => c < guide.scale.min || c > guide.scale.max))
    problems.push({ field: 'extremeColumns', problem: 'outsideScale', min: guide.scale.min, max: guide.scale.max });
  const total = deck ? deck.clusters.reduce((n, c) => n + c.competencies.length, 0) : 0;
  if (deck && form.minCards !== undefined && form.minCards > total)
    problems.push({ field: 'minCards', problem: 'moreThanDeck', total });
  const areas = form.workAreas
    .split(/\r?\n|;/)
    .map((a) => a.trim())
    .filter(Boolean);
  if (new Set(areas.map(slug)).size !== areas.length) problems.push({ field: 'workAreas', problem: 'sameWorkArea' });
  const parsed = Round.safeParse({
    ...(previous ?? {}),
    id: form.id,
    name: { nl: form.nameNl, en: form.nameEn || form.nameNl },
    guide: form.guide,
    deck: form.deck,
    status: previous?.status ?? 'draft',
    audience: form.audience,
    opensAt: form.opensAt,
    closesAt: form.closesAt,
    extremeColumns,
    minCards: form.minCards,
    workAreas: areas.map((label) => ({ id: slug(label), label: { nl: label, en: label } })),
    retentionMonths: form.retentionMonths,
    reminders: {
      afterDays: form.reminderDays ? form.reminderDays.split(',').map((d) => Number(d.trim())) : [],
      max: form.reminderMax,
    },
    digest: {
      weekday: form.digestWeekday,
      time: form.digestTime,
      k: form.digestK,
      language: form.digestLanguage,
      minN: { mean: form.digestMinMean, spread: form.digestMinSpread, attention: form.digestMinAttention },
    },
    contact: {
      name: { nl: form.contactName, en: form.contactNameEn || form.contactName },
      ...(form.contactEmail ? { email: form.contactEmail } : {}),
      ...(form.contactTeams ? { teams: form.contactTeams } : {}),
    },
    openedAt: previous?.openedAt ?? null,
    closedAt: previous?.closedAt ?? null,
  });
  if (!parsed.success) {
    const taken = new Set(problems.map((p) => p.field));
    problems.push(...formProblems(parsed.error.issues).filter((p) => !taken.has(p.field)));
  }
  return problems.length ? { ok: false, problems } : { ok: true, round: parsed.data! };
}

export type Transition = 'start' | 'pause' | 'close';
export type TransitionRefusal = 'cannotStart' | 'cannotPause' | 'alreadyClosed';

/** The lifecycle: draft → open ⇄ paused → closed; a closed round stays closed. Editing is for drafts only. */
export function transition(
  round: Round,
  action: Transition,
  now: Date,
): { ok: true; round: Round } | { ok: false; refusal: TransitionRefusal } {
  const at = now.toISOString();
  switch (action) {
    case 'start':
      if (round.status === 'draft' || round.status === 'paused')
        return { ok: true, round: { ...round, status: 'open', openedAt: round.openedAt ?? at } };
      return { ok: false, refusal: 'cannotStart' };
    case 'pause':
      if (round.status === 'open') return { ok: true, round: { ...round, status: 'paused' } };
      return { ok: false, refusal: 'cannotPause' };
    case 'close':
      if (round.status !== 'closed') return { ok: true, round: { ...round, status: 'closed', closedAt: at } };
      return { ok: false, refusal: 'alreadyClosed' };
  }
}
