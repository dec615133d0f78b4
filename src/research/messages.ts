import { fill } from '../interview/messages.js';
import type { Locale } from '../interview/types.js';
import type { Round } from '../content/schema.js';
import { plurals } from '../plural.js';

/**
 * What the bot says to researchers, in Dutch and English. `{n:one|other}` picks a plural form by the number n;
 * status, audience and weekday names come from the tables below, never from the stored English values.
 */
const MESSAGES = {
  notResearcherChannel: {
    nl: 'Dit is een opdracht voor onderzoekers, en je staat niet op de lijst van onderzoekers. Er is niets gebeurd. Wil je meedoen aan het interview? Open dan een 1-op-1 chat met mij.',
    en: 'This is a command for researchers, and you are not on the list of researchers. Nothing happened. Would you like to take part in the interview? Open a 1:1 chat with me.',
  },
  notResearcherPersonal: {
    nl: 'Dit is een opdracht voor onderzoekers, en je staat niet op de lijst van onderzoekers. Er is niets gebeurd. Hoor je bij het onderzoeksteam? Vraag dan een onderzoeker om je toe te voegen (`onderzoekers toevoegen <jouw AAD object id>`). Wil je meedoen aan het interview? Typ dan `verder`.',
    en: 'This is a command for researchers, and you are not on the list of researchers. Nothing happened. Are you on the research team? Ask a researcher to add you (`researchers add <your AAD object id>`). Would you like to take part in the interview? Type `continue`.',
  },
  help: {
    nl: '**Opdrachten voor onderzoekers**\n\n- `rondes`: alle rondes\n- `ronde nieuw`: formulier voor een nieuwe ronde\n- `ronde wijzig <id>`: een concept aanpassen\n- `ronde start|pauzeer|sluit <id>`\n- `status <id>`: aantallen, uitval per stap, tijd per stap\n- `uitnodigen <id> team` (in een teamkanaal) of `uitnodigen <id> <AAD object ids of e-mailadressen>`\n- `herinner <id>`: nu een herinnering aan wie nog niet klaar is\n- `export <id> csv|json|pqmethod`: downloadlinks; `export <id> csv ,` of `csv ;` kiest het scheidingsteken (standaard `;`, voor Nederlandse Excel)\n- `analyse <id>`: de gedeelde gezichtspunten (Q-factoranalyse)\n- `digest hier <id>` (in het Academie-kanaal): dit kanaal krijgt de samenvattingen; `digest <id>`: nu een samenvatting\n- `onderzoekers`, `onderzoekers toevoegen|verwijderen <AAD object id>`\n\nZonder <id> nemen `status`, `export` en `analyse` de laatst geopende ronde. In een kanaal: noem mij met @.',
    en: '**Commands for researchers**\n\n- `rounds`: all rounds\n- `round new`: a form for a new round\n- `round edit <id>`: change a draft\n- `round start|pause|close <id>`\n- `status <id>`: counts, drop-off per step, time per step\n- `invite <id> team` (in a team channel) or `invite <id> <AAD object ids or e-mail addresses>`\n- `remind <id>`: remind now whoever has not finished\n- `export <id> csv|json|pqmethod`: download links; `export <id> csv ,` or `csv ;` chooses the delimiter (default `,`)\n- `analyse <id>`: the shared viewpoints (Q factor analysis)\n- `digest here <id>` (in the Academie channel): this channel receives the digests; `digest <id>`: a digest now\n- `researchers`, `researchers add|remove <AAD object id>`\n\nWithout <id>, `status`, `export` and `analyse` take the most recently opened round. In a channel: @mention me.',
  },
  usage: { nl: 'Zo gebruik je die opdracht: `{usage}`. Er is niets veranderd.', en: 'Use that command like this: `{usage}`. Nothing was changed.' },
  noSuchRound: { nl: 'Er is geen ronde "{id}". Typ `rondes` voor de lijst.', en: 'There is no round "{id}". Type `rounds` for the list.' },
  noOpenedRound: { nl: 'Er is nog geen ronde geopend: noem de ronde met haar id. Typ `rondes` voor de lijst.', en: 'No round has been opened yet: name the round by its id. Type `rounds` for the list.' },
  roundExists: { nl: 'Er is al een ronde "{id}"; kies een ander id. Er is niets veranderd.', en: 'There is already a round "{id}"; choose another id. Nothing was changed.' },
  notDraft: { nl: 'Ronde "{id}" is al gestart; alleen een concept kan worden aangepast.', en: 'Round "{id}" has started; only a draft can be edited.' },
  badForm: {
    nl: 'De ronde is niet opgeslagen: {count} {count:veld klopt|velden kloppen} nog niet. Hieronder staat het formulier opnieuw, met bij elk veld wat er moet veranderen.',
    en: 'The round was not saved: {count} {count:field needs|fields need} a change. The form is below again, with what to change next to each field.',
  },
  roundSaved: { nl: 'Ronde "{id}" is opgeslagen als concept. Start hem met `ronde start {id}`.', en: 'Round "{id}" was saved as a draft. Start it with `round start {id}`.' },
  transitioned: { nl: 'Ronde "{id}" is nu {status}.', en: 'Round "{id}" is now {status}.' },
  cannotStart: { nl: 'Dat kan niet: ronde "{id}" is {status}; alleen een concept of een gepauzeerde ronde kan starten.', en: 'That is not possible: round "{id}" is {status}; only a draft or a paused round can start.' },
  cannotPause: { nl: 'Dat kan niet: ronde "{id}" is {status}; alleen een open ronde kan pauzeren.', en: 'That is not possible: round "{id}" is {status}; only an open round can pause.' },
  alreadyClosed: { nl: 'Dat kan niet: ronde "{id}" is al gesloten.', en: 'That is not possible: round "{id}" is already closed.' },
  noRounds: { nl: 'Er zijn nog geen rondes.', en: 'There are no rounds yet.' },
  roundLine: { nl: '- **{id}** ({status}, {audience}): {name}, {opensAt} t/m {closesAt}', en: '- **{id}** ({status}, {audience}): {name}, {opensAt} to {closesAt}' },
  inviteTeamOnly: { nl: '`uitnodigen <id> team` werkt in een kanaal van het team dat je wilt uitnodigen.', en: '`invite <id> team` works in a channel of the team you want to invite.' },
  inviteUpnTeamOnly: { nl: 'E-mailadressen kan ik alleen opzoeken in een kanaal van het team waar ze lid van zijn; gebruik hier AAD object ids. Er is niemand uitgenodigd.', en: 'I can only look up e-mail addresses in a channel of the team they belong to; use AAD object ids here. Nobody was invited.' },
  inviteUnknown: { nl: 'Deze adressen vond ik niet in het team: {who}. Er is niemand uitgenodigd; pas de lijst aan en probeer het opnieuw.', en: 'I did not find these addresses in the team: {who}. Nobody was invited; correct the list and try again.' },
  inviteClosed: { nl: 'Ronde "{id}" is {status}: uitnodigen kan alleen voor een concept of open ronde.', en: 'Round "{id}" is {status}: you can only invite to a draft or open round.' },
  badIds: {
    nl: 'Er is niemand {action}: {count:dit klopt|deze kloppen} niet.\n\n{problems}\n\nEen AAD object id heeft 36 tekens: 8-4-4-4-12 cijfers en letters a-f, zoals `11111111-2222-3333-4444-555555555555`.',
    en: 'Nobody was {action}: {count:this is|these are} not right.\n\n{problems}\n\nAn AAD object id has 36 characters: 8-4-4-4-12 digits and letters a-f, such as `11111111-2222-3333-4444-555555555555`.',
  },
  badIdsInvited: { nl: 'uitgenodigd', en: 'invited' },
  badIdsChanged: { nl: 'toegevoegd of verwijderd', en: 'added or removed' },
  idLength: { nl: '`{value}`: {length} {length:teken|tekens} in plaats van 36', en: '`{value}`: {length} {length:character|characters} instead of 36' },
  idChars: { nl: '`{value}`: bevat {chars}; alleen 0-9, a-f en streepjes mogen', en: '`{value}`: contains {chars}; only 0-9, a-f and dashes are allowed' },
  idGroups: { nl: '`{value}`: de streepjes staan niet op hun plaats (8-4-4-4-12)', en: '`{value}`: the dashes are out of place (8-4-4-4-12)' },
  mailForm: { nl: '`{value}`: geen e-mailadres van de vorm naam@domein.nl', en: '`{value}`: not an e-mail address of the form name@domain.com' },
  invited: {
    nl: 'Uitnodigingen klaargezet: {queued} nieuw, {known} {known:was|waren} al uitgenodigd. Ze gaan nu de deur uit, binnen de limieten van Teams; `status {id}` laat zien hoeveel er zijn aangekomen.',
    en: 'Invitations queued: {queued} new, {known} had been invited before. They go out now, within Teams\' limits; `status {id}` shows how many arrived.',
  },
  reminded: { nl: 'Herinneringen klaargezet: {count}.', en: 'Reminders queued: {count}.' },
  remindSkipped: { nl: 'Overgeslagen: {list}.', en: 'Skipped: {list}.' },
  remindNoneSkipped: { nl: 'Niemand die nog niet klaar is, is overgeslagen.', en: 'Nobody who has not finished was skipped.' },
  skippedSnoozed: { nl: '{n} met "Niet nu" (nog in {n:zijn|hun} pauze)', en: '{n} who chose "Not now" (still in that pause)' },
  skippedDeclined: { nl: '{n} {n:zei|zeiden} "Nee, bedankt"', en: '{n} said "No, thanks"' },
  skippedUnreachable: { nl: '{n} onbereikbaar (geen chat bekend)', en: '{n} unreachable (no chat known)' },
  skippedNotDelivered: { nl: '{n} van wie de uitnodiging nog niet is aangekomen (zie `status {id}`)', en: '{n} whose invitation has not arrived (see `status {id}`)' },
  remindNotOpen: { nl: 'Ronde "{id}" is {status}: herinneren kan alleen in een open ronde. Er is niets verstuurd.', en: 'Round "{id}" is {status}: you can only remind in an open round. Nothing was sent.' },
  researchers: { nl: 'Onderzoekers via RESEARCHER_IDS: {env}. Toegevoegd in Teams: {added}.', en: 'Researchers from RESEARCHER_IDS: {env}. Added in Teams: {added}.' },
  researchersChanged: { nl: 'De lijst van onderzoekers is bijgewerkt.', en: 'The list of researchers was updated.' },
  exportReady: { nl: 'De export van "{id}" ({format}) staat klaar. Elke link werkt één keer, {minutes} {minutes:minuut|minuten} lang; deel ze niet:\n\n{links}', en: 'The export of "{id}" ({format}) is ready. Each link works once, for {minutes} {minutes:minute|minutes}; do not share them:\n\n{links}' },
  linksSentPrivately: { nl: 'De links heb ik je in onze 1-op-1 chat gestuurd: in een kanaal of groepschat kan iedereen ze openen.', en: 'I sent you the links in our 1:1 chat: in a channel or group chat anyone could open them.' },
  linksNotSent: { nl: 'Links stuur ik alleen in onze 1-op-1 chat, en die kon ik niet openen. Open de chat met Wijzer en vraag het daar nog eens.', en: 'I send links only in our 1:1 chat, and I could not open it. Open the chat with Wijzer and ask there again.' },
  csvDelimiter: { nl: 'Scheidingsteken `{delimiter}`{hint}. Kolomnamen in het Nederlands; `{id}-codebook.csv` zet ze naast de vaste ids (die ook in de JSON-export staan).', en: 'Delimiter `{delimiter}`{hint}. Column names in English; `{id}-codebook.csv` puts them beside the stable ids (which the JSON export uses too).' },
  csvHintSemicolon: { nl: ' (Nederlandse Excel; `export {id} csv ,` voor een komma)', en: ' (Dutch Excel; `export {id} csv ,` for a comma)' },
  csvHintComma: { nl: ' (`export {id} csv ;` voor Nederlandse Excel)', en: ' (`export {id} csv ;` for Dutch Excel)' },
  stillOpen: {
    nl: 'Let op: ronde "{id}" is nog {status}. Er kunnen nog interviews bijkomen; dan veranderen de aantallen en de R-nummers. Exporteer en analyseer voor het onderzoek na het sluiten (`ronde sluit {id}`).',
    en: 'Note: round "{id}" is still {status}. More interviews may be completed; the counts and the R numbers then change. Export and analyse for the study after closing (`round close {id}`).',
  },
  noCompleted: { nl: 'Ronde "{id}" heeft nog geen afgeronde interviews: er is nog niets te exporteren.', en: 'Round "{id}" has no completed interviews yet: there is nothing to export.' },
  tooFewToAnalyse: { nl: 'Ronde "{id}" heeft {count} {count:afgerond interview|afgeronde interviews}; een factoranalyse heeft er minstens 2 nodig.', en: 'Round "{id}" has {count} completed {count:interview|interviews}; a factor analysis needs at least 2.' },
  exportFailed: { nl: 'De export lukte niet door een fout in de opgeslagen gegevens of de inhoud; de details staan in het log van de bot. Er is niets veranderd.', en: 'The export failed because of a problem in the stored data or the content; the details are in the bot\'s log. Nothing was changed.' },
  analysisFailed: { nl: 'De analyse lukte niet met deze gegevens; de details staan in het log van de bot. Probeer `export {id} pqmethod` en `npm run analyse` voor meer uitleg.', en: 'The analysis did not work on this data; the details are in the bot\'s log. Try `export {id} pqmethod` and `npm run analyse` for more detail.' },
  none: { nl: 'geen', en: 'none' },
  analysisReady: { nl: 'Het volledige rapport (screeplot, ladingen, factorborden, onderscheidende uitspraken) opent in je browser; de link werkt één keer, {minutes} {minutes:minuut|minuten} lang; deel hem niet:\n\n{links}', en: 'The full report (scree plot, loadings, factor boards, distinguishing statements) opens in your browser; the link works once, for {minutes} {minutes:minute|minutes}; do not share it:\n\n{links}' },
  digestChannelOnly: { nl: '`digest hier <id>` werkt in het kanaal waar de samenvattingen heen moeten (noem mij daar met @).', en: '`digest here <id>` works in the channel the digests should go to (@mention me there).' },
  digestRegistered: { nl: 'Dit kanaal krijgt de samenvattingen van ronde "{id}": elke {weekday} om {time} zolang de ronde open is, en een laatste bij het sluiten.', en: 'This channel will receive the digests of round "{id}": every {weekday} at {time} while the round is open, and a final one when it closes.' },
  digestAlreadyRegistered: { nl: 'Dit kanaal krijgt de samenvattingen van ronde "{id}" al.', en: 'This channel already receives the digests of round "{id}".' },
  digestNoChannel: { nl: 'Ronde "{id}" heeft nog geen kanaal voor samenvattingen: typ `digest hier {id}` in dat kanaal.', en: 'Round "{id}" has no digest channel yet: type `digest here {id}` in that channel.' },
  digestQueued: { nl: 'De samenvatting van "{id}" gaat nu naar de kanalen van de ronde.', en: 'The digest of "{id}" is on its way to the round\'s channels.' },
} as const satisfies Record<string, Record<Locale, string>>;

