import { addWeeks, formatISO } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import type { Content } from '../content/load.js';
import type { Round } from '../content/schema.js';
import type { Locale } from '../interview/types.js';
import { localize } from '../interview/text.js';
import { fill } from '../interview/messages.js';
import { TIME_ZONE, weekdayName } from '../time.js';
import type { FormField, FormProblem } from './rounds.js';
import { FORM_FIELDS } from './rounds.js';
import type { ResearchView } from './cardViews.js';
// The texts are data, in formTexts.json beside this module: a new text gets its key there.
import texts from './formTexts.json' with { type: 'json' };

/** The pilot round's defaults (dialogs/rounds/default.json): the thesis's deck and WIJ Groningen's six work areas. */
export const FORM_DEFAULTS = {
  deck: 'wij-competenties',
  workAreas: ['WIJ Oude Wijken', 'WIJ West', 'WIJ Zuid', 'WIJ Oost', 'WIJ Noord', 'WIJ Centrum'],
  /** Weeks from opening to closing: long enough for two reminders and a few weekly digests. */
  openWeeks: 6,
  retentionMonths: 12,
  reminderDays: [3, 7],
  reminderMax: 2,
  digest: { weekday: 1, time: '09:00', k: 5, language: 'nl' as Locale, minN: { mean: 3, spread: 5, attention: 3 } },
  /** Who participants can ask; the address is the researcher's to fill in. */
  contactName: { nl: 'Het onderzoeksteam van de WIJ Academie', en: 'The research team of the WIJ Academie' },
};

const LABEL = texts.labels satisfies Record<string, Record<Locale, string>>;

/** What each field needs, shown next to it when it is wrong (and by the client for required and pattern checks). */
const NEEDS = texts.needs satisfies Record<FormField, Record<Locale, string>>;

const PROBLEM = texts.problems satisfies Record<Exclude<FormProblem['problem'], 'invalid'>, Record<Locale, string>>;

/** A field problem in the researcher's language. */
export function problemText(p: FormProblem, locale: Locale): string {
  return p.problem === 'invalid' ? NEEDS[p.field][locale] : fill(PROBLEM[p.problem][locale], p);
}

const NUMBER_FIELDS = new Set<FormField>([
  'retentionMonths',
  'reminderMax',
  'digestK',
  'digestMinMean',
  'digestMinSpread',
  'digestMinAttention',
]);

/** The form's values for a round (or the defaults), as the card's inputs hold them. */
function valuesOf(
  content: Content,
  round: Round | undefined,
  today: string,
  locale: Locale,
): Record<FormField, string | number> {
  const d = round?.digest ?? FORM_DEFAULTS.digest;
  return {
    id: round?.id ?? '',
    nameNl: round?.name.nl ?? '',
    nameEn: round && round.name.en !== round.name.nl ? round.name.en : '',
    guide: round?.guide ?? [...content.guides.keys()][0] ?? '',
    deck:
      round?.deck ??
      (content.decks.has(FORM_DEFAULTS.deck) ? FORM_DEFAULTS.deck : ([...content.decks.keys()][0] ?? '')),
    audience: round?.audience ?? 'invite',
    opensAt: round?.opensAt ?? today,
    closesAt:
      round?.closesAt ??
      formatISO(addWeeks(new Date(`${today}T12:00:00`), FORM_DEFAULTS.openWeeks), { representation: 'date' }),
    extremeColumns: (round?.extremeColumns ?? [-3, 3]).join(','),
    minCards: round?.minCards === undefined ? '' : String(round.minCards),
    workAreas: (round?.workAreas.map((w) => w.label.nl) ?? FORM_DEFAULTS.workAreas).join('\n'),
    retentionMonths: round?.retentionMonths ?? FORM_DEFAULTS.retentionMonths,
    reminderDays: (round?.reminders.afterDays ?? FORM_DEFAULTS.reminderDays).join(','),
    reminderMax: round?.reminders.max ?? FORM_DEFAULTS.reminderMax,
    digestWeekday: String(d.weekday),
    digestTime: d.time,
    digestK: d.k,
    digestLanguage: d.language,
    digestMinMean: d.minN.mean,
    digestMinSpread: d.minN.spread,
    digestMinAttention: d.minN.attention,
    contactName: round?.contact?.name.nl ?? FORM_DEFAULTS.contactName[locale === 'en' ? 'en' : 'nl'],
    contactNameEn: round?.contact && round.contact.name.en !== round.contact.name.nl ? round.contact.name.en : '',
    contactEmail: round?.contact?.email ?? '',
    contactTeams: round?.contact?.teams ?? '',
  };
}

/** What was submitted, put back into the inputs as typed (numbers as numbers where the input is a number). */
function submittedValues(
  data: Record<string, unknown>,
  base: Record<FormField, string | number>,
): Record<FormField, string | number> {
  const out = { ...base };
  for (const field of FORM_FIELDS) {
    const v = data[field];
    if (v === undefined || v === null) continue;
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    out[field] = NUMBER_FIELDS.has(field) && text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  }
  return out;
}

export interface FormViewOptions {
  round?: Round;
  /** A submitted form to show again, with its problems next to the fields. */
  submitted?: Record<string, unknown>;
  problems?: FormProblem[];
  now?: Date;
}

/** The form to create a round, or to change a draft: every setting of a round except its lifecycle. */
export function roundFormView(content: Content, locale: Locale, options: FormViewOptions = {}): ResearchView {
  const { round, submitted, problems = [] } = options;
  const today = formatISO(new TZDate(options.now ?? new Date(), TIME_ZONE), { representation: 'date' });
  const editing = round?.id ?? (typeof submitted?.editing === 'string' ? submitted.editing : '');
  const base = valuesOf(content, round, today, locale);
  const errors = Object.fromEntries(FORM_FIELDS.map((f) => [f, ''])) as Record<FormField, string>;
  for (const p of problems) errors[p.field] = problemText(p, locale);
  const l = (key: keyof typeof LABEL) => LABEL[key][locale];
  return {
    template: 'roundForm',
    data: {
      title: l(editing ? 'editTitle' : 'formTitle'),
      labels: Object.fromEntries(Object.keys(LABEL).map((k) => [k, l(k as keyof typeof LABEL)])),
      needs: Object.fromEntries(FORM_FIELDS.map((f) => [f, NEEDS[f][locale]])) as Record<FormField, string>,
      errors,
      guides: [...content.guides.values()].map((g) => ({ title: localize(g.title, locale), value: g.id })),
      decks: [...content.decks.values()].map((d) => ({
        title: `${localize(d.title, locale)} (${d.clusters.reduce((n, c) => n + c.competencies.length, 0)})`,
        value: d.id,
      })),
      audiences: [
        { title: l('invite'), value: 'invite' },
        { title: l('open'), value: 'open' },
      ],
      weekdays: [1, 2, 3, 4, 5, 6, 7].map((d) => ({ title: weekdayName(d, locale), value: String(d) })),
      languages: [
        { title: l('dutch'), value: 'nl' },
        { title: l('english'), value: 'en' },
      ],
      values: submitted ? submittedValues(submitted, base) : base,
      submit: { title: l('save'), data: { wzr: 'saveRound', editing } },
    },
  };
}
