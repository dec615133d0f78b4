import { templateNames, type ViewsOf } from '../content/cardTemplate.js';
import type { FormField } from './rounds.js';

/* The view models of the researcher's card templates (cards/templates/status.json, roundForm.json). */

export interface Fact {
  title: string;
  value: string;
}

/** A round's figures: counts only, never a name. */
export interface StatusData {
  title: string;
  subtitle: string;
  countsTitle: string;
  facts: Fact[];
  dropOffTitle: string;
  dropOff: Fact[];
  timeTitle: string;
  time: Fact[];
}

interface Option {
  title: string;
  value: string;
}

/** The form to create or change a round: a label, a hint and a problem (empty when none) per field. */
export interface RoundFormData {
  title: string;
  labels: Record<string, string>;
  needs: Record<FormField, string>;
  errors: Record<FormField, string>;
  guides: Option[];
  decks: Option[];
  audiences: Option[];
  weekdays: Option[];
  languages: Option[];
  values: Record<FormField, string | number>;
  submit: { title: string; data: { wzr: 'saveRound'; editing: string } };
}

interface ResearchCardData {
  status: StatusData;
  roundForm: RoundFormData;
}

export const RESEARCH_TEMPLATES = templateNames<ResearchCardData>({ status: true, roundForm: true });

/** A researcher's card: one of the research templates with the data it binds. */
export type ResearchView = ViewsOf<ResearchCardData>;
