import { cardsOf } from '../../src/interview/deck.js';
import { extremeCards } from '../../src/interview/positions.js';
import type { TurnResult } from '../../src/interview/types.js';
import { contextFor } from '../support/context.js';
import { EngineDriver } from '../support/engineDriver.js';
import { at } from '../support/defined.js';

const picks = (ids: string[]) => Object.fromEntries(ids.map((id) => [`pick_${id}`, 'true']));

/** Walks a new participant to the pick step. */
function toPick(driver: EngineDriver): void {
  driver.turn({ kind: 'start' });
  driver.press('next');
  driver.press('consentYes', { quote: 'true' });
  driver.turn({ kind: 'text', text: 'verder' });
  driver.press('next', { q_role: 'Jeugdgeneralist in Beijum', q_ageBand: 'age-35-39', q_workArea: 'oost' });
  driver.press('next', { q_first: 'Empathie', q_second: 'Lef tonen' });
}

/** Picks these cards page by page over the pick pages (each page sends its own toggles); the last page's result. */
function pickCards(driver: EngineDriver, ids: string[]): TurnResult {
  let result = driver.last;
  while (driver.card().template === 'pick') {
    const page = (driver.card().data.clusters as { cards: { id: string }[] }[]).flatMap((c) =>
      c.cards.map((k) => k.id.replace(/^pick_/, '')),
    );
    result = driver.press('next', picks(ids.filter((id) => page.includes(id))));
    if (result.outcome.kind !== 'save') break;
  }
  return result;
}

function placeAll(driver: EngineDriver, columnOf: (i: number) => number): void {
  let i = 0;
  while (driver.card().template === 'place') {
    const inputs: Record<string, string> = {};
    for (const c of driver.card().data.cards as { id: string }[]) inputs[c.id] = String(columnOf(i++));
    driver.press('next', inputs);
  }
}

describe('a whole interview', () => {
  test('runs every step in order, asks follow-ups for every extreme card, and completes', () => {
    const driver = new EngineDriver(contextFor());
    const start = driver.turn({ kind: 'start' });
    expect(start.outcome.kind).toBe('none');
    expect(driver.card().template).toBe('info');
    expect(driver.card().data.progress).toBe('Stap 1 van 13');

    driver.press('next');
    expect(driver.card().template).toBe('consent');
    expect(driver.last.outcome.kind).toBe('none');

    const consent = driver.press('consentYes', { quote: 'true' });
    expect(consent.outcome).toEqual({ kind: 'consented', quote: true });
    expect(driver.record.position).toEqual({ step: 'background', index: 0 });

    driver.say('verder');
    expect(driver.card().data.progress).toBe('Stap 3 van 13');
    driver.press('next', {
      q_role: 'Ik werk in het WIJ-team',
      q_specialism: '',
      q_ageBand: 'age-35-39',
      q_experienceBand: 'exp-5-9',
      q_workArea: 'oude-wijken',
    });
    expect(driver.record.answers.background).toMatchObject({
      role: 'Ik werk in het WIJ-team',
      specialism: null,
      ageBand: 'age-35-39',
      workArea: 'oude-wijken',
    });

    driver.press('next', { q_first: 'Empathie', q_second: 'Lef tonen' });
    expect(driver.card().template).toBe('pick');
    const ids = cardsOf(driver.ctx.deck).map((c) => c.id);
    // The deck over pages of 12 cards in deck order: the first page holds the first three clusters.
    expect((driver.card().data.clusters as unknown[]).length).toBe(3);
    expect(driver.card().data.progress).toBe('Stap 5 van 13 · deel 1 van 3');

    pickCards(driver, ids.slice(0, 12));
    expect(driver.record.selection).toHaveLength(12);
    expect(driver.card().template).toBe('place');
    expect(driver.card().data.progress).toBe('Stap 6 van 13 · deel 1 van 2');

    const columns = [3, 3, 2, 1, 0, -1, -2, -3, -3, 0, 1, 2];
    placeAll(driver, (i) => at(columns, i));
    expect(driver.card().template).toBe('review');
    expect(driver.card().data.nudges).toEqual([]);

    driver.press('confirm');
    const extremes = extremeCards(driver.ctx, driver.record);
    expect(extremes).toEqual([ids[0], ids[1], ids[7], ids[8]]);
    for (let k = 0; k < extremes.length; k++) {
      expect(driver.card().data.progress).toBe(`Stap 8 van 13 · kaart ${k + 1} van 4`);
      expect(String(driver.card().data.intro)).toContain(
        at(driver.ctx.deck.clusters, 0).competencies.find((c) => c.id === extremes[k])?.name.nl ?? '',
      );
      driver.press('next', { q_why: `reden ${k}`, q_teamAttention: '7' });
    }
    expect(Object.keys(driver.record.followUps).sort()).toEqual([...extremes].sort());
    expect(driver.record.followUps[at(extremes, 0)]).toEqual({
      column: 3,
      answers: expect.objectContaining({ why: 'reden 0', teamAttention: 7 }),
    });

    expect(String(driver.card().data.intro)).toContain('Empathie');
    expect(String(driver.card().data.intro)).toContain('Lef tonen');
    driver.press('next', { q_reflection: 'Ze staan er allebei bij' });
    driver.press('next', { q_academy: 'Weinig' });
    driver.press('next', { q_need: 'Meer over veiligheid', q_form: 'Intervisie' });
    driver.press('next', {});
    expect(driver.card().template).toBe('info');
    expect(driver.card().data.actions).toEqual([]);
    expect(driver.record.completedAt).toBe('2026-11-25T10:00:00.000Z');
    expect(Object.keys(driver.record.stepTimes)).toEqual(
      expect.arrayContaining(['background', 'named', 'pick', 'place', 'review', 'followUps', 'closing']),
    );

    driver.say('verder');
    expect(driver.texts()[0]).toMatch(/al afgerond/);
  });

  test('the two named competencies are skipped in the recall when none was named', () => {
    const driver = new EngineDriver(contextFor());
    driver.turn({ kind: 'start' });
    driver.press('next');
    driver.press('consentYes');
    driver.say('verder');
    driver.press('next', {});
    driver.press('next', {});
    const ids = cardsOf(driver.ctx.deck).map((c) => c.id);
    pickCards(driver, ids.slice(0, 10));
    placeAll(driver, () => 1);
    driver.press('confirm');
    expect(driver.record.position.step).toBe('organisation');
  });

  test('English texts come from the locale', () => {
    const driver = new EngineDriver(contextFor({ locale: 'en' }));
    driver.turn({ kind: 'start' });
    expect(driver.card().data.progress).toBe('Step 1 of 13');
    driver.press('next');
    expect(driver.card().data.title).toBe('Consent');
  });
});