export type ResearchMessageKey = keyof typeof MESSAGES;

export function researcherText(locale: Locale, key: ResearchMessageKey, values?: Record<string, string | number>): string {
  return fill(plurals(locale, MESSAGES[key][locale], values), values);
}

/** How each command is used, in the researcher's words. */
const USAGE = {
  round: { nl: 'ronde nieuw | ronde wijzig <id> | ronde start <id> | ronde pauzeer <id> | ronde sluit <id>', en: 'round new | round edit <id> | round start <id> | round pause <id> | round close <id>' },
  invite: { nl: 'uitnodigen <ronde> team | uitnodigen <ronde> <AAD object ids of e-mailadressen>', en: 'invite <round> team | invite <round> <AAD object ids or e-mail addresses>' },
  remind: { nl: 'herinner <ronde>', en: 'remind <round>' },
  export: { nl: 'export [ronde] csv|json|pqmethod [; of ,]', en: 'export [round] csv|json|pqmethod [, or ;]' },
  researchers: { nl: 'onderzoekers | onderzoekers toevoegen <AAD object id> | onderzoekers verwijderen <AAD object id>', en: 'researchers | researchers add <AAD object id> | researchers remove <AAD object id>' },
  digest: { nl: 'digest hier <ronde> (in het Academie-kanaal) | digest <ronde>', en: 'digest here <round> (in the Academie channel) | digest <round>' },
} as const satisfies Record<string, Record<Locale, string>>;
export type UsageKey = keyof typeof USAGE;

export const usage = (locale: Locale, key: UsageKey) => USAGE[key][locale];

const STATUS = {
  draft: { nl: 'concept', en: 'draft' },
  open: { nl: 'open', en: 'open' },
  paused: { nl: 'gepauzeerd', en: 'paused' },
  closed: { nl: 'gesloten', en: 'closed' },
} as const satisfies Record<Round['status'], Record<Locale, string>>;

const AUDIENCE = {
  invite: { nl: 'alleen uitgenodigden', en: 'invited people only' },
  open: { nl: 'open voor iedereen', en: 'open to all' },
} as const satisfies Record<Round['audience'], Record<Locale, string>>;

export const statusName = (locale: Locale, status: Round['status']) => STATUS[status][locale];
export const audienceName = (locale: Locale, audience: Round['audience']) => AUDIENCE[audience][locale];
