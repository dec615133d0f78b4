import { MARKERS, passesElfproef, scrub } from '../../src/interview/scrub.js';

test('e-mail addresses are removed', () => {
  expect(scrub('Mail me op j.de.vries@wij.groningen.nl graag')).toBe(`Mail me op ${MARKERS.email} graag`);
});

test.each([
  '06-12345678',
  '06 1234 5678',
  '0612345678',
  '+31 6 12345678',
  '+31612345678',
  '0031 6 1234 5678',
  '050-3678901',
])('phone number %s is removed', (phone) => {
  expect(scrub(`Bel ${phone} even.`)).toBe(`Bel ${MARKERS.phone} even.`);
});

test('Dutch postcodes are removed, with or without space', () => {
  expect(scrub('Ze woont op 9712 AB en later 9723CD')).toBe(
    `Ze woont op ${MARKERS.postcode} en later ${MARKERS.postcode}`,
  );
});

test('the BSN 11-test', () => {
  expect(passesElfproef('111222333')).toBe(true);
  expect(passesElfproef('123456782')).toBe(true);
  expect(passesElfproef('123456789')).toBe(false);
  expect(passesElfproef('000000000')).toBe(false);
});

test('nine-digit numbers are removed only when they pass the 11-test', () => {
  expect(scrub('BSN 111222333 en 123456789')).toBe(`BSN ${MARKERS.bsn} en 123456789`);
  expect(scrub('BSN 1112.22.333')).toBe(`BSN ${MARKERS.bsn}`);
});

test("the participant's own name is removed, case-insensitively, but not inside other words", () => {
  expect(scrub('Ik ben Alex Wilber, alex voor vrienden. Alexandra is mijn collega.', 'Alex Wilber')).toBe(
    `Ik ben ${MARKERS.name} ${MARKERS.name}, ${MARKERS.name} voor vrienden. Alexandra is mijn collega.`,
  );
});

test('name particles are not treated as names', () => {
  expect(scrub('de jongere van het gezin', 'Jan van der Berg')).toBe('de jongere van het gezin');
});

test('ordinary answers pass unchanged', () => {
  const text = 'In 2024 had ik 12 gezinnen en 3 collega’s; score 8 van 10.';
  expect(scrub(text, 'Alex Wilber')).toBe(text);
});

// Cases the scrubber once got wrong: ordinary Dutch that lost its content, and identifiers that were stored as typed.
describe('ordinary Dutch kept, identifiers scrubbed', () => {
  test.each([
    'In 2018 op de afdeling jeugd begonnen.',
    'Sinds 2021 en vooral na de reorganisatie.',
    'Ik rijd 1200 km per maand.',
    'Voor 2500 euro per jaar kun je niet veel.',
    'De training kostte € 2.500, wij kregen 1.200 euro.',
    'Casus 1234 in de training ging over een gezin.',
  ])('a year, amount or distance followed by a word stays: %s', (text) => {
    expect(scrub(text, 'Jan de Vries')).toBe(text);
  });

  test('an IBAN is replaced whole, bank code included', () => {
    expect(scrub('Graag op NL91 ABNA 0417 1643 00 overmaken.')).toBe('Graag op [iban] overmaken.');
    expect(scrub('Rekening NL91ABNA0417164300.')).toBe('Rekening [iban].');
  });

  test('a landline with the area code in brackets is replaced', () => {
    expect(scrub('Bel (050) 123 45 67 even.')).toBe(`Bel ${MARKERS.phone} even.`);
  });

  test('a BSN written in groups with dashes is replaced', () => {
    expect(scrub('Haar BSN is 1234-56-782.')).toBe(`Haar BSN is ${MARKERS.bsn}.`);
  });

  test('an e-mail address written with "(at)" is replaced', () => {
    expect(scrub('Mail jan (at) wij.nl of jan[at]wij[dot]nl')).toBe(`Mail ${MARKERS.email} of ${MARKERS.email}`);
  });

  test('a date of birth is replaced, numeric and written out', () => {
    expect(scrub('Geboren op 12-03-1985, zij op 12 maart 1985.')).toBe('Geboren op [datum], zij op [datum].');
  });

  test('a street with house number is replaced', () => {
    expect(scrub('Ik woon aan de Hoofdstraat 12a in Hoogezand.')).toBe('Ik woon aan de [adres] in Hoogezand.');
  });
});