describe('consent', () => {
  test('a no stores nothing but the decline', () => {
    const driver = new EngineDriver(contextFor());
    driver.turn({ kind: 'start' });
    driver.press('next');
    const result = driver.press('consentNo');
    expect(result.outcome).toEqual({ kind: 'declined' });
    expect(driver.texts(result)[0]).toMatch(/niet mee/);
    driver.say('hallo');
    expect(driver.texts()[0]).toMatch(/eerder aan niet mee te doen/);
    expect(driver.card().template).toBe('info');
  });

  test('quoting is a separate, optional consent', () => {
    const driver = new EngineDriver(contextFor());
    driver.turn({ kind: 'start' });
    driver.press('next');
    expect(driver.press('consentYes').outcome).toEqual({ kind: 'consented', quote: false });
  });
});

describe('bad input leaves state unchanged', () => {
  let driver: EngineDriver;
  beforeEach(() => {
    driver = new EngineDriver(contextFor());
    toPick(driver);
  });

  test('fewer than the minimum of cards, on the last pick page', () => {
    const ids = cardsOf(driver.ctx.deck).map((c) => c.id);
    const result = pickCards(driver, ids.slice(0, 9));
    expect(result.outcome.kind).toBe('none');
    expect(driver.texts(result)[0]).toMatch(/minstens 10 competenties \(je koos er 9\)/);
    expect(driver.record.position).toEqual({ step: 'pick', index: 2 });
    expect(driver.record.selection).toEqual(ids.slice(0, 9));
  });

  test('an unknown field, a forged card, a column outside the scale, an over-long answer', () => {
    const before = driver.record;
    const view = driver.card();
    expect(driver.texts(driver.press('next', { pick_bestaat_niet: 'true' }, view))[0]).toMatch(/niet herken/);
    expect(driver.texts(driver.turn({ kind: 'submit', data: { foo: 1 } }))[0]).toMatch(/niet herken/);
    expect(
      driver.texts(driver.turn({ kind: 'submit', data: { wz: { s: 'pick', i: 0, r: before.rev, a: 'explode' } } }))[0],
    ).toMatch(/niet herken/);
    expect(driver.record).toBe(before);

    const ids = cardsOf(driver.ctx.deck).map((c) => c.id);
    pickCards(driver, ids.slice(0, 10));
    const placing = driver.record;
    const first = (driver.card().data.cards as { id: string }[]).map((c) => c.id);
    const inputs = Object.fromEntries(first.map((id) => [id, '0']));
    expect(driver.texts(driver.press('next', { ...inputs, [at(first, 0)]: '5' }))[0]).toMatch(
      /buiten de schaal -3 tot 3/,
    );
    expect(driver.texts(driver.press('next', { ...inputs, [at(first, 0)]: '' }))[0]).toMatch(/nog zonder plek/);
    expect(driver.record).toBe(placing);

    // Back over the three pick pages and the named competencies.
    for (let i = 0; i < 5; i++) driver.say('terug');
    expect(driver.card().data.title).toBe('Achtergrond');
    const long = 'x'.repeat(1501);
    expect(driver.texts(driver.press('next', { q_role: long }))[0]).toMatch(/te lang \(1501 tekens, maximaal 1500\)/);
    expect(driver.texts(driver.press('next', { q_ageBand: 'age-200' }))[0]).toMatch(/keuze die ik niet ken/);
  });

  test('an unknown command says so and shows where the participant was', () => {
    const result = driver.say('doe iets');
    expect(driver.texts(result)[0]).toMatch(/begrijp "doe iets" niet/);
    expect(driver.card(result).template).toBe('pick');
    expect(result.outcome.kind).toBe('none');
  });
});

