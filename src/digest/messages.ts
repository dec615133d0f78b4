import { fill } from '../interview/messages.js';
import type { Locale } from '../interview/types.js';

/** The digest's own texts (the Academie reads Dutch by default; a round may ask for English). */
const TEXTS = {
  title: { nl: 'Wijzer-samenvatting', en: 'Wijzer digest' },
  asOf: { nl: 'Stand van {date}', en: 'As of {date}' },
  part: { nl: 'deel {part} van {parts}', en: 'part {part} of {parts}' },
  roundStatus: {
    nl: { draft: 'concept', open: 'open', paused: 'gepauzeerd', closed: 'gesloten' },
    en: { draft: 'draft', open: 'open', paused: 'paused', closed: 'closed' },
  },
  roundIs: { nl: 'ronde {status}', en: 'round {status}' },
  response: { nl: 'Respons', en: 'Response' },
  invited: { nl: 'Uitgenodigd', en: 'Invited' },
  openRound: { nl: 'open ronde (geen uitnodigingen)', en: 'open round (no invitations)' },
  completed: { nl: 'Afgerond', en: 'Completed' },
  inProgress: { nl: 'Nog bezig', en: 'Still in progress' },
  change: { nl: 'Sinds de vorige samenvatting ({date})', en: 'Since the previous digest ({date})' },
  changeShort: { nl: '{delta} sinds de vorige', en: '{delta} since the last' },
  noChange: { nl: 'geen verandering', en: 'no change' },
  firstDigest: { nl: 'Dit is de eerste samenvatting van deze ronde.', en: 'This is the first digest of this round.' },
  belowK: {
    nl: 'Nog minder dan {k} afgeronde interviews: details volgen bij {next} afgeronde interviews, zodat niemand herkenbaar is.',
    en: 'Fewer than {k} completed interviews so far: details follow at {next} completed interviews, so that nobody can be recognised.',
  },
  heldBack: {
    nl: 'Nieuwe details bij {next} afgeronde interviews. De details veranderen pas als er minstens {k} afgeronde interviews bij zijn gekomen sinds de vorige details (over {last}), zodat niet te zien is wat één nieuwe deelnemer antwoordde.',
    en: 'New details at {next} completed interviews. The details change only once at least {k} more interviews have been completed since the previous details (over {last}), so that nobody can tell what one new participant answered.',
  },
  closedBelowK: {
    nl: 'De ronde is gesloten met minder dan {k} afgeronde interviews, de drempel voor details: deze ronde krijgt geen details, zodat niemand herkenbaar is.',
    en: 'The round closed with fewer than {k} completed interviews, the threshold for details: this round gets no details, so that nobody can be recognised.',
  },
  closedHeldBack: {
    nl: 'De ronde is gesloten. De vorige details (over {last} afgeronde interviews) blijven de laatste: sindsdien zijn er minder dan {k} bij gekomen, te weinig om te laten zien zonder dat iemand herkenbaar is.',
    en: 'The round has closed. The previous details (over {last} completed interviews) remain the last: fewer than {k} were completed since, too few to show without anyone being recognised.',
  },
  chart: { nl: 'Waar liggen de kaartjes?', en: 'Where did the cards go?' },
  chartAlt: {
    nl: 'Heatmap: per competentie het aantal deelnemers per kolom van −3 (sluit niet aan) tot +3 (sluit goed aan), en hoeveel haar niet kozen.',
    en: 'Heatmap: per competency the number of participants per column from −3 (does not fit) to +3 (fits well), and how many did not pick it.',
  },
  chartSubtitle: { nl: '{n} afgeronde interviews · aantal deelnemers per kolom', en: '{n} completed interviews · number of participants per column' },
  chartInHtml: { nl: 'De grafiek staat in de volledige versie.', en: 'The chart is in the full version.' },
  fewer: { nl: 'weinig', en: 'few' },
  more: { nl: 'veel deelnemers', en: 'many participants' },
  tables: { nl: 'Per cluster', en: 'Per cluster' },
  tablesIntro: {
    nl: 'Het aantal deelnemers dat de competentie in kolom −3 (sluit niet aan) tot +3 (sluit goed aan) legde, en hoeveel haar niet kozen (n.g.). Zoals Tabel 3 tot en met 9 van het onderzoek.',
    en: 'The number of participants who put the competency in column −3 (does not fit) to +3 (fits well), and how many did not pick it (n.p.). As in Tables 3 to 9 of the study.',
  },
  competency: { nl: 'Competentie', en: 'Competency' },
  notPicked: { nl: 'niet gekozen', en: 'not picked' },
  notPickedShort: { nl: 'n.g.', en: 'n.p.' },
  mean: { nl: 'gem.', en: 'mean' },
  most: { nl: 'Sluit het best aan', en: 'Fits best' },
  least: { nl: 'Sluit het minst aan', en: 'Fits least' },
  byMean: { nl: 'Hoogste gemiddelde kolom', en: 'Highest mean column' },
  byMeanLow: { nl: 'Laagste gemiddelde kolom', en: 'Lowest mean column' },
  byCountHigh: { nl: 'Vaakst op +2 of +3', en: 'Most often at +2 or +3' },
  byCountLow: { nl: 'Vaakst op −2 of −3', en: 'Most often at −2 or −3' },
  neverPicked: { nl: 'Door niemand gekozen', en: 'Picked by nobody' },
  disagreement: { nl: 'Meeste verschil van mening', en: 'Widest disagreement' },
  attention: { nl: 'Aandacht in het WIJ-team', en: 'Attention in the WIJ team' },
  attentionIntro: {
    nl: 'Gemiddeld cijfer ({min}–{max}) voor de aandacht in het WIJ-team, gegeven bij de doorvraag over een competentie op een uiterste kolom; laagste eerst.',
    en: 'Mean rating ({min}–{max}) of the attention in the WIJ team, given in the follow-up on a competency in an extreme column; lowest first.',
  },
  quotes: { nl: 'Wat deelnemers vragen van scholing en ondersteuning', en: 'What participants ask of training and support' },
  quotesIntro: {
    nl: 'Korte citaten van deelnemers die toestemming gaven om geciteerd te worden, zonder nummer en op alfabetische volgorde, zodat niet te zien is wie wat zei of wie er nieuw is.',
    en: 'Short quotes from participants who agreed to be quoted, without a number and in alphabetical order, so that nobody can tell who said what or who is new.',
  },
  noQuotes: { nl: 'Nog geen citeerbare antwoorden.', en: 'No quotable answers yet.' },
  continued: { nl: '(vervolg)', en: '(continued)' },
  none: { nl: 'nog geen', en: 'none yet' },
  nItems: { nl: 'n = {n}', en: 'n = {n}' },
  full: { nl: 'Volledige versie', en: 'Full version' },
  footnotes: { nl: 'Toelichting', en: 'Notes' },
  noteMean: {
    nl: 'Gemiddelde kolom: het gemiddelde van de kolommen (−3 tot +3) van de deelnemers die de competentie kozen; n is hun aantal. Bij gelijke waarden gaat de grotere n voor, daarna de volgorde van het kaartspel.',
    en: 'Mean column: the mean of the columns (−3 to +3) of the participants who picked the competency; n is their number. Ties go to the larger n, then to deck order.',
  },
  noteSpread: {
    nl: 'Verschil van mening: de standaardafwijking (n − 1) van de kolommen van wie de competentie koos. Hoe groter, hoe meer de deelnemers het oneens zijn.',
    en: 'Disagreement: the standard deviation (n − 1) of the columns of those who picked the competency. The larger, the more participants disagree.',
  },
  noteMinN: {
    nl: 'Ondergrenzen, zodat geen getal iemands antwoord verraadt: een gemiddelde kolom of een aandeel ("3 van 4 die haar kozen") staat er pas bij n ≥ {mean}, een standaardafwijking bij n ≥ {spread}, een gemiddeld aandachtscijfer bij n ≥ {attention}. Details komen er pas vanaf {k} afgeronde interviews, en nieuwe details pas als er sindsdien minstens {k} bij zijn gekomen.',
    en: 'Lower limits, so that no figure gives away anyone\'s answer: a mean column or a share ("3 of the 4 who picked it") is shown from n ≥ {mean}, a standard deviation from n ≥ {spread}, a mean attention rating from n ≥ {attention}. Details appear from {k} completed interviews on, and new details only once at least {k} more have been completed since.',
  },
  notePrivacy: {
    nl: 'Alleen afgeronde interviews tellen mee; niets wordt uitgesplitst naar achtergrond (leeftijd, ervaring, werkgebied). Citaten zijn opnieuw geschoond; een citaat dat iemand zou kunnen noemen, valt weg. Getallen zijn afgerond op één decimaal.',
    en: 'Only completed interviews count; nothing is broken down by background (age, experience, work area). Quotes were scrubbed again; a quote that could name someone is left out. Numbers are rounded to one decimal.',
  },
  sources: {
    academy: { nl: 'Over de WIJ Academie', en: 'About the WIJ Academie' },
    need: { nl: 'Behoefte aan scholing of ondersteuning', en: 'Need for training or support' },
    form: { nl: 'Hoe scholing of ondersteuning eruit zou moeten zien', en: 'What training or support should look like' },
  },
} as const;

