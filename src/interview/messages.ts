import type { Locale } from './types.js';

/** The bot's own participant-facing texts; the interview's questions live in the guide files. */
const MESSAGES = {
  progress: { nl: 'Stap {step} van {steps}', en: 'Step {step} of {steps}' },
  progressPart: { nl: 'Stap {step} van {steps} · deel {part} van {parts}', en: 'Step {step} of {steps} · part {part} of {parts}' },
  progressCard: { nl: 'Stap {step} van {steps} · kaart {part} van {parts}', en: 'Step {step} of {steps} · card {part} of {parts}' },
  next: { nl: 'Verder', en: 'Continue' },
  back: { nl: 'Terug', en: 'Back' },
  save: { nl: 'Opslaan en verder', en: 'Save and continue' },
  consentYes: { nl: 'Ja, ik doe mee', en: 'Yes, I take part' },
  consentNo: { nl: 'Nee, liever niet', en: 'No, thank you' },
  pickMin: { nl: 'Kies er minstens {min}.', en: 'Choose at least {min}.' },
  placePlaceholder: { nl: 'Kies een plek van +3 tot -3', en: 'Choose a place from +3 to -3' },
  ratingPlaceholder: { nl: 'Kies een cijfer van {min} tot {max}', en: 'Choose a number from {min} to {max}' },
  pickCount: { nl: 'Kies er minstens {min}. Je hebt nu {count} gekozen.', en: 'Choose at least {min}. You have chosen {count} so far.' },
  reviewMoveCard: { nl: 'Kaart verplaatsen', en: 'Move a card' },
  reviewMoveTo: { nl: 'Naar kolom', en: 'To column' },
  reviewMove: { nl: 'Verplaatsen', en: 'Move' },
  reviewConfirm: { nl: 'Zo klopt het, bevestigen', en: 'This is right, confirm' },
  reviewEmptyColumn: { nl: '(leeg)', en: '(empty)' },
  saved: { nl: 'Opgeslagen', en: 'Saved' },
  savedAt: { nl: 'Opgeslagen om {time}', en: 'Saved at {time}' },
  welcomeBack: { nl: 'Welkom terug bij {round}! We gaan verder waar je was.', en: 'Welcome back to {round}! Let us continue where you were.' },
  completedBack: { nl: 'Welkom terug! Je hebt het interview van {round} afgerond; nogmaals bedankt. Wil je je antwoorden toch laten wissen, typ dan "stoppen".', en: 'Welcome back! You have completed the interview of {round}; thank you again. If you want your answers deleted after all, type "stop".' },
  unknownCommand: {
    nl: 'Ik begrijp "{text}" niet als opdracht. Je kunt typen: verder, terug, help, pauze of stoppen. Hieronder staat waar je was.',
    en: 'I do not understand "{text}" as a command. You can type: continue, back, help, pause or stop. Below is where you were.',
  },
  help: {
    nl: 'Zo werkt het: beantwoord de vragen in de kaarten en druk op de knop eronder. Alles wordt na elke stap bewaard onder een lettercode, niet onder je naam.\n\n- **verder**: ga door waar je was (ook na dagen)\n- **terug**: pas je vorige antwoord aan\n- **pauze**: stop even; je antwoorden blijven bewaard\n- **stoppen**: trek je deelname in en laat alles wissen\n- **help**: deze uitleg',
    en: 'How it works: answer the questions in the cards and press the button below them. Everything is saved after each step under a letter code, not under your name.\n\n- **continue**: go on where you were (even days later)\n- **back**: change your previous answer\n- **pause**: take a break; your answers stay saved\n- **stop**: withdraw and have everything deleted\n- **help**: this explanation',
  },
  paused: {
    nl: 'Prima, we pauzeren {round}. Je antwoorden zijn bewaard. Typ "verder" wanneer het je uitkomt, op je computer of telefoon.',
    en: 'Fine, we pause {round}. Your answers are saved. Type "continue" whenever it suits you, on your computer or phone.',
  },
  staleCard: {
    nl: 'Die kaart is verouderd: je bent intussen verder gegaan. Hieronder staat de kaart waar je nu bent; er is niets veranderd.',
    en: 'That card is out of date: you have moved on since. Below is the card where you are now; nothing was changed.',
  },
  invalidSubmit: { nl: 'Dat kon ik niet verwerken: {problem} Er is niets veranderd; pas het aan in de kaart en probeer het opnieuw.', en: 'I could not process that: {problem} Nothing was changed; correct it in the card and try again.' },
  tooLong: { nl: 'het antwoord bij "{question}" is te lang ({length} tekens, maximaal {max}).', en: 'the answer to "{question}" is too long ({length} characters, at most {max}).' },
  required: { nl: 'de vraag "{question}" is verplicht.', en: 'the question "{question}" is required.' },
  unknownChoice: { nl: 'bij "{question}" staat een keuze die ik niet ken.', en: 'the choice for "{question}" is not one I know.' },
  tooFewCards: { nl: 'kies minstens {min} competenties (je koos er {count}).', en: 'choose at least {min} competencies (you chose {count}).' },
  unplaced: { nl: 'geef elke kaart een plek op de schaal; nog zonder plek: {cards}.', en: 'give every card a place on the scale; still without a place: {cards}.' },
  badColumn: { nl: 'een kaart kreeg een plek buiten de schaal {min} tot {max}.', en: 'a card got a place outside the scale {min} to {max}.' },
  malformed: { nl: 'de kaart stuurde gegevens die ik niet herken.', en: 'the card sent data that I do not recognise.' },
  moveIncomplete: { nl: 'kies zowel een kaart als een kolom om te verplaatsen.', en: 'choose both a card and a column to move it to.' },
  cannotGoBack: { nl: 'Dit is de eerste vraag na je toestemming; verder terug kan niet. Wil je stoppen, typ dan "stoppen".', en: 'This is the first question after your consent; you cannot go further back. To withdraw, type "stop".' },
  withdrawConfirmTitle: { nl: 'Deelname intrekken?', en: 'Withdraw from the study?' },
  withdrawConfirmBody: {
    nl: 'Als je je deelname intrekt, wis ik alles wat ik van je heb bewaard: al je antwoorden en de koppeling met je account. Dat kan niet ongedaan worden gemaakt. Wil je alleen even pauzeren? Dan hoef je niets te doen: je antwoorden blijven bewaard.',
    en: 'If you withdraw, I delete everything I stored for you: all your answers and the link to your account. This cannot be undone. Only want a break? Then you need not do anything: your answers stay saved.',
  },
  withdrawYes: { nl: 'Ja, wis alles', en: 'Yes, delete everything' },
  withdrawNo: { nl: 'Nee, ik ga door', en: 'No, I continue' },
  withdrawn: { nl: 'Je deelname aan {round} is ingetrokken en alles wat over jou was bewaard is gewist. Bedankt voor je tijd. Je kunt later altijd opnieuw beginnen door me een bericht te sturen.', en: 'You have withdrawn from {round} and everything stored about you has been deleted. Thank you for your time. You can always start again later by sending me a message.' },
  withdrawWhich: { nl: 'Je doet mee aan {count} onderzoeksrondes: {rounds}. Kies waaruit je je terugtrekt.', en: 'You take part in {count} research rounds: {rounds}. Choose which to withdraw from.' },
  withdrawAbout: { nl: 'Dit gaat over de ronde: {round}.', en: 'This is about the round: {round}.' },
  withdrawRound: { nl: 'Wis {round}', en: 'Delete {round}' },
  withdrawAll: { nl: 'Wis alles ({count} rondes)', en: 'Delete everything ({count} rounds)' },
  withdrawnFrom: { nl: 'Je deelname aan {rounds} is ingetrokken en alles wat daarvan over jou was bewaard is gewist. Bedankt voor je tijd.', en: 'You have withdrawn from {rounds} and everything stored about you there has been deleted. Thank you for your time.' },
  withdrawOthersKept: { nl: 'Je deelname aan {rounds} blijft bewaard. Typ nog eens "stoppen" om ook die in te trekken.', en: 'Your part in {rounds} stays saved. Type "stop" again to withdraw from that too.' },
  withdrawKept: { nl: 'Prima, er is niets gewist.', en: 'Fine, nothing has been deleted.' },
  withdrawnCard: { nl: 'Gewist: je hebt je deelname ingetrokken.', en: 'Deleted: you withdrew from the study.' },
  stopInvited: { nl: 'Je doet niet mee aan {rounds}: ik stuur je daarover geen uitnodigingen of herinneringen meer. Antwoorden van je zijn er niet.', en: 'You do not take part in {rounds}: I will send you no more invitations or reminders about it. There are no answers of yours.' },
  nothingToWithdraw: { nl: 'Er is niets van je bewaard, dus er valt niets in te trekken.', en: 'Nothing of yours is stored, so there is nothing to withdraw.' },
  declined: { nl: 'Helemaal goed, je doet niet mee aan {round}. Ik bewaar geen antwoorden en geen naam, alleen onder een versleutelde code dat je nee zei, zodat ik je er niet opnieuw om vraag. Bedankt voor je tijd. Bedenk je je, stuur me dan gerust een bericht.', en: 'That is fine, you do not take part in {round}. I keep no answers and no name, only, under an encrypted code, that you said no, so that I do not ask you again. Thank you for your time. If you change your mind, just send me a message.' },
  declinedBefore: { nl: 'Je gaf eerder aan niet mee te doen aan {round}. Wil je toch meedoen? Dan kan dat hieronder.', en: 'You said before that you did not want to take part in {round}. If you would like to after all, you can below.' },
  declinedClosed: { nl: 'Je gaf aan niet mee te doen aan {round}, en die ronde is inmiddels gesloten. Bedankt voor je reactie!', en: 'You said you did not want to take part in {round}, and that round has closed since. Thank you for letting us know!' },
  roundNotOpen: { nl: 'Aan {round} kun je op dit moment niet meedoen: de ronde is niet open. Bedankt voor je interesse!', en: 'You cannot take part in {round} at the moment: the round is not open. Thank you for your interest!' },
  completed: { nl: 'Je hebt het interview van {round} al afgerond. Nogmaals bedankt! Wil je je antwoorden toch laten wissen, typ dan "stoppen".', en: 'You have already completed the interview of {round}. Thank you again! If you want your answers deleted after all, type "stop".' },
  personalOnly: { nl: 'Het interview gaat in een 1-op-1 chat met mij. Open de chat met Wijzer om mee te doen; antwoorden in een kanaal of groepschat bewaar ik niet.', en: 'The interview takes place in a 1:1 chat with me. Open the chat with Wijzer to take part; I do not store answers given in a channel or group chat.' },
  noRound: { nl: 'Er loopt op dit moment geen onderzoeksronde waaraan je kunt meedoen. Bedankt voor je interesse!', en: 'There is no research round open to you at the moment. Thank you for your interest!' },
  unreadable: { nl: 'Dat bericht kon ik niet lezen. Gebruik de knoppen in de kaart of typ "help".', en: 'I could not read that message. Use the buttons in the card or type "help".' },
  textOnly: { nl: 'Ik lees alleen getypte tekst en de knoppen van mijn kaarten. Typ "verder" om door te gaan of "help" voor uitleg.', en: 'I only read typed text and the buttons of my cards. Type "continue" to go on or "help" for an explanation.' },
  slowDown: { nl: 'Je stuurt veel berichten kort na elkaar; de laatste heb ik niet verwerkt. Wacht een paar seconden en probeer het dan opnieuw. Wat al was opgeslagen, blijft bewaard.', en: 'You are sending many messages in a short time; I did not process the last ones. Wait a few seconds and try again. What was already saved stays saved.' },
  notSaved: { nl: 'Je antwoord is niet opgeslagen: de opslag werkt op dit moment niet. Wat je eerder invulde is wel bewaard. Probeer het zo nog eens.', en: 'Your answer was not saved: the storage is not working at the moment. What you answered before is kept. Please try again in a moment.' },
  signedInOnly: { nl: 'Wijzer praat alleen met mensen die met hun werkaccount in Teams zijn aangemeld. Er is niets bewaard.', en: 'Wijzer only talks to people signed in to Teams with their work account. Nothing was stored.' },
  tryAgain: { nl: 'Er ging iets mis bij het opslaan. Er is niets verloren: probeer het zo nog eens.', en: 'Something went wrong while saving. Nothing was lost: please try again in a moment.' },
  recallNone: { nl: 'geen', en: 'none' },
  column: { nl: 'kolom {column}', en: 'column {column}' },
  invitationTitle: { nl: 'Uitnodiging: {round}', en: 'Invitation: {round}' },
  invitationBody: {
    nl: 'Het duurt ongeveer {minutes} minuten en je kunt op elk moment pauzeren en later verdergaan. Meedoen kan tot en met {deadline}. Je antwoorden worden bewaard onder een lettercode, niet onder je naam.',
    en: 'It takes about {minutes} minutes and you can pause at any moment and continue later. You can take part until {deadline}. Your answers are stored under a letter code, not under your name.',
  },
  invitationStart: { nl: 'Start', en: 'Start' },
  invitationNotNow: { nl: 'Niet nu', en: 'Not now' },
  invitationNoThanks: { nl: 'Nee, bedankt', en: 'No, thanks' },
  contact: { nl: 'Vragen over het onderzoek? Neem contact op met {name}: {ways}.', en: 'Questions about the study? Contact {name}: {ways}.' },
  contactOr: { nl: 'of', en: 'or' },
  contactTeams: { nl: 'via Teams', en: 'on Teams' },
  snoozed: { nl: 'Prima. Ik stuur je later nog een herinnering voor {round}; typ "verder" als je eerder wilt beginnen.', en: 'Fine. I will send you a reminder for {round} later; type "continue" if you want to start sooner.' },
  noThanks: { nl: 'Helemaal goed. Je krijgt over {round} geen berichten meer. Ik bewaar geen antwoorden en geen naam, alleen onder een versleutelde code dat je nee zei, zodat je niets meer van me hoort.', en: 'That is fine. You will get no more messages about {round}. I keep no answers and no name, only, under an encrypted code, that you said no, so that you hear nothing more from me.' },
  reminderActive: { nl: 'Een vriendelijke herinnering: je interview van {round} staat nog open. Je kunt verdergaan waar je was.', en: 'A friendly reminder: your interview of {round} is still open. You can continue where you were.' },
  reminderNew: { nl: 'Een vriendelijke herinnering: je bent uitgenodigd voor {round}. Meedoen kan tot en met {deadline}.', en: 'A friendly reminder: you are invited to {round}. You can take part until {deadline}.' },
  roundClosed: { nl: 'De onderzoeksronde {round} is gesloten, dus verder invullen kan niet meer. Wat je al had ingevuld is bewaard. Bedankt voor je deelname!', en: 'The research round {round} is closed, so you cannot continue. What you already answered is kept. Thank you for taking part!' },
  roundPaused: { nl: 'De onderzoekers hebben {round} even gepauzeerd. Je antwoorden zijn bewaard; zodra de ronde weer opent, kun je verder waar je was.', en: 'The researchers have paused {round} for a while. Your answers are saved; as soon as it reopens, you can continue where you were.' },
} as const satisfies Record<string, Record<Locale, string>>;

export type MessageKey = keyof typeof MESSAGES;

/** Fills {name} placeholders; a missing value leaves the placeholder visible so that it is noticed in tests. */
export function fill(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

export function participantText(locale: Locale, key: MessageKey, values?: Record<string, string | number>): string {
  return fill(MESSAGES[key][locale], values);
}

/** Teams sends BCP 47 locales such as "nl-NL" or "en-US"; Dutch is the default. */
export function localeOf(activityLocale: unknown): Locale {
  return typeof activityLocale === 'string' && activityLocale.toLowerCase().startsWith('en') ? 'en' : 'nl';
}
