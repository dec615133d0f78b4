import { ANALYSIS_TEMPLATES, type AnalysisSummaryView } from '../analysis/index.js';
import { cardTemplate, type ExpandTemplate } from '../content/cardTemplate.js';
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

/** The Adaptive Card templates of cards/templates, validated and compiled at start-up and expanded per view. */
export class CardTemplates {
  private readonly byName: Map<string, ExpandTemplate>;

  constructor(root = process.cwd()) {
    this.byName = new Map(TEMPLATE_NAMES.map((name) => [name, cardTemplate(name, root)]));
  }

  render(view: AnyCardView): CardAttachment {
    const content = this.byName.get(view.template)!(view.data) as Record<string, unknown>;
    return { contentType: 'application/vnd.microsoft.card.adaptive', content };
  }
}
