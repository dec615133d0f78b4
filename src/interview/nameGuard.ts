import type { Deck, Guide, Round } from '../content/schema.js';
import { MONTH_NAMES } from './monthNames.js';
import { defined } from '../defined.js';

/*
 * Whether a free-text answer may name a person, for the digest's and the analysis report's quotes: a quote that may
 * name someone is left out.
 */

/**
 * Words that introduce a person: a capitalised word right after one of them is taken for a name ("mevrouw Jansen",
 * "cliënt Ahmed", "de familie De Vries", "collega Petra"). Lower case; abbreviations may end in a full stop.
 */
const CUES = new Set([
  // Dutch
  'mevrouw',
  'mevr',
  'mw',
  'meneer',
  'mijnheer',
  'mnr',
  'dhr',
  'heer',
  'juffrouw',
  'juf',
  'meester',
  'dr',
  'drs',
  'ir',
  'mr',
  'cliënt',
  'cliënte',
  'client',
  'cliente',
  'klant',
  'bewoner',
  'bewoonster',
  'hulpvrager',
  'aanmelder',
  'melder',
  'casus',
  'dossier',
  'collega',
  'teamleider',
  'teamcoach',
  'manager',
  'leidinggevende',
  'coördinator',
  'coordinator',
  'directeur',
  'gedragswetenschapper',
  'trainer',
  'trainster',
  'docent',
  'docente',
  'begeleider',
  'begeleidster',
  'mentor',
  'coach',
  'stagiair',
  'stagiaire',
  'huisarts',
  'dokter',
  'arts',
  'psycholoog',
  'psychiater',
  'jeugdarts',
  'wijkagent',
  'agent',
  'voogd',
  'gezinsvoogd',
  'advocaat',
  'rechter',
  'jongen',
  'jongetje',
  'meisje',
  'meid',
  'jongere',
  'jeugdige',
  'kind',
  'kindje',
  'baby',
  'peuter',
  'kleuter',
  'puber',
  'tiener',
  'leerling',
  'zoon',
  'zoontje',
  'dochter',
  'dochtertje',
  'moeder',
  'vader',
  'mama',
  'papa',
  'ouder',
  'stiefvader',
  'stiefmoeder',
  'pleegmoeder',
  'pleegvader',
  'pleegkind',
  'oma',
  'opa',
  'broer',
  'broertje',
  'zus',
  'zusje',
  'tante',
  'oom',
  'neef',
  'nicht',
  'buurvrouw',
  'buurman',
  'vriend',
  'vriendin',
  'vriendje',
  'vriendinnetje',
  'partner',
  'vrouw',
  'man',
  'gezin',
  'familie',
  'echtpaar',
  'mevrouwtje',
  'mannetje',
  // English
  'mrs',
  'ms',
  'miss',
  'mister',
  'sir',
  'madam',
  'colleague',
  'boy',
  'girl',
  'mother',
  'father',
  'mom',
  'mum',
  'dad',
  'son',
  'daughter',
  'brother',
  'sister',
  'aunt',
  'uncle',
  'grandmother',
  'grandfather',
  'grandma',
  'grandpa',
  'neighbour',
  'neighbor',
  'friend',
  'family',
  'child',
  'teacher',
  'doctor',
  'case',
  'teenager',
  'youngster',
  'resident',
  'customer',
  'wife',
  'husband',
]);
const ABBREVIATIONS = new Set(['mevr', 'mw', 'mnr', 'dhr', 'dr', 'drs', 'ir', 'mr', 'mrs', 'ms']);
/** Name particles that may stand between a cue and a name ("de familie van der Berg"). */
const PARTICLES = new Set([
  'van',
  'de',
  'der',
  'den',
  'het',
  "'t",
  'ter',
  'ten',
  'te',
  'la',
  'le',
  'du',
  'da',
  'di',
  'el',
  'al',
  'op',
  'in',
  "'s",
  'von',
  'mc',
  'mac',
  'o',
]);

/**
 * Capitalised words that are not names: what the WIJ world and the Academie are called, common Dutch and English
 * words that are capitalised mid-sentence, days and months (often capitalised by mistake). The deck's, guide's and
 * round's own words are added per digest or report.
 */
