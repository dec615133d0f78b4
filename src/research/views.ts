import type { Content } from '../content/load.js';
import type { Round } from '../content/schema.js';
import type { CardView, Locale } from '../interview/types.js';
import { localize } from '../interview/text.js';
import type { RoundStatus } from './status.js';

export type ResearchView = CardView;

const L = {
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
  closesAt: { nl: 'Sluit na', en: 'Closes after' },
  extremes: { nl: 'Kolommen met waarom-vragen', en: 'Columns with why-questions' },
  minCards: { nl: 'Minimum aantal kaarten (leeg: dat van de set)', en: 'Minimum number of cards (empty: the deck\'s)' },
  workAreas: { nl: 'Werkgebieden, één per regel', en: 'Work areas, one per line' },
  retention: { nl: 'Bewaartermijn sleutels na sluiten (maanden)', en: 'Key retention after closing (months)' },
  reminderDays: { nl: 'Herinneringen na dagen', en: 'Reminders after days' },
  reminderMax: { nl: 'Maximum aantal herinneringen', en: 'Maximum number of reminders' },
  save: { nl: 'Opslaan als concept', en: 'Save as draft' },
  statusTitle: { nl: 'Status van ronde {id}', en: 'Status of round {id}' },
  counts: { nl: 'Aantallen (geen namen)', en: 'Counts (no names)' },
  dropOff: { nl: 'Gestopt bij stap', en: 'Stopped at step' },
  time: { nl: 'Gemiddelde tijd per stap', en: 'Average time per step' },
  nothing: { nl: 'nog niets', en: 'nothing yet' },
} as const;

const l = (locale: Locale, key: keyof typeof L) => L[key][locale];

/** The form to create a round, or to change a draft. */
export function roundFormView(content: Content, locale: Locale, round?: Round): ResearchView {
  const today = new Date().toISOString().slice(0, 10);
  return {
    template: 'roundForm',
    data: {
      title: l(locale, round ? 'editTitle' : 'formTitle'),
      editing: round?.id ?? '',
      labels: Object.fromEntries(Object.keys(L).map((k) => [k, l(locale, k as keyof typeof L)])),
      guides: [...content.guides.values()].map((g) => ({ title: localize(g.title, locale), value: g.id })),
      decks: [...content.decks.values()].map((d) => ({ title: localize(d.title, locale), value: d.id })),
      audiences: [{ title: l(locale, 'invite'), value: 'invite' }, { title: l(locale, 'open'), value: 'open' }],
      values: {
        id: round?.id ?? '',
        nameNl: round?.name.nl ?? '',
        nameEn: round?.name.en ?? '',
        guide: round?.guide ?? [...content.guides.keys()][0],
        deck: round?.deck ?? [...content.decks.keys()][0],
        audience: round?.audience ?? 'invite',
        opensAt: round?.opensAt ?? today,
        closesAt: round?.closesAt ?? today,
        extremeColumns: (round?.extremeColumns ?? [-3, 3]).join(','),
        minCards: round?.minCards === undefined ? '' : String(round.minCards),
        workAreas: (round?.workAreas ?? []).map((w) => w.label.nl).join('\n') || 'WIJ Oude Wijken\nWIJ West\nWIJ Zuid\nWIJ Oost',
        retentionMonths: String(round?.retentionMonths ?? 12),
        reminderDays: (round?.reminders.afterDays ?? [3, 7]).join(','),
        reminderMax: String(round?.reminders.max ?? 2),
      },
      submit: { title: l(locale, 'save'), data: { wzr: 'saveRound', editing: round?.id ?? '' } },
    },
  };
}

export function statusView(status: RoundStatus, round: Round, locale: Locale): ResearchView {
  const facts = ([
    ['invited', status.invited], ['reached', status.reached], ['unreachable', status.unreachable], ['failed', status.failed],
    ['consented', status.consented], ['inProgress', status.inProgress], ['completed', status.completed],
    ['declined', status.declined], ['withdrawn', status.withdrawn],
  ] as const).map(([key, value]) => ({ title: FACT[key][locale], value: String(value) }));
  return {
    template: 'status',
    data: {
      title: l(locale, 'statusTitle').replace('{id}', round.id),
      subtitle: `${localize(round.name, locale)} · ${round.status} · ${round.opensAt} – ${round.closesAt}`,
      countsTitle: l(locale, 'counts'),
      facts,
      dropOffTitle: l(locale, 'dropOff'),
      dropOff: status.dropOff.length ? status.dropOff.map((d) => ({ title: d.title, value: String(d.count) })) : [{ title: l(locale, 'nothing'), value: '' }],
      timeTitle: l(locale, 'time'),
      time: status.timePerStep.length ? status.timePerStep.map((d) => ({ title: d.title, value: `${d.minutes} min (n=${d.n})` })) : [{ title: l(locale, 'nothing'), value: '' }],
    },
  };
}

const FACT = {
  invited: { nl: 'Uitgenodigd', en: 'Invited' },
  reached: { nl: 'Bereikt', en: 'Reached' },
  unreachable: { nl: 'Onbereikbaar (app niet geïnstalleerd of geblokkeerd)', en: 'Unreachable (app not installed or blocked)' },
  failed: { nl: 'Mislukt of onzeker', en: 'Failed or uncertain' },
  consented: { nl: 'Toestemming gegeven', en: 'Consented' },
  inProgress: { nl: 'Bezig', en: 'In progress' },
  completed: { nl: 'Afgerond', en: 'Completed' },
  declined: { nl: 'Afgezien', en: 'Declined' },
  withdrawn: { nl: 'Ingetrokken', en: 'Withdrawn' },
} as const;
