import type { AnalysisSummary } from '../../src/analysis/summary.js';
import { buildDigest } from '../../src/digest/aggregate.js';
import { digestCards } from '../../src/digest/card.js';
import { createRecord } from '../../src/interview/engine.js';
import { localize } from '../../src/interview/text.js';
import { reviewView, welcomeView, withdrawConfirmView } from '../../src/interview/views.js';
import { withdrawChoiceView, withdrawnSummaryView } from '../../src/interview/withdrawalView.js';
import type { Locale } from '../../src/interview/types.js';
import type { AnyCardView } from '../../src/teams/cardTemplates.js';
import { roundFormView } from '../../src/research/formView.js';
import { statusView } from '../../src/research/views.js';
import { summaryCard } from '../../src/analysis/summaryCard.js';
import { deck as digestDeck, guide as digestGuide, interviews, NOW, roundWith } from '../digest/fixtures.js';
import { content, contextFor } from './context.js';
import { wholeInterview } from './wholeInterview.js';

/** A viewpoint summary with two shown viewpoints and one left out, and one of a round with too few sorts. */
export function analysisSummaries(): AnalysisSummary[] {
  const ranked = (names: string[]) => names.map((name, statement) => ({ statement, name, z: 1.5 - statement }));
  const viewpoint = (factor: number) => ({
    factor,
    label: `F${factor + 1}`,
    definingSorts: 6,
    explainedVariance: 21.5 - factor,
    top: ranked(['Analyseren', 'Signaleren', 'Reflecteren']),
    bottom: ranked(['Empathie', 'Stimuleren', 'Aansluiten']),
  });
  return [
    { nSorts: 12, nFactors: 3, k: 5, tooFewSorts: false, shown: [viewpoint(0), viewpoint(1)], hidden: 1 },
    { nSorts: 3, nFactors: 1, k: 5, tooFewSorts: true, shown: [], hidden: 1 },
  ];
}

/**
 * Every card template filled the ways the bot fills it, in one language: the cards and summaries of two whole
 * interviews, a review with nudges, the withdrawal cards, the researcher's form and status, the digest (with and without a chart link)
 * and the analysis summary.
 */
export function representativeViews(locale: Locale): AnyCardView[] {
  const ctx = contextFor({ locale });
  const round = ctx.round;
  const interview = ['wij-competenties', 'basiscompetenties'].flatMap((deck) => {
    const { cards, summaries } = wholeInterview(locale, deck);
    return [...cards, ...summaries];
  });
  const reviewStep = ctx.guide.steps.find((step) => step.kind === 'qsortReview')!;
  const record = createRecord(ctx, 'A', true, null);
  const nudges = [localize(ctx.guide.nudges.noLowest, locale), localize(ctx.guide.nudges.topHeavy, locale)];
  const pick = localize(ctx.guide.steps.find((step) => step.kind === 'qsortPick')!.title, locale);
  const status = {
    roundId: round.id,
    status: round.status,
    invited: 8,
    reached: 7,
    unreachable: 1,
    failed: 0,
    consented: 6,
    completed: 4,
    inProgress: 2,
    declined: 1,
    withdrawn: 0,
    dropOff: [{ step: 'pick', title: pick, count: 2 }],
    timePerStep: [{ step: 'pick', title: pick, minutes: 4.5, n: 4 }],
  };
  const emptyStatus = { ...status, dropOff: [], timePerStep: [] };
  const digestRound = roundWith();
  const digest = buildDigest({
    round: { ...digestRound, digest: { ...digestRound.digest, language: locale } },
    guide: digestGuide,
    deck: digestDeck,
    interviews,
    invited: 8,
    previous: null,
    now: NOW,
  });
  return [
    ...interview,
    welcomeView(ctx),
    withdrawConfirmView(ctx, record),
    reviewView(ctx, reviewStep, { step: reviewStep.id, index: 0 }, record, nudges),
    withdrawChoiceView(locale, [round]),
    withdrawChoiceView(locale, [round, { ...round, id: 'r2', name: { nl: 'Tweede ronde', en: 'Second round' } }]),
    withdrawnSummaryView(locale, [round], 'Ingetrokken', ['regel']),
    statusView(status, round, locale),
    statusView(emptyStatus, round, locale),
    roundFormView(content, locale, { now: NOW }),
    roundFormView(content, locale, { round, now: NOW }),
    roundFormView(content, locale, {
      submitted: { id: 'x' },
      problems: [{ field: 'id', problem: 'invalid' }],
      now: NOW,
    }),
    ...digestCards(digest, { chart: 'none', fullUrl: 'https://wijzer.example/digest' }),
    ...digestCards(digest, { chart: { url: 'https://wijzer.example/digest/chart.png' } }),
    ...analysisSummaries().map((summary) => summaryCard(summary, roundNameIn(locale), locale)),
  ];
}

const roundNameIn = (locale: Locale) => (locale === 'nl' ? 'Open pilotronde' : 'Open pilot round');
