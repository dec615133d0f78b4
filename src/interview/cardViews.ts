import { templateNames, type ViewsOf } from '../content/cardTemplate.js';
import type { Stamp } from './actions.js';

/*
 * The view models of the participant's card templates (cards/templates/<name>.json): the fields each template's
 * `${...}` bindings read. The pure interview code fills them (views.ts, withdrawalView.ts).
 */

/** A button: its title and the stamped submission it sends. */
export interface CardButton {
  title: string;
  data: { wz: Stamp } & Record<string, unknown>;
}

export interface ChoiceOption {
  title: string;
  value: string;
}

/** The small line at the top of every participant card: the round's name, with the step ("Stap 4 van 13"). */
interface Heading {
  round: string;
  title: string;
  /** Empty on cards outside the guide's steps (invitation, withdrawal). */
  progress: string;
}

export interface InfoData extends Heading {
  paragraphs: string[];
  actions: CardButton[];
}

export interface ConsentData extends Heading {
  intro: string;
  points: string[];
  /** Empty when the round names no contact. */
  contact: string;
  quoteLabel: string;
  yes: CardButton;
  no: CardButton;
}

export interface QuestionView {
  id: string;
  label: string;
  isText: boolean;
  isMultiline: boolean;
  isChoice: boolean;
  style: 'compact' | 'expanded';
  placeholder: string;
  isRequired: boolean;
  maxLength: number;
  value: string;
  choices: ChoiceOption[];
}

export interface QuestionsData extends Heading {
  intro: string;
  questions: QuestionView[];
  submit: CardButton;
  back: CardButton;
}

export interface PickData extends Heading {
  intro: string;
  count: string;
  /** A toggle's value: 'true' or 'false'. */
  clusters: { name: string; cards: { id: string; name: string; description: string; value: string }[] }[];
  submit: CardButton;
  back: CardButton;
}

export interface PlaceData extends Heading {
  intro: string;
  cards: {
    id: string;
    name: string;
    cluster: string;
    description: string;
    placeholder: string;
    value: string;
    choices: ChoiceOption[];
  }[];
  submit: CardButton;
  back: CardButton;
}

export interface ReviewData extends Heading {
  intro: string;
  nudges: string[];
  columns: { label: string; cards: string }[];
  moveCardLabel: string;
  moveToLabel: string;
  cardChoices: ChoiceOption[];
  columnChoices: ChoiceOption[];
  move: CardButton;
  confirm: CardButton;
  back: CardButton;
}

/** The read-only card that replaces a submitted one. */
export interface SummaryData {
  round: string;
  title: string;
  lines: { label: string; value: string }[];
  /** Empty: no status line. */
  status: string;
}

interface InterviewCardData {
  info: InfoData;
  consent: ConsentData;
  questions: QuestionsData;
  pick: PickData;
  place: PlaceData;
  review: ReviewData;
  summary: SummaryData;
}

export const INTERVIEW_TEMPLATES = templateNames<InterviewCardData>({
  info: true,
  consent: true,
  questions: true,
  pick: true,
  place: true,
  review: true,
  summary: true,
});

/** A participant card: one of the interview's templates with the data it binds. */
export type InterviewView = ViewsOf<InterviewCardData>;
