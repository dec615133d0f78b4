import { fill } from '../interview/messages.js';
import type { Locale } from '../interview/types.js';

/** What the bot says to researchers, in Dutch and English. */
const MESSAGES = {
  notResearcher: {
    nl: 'Dit is een opdracht voor onderzoekers, en je staat niet op de lijst van onderzoekers. Er is niets gebeurd. Wil je meedoen aan het interview? Open dan een 1-op-1 chat met mij.',
    en: 'This is a command for researchers, and you are not on the list of researchers. Nothing happened. Would you like to take part in the interview? Open a 1:1 chat with me.',
  },
  help: {
    nl: '**Opdrachten voor onderzoekers**\n\n- `rondes`: alle rondes\n- `ronde nieuw`: formulier voor een nieuwe ronde\n- `ronde wijzig <id>`: een concept aanpassen\n- `ronde start|pauzeer|sluit <id>`\n- `status <id>`: aantallen, uitval per stap, tijd per stap\n- `uitnodigen <id> team` (in een teamkanaal) of `uitnodigen <id> <AAD object ids of e-mailadressen>`\n- `herinner <id>`: nu een herinnering aan wie nog niet klaar is\n- `export <id> csv|json|pqmethod`: downloadlinks\n- `analyse <id>`: de gedeelde gezichtspunten (Q-factoranalyse)\n- `digest hier <id>` (in het Academie-kanaal): dit kanaal krijgt de samenvattingen; `digest <id>`: nu een samenvatting\n- `onderzoekers`, `onderzoekers toevoegen|verwijderen <AAD object id>`\n\nIn een kanaal: noem mij met @.',
    en: '**Commands for researchers**\n\n- `rounds`: all rounds\n- `round new`: a form for a new round\n- `round edit <id>`: change a draft\n- `round start|pause|close <id>`\n- `status <id>`: counts, drop-off per step, time per step\n- `invite <id> team` (in a team channel) or `invite <id> <AAD object ids or e-mail addresses>`\n- `remind <id>`: remind now whoever has not finished\n- `export <id> csv|json|pqmethod`: download links\n- `analyse <id>`: the shared viewpoints (Q factor analysis)\n- `digest here <id>` (in the Academie channel): this channel receives the digests; `digest <id>`: a digest now\n- `researchers`, `researchers add|remove <AAD object id>`\n\nIn a channel: @mention me.',
  },
  usage: { nl: 'Zo gebruik je die opdracht: `{usage}`. Er is niets veranderd.', en: 'Use that command like this: `{usage}`. Nothing was changed.' },
  noSuchRound: { nl: 'Er is geen ronde "{id}". Typ `rondes` voor de lijst.', en: 'There is no round "{id}". Type `rounds` for the list.' },
  roundExists: { nl: 'Er is al een ronde "{id}"; kies een ander id. Er is niets veranderd.', en: 'There is already a round "{id}"; choose another id. Nothing was changed.' },
  notDraft: { nl: 'Ronde "{id}" is al gestart; alleen een concept kan worden aangepast.', en: 'Round "{id}" has started; only a draft can be edited.' },
  badForm: { nl: 'De ronde is niet opgeslagen:\n\n{problems}', en: 'The round was not saved:\n\n{problems}' },
  roundSaved: { nl: 'Ronde "{id}" is opgeslagen als concept. Start hem met `ronde start {id}`.', en: 'Round "{id}" was saved as a draft. Start it with `round start {id}`.' },
  transitioned: { nl: 'Ronde "{id}" is nu {status}.', en: 'Round "{id}" is now {status}.' },
  transitionRefused: { nl: 'Dat kan niet: {problem}.', en: 'That is not possible: {problem}.' },
  noRounds: { nl: 'Er zijn nog geen rondes.', en: 'There are no rounds yet.' },
  roundLine: { nl: '- **{id}** ({status}, {audience}): {name}, {opensAt} t/m {closesAt}', en: '- **{id}** ({status}, {audience}): {name}, {opensAt} to {closesAt}' },
  inviteTeamOnly: { nl: '`uitnodigen <id> team` werkt in een kanaal van het team dat je wilt uitnodigen.', en: '`invite <id> team` works in a channel of the team you want to invite.' },
  inviteUpnTeamOnly: { nl: 'E-mailadressen kan ik alleen opzoeken in een kanaal van het team waar ze lid van zijn; gebruik hier AAD object ids. Er is niemand uitgenodigd.', en: 'I can only look up e-mail addresses in a channel of the team they belong to; use AAD object ids here. Nobody was invited.' },
  inviteUnknown: { nl: 'Deze adressen vond ik niet in het team: {who}. Er is niemand uitgenodigd; pas de lijst aan en probeer het opnieuw.', en: 'I did not find these addresses in the team: {who}. Nobody was invited; correct the list and try again.' },
  inviteClosed: { nl: 'Ronde "{id}" is {status}: uitnodigen kan alleen voor een concept of open ronde.', en: 'Round "{id}" is {status}: you can only invite to a draft or open round.' },
  invited: {
    nl: 'Uitnodigingen klaargezet: {queued} nieuw, {known} waren al uitgenodigd. Ze gaan nu de deur uit, binnen de limieten van Teams; `status {id}` laat zien hoeveel er zijn aangekomen.',
    en: 'Invitations queued: {queued} new, {known} had been invited before. They go out now, within Teams\' limits; `status {id}` shows how many arrived.',
  },
  reminded: { nl: 'Herinneringen klaargezet: {count}.', en: 'Reminders queued: {count}.' },
  researchers: { nl: 'Onderzoekers via RESEARCHER_IDS: {env}. Toegevoegd in Teams: {added}.', en: 'Researchers from RESEARCHER_IDS: {env}. Added in Teams: {added}.' },
  researchersChanged: { nl: 'De lijst van onderzoekers is bijgewerkt.', en: 'The list of researchers was updated.' },
  exportReady: { nl: 'De export van "{id}" ({format}) staat klaar. Elke link werkt één keer, {minutes} minuten lang; deel ze niet:\n\n{links}', en: 'The export of "{id}" ({format}) is ready. Each link works once, for {minutes} minutes; do not share them:\n\n{links}' },
  linksSentPrivately: { nl: 'De links heb ik je in onze 1-op-1 chat gestuurd: in een kanaal of groepschat kan iedereen ze openen.', en: 'I sent you the links in our 1:1 chat: in a channel or group chat anyone could open them.' },
  linksNotSent: { nl: 'Links stuur ik alleen in onze 1-op-1 chat, en die kon ik niet openen. Open de chat met Wijzer en vraag het daar nog eens.', en: 'I send links only in our 1:1 chat, and I could not open it. Open the chat with Wijzer and ask there again.' },
  exportFailed: { nl: 'De export lukte niet: {problem}', en: 'The export failed: {problem}' },
  none: { nl: 'geen', en: 'none' },
  analysisReady: { nl: 'Het volledige rapport (scree plot, ladingen, factorborden, onderscheidende stellingen) werkt één keer, {minutes} minuten lang; deel de link niet:\n\n{links}', en: 'The full report (scree plot, loadings, factor boards, distinguishing statements) works once, for {minutes} minutes; do not share the link:\n\n{links}' },
  analysisFailed: { nl: 'De analyse lukte niet: {problem}', en: 'The analysis failed: {problem}' },
  digestChannelOnly: { nl: '`digest hier <id>` werkt in het kanaal waar de samenvattingen heen moeten (noem mij daar met @).', en: '`digest here <id>` works in the channel the digests should go to (@mention me there).' },
  digestRegistered: { nl: 'Dit kanaal krijgt de samenvattingen van ronde "{id}": elke week (dag {weekday}, {time}) zolang de ronde open is, en een laatste bij het sluiten.', en: 'This channel will receive the digests of round "{id}": every week (day {weekday}, {time}) while the round is open, and a final one when it closes.' },
  digestAlreadyRegistered: { nl: 'Dit kanaal krijgt de samenvattingen van ronde "{id}" al.', en: 'This channel already receives the digests of round "{id}".' },
  digestNoChannel: { nl: 'Ronde "{id}" heeft nog geen kanaal voor samenvattingen: typ `digest hier {id}` in dat kanaal.', en: 'Round "{id}" has no digest channel yet: type `digest here {id}` in that channel.' },
  digestQueued: { nl: 'De samenvatting van "{id}" gaat nu naar de kanalen van de ronde.', en: 'The digest of "{id}" is on its way to the round\'s channels.' },
} as const satisfies Record<string, Record<Locale, string>>;

export type ResearchMessageKey = keyof typeof MESSAGES;

export function rt(locale: Locale, key: ResearchMessageKey, values?: Record<string, string | number>): string {
  return fill(MESSAGES[key][locale], values);
}