describe('e-mail', () => {
  test.each([
    'jan.de.vries@wij.groningen.nl',
    'jan (at) wij.nl',
    'jan[at]wij[dot]nl',
    'jan {at} wij (punt) nl',
    'jan apenstaartje wij punt nl',
    'jan at wij dot nl',
    'jan @ wij.nl',
    'jan.devries @ wij . nl',
    'daan punt smit at gmail punt com',
    'JAN@WIJ.NL',
    'jan\u200B@wij.nl',
    'jan＠wij.nl',
  ])('%s', (email) => {
    expect(scrub(`Mail ${email} graag.`)).toBe(`Mail ${MARKERS.email} graag.`);
  });

  test('working "at" an organisation is not an e-mail address', () => {
    expect(scrub('I work at wij.nl and at Lentis.')).toBe('I work at wij.nl and at Lentis.');
  });
});

describe('phone numbers', () => {
  test.each([
    '(050) 367 89 00',
    '+31 6 12345678',
    '06-12 34 56 78',
    '0031 50 367 8900',
    '+31 (0)6 4821 9034',
    '050 - 367 45 12',
    '06.48.21.90.34',
    '０６－１２３４５６７８',
    '+32 470 12 34 56',
    '+44 7911 123456',
    '0031-(0)6-23456789',
    '06\u201112345678',
  ])('%s', (phone) => {
    expect(scrub(`Bel ${phone} even.`)).toBe(`Bel ${MARKERS.phone} even.`);
  });

  test('a date followed by a time is a date, not a phone number', () => {
    expect(scrub('Op 01-02-2019 10:00 was de intake.')).toBe('Op [datum] 10:00 was de intake.');
  });

  test.each([
    'De intervisie is van 09:00 tot 10.30 uur.',
    'Tussen 8:30 en 9:00 lees ik mail.',
    'Een score van 0,8 fte.',
  ])('times and decimals stay: %s', (text) => {
    expect(scrub(text)).toBe(text);
  });
});

describe('postcodes', () => {
  test.each(['9711 AB', '9711AB', '9731bk', '9711 ab'])('%s', (postcode) => {
    expect(scrub(`Ik woon in ${postcode}, vlakbij.`)).toBe(`Ik woon in ${MARKERS.postcode}, vlakbij.`);
  });

  test.each([
    'In 2019 op de afdeling',
    'sinds 2021 en',
    '1200 km',
    '1200km',
    '2500 euro',
    'in 2016 is het',
    '2000 mensen',
  ])('not a postcode: %s', (text) => {
    expect(scrub(text)).toBe(text);
  });
});

describe('BSN', () => {
  test.each(['123456782', '1234-56-782', '123.456.782', '1234 56 782', '12 34 56 782', '８０５８８８７１８'])(
    '%s passes the 11-test and is replaced',
    (bsn) => {
      expect(scrub(`BSN ${bsn} graag`)).toBe(`BSN ${MARKERS.bsn} graag`);
    },
  );

  test('nine digits that fail the 11-test stay', () => {
    expect(scrub('Dossier 1234-56-789 en 123456789')).toBe('Dossier 1234-56-789 en 123456789');
  });
});

describe('IBAN', () => {
  test.each([
    'NL91 ABNA 0417 1643 00',
    'NL91ABNA0417164300',
    'nl91abna0417164300',
    'NL91-ABNA-0417-1643-00',
    'BE68 5390 0754 7034',
    'DE89 3704 0044 0532 0130 00',
    'ＮＬ９１ＡＢＮＡ０４１７１６４３００',
  ])('%s', (iban) => {
    expect(scrub(`Op ${iban} graag.`)).toBe('Op [iban] graag.');
  });

  test('a wrong checksum is not called an IBAN', () => {
    expect(scrub('NL92 ABNA 0417 1643 00')).not.toContain('[iban]');
  });
});

