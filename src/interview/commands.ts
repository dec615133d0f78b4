/** Typed commands, in Dutch and English; matching ignores case, punctuation and an @mention. */
export type Command = 'hello' | 'continue' | 'back' | 'help' | 'pause' | 'withdraw';

const WORDS: Record<Command, string[]> = {
  /** A greeting gets the greeting that fits where the participant is, not "I do not understand". */
  hello: [
    'hallo',
    'hoi',
    'hey',
    'hee',
    'hi',
    'hello',
    'goedemorgen',
    'goedemiddag',
    'goedenavond',
    'dag',
    'good morning',
    'good afternoon',
  ],
  continue: ['verder', 'doorgaan', 'ga verder', 'hervatten', 'start', 'begin', 'continue', 'resume', 'go on'],
  back: ['terug', 'vorige', 'back', 'previous'],
  help: ['help', 'hulp', '?', 'uitleg'],
  pause: ['pauze', 'pauzeer', 'later', 'pause'],
  withdraw: ['stoppen', 'stop', 'intrekken', 'uitschrijven', 'withdraw', 'quit'],
};

export function normaliseText(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .toLowerCase()
    .replace(/[!.,;:"'()]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function parseCommand(text: string): Command | null {
  const norm = normaliseText(text);
  for (const [command, words] of Object.entries(WORDS) as [Command, string[]][]) {
    if (words.includes(norm)) return command;
  }
  return null;
}
