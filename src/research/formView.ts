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

const LABEL = {
  formTitle: { nl: 'Nieuwe onderzoeksronde', en: 'New research round' },
  editTitle: { nl: 'Ronde aanpassen', en: 'Edit round' },
  id: { nl: 'Id (kleine letters, cijfers, streepjes)', en: 'Id (lower-case letters, digits, dashes)' },
  nameNl: { nl: 'Naam (Nederlands)', en: 'Name (Dutch)' },
  nameEn: { nl: 'Naam (Engels, optioneel)', en: 'Name (English, optional)' },
  guide: { nl: 'Interviewleidraad', en: 'Interview guide' },
  deck: { nl: 'Kaartenset', en: 'Card deck' },
  audience: { nl: 'Wie mag meedoen', en: 'Who may take part' },
  open: { nl: 'Iedereen in de toegestane tenants', en: 'Anyone in the allowed tenants' },
  invite: { nl: 'Alleen uitgenodigden', en: 'Invited people only' },
  opensAt: { nl: 'Opent op', en: 'Opens on' },
  closesAt: { nl: 'Sluit na (de laatste dag waarop meedoen kan)', en: 'Closes after (the last day to take part)' },
  extremeColumns: { nl: 'Kolommen met waarom-vragen (bijvoorbeeld -3,3)', en: 'Columns with why-questions (such as -3,3)' },
  minCards: { nl: 'Minimum aantal kaarten (leeg: dat van de set)', en: 'Minimum number of cards (empty: the deck\'s)' },
  workAreas: { nl: 'Werkgebieden, één per regel', en: 'Work areas, one per line' },
  retentionMonths: { nl: 'Bewaartermijn sleutels na sluiten (maanden)', en: 'Key retention after closing (months)' },
  reminderDays: { nl: 'Herinneringen na dagen (bijvoorbeeld 3,7; leeg: geen)', en: 'Reminders after days (such as 3,7; empty: none)' },
  reminderMax: { nl: 'Maximum aantal herinneringen', en: 'Maximum number of reminders' },
  digestHeading: { nl: 'Samenvattingen voor de WIJ Academie', en: 'Digests for the WIJ Academie' },
  digestWeekday: { nl: 'Wekelijks op', en: 'Weekly on' },
  digestTime: { nl: 'Om (Nederlandse tijd)', en: 'At (Dutch time)' },
  digestK: { nl: 'Details vanaf zoveel afgeronde interviews (k, minstens 2)', en: 'Details from this many completed interviews (k, at least 2)' },
  digestLanguage: { nl: 'Taal van de samenvatting', en: 'Language of the digest' },
  digestMinMean: { nl: 'Een gemiddelde pas vanaf zoveel antwoorden (minstens 2)', en: 'A mean only from this many answers (at least 2)' },
  digestMinSpread: { nl: 'Een spreiding ("meeste verschil") pas vanaf zoveel antwoorden', en: 'A spread ("widest disagreement") only from this many answers' },
  digestMinAttention: { nl: 'Een gemiddelde aandacht in het team pas vanaf zoveel antwoorden', en: 'A mean attention in the team only from this many answers' },
  contactHeading: { nl: 'Contact voor vragen van deelnemers (in de uitnodiging, de toestemming en de afsluiting)', en: 'Contact for participants\' questions (in the invitation, the consent and the closing card)' },
  contactName: { nl: 'Naam of team (Nederlands)', en: 'Name or team (Dutch)' },
  contactNameEn: { nl: 'Naam of team (Engels, optioneel)', en: 'Name or team (English, optional)' },
  contactEmail: { nl: 'E-mailadres', en: 'E-mail address' },
  contactTeams: { nl: 'Of: Teams-link naar een kanaal of chat (https://teams.microsoft.com/l/...)', en: 'Or: Teams link to a channel or chat (https://teams.microsoft.com/l/...)' },
  dutch: { nl: 'Nederlands', en: 'Dutch' },
  english: { nl: 'Engels', en: 'English' },
  save: { nl: 'Opslaan als concept', en: 'Save as draft' },
} as const satisfies Record<string, Record<Locale, string>>;