const ALLOWED = new Set([
  'ik',
  'i',
  'wij',
  'wijzer',
  'academie',
  'academy',
  'groningen',
  'gronings',
  'groninger',
  'nederland',
  'nederlands',
  'nederlandse',
  'engels',
  'engelse',
  'english',
  'dutch',
  'teams',
  'microsoft',
  'outlook',
  'zoom',
  'whatsapp',
  'youtube',
  'linkedin',
  'google',
  'jeugdwet',
  'wmo',
  'participatiewet',
  'veilig',
  'thuis',
  'raad',
  'kinderbescherming',
  'jeugdbescherming',
  'jeugdzorg',
  'gemeente',
  'rijksoverheid',
  'signs',
  'safety',
  'triple',
  'positive',
  'parenting',
  'program',
  'programma',
  'meldcode',
  'verwijsindex',
  'mdo',
  'e-learning',
  'elearning',
  'intervisie',
  'supervisie',
  'geweld',
  'hoort',
  'nergens',
  'nji',
  'jeugdinstituut',
  'movisie',
  'vilans',
  'ggz',
  'ggd',
  'lvb',
  'adhd',
  'autisme',
  'covid',
  'corona',
  'kerst',
  'kerstmis',
  'pasen',
  'pinksteren',
  'zomervakantie',
  'herfstvakantie',
  'kerstvakantie',
  'maandag',
  'dinsdag',
  'woensdag',
  'donderdag',
  'vrijdag',
  'zaterdag',
  'zondag',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  ...MONTH_NAMES,
  'hbo',
  'mbo',
  'wo',
  'hogeschool',
  'hanzehogeschool',
  'hanze',
  'rijksuniversiteit',
  'universiteit',
  'university',
  'noord',
  'oost',
  'zuid',
  'west',
  'centrum',
  'oude',
  'wijken',
  'team',
  'jeugd',
  'gezin',
]);

/** The words of the deck, the guide and the round: competency and cluster names, titles, work areas. */
export function allowedWordsOf(guide: Guide, deck: Deck, round: Round): Set<string> {
  const texts: string[] = [guide.title.nl, guide.title.en, deck.title.nl, deck.title.en, round.name.nl, round.name.en];
  for (const cluster of deck.clusters) {
    texts.push(cluster.name.nl, cluster.name.en);
    for (const c of cluster.competencies) texts.push(c.name.nl, c.name.en);
  }
  for (const area of round.workAreas) texts.push(area.label.nl, area.label.en);
  const words = new Set(ALLOWED);
  for (const text of texts)
    for (const word of text.split(/[^\p{L}\p{N}'’-]+/u)) if (word) words.add(word.toLowerCase());
  return words;
}

const WORD = /[\p{L}][\p{L}\p{M}'’.-]*/gu;
const CAPITALISED = /^\p{Lu}\p{Ll}/u;
const INITIAL = /^\p{Lu}\.$/u;

function bare(word: string): string {
  return word
    .toLowerCase()
    .replace(/[.'’-]+$/, '')
    .replace(/['’]s$/, '');
}

/**
 * Whether a text may name a person: a capitalised word (or an initial) after a cue word such as "mevrouw" or
 * "cliënt"; an initial followed by a capitalised word ("J. Jansen"); or any capitalised word inside a sentence that is
 * not a known word of the WIJ world (Dutch capitalises little else than names). When in doubt, it says yes.
 */
export function mayNameSomeone(text: string, allowed: Set<string>): boolean {
  const tokens = [...text.matchAll(WORD)].map((m) => ({ word: m[0], at: m.index }));
  for (let i = 0; i < tokens.length; i++) {
    const { word, at } = defined(tokens[i], 'token of the text');
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    const between = before ? text.slice(before.at + before.word.length, at) : text.slice(0, at);
    const previous = before?.word ?? '';
    // A sentence starts at the beginning, after . ! ? : or a line, bullet or opening quote.
    const sentenceStart =
      i === 0 ||
      /[!?…:;\n•*"“‘([]/.test(between) ||
      (/\.$/.test(previous) && !ABBREVIATIONS.has(bare(previous)) && !INITIAL.test(previous));

    const cue = bare(word);
    if (CUES.has(cue) && !/[,;:!?()]/.test(text.slice(at + word.length, after?.at ?? text.length))) {
      if (!word.endsWith('.') || ABBREVIATIONS.has(cue)) {
        let j = i + 1;
        while (PARTICLES.has(tokens[j]?.word.toLowerCase() ?? '')) j++;
        const next = tokens[j]?.word;
        if (next && (CAPITALISED.test(next) || INITIAL.test(next)) && !allowed.has(bare(next))) return true;
      }
    }
    if (INITIAL.test(word) && after && CAPITALISED.test(after.word)) return true;
    if (!sentenceStart && CAPITALISED.test(word) && !allowed.has(bare(word))) return true;
  }
  return false;
}
