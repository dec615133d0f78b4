import { ANALYSIS_TEMPLATES, type AnalysisSummaryView } from '../analysis/index.js';
import { cardTemplate, expandCard } from '../content/cardTemplate.js';
import { DIGEST_TEMPLATES, type DigestCardView } from '../digest/card.js';
import { INTERVIEW_TEMPLATES, type InterviewView } from '../interview/cardViews.js';
import { RESEARCH_TEMPLATES, type ResearchView } from '../research/cardViews.js';

/*
 * The registry of every card template the bot sends. Each feature declares its own templates and their view
 * models; the registry sits at the Teams edge, the one layer that sees all features.
 */

/** Every card the bot can send. */
export type AnyCardView = InterviewView | ResearchView | DigestCardView | AnalysisSummaryView;

export const TEMPLATE_NAMES: readonly AnyCardView['template'][] = [
  ...INTERVIEW_TEMPLATES,
  ...RESEARCH_TEMPLATES,
  ...DIGEST_TEMPLATES,
  ...ANALYSIS_TEMPLATES,
];

export interface CardAttachment {
  contentType: 'application/vnd.microsoft.card.adaptive';
  content: Record<string, unknown>;
}

/** The Adaptive Card templates of cards/templates, validated at start-up and expanded per view. */
export class CardTemplates {
  constructor(private readonly root = process.cwd()) {
    for (const name of TEMPLATE_NAMES) cardTemplate(name, root);
  }

  render(view: AnyCardView): CardAttachment {
    return { contentType: 'application/vnd.microsoft.card.adaptive', content: expandCard(view, this.root) };
  }
}