describe('stale and double-clicked cards', () => {
  test('a second click on the same card is swallowed; an old card says it is outdated and shows the current one', () => {
    const driver = new EngineDriver(contextFor());
    toPick(driver);
    const pickCard = driver.card();
    const ids = cardsOf(driver.ctx.deck).map((c) => c.id);
    driver.press('next', picks(ids.slice(0, 10)), pickCard);
    const after = driver.record;

    const again = driver.press('next', picks(ids.slice(0, 10)), pickCard);
    expect(again.replies).toEqual([]);
    expect(driver.record).toBe(after);

    const other = driver.press('next', picks(ids.slice(0, 11)), pickCard);
    expect(driver.texts(other)[0]).toMatch(/verouderd/);
    expect(driver.card(other).data.progress).toBe('Stap 5 van 13 · deel 2 van 3');
    expect(driver.record).toBe(after);
  });

  test('a double click on consent creates one interview', () => {
    const driver = new EngineDriver(contextFor());
    driver.turn({ kind: 'start' });
    driver.press('next');
    const consentCard = driver.card();
    driver.press('consentYes', {}, consentCard);
    const record = driver.record;
    expect(driver.press('consentYes', {}, consentCard).replies).toEqual([]);
    expect(driver.record).toBe(record);
  });
});

describe('navigation', () => {
  test('"terug" reopens the previous answer prefilled; "help" and "pauze" keep the place', () => {
    const driver = new EngineDriver(contextFor());
    toPick(driver);
    driver.say('terug');
    expect(driver.card().data.title).toMatch(/Competenties/);
    const questions = driver.card().data.questions as { id: string; value: string }[];
    expect(questions.map((q) => q.value)).toEqual(['Empathie', 'Lef tonen']);
    expect(driver.texts(driver.say('help'))[0]).toMatch(/terug/);
    expect(driver.texts(driver.say('pauze'))[0]).toMatch(/bewaard/);
    expect(driver.record.position.step).toBe('named');
  });

  test('back from the first question after consent is refused politely', () => {
    const driver = new EngineDriver(contextFor());
    driver.turn({ kind: 'start' });
    driver.press('next');
    driver.press('consentYes');
    driver.say('terug');
    expect(driver.texts()[0]).toMatch(/verder terug kan niet/);
    expect(driver.record.position.step).toBe('background');
  });

  test('changing the selection keeps the placements of cards still chosen', () => {
    const driver = new EngineDriver(contextFor());
    toPick(driver);
    const ids = cardsOf(driver.ctx.deck).map((c) => c.id);
    pickCards(driver, ids.slice(0, 10));
    placeAll(driver, (i) => (i % 2 ? 3 : -3));
    for (let i = 0; i < 5; i++) driver.say('terug');
    expect(driver.card().data.progress).toBe('Stap 5 van 13 · deel 1 van 3');
    pickCards(driver, [...ids.slice(1, 10), at(ids, 20)]);
    expect(driver.record.selection).toEqual([...ids.slice(1, 10), ids[20]]);
    expect(Object.keys(driver.record.placement).sort()).toEqual(ids.slice(1, 10).sort());
  });
});