describe('dates of birth', () => {
  test.each([
    '12-03-1985',
    '12/3/85',
    "12-3-'85",
    '1985-03-12',
    '12.3.1985',
    '12 maart 1985',
    "1 mei '88",
    '2 febr. 1990',
    'March 12, 1985',
    '12th of March 1985',
    'Aug. 3rd, 1990',
    '３１－１２－１９８０',
  ])('%s', (date) => {
    expect(scrub(`Geboren ${date} in Assen.`)).toBe('Geboren [datum] in Assen.');
  });

  // The decision (README): a full date can be a date of birth; a month and year, a day and month or a weekday and time cannot.
  test.each([
    'In maart 2023 volgde ik de training.',
    'Per 1 april krijgen we een nieuw systeem.',
    'Op woensdag 10 april om 14:00 was de themadag.',
    'Jongeren van 12 - 18 - 23 jaar.',
    'Versie 2.3.1 is beter.',
    'In de periode 2019-2023.',
  ])('not a date of birth: %s', (text) => {
    expect(scrub(text)).toBe(text);
  });
});

describe('addresses', () => {
  test.each([
    'Hoofdstraat 12a',
    'Oude Ebbingestraat 34',
    'Grote Markt 1',
    'Wilhelminalaan 5-II',
    'Zuiderdiep 2-4',
    'Ubbo Emmiussingel 88',
    'Hoofdstr. 12',
    '12 Baker Street',
    '7 Station Road',
  ])('%s', (address) => {
    expect(scrub(`Het adres is ${address}, eerste etage.`)).toBe('Het adres is [adres], eerste etage.');
  });

  test.each([
    'De Hoofdstraat in Hoogezand is ons gebied.',
    'Op de Grote Markt was een actie.',
    'Ik zat op de snelweg 2 uur vast.',
    'Arbeidsmarkt 2024 was zwaar.',
    'Leerpad 2 van de Academie.',
  ])('not an address: %s', (text) => {
    expect(scrub(text)).toBe(text);
  });
});

describe("the participant's own name", () => {
  test('in any case, with or without diacritics', () => {
    expect(scrub('joel hoekstra, JOËL HOEKSTRA, Joël', 'Joël Hoekstra')).toBe('[naam] [naam], [naam] [naam], [naam]');
    expect(scrub('Ik heet Fatma Yilmaz', 'Fatma Yılmaz')).toBe('Ik heet [naam] [naam]');
    expect(scrub('renée en RENEE', 'Renee Kuipers')).toBe('[naam] en [naam]');
  });

  test('given name and surname from the profile, or the display name in either order', () => {
    expect(scrub('Groet, anouk van der meer', ['Anouk', 'van der Meer'])).toBe('Groet, [naam] [naam]');
    expect(scrub('Jan de Vries', 'Vries, Jan de')).toBe('[naam] [naam]');
    expect(scrub('Jan de Vries', 'Jan de Vries (WIJ Groningen)')).toBe('[naam] [naam]');
  });

  test('a surname after particles is not found as the ordinary word it also is', () => {
    expect(scrub('Ik wil meer tijd, zegt Anouk van der Meer.', 'Anouk van der Meer')).toBe(
      'Ik wil meer tijd, zegt [naam] [naam].',
    );
    expect(scrub('Meer weten? Vraag Meer.', 'Anouk van der Meer')).toBe('[naam] weten? Vraag [naam].');
  });
});

describe('normalisation', () => {
  test('the rest of the text is kept as typed; invisible characters go', () => {
    expect(scrub('Collega’s… ＷＩＪ: 3½ dagen', 'Jan')).toBe('Collega’s… ＷＩＪ: 3½ dagen');
    expect(scrub('Mail\u200B j.devries@wij\u200D.nl \u202Egraag\u202C')).toBe(`Mail ${MARKERS.email} graag`);
  });

  test('an emoji sequence keeps its joiner', () => {
    expect(scrub('Gezin 👩\u200D👧 blij')).toBe('Gezin 👩\u200D👧 blij');
  });

  test('scrubbing twice changes nothing more (the digest scrubs quotes again)', () => {
    const once = scrub(
      'Jan de Vries, Hoofdstraat 12, 9711 AB, 06-12345678, jan@wij.nl, NL91ABNA0417164300, 12-03-1985',
      'Jan de Vries',
    );
    expect(scrub(once, 'Jan de Vries')).toBe(once);
    expect(once).not.toMatch(/\d/);
  });
});

test('a phone number after another number in the same run is still found', () => {
  expect(scrub('Groep 3 0612345678 en 12-03-1985 06 12 34 56 78')).toBe(
    `Groep 3 ${MARKERS.phone} en [datum] ${MARKERS.phone}`,
  );
});