/** What each field needs, shown next to it when it is wrong (and by the client for required and pattern checks). */
const NEEDS: Record<FormField, Record<Locale, string>> = {
  id: { nl: 'Gebruik 2 tot 40 kleine letters, cijfers en streepjes, beginnend met een letter (zoals pilot-west).', en: 'Use 2 to 40 lower-case letters, digits and dashes, starting with a letter (such as pilot-west).' },
  nameNl: { nl: 'Geef de ronde een Nederlandse naam van hoogstens 120 tekens.', en: 'Give the round a Dutch name of at most 120 characters.' },
  nameEn: { nl: 'De Engelse naam mag hoogstens 120 tekens hebben.', en: 'The English name may have at most 120 characters.' },
  guide: { nl: 'Kies een interviewleidraad.', en: 'Choose an interview guide.' },
  deck: { nl: 'Kies een kaartenset.', en: 'Choose a card deck.' },
  audience: { nl: 'Kies wie mag meedoen.', en: 'Choose who may take part.' },
  opensAt: { nl: 'Kies de datum waarop de ronde opent.', en: 'Choose the date the round opens.' },
  closesAt: { nl: 'Kies de laatste dag waarop meedoen kan.', en: 'Choose the last day to take part.' },
  extremeColumns: { nl: 'Geef kolommen gescheiden door komma\'s, zoals -3,3.', en: 'Give columns separated by commas, such as -3,3.' },
  minCards: { nl: 'Geef een heel getal vanaf 1, of laat het leeg.', en: 'Give a whole number from 1, or leave it empty.' },
  workAreas: { nl: 'Noem minstens één werkgebied, één per regel.', en: 'Name at least one work area, one per line.' },
  retentionMonths: { nl: 'Geef een heel aantal maanden van 1 tot 120.', en: 'Give a whole number of months from 1 to 120.' },
  reminderDays: { nl: 'Geef dagen gescheiden door komma\'s, zoals 3,7, of laat het leeg.', en: 'Give days separated by commas, such as 3,7, or leave it empty.' },
  reminderMax: { nl: 'Geef een heel getal van 0 tot 10.', en: 'Give a whole number from 0 to 10.' },
  digestWeekday: { nl: 'Kies een dag van de week.', en: 'Choose a day of the week.' },
  digestTime: { nl: 'Geef een tijd als uu:mm, zoals 09:00.', en: 'Give a time as hh:mm, such as 09:00.' },
  digestK: { nl: 'Geef een heel getal van 2 tot 100.', en: 'Give a whole number from 2 to 100.' },
  digestLanguage: { nl: 'Kies Nederlands of Engels.', en: 'Choose Dutch or English.' },
  digestMinMean: { nl: 'Geef een heel getal van 2 tot 100.', en: 'Give a whole number from 2 to 100.' },
  digestMinSpread: { nl: 'Geef een heel getal van 2 tot 100.', en: 'Give a whole number from 2 to 100.' },
  digestMinAttention: { nl: 'Geef een heel getal van 2 tot 100.', en: 'Give a whole number from 2 to 100.' },
  contactName: { nl: 'Geef een naam of team van hoogstens 120 tekens.', en: 'Give a name or team of at most 120 characters.' },
  contactNameEn: { nl: 'De Engelse naam mag hoogstens 120 tekens hebben.', en: 'The English name may have at most 120 characters.' },
  contactEmail: { nl: 'Geef een e-mailadres zoals onderzoek@wij.nl.', en: 'Give an e-mail address such as research@wij.nl.' },
  contactTeams: { nl: 'Geef een link die begint met https://.', en: 'Give a link that starts with https://.' },
};

const PROBLEM = {
  closesBeforeOpens: { nl: 'De sluitdatum ligt voor de openingsdatum.', en: 'The closing date lies before the opening date.' },
  unknownGuide: { nl: 'Er is geen interviewleidraad "{value}".', en: 'There is no interview guide "{value}".' },
  unknownDeck: { nl: 'Er is geen kaartenset "{value}".', en: 'There is no card deck "{value}".' },
  outsideScale: { nl: 'Die kolommen liggen niet allemaal op de schaal {min} tot {max}.', en: 'Not all of those columns lie on the scale {min} to {max}.' },
  moreThanDeck: { nl: 'Dat is meer dan de {total} kaarten van de set.', en: 'That is more than the {total} cards of the deck.' },
  sameWorkArea: { nl: 'Twee werkgebieden hebben dezelfde naam.', en: 'Two work areas have the same name.' },
  contactHow: { nl: 'Geef een e-mailadres of een Teams-link (of allebei), zodat deelnemers de onderzoekers kunnen bereiken.', en: 'Give an e-mail address or a Teams link (or both), so that participants can reach the researchers.' },
} as const satisfies Record<Exclude<FormProblem['problem'], 'invalid'>, Record<Locale, string>>;

/** A field problem in the researcher's language. */
export function problemText(p: FormProblem, locale: Locale): string {
  return p.problem === 'invalid' ? NEEDS[p.field][locale] : fill(PROBLEM[p.problem][locale], p as unknown as Record<string, string | number>);
}

const NUMBER_FIELDS = new Set<FormField>(['retentionMonths', 'reminderMax', 'digestK', 'digestMinMean', 'digestMinSpread', 'digestMinAttention']);

/** The form's values for a round (or the defaults), as the card's inputs hold them. */
function valuesOf(content: Content, round: Round | undefined, today: string, locale: Locale): Record<FormField, string | number> {
  const d = round?.digest ?? FORM_DEFAULTS.digest;
  return {
    id: round?.id ?? '',
    nameNl: round?.name.nl ?? '',
    nameEn: round && round.name.en !== round.name.nl ? round.name.en : '',
    guide: round?.guide ?? [...content.guides.keys()][0],
    deck: round?.deck ?? (content.decks.has(FORM_DEFAULTS.deck) ? FORM_DEFAULTS.deck : [...content.decks.keys()][0]),
    audience: round?.audience ?? 'invite',
    opensAt: round?.opensAt ?? today,
    closesAt: round?.closesAt ?? formatISO(addWeeks(new Date(`${today}T12:00:00`), FORM_DEFAULTS.openWeeks), { representation: 'date' }),
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
function submittedValues(data: Record<string, unknown>, base: Record<FormField, string | number>): Record<FormField, string | number> {
  const out = { ...base };
  for (const field of FORM_FIELDS) {
    const v = data[field];
    if (v === undefined || v === null) continue;
    const text = String(v);
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
      decks: [...content.decks.values()].map((d) => ({ title: `${localize(d.title, locale)} (${d.clusters.reduce((n, c) => n + c.competencies.length, 0)})`, value: d.id })),
      audiences: [{ title: l('invite'), value: 'invite' }, { title: l('open'), value: 'open' }],
      weekdays: [1, 2, 3, 4, 5, 6, 7].map((d) => ({ title: weekdayName(d, locale), value: String(d) })),
      languages: [{ title: l('dutch'), value: 'nl' }, { title: l('english'), value: 'en' }],
      values: submitted ? submittedValues(submitted, base) : base,
      submit: { title: l('save'), data: { wzr: 'saveRound', editing } },
    },
  };
}
