import { fill } from '../interview/messages.js';
import type { Locale } from '../interview/types.js';
import { plurals } from '../plural.js';

/** What the analysis report, the Teams summary and the digest section say, in Dutch and English. */
const TEXTS = {
  reportTitle: { nl: 'Q-factoranalyse: {title}', en: 'Q factor analysis: {title}' },
  generated: { nl: 'Gemaakt op {at} (Nederlandse tijd) door Wijzer, volgens de werkwijze van het R-pakket qmethod (Zabala 2014; Brown 1980; Watts en Stenner 2012).', en: 'Made on {at} (Dutch time) by Wijzer, following the procedure of the R package qmethod (Zabala 2014; Brown 1980; Watts and Stenner 2012).' },
  researcherOnly: { nl: 'Dit bestand is voor de onderzoeker: het bevat R-nummers, ladingen per sortering en citaten.', en: 'This file is for the researcher: it holds R numbers, loadings per sort and quotes.' },
  data: { nl: '{sorts} {sorts:sortering|sorteringen} van {statements} uitspraken; extractie: {extraction}; rotatie: {rotation}; {factors} {factors:factor|factoren} ({source}).', en: '{sorts} {sorts:sort|sorts} of {statements} statements; extraction: {extraction}; rotation: {rotation}; {factors} {factors:factor|factors} ({source}).' },
  sourceGiven: { nl: 'opgegeven', en: 'as given' },
  sourceSuggested: { nl: 'voorgesteld', en: 'suggested' },
  pca: { nl: 'hoofdcomponenten', en: 'principal components' },
  centroid: { nl: 'centroïde (Brown)', en: 'centroid (Brown)' },
  varimax: { nl: 'varimax (Kaiser-normalisatie)', en: 'varimax (Kaiser normalisation)' },
  none: { nl: 'geen', en: 'none' },
  warnings: { nl: 'Waarschuwingen', en: 'Warnings' },
  openTitle: { nl: 'Open verdeling', en: 'Open distribution' },
  openNote: {
    nl: 'Kaarten die een deelnemer niet koos, tellen als 0 (de middelste kolom), net als in de PQMethod-export. De tabel met ladingen laat zien hoeveel kaarten elke sortering plaatste. De factorarrays zijn gelegd in de samengevoegde kolomaantallen van de ronde (per kolom het gemiddelde aantal kaarten, afgerond tot het totaal {statements} is): {counts}.',
    en: 'Cards a participant did not pick count as 0 (the middle column), as in the PQMethod export. The loadings table shows how many cards each sort placed. The factor arrays are laid into the round\'s pooled column counts (the mean number of cards per column, rounded to a total of {statements}): {counts}.',
  },
  forcedNote: { nl: 'Alle sorteringen volgen dezelfde (gedwongen) verdeling; de factorarrays volgen die: {counts}.', en: 'Every sort follows the same (forced) distribution; the factor arrays follow it: {counts}.' },
  givenNote: { nl: 'Niet alle sorteringen volgen dezelfde verdeling; de factorarrays volgen de opgegeven verdeling (bij een .DAT: de verdeling van regel 2): {counts}.', en: 'Not every sort follows the same distribution; the factor arrays follow the given one (for a .DAT: the distribution of its line 2): {counts}.' },
  howMany: { nl: 'Aantal factoren', en: 'Number of factors' },
  howManyText: {
    nl: 'Eigenwaarde boven 1 (Kaiser-Guttman): {kaiser}. Regel van Humphrey (Brown 1980: 223): {humphrey}. Parallelle analyse (Horn 1965; {iterations} willekeurige herschikkingen van de sorteringen, seed {seed}, {percentile}e percentiel): {parallel}. Voorgesteld: {suggested}; gebruikt: {used}.',
    en: 'Eigenvalue above 1 (Kaiser-Guttman): {kaiser}. Humphrey\'s rule (Brown 1980: 223): {humphrey}. Parallel analysis (Horn 1965; {iterations} random reshuffles of the sorts, seed {seed}, {percentile}th percentile): {parallel}. Suggested: {suggested}; used: {used}.',
  },
  parallelOff: { nl: 'niet uitgevoerd', en: 'not run' },
  scree: { nl: 'Screeplot van de ongeroteerde eigenwaarden', en: 'Scree plot of the unrotated eigenvalues' },
  screeAlt: { nl: 'Screeplot: eigenwaarden per component, met de lijn eigenwaarde 1 en de willekeurige eigenwaarden van de parallelle analyse', en: 'Scree plot: eigenvalue per component, with the line eigenvalue 1 and the random eigenvalues of the parallel analysis' },
  component: { nl: 'Component', en: 'Component' },
  eigenvalue: { nl: 'Eigenwaarde', en: 'Eigenvalue' },
  variance: { nl: '% variantie', en: '% variance' },
  cumulative: { nl: 'cumulatief', en: 'cumulative' },
  randomEigenvalue: { nl: 'willekeurig (p95)', en: 'random (p95)' },
  kaiserLine: { nl: 'eigenwaarde 1', en: 'eigenvalue 1' },
  zeroRest: { nl: 'De overige {rest} eigenwaarden zijn 0 (de correlatiematrix heeft rang ten hoogste {rank}).', en: 'The other {rest} eigenvalues are 0 (the correlation matrix has rank at most {rank}).' },
  loadings: { nl: 'Ladingen na rotatie, met vlaggen', en: 'Loadings after rotation, with flags' },
  loadingsNote: { nl: 'Een * markeert een definiërende sortering: |a| > 1,96/√{statements} = {threshold} en a² > h² − a². {overrides}', en: 'A * marks a defining sort: |a| > 1.96/√{statements} = {threshold} and a² > h² − a². {overrides}' },
  overridden: { nl: 'Met de hand gewijzigde vlaggen: {list}.', en: 'Flags changed by hand: {list}.' },
  sort: { nl: 'Sortering', en: 'Sort' },
  placed: { nl: 'Geplaatst', en: 'Placed' },
  characteristics: { nl: 'Kenmerken van de factoren', en: 'Factor characteristics' },
  definingSorts: { nl: 'Definiërende sorteringen', en: 'Defining sorts' },
  ssl: { nl: 'Som kwadraten ladingen', en: 'Sum of squared loadings' },
  explained: { nl: '% verklaarde variantie', en: '% explained variance' },
  reliability: { nl: 'Samengestelde betrouwbaarheid', en: 'Composite reliability' },
  se: { nl: 'Standaardfout factorscores', en: 'Standard error of factor scores' },
  belowK: { nl: 'minder dan k = {k} definiërende sorteringen: alleen in dit bestand, niet in Teams of de digest', en: 'fewer than k = {k} defining sorts: only in this file, not in Teams or the digest' },
  viewpoint: { nl: 'Gezichtspunt {factor}', en: 'Viewpoint {factor}' },
  viewpointMeta: { nl: '{defining} {defining:definiërende sortering|definiërende sorteringen} ({names}); {explained}% verklaarde variantie.', en: '{defining} {defining:defining sort|defining sorts} ({names}); {explained}% explained variance.' },
  noScores: { nl: 'Geen definiërende sorteringen: geen z-scores of factorarray.', en: 'No defining sorts: no z-scores or factor array.' },
  board: { nl: 'Factorarray als Q-sortbord', en: 'Factor array as a Q-sort board' },
  distinguishing: { nl: 'Onderscheidende uitspraken', en: 'Distinguishing statements' },
  distinguishingNote: { nl: 'Het verschil met elke andere factor is significant (* p < .05, ** p < .01; |verschil| > 1,960 of 2,576 × SED).', en: 'The difference with every other factor is significant (* p < .05, ** p < .01; |difference| > 1.960 or 2.576 × SED).' },
  noneFound: { nl: 'Geen.', en: 'None.' },
  statement: { nl: 'Uitspraak', en: 'Statement' },
  level: { nl: 'p', en: 'p' },
  quotes: { nl: 'Citaten', en: 'Quotes' },
  quotesNote: { nl: 'Van definiërende deelnemers die toestemming gaven om geciteerd te worden, bij de uiterste kaarten van dit gezichtspunt; opnieuw geschoond. R-nummers zoals in de onderzoeksexport.', en: 'From defining participants who agreed to be quoted, on this viewpoint\'s extreme cards; scrubbed again. R numbers as in the research export.' },
  quotesOmitted: { nl: '{count} {count:citaat|citaten} weggelaten omdat {count:het|ze} mogelijk iemand {count:noemt|noemen}.', en: '{count} {count:quote|quotes} left out because {count:it|they} may name someone.' },
  noQuotes: { nl: 'Geen citaten.', en: 'No quotes.' },
  consensus: { nl: 'Consensusuitspraken', en: 'Consensus statements' },
  consensusNote: { nl: 'Geen enkel verschil tussen factoren is significant (p < .05).', en: 'No difference between factors is significant (p < .05).' },
  scores: { nl: 'Z-scores en factorarrays', en: 'Z-scores and factor arrays' },
  oneFactor: { nl: 'Met één factor zijn er geen onderscheidende of consensusuitspraken.', en: 'With one factor there are no distinguishing or consensus statements.' },
  warnTooFewSorts: { nl: 'Te weinig sorteringen voor {factors} factoren: {sorts} sorteringen kunnen niet elke factor de twee definiërende sorteringen geven die een gezichtspunt nodig heeft. Overweeg minder factoren.', en: 'Too few sorts for {factors} factors: {sorts} sorts cannot give every factor the two defining sorts a viewpoint needs. Consider fewer factors.' },
  warnNegativeFlag: { nl: 'Sortering {sort} is gevlagd op {factor} met een negatieve lading: die sortering definieert het spiegelbeeld van dat gezichtspunt. Controleer de vlaggen.', en: 'Sort {sort} is flagged on {factor} with a negative loading: it defines the mirror image of that viewpoint. Check the flags.' },
  warnNoDefining: { nl: '{factor} heeft geen definiërende sorteringen: geen z-scores of factorarray.', en: '{factor} has no defining sorts: it has no z-scores or factor array.' },
  warnOneDefining: { nl: '{factor} heeft maar 1 definiërende sortering: een gezichtspunt heeft er minstens twee nodig.', en: '{factor} has only 1 defining sort: a viewpoint needs at least two.' },
  // Teams summary and digest section.
  summaryTitle: { nl: 'Gezichtspunten in ronde "{round}"', en: 'Viewpoints in round "{round}"' },
  summaryCount: { nl: '{sorts} {sorts:sortering|sorteringen}; {factors} {factors:gezichtspunt|gezichtspunten} gevonden, {shown} met minstens {k} definiërende sorteringen.', en: '{sorts} {sorts:sort|sorts}; {factors} {factors:viewpoint|viewpoints} found, {shown} with at least {k} defining sorts.' },
  summaryHidden: { nl: '{hidden} {hidden:gezichtspunt|gezichtspunten} met minder dan {k} definiërende sorteringen {hidden:staat|staan} alleen in het bestand van de onderzoeker.', en: '{hidden} {hidden:viewpoint|viewpoints} with fewer than {k} defining sorts {hidden:is|are} in the researcher\'s file only.' },
  summaryViewpoint: { nl: '**{factor}**: {defining} {defining:definiërende sortering|definiërende sorteringen}, {explained}% verklaarde variantie', en: '**{factor}**: {defining} {defining:defining sort|defining sorts}, {explained}% explained variance' },
  top: { nl: 'Bovenaan', en: 'Top' },
  bottom: { nl: 'Onderaan', en: 'Bottom' },
  tooFew: { nl: 'Er zijn minder dan {k} sorteringen: geen gezichtspunten te tonen.', en: 'There are fewer than {k} sorts: no viewpoints to show.' },
  digestTitle: { nl: 'Gezichtspunten', en: 'Viewpoints' },
  digestIntro: {
    nl: 'Een Q-factoranalyse van alle {sorts} voltooide sorteringen zoekt de gezichtspunten die groepen generalisten delen. Per gezichtspunt de competenties die het hoogst en het laagst staan. Alleen gezichtspunten met minstens {k} definiërende sorteringen.',
    en: 'A Q factor analysis of all {sorts} completed sorts looks for the viewpoints that groups of generalists share. For each viewpoint the competencies it ranks highest and lowest. Only viewpoints with at least {k} defining sorts.',
  },
} as const satisfies Record<string, Record<Locale, string>>;