type Simple = { [K in keyof typeof TEXTS]: (typeof TEXTS)[K] extends { nl: string; en: string } ? K : never }[keyof typeof TEXTS];

export function digestText(locale: Locale, key: Simple, vars: Record<string, string | number> = {}): string {
  return fill(TEXTS[key][locale], vars);
}

export function statusText(locale: Locale, status: keyof (typeof TEXTS)['roundStatus']['nl']): string {
  return TEXTS.roundStatus[locale][status];
}

/** The digest's heading for a quote source, when it has one; else null (the guide's question text is used). */
export function sourceHeading(locale: Locale, questionId: string): string | null {
  const sources = TEXTS.sources as Record<string, { nl: string; en: string }>;
  return sources[questionId]?.[locale] ?? null;
}

/** Rounds to one decimal, halves away from zero, immune to binary noise (1.15 → 1.2, −1.25 → −1.3). */
export function round1(value: number): number {
  const scaled = Math.abs(value) * 10;
  const rounded = Math.round(scaled + 1e-9) / 10;
  return value < 0 && rounded !== 0 ? -rounded : rounded;
}

/** 1.5 → "1,5" in Dutch, "1.5" in English, −0.5 with a real minus sign; always one decimal. */
export function decimal(locale: Locale, value: number): string {
  const rounded = round1(value);
  const text = `${rounded < 0 ? '−' : ''}${Math.abs(rounded).toFixed(1)}`;
  return locale === 'nl' ? text.replace('.', ',') : text;
}

/** A column as shown: "+3", "0", "−3" (a real minus sign). */
export function signed(column: number): string {
  return column > 0 ? `+${column}` : column < 0 ? `−${-column}` : '0';
}

/** A change in a count: "+2", "−1", "0". */
export function delta(value: number): string {
  return value > 0 ? `+${value}` : value < 0 ? `−${-value}` : '0';
}
