import { z } from 'zod';

/** Every participant-facing text exists in Dutch and English. */
export const LocalText = z
  .object({ nl: z.string().min(1), en: z.string().min(1) })
  .strict()
  .meta({ id: 'LocalText', description: 'A text in Dutch (nl) and English (en).' });
export type LocalText = z.infer<typeof LocalText>;

/** The ids of guides, steps, decks, cards and rounds: lower camel or kebab case, starting with a letter. */
export const ID_PATTERN = /^[a-z][a-zA-Z0-9-]*$/;
const Id = z
  .string()
  .regex(ID_PATTERN, 'ids are lower camel or kebab case, starting with a letter')
  .meta({ id: 'Id', description: 'Lower camel or kebab case, starting with a letter.' });

export const Choice = z.object({ id: Id, label: LocalText }).strict().meta({ id: 'Choice' });

export const Question = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('text'),
        id: Id,
        text: LocalText,
        optional: z.boolean().default(true),
        maxLength: z.number().int().positive().max(4000).default(1500),
      })
      .strict(),
    z
      .object({
        type: z.literal('choice'),
        id: Id,
        text: LocalText,
        optional: z.boolean().default(true),
        /** A named list of the guide (`choiceLists`) or `round:workAreas` for the round's configurable list. */
        choices: z.string().min(1),
      })
      .strict(),
    z
      .object({
        type: z.literal('rating'),
        id: Id,
        text: LocalText,
        optional: z.boolean().default(true),
        min: z.number().int(),
        max: z.number().int(),
      })
      .strict(),
  ])
  .meta({ id: 'Question' });
export type Question = z.infer<typeof Question>;

const StepBase = { id: Id, title: LocalText };

export const Step = z.discriminatedUnion('kind', [
  z.object({ ...StepBase, kind: z.literal('info'), body: z.array(LocalText).min(1) }).strict(),
  z
    .object({
      ...StepBase,
      kind: z.literal('consent'),
      intro: LocalText,
      points: z.array(LocalText).min(1),
      quoteConsent: LocalText,
    })
    .strict(),
  z
    .object({
      ...StepBase,
      kind: z.literal('questions'),
      /** May quote earlier answers as {{stepId.questionId}}. */
      intro: LocalText.optional(),
      questions: z.array(Question).min(1),
    })
    .strict(),
  /** The deck is offered over pages of pageSize cards (in deck order), so that each page fits a phone screen or two. */
  z
    .object({
      ...StepBase,
      kind: z.literal('qsortPick'),
      intro: LocalText,
      pageSize: z.number().int().min(1).max(64).default(64),
    })
    .strict(),
  z
    .object({
      ...StepBase,
      kind: z.literal('qsortPlace'),
      intro: LocalText,
      pageSize: z.number().int().min(1).max(16).default(8),
    })
    .strict(),
  z.object({ ...StepBase, kind: z.literal('qsortReview'), intro: LocalText }).strict(),
  z
    .object({ ...StepBase, kind: z.literal('followUps'), intro: LocalText, questions: z.array(Question).min(1) })
    .strict(),
  z.object({ ...StepBase, kind: z.literal('closing'), body: z.array(LocalText).min(1) }).strict(),
]);
export type Step = z.infer<typeof Step>;
export type StepKind = Step['kind'];

const ORDER: StepKind[] = [
  'info',
  'consent',
  'questions',
  'qsortPick',
  'qsortPlace',
  'qsortReview',
  'followUps',
  'closing',
];

export const Guide = z
  .object({
    id: Id,
    version: z.string().min(1),
    title: LocalText,
    estimatedMinutes: z.number().int().positive(),
    choiceLists: z.record(z.string(), z.array(Choice).min(1)),
    /** Column labels of the scale, from -3 to +3. */
    scale: z.object({ min: z.number().int(), max: z.number().int(), labels: z.record(z.string(), LocalText) }).strict(),
    nudges: z.object({ noLowest: LocalText, topHeavy: LocalText }).strict(),
    steps: z.array(Step).min(1),
  })
  .strict()
  .superRefine((guide, ctx) => {
    const ids = new Set<string>();
    guide.steps.forEach((step, i) => {
      if (ids.has(step.id))
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `duplicate step id "${step.id}"` });
      ids.add(step.id);
      if ('questions' in step) {
        for (const [j, q] of step.questions.entries()) {
          if (q.type === 'choice' && q.choices !== 'round:workAreas' && !guide.choiceLists[q.choices]) {
            ctx.addIssue({
              code: 'custom',
              path: ['steps', i, 'questions', j, 'choices'],
              message: `unknown choice list "${q.choices}"`,
            });
          }
        }
      }
    });
    // Consent must come before anything is asked; the Q-sort steps come once each, in this order.
    const kinds = guide.steps.map((s) => s.kind);
    const once: StepKind[] = ['consent', 'qsortPick', 'qsortPlace', 'qsortReview', 'followUps', 'closing'];
    for (const kind of once) {
      if (kinds.filter((k) => k === kind).length !== 1)
        ctx.addIssue({ code: 'custom', path: ['steps'], message: `the guide needs exactly one "${kind}" step` });
    }
    const fixed = kinds.filter((k) => k !== 'questions' && k !== 'info');
    const expected = ORDER.filter((k) => k !== 'questions' && k !== 'info');
    if (fixed.join() !== expected.join()) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps'],
        message: `steps must follow the order ${expected.join(' → ')} (found ${fixed.join(' → ')})`,
      });
    }
    if (kinds.indexOf('questions') >= 0 && kinds.indexOf('questions') < kinds.indexOf('consent')) {
      ctx.addIssue({ code: 'custom', path: ['steps'], message: 'no questions may come before the consent step' });
    }
    if (kinds[kinds.length - 1] !== 'closing')
      ctx.addIssue({ code: 'custom', path: ['steps'], message: 'the last step must be "closing"' });
    for (let c = guide.scale.min; c <= guide.scale.max; c++) {
      if (!guide.scale.labels[String(c)])
        ctx.addIssue({ code: 'custom', path: ['scale', 'labels'], message: `no label for column ${c}` });
    }
  });