export type AnalysisTextKey = keyof typeof TEXTS;

export function analysisText(locale: Locale, key: AnalysisTextKey, values?: Record<string, string | number>): string {
  return fill(plurals(locale, TEXTS[key][locale], values), values);
}

/** A number with fixed decimals, with a decimal comma in Dutch. */
export function num(locale: Locale, value: number | null, decimals = 2): string {
  if (value === null || !Number.isFinite(value)) return '–';
  const text = value.toFixed(decimals);
  return locale === 'nl' ? text.replace('.', ',') : text;
}

/** A column value with its sign: +3, 0, -2. */
export function signedColumn(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}

export const factorLabel = (f: number) => `F${f + 1}`;

/** Something the researcher should look at; `warnings` in the result holds the same in English. */
export type AnalysisWarning =
  | { kind: 'tooFewSorts'; sorts: number; factors: number }
  | { kind: 'negativeFlag'; sort: string; factor: number }
  | { kind: 'noDefiningSorts'; factor: number }
  | { kind: 'oneDefiningSort'; factor: number };

export function warningText(w: AnalysisWarning, locale: Locale): string {
  switch (w.kind) {
    case 'tooFewSorts': return analysisText(locale, 'warnTooFewSorts', { sorts: w.sorts, factors: w.factors });
    case 'negativeFlag': return analysisText(locale, 'warnNegativeFlag', { sort: w.sort, factor: factorLabel(w.factor) });
    case 'noDefiningSorts': return analysisText(locale, 'warnNoDefining', { factor: factorLabel(w.factor) });
    case 'oneDefiningSort': return analysisText(locale, 'warnOneDefining', { factor: factorLabel(w.factor) });
  }
}