describe('the review board', () => {
  test('nudges once when nothing is at -3 and when most cards are at +2/+3', () => {
    const driver = new EngineDriver(contextFor());
    toPick(driver);
    const ids = cardsOf(driver.ctx.deck).map((c) => c.id);
    pickCards(driver, ids.slice(0, 10));
    placeAll(driver, (i) => (i < 7 ? 3 : 0));
    const nudges = driver.card().data.nudges as string[];
    expect(nudges).toHaveLength(2);
    expect(nudges[0]).toMatch(/-3/);
    expect(driver.record.nudges).toEqual({ noLowest: true, topHeavy: true });
    driver.say('terug');
    driver.press('next', Object.fromEntries((driver.card().data.cards as { id: string }[]).map((c) => [c.id, '3'])));
    expect(driver.card().data.nudges).toEqual([]);
  });

  test('moving a card updates the board and drops follow-ups that no longer apply', () => {
    const driver = new EngineDriver(contextFor());
    toPick(driver);
    const ids = cardsOf(driver.ctx.deck).map((c) => c.id);
    pickCards(driver, ids.slice(0, 10));
    placeAll(driver, (i) => at([3, -3, 1, 0, -1, 2, -2, 1, 0, 0], i));
    driver.press('confirm');
    driver.press('next', { q_why: 'omdat' });
    expect(Object.keys(driver.record.followUps)).toEqual([ids[0]]);
    driver.say('terug');
    driver.say('terug');
    expect(driver.card().template).toBe('review');
    driver.press('move', { moveCard: at(ids, 0), moveTo: '2' });
    expect(driver.record.placement[at(ids, 0)]).toBe(2);
    expect(driver.record.followUps).toEqual({});
    const board = driver.card().data.columns as { label: string; cards: string }[];
    expect(board.find((c) => c.label.startsWith('+2'))?.cards).toContain(
      at(at(driver.ctx.deck.clusters, 0).competencies, 0).name.nl,
    );
    expect(driver.texts(driver.press('move', { moveCard: at(ids, 0) }))[0]).toMatch(/zowel een kaart als een kolom/);
    driver.press('confirm');
    expect(extremeCards(driver.ctx, driver.record)).toEqual([ids[1]]);
  });
});

describe('configurable content', () => {
  test('more extreme columns mean more follow-ups', () => {
    const driver = new EngineDriver(contextFor({ extremeColumns: [-3, -2, 2, 3] }));
    toPick(driver);
    const ids = cardsOf(driver.ctx.deck).map((c) => c.id);
    pickCards(driver, ids.slice(0, 10));
    placeAll(driver, (i) => at([3, -3, 2, 0, -2, 1, -1, 1, 0, 0], i));
    driver.press('confirm');
    expect(extremeCards(driver.ctx, driver.record)).toHaveLength(4);
  });

  test('the second deck (ten basic competencies) works with its own minimum', () => {
    const driver = new EngineDriver(contextFor({ deck: 'basiscompetenties' }));
    toPick(driver);
    const ids = cardsOf(driver.ctx.deck).map((c) => c.id);
    expect(ids).toHaveLength(10);
    expect(driver.texts(pickCards(driver, ids.slice(0, 4)))[0]).toMatch(/minstens 5/);
    // Long descriptions: four cards a page (the deck's maxPerPage); back one page to pick two more.
    driver.say('terug');
    expect(driver.card().data.progress).toBe('Stap 5 van 13 · deel 2 van 3');
    pickCards(driver, ids.slice(0, 6));
    placeAll(driver, (i) => at([3, -3, 0, 1, 2, -1], i));
    driver.press('confirm');
    expect(driver.card().data.progress).toBe('Stap 8 van 13 · kaart 1 van 2');
  });
});

describe('withdrawal', () => {
  test('needs a confirmation, then asks the edge to delete everything', () => {
    const driver = new EngineDriver(contextFor());
    toPick(driver);
    driver.say('stoppen');
    expect(driver.card().data.title).toBe('Deelname intrekken?');
    expect(driver.last.outcome.kind).toBe('none');
    const confirm = driver.card();
    driver.press('withdrawNo', {}, confirm);
    expect(driver.card().template).toBe('pick');
    driver.say('stoppen');
    expect(driver.press('withdrawYes').outcome).toEqual({ kind: 'withdraw' });
  });

  test('a new participant has nothing to withdraw', () => {
    const driver = new EngineDriver(contextFor());
    expect(driver.texts(driver.say('stoppen'))[0]).toMatch(/niets van je bewaard/);
  });
});

test('free text is scrubbed before it is stored, with the participant name', () => {
  const driver = new EngineDriver(contextFor({ participantName: 'Alex Wilber' }));
  driver.turn({ kind: 'start' });
  driver.press('next');
  driver.press('consentYes');
  driver.press('next', { q_role: 'Ik ben Alex, bel 06-12345678 of mail alex@wij.nl' });
  expect(driver.record.answers.background?.role).toBe('Ik ben [naam], bel [telefoon] of mail [e-mail]');
});