export type Guide = z.infer<typeof Guide>;

export const Competency = z.object({ id: Id, name: LocalText, description: LocalText }).strict();
export type Competency = z.infer<typeof Competency>;

export const Deck = z
  .object({
    id: Id,
    title: LocalText,
    source: z.string().min(1),
    minCards: z.number().int().positive(),
    /** The most of this deck's cards on one pick or placement page: a deck with long descriptions sets fewer, so that a page fits a phone. */
    maxPerPage: z.number().int().positive().optional(),
    clusters: z.array(z.object({ id: Id, name: LocalText, competencies: z.array(Competency).min(1) }).strict()).min(1),
  })
  .strict()
  .superRefine((deck, ctx) => {
    const ids = new Set<string>();
    let total = 0;
    deck.clusters.forEach((cluster, i) =>
      cluster.competencies.forEach((c, j) => {
        total++;
        if (ids.has(c.id))
          ctx.addIssue({
            code: 'custom',
            path: ['clusters', i, 'competencies', j, 'id'],
            message: `duplicate competency id "${c.id}"`,
          });
        ids.add(c.id);
      }),
    );
    if (deck.minCards > total)
      ctx.addIssue({
        code: 'custom',
        path: ['minCards'],
        message: `minCards ${deck.minCards} exceeds the ${total} competencies of the deck`,
      });
  });
export type Deck = z.infer<typeof Deck>;

/**
 * The fewest answers behind each statistic of a digest (stated in its notes): a mean column (rankings, tables, chart),
 * a standard deviation ("widest disagreement") and a mean attention rating. With two answers a mean gives away the
 * other's answer to either of them.
 */
export const DigestMinN = z
  .object({
    mean: z.number().int().min(2).default(3),
    spread: z.number().int().min(2).default(5),
    attention: z.number().int().min(2).default(3),
  })
  .strict();

/** Whom a participant asks about the study: a person or team, by e-mail or a Teams link (a channel or chat). */
export const RoundContact = z
  .object({
    name: LocalText,
    email: z.email().optional(),
    /** A Teams link (https://teams.microsoft.com/l/...) to a channel or chat where the research team answers. */
    teams: z.url({ protocol: /^https$/ }).optional(),
  })
  .strict()
  .refine((c) => c.email || c.teams, { message: 'give an e-mail address or a Teams link (or both)' });
export type RoundContact = z.infer<typeof RoundContact>;

export const Round = z
  .object({
    id: Id,
    name: LocalText,
    /**
     * Shown in the invitation, the consent and the closing card. Required in content files (the loader checks);
     * optional here so that rounds stored before it existed still load.
     */
    contact: RoundContact.optional(),
    /** A round for the local run only (npm run playground, the tests): never seeded with Teams credentials. */
    localOnly: z.boolean().optional(),
    guide: z.string().min(1),
    deck: z.string().min(1),
    status: z.enum(['draft', 'open', 'paused', 'closed']),
    audience: z.enum(['open', 'invite']),
    opensAt: z.iso.date(),
    closesAt: z.iso.date(),
    /** Columns whose cards get the why-follow-ups. */
    extremeColumns: z.array(z.number().int()).min(1).default([-3, 3]),
    /** Overrides the deck's minimum when set. */
    minCards: z.number().int().positive().optional(),
    workAreas: z.array(Choice).min(1),
    /** Months after closing until the key store entries of the round are destroyed; told at consent. */
    retentionMonths: z.number().int().positive(),
    /** Automatic reminders to those invited or started but not finished: days after the invitation, and how many at most. */
    reminders: z
      .object({
        afterDays: z.array(z.number().int().positive()).default([3, 7]),
        max: z.number().int().min(0).default(2),
      })
      .strict()
      .default({ afterDays: [3, 7], max: 2 }),
    /** Summary digests for the WIJ Academie: language, weekly moment (Amsterdam time) and the privacy threshold k. */
    digest: z
      .object({
        language: z.enum(['nl', 'en']).default('nl'),
        /** ISO weekday, 1 = Monday. */
        weekday: z.number().int().min(1).max(7).default(1),
        time: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm')
          .default('09:00'),
        /** Below k completed interviews a digest gives only the response; no breakdown by groups smaller than k. */
        k: z.number().int().min(2).default(5),
        minN: DigestMinN.default({ mean: 3, spread: 5, attention: 3 }),
      })
      .strict()
      .default({ language: 'nl', weekday: 1, time: '09:00', k: 5, minN: { mean: 3, spread: 5, attention: 3 } }),
    /** When a researcher started the round (content-file rounds: when first loaded open). */
    openedAt: z.iso.datetime().nullable().default(null),
    closedAt: z.iso.datetime().nullable().default(null),
    /** When the retention period ended and the round's key store entries were destroyed: from then on it is anonymous. */
    keysDestroyedAt: z.iso.datetime().nullable().default(null),
  })
  .strict();
export type Round = z.infer<typeof Round>;
