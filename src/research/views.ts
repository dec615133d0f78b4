import type { Round } from '../content/schema.js';
import type { Locale } from '../interview/types.js';
import { fill } from '../interview/messages.js';
import { localize } from '../interview/text.js';
import { calendarDate } from '../time.js';
import { statusName } from './messages.js';
import type { ResearchView } from './cardViews.js';
import type { RoundStatus } from './status.js';

const L = {
  statusTitle: { nl: 'Status van ronde {id}', en: 'Status of round {id}' },
  counts: { nl: 'Aantallen (geen namen)', en: 'Counts (no names)' },
  dropOff: { nl: 'Gestopt bij stap', en: 'Stopped at step' },
  time: { nl: 'Gemiddelde tijd per stap', en: 'Average time per step' },
  nothing: { nl: 'nog niets', en: 'nothing yet' },
  minutes: { nl: '{minutes} min (n = {n})', en: '{minutes} min (n = {n})' },
} as const;

const l = (locale: Locale, key: keyof typeof L) => L[key][locale];

export function statusView(status: RoundStatus, round: Round, locale: Locale): ResearchView {
  const facts = (
    [
      ['invited', status.invited],
      ['reached', status.reached],
      ['unreachable', status.unreachable],
      ['failed', status.failed],
      ['consented', status.consented],
      ['inProgress', status.inProgress],
      ['completed', status.completed],
      ['declined', status.declined],
      ['withdrawn', status.withdrawn],
    ] as const
  ).map(([key, value]) => ({ title: FACT[key][locale], value: String(value) }));
  const decimal = (n: number) => (locale === 'nl' ? String(n).replace('.', ',') : String(n));
  return {
    template: 'status',
    data: {
      title: fill(l(locale, 'statusTitle'), { id: round.id }),
      subtitle: `${localize(round.name, locale)} · ${statusName(locale, round.status)} · ${calendarDate(round.opensAt, locale)} – ${calendarDate(round.closesAt, locale)}`,
      countsTitle: l(locale, 'counts'),
      facts,
      dropOffTitle: l(locale, 'dropOff'),
      dropOff: status.dropOff.length
        ? status.dropOff.map((d) => ({ title: d.title, value: String(d.count) }))
        : [{ title: l(locale, 'nothing'), value: '' }],
      timeTitle: l(locale, 'time'),
      time: status.timePerStep.length
        ? status.timePerStep.map((d) => ({
            title: d.title,
            value: fill(l(locale, 'minutes'), { minutes: decimal(d.minutes), n: d.n }),
          }))
        : [{ title: l(locale, 'nothing'), value: '' }],
    },
  };
}

const FACT = {
  invited: { nl: 'Uitgenodigd', en: 'Invited' },
  reached: { nl: 'Bereikt', en: 'Reached' },
  unreachable: {
    nl: 'Onbereikbaar (app niet geïnstalleerd of geblokkeerd)',
    en: 'Unreachable (app not installed or blocked)',
  },
  failed: { nl: 'Mislukt of onzeker', en: 'Failed or uncertain' },
  consented: { nl: 'Toestemming gegeven', en: 'Consented' },
  inProgress: { nl: 'Bezig', en: 'In progress' },
  completed: { nl: 'Afgerond', en: 'Completed' },
  declined: { nl: 'Afgezien', en: 'Declined' },
  withdrawn: { nl: 'Ingetrokken', en: 'Withdrawn' },
} as const;
