import fc from 'fast-check';
import {
  decodeJournal,
  encodeRecord,
  JOURNAL_MAGIC,
  JournalCorruptError,
  type JournalRecord,
} from '../../src/storage/lowdb/journalRecords.js';

const removal: JournalRecord = { file: 'rounds/default/interviews/A.json', text: null };
const records: JournalRecord[] = [
  { file: 'rounds/default/interviews/A.json', text: '{"why": "Geduld – “echt” 🙂"}' },
  { file: 'rounds/default/counters.json', text: '{"issued": 1}' },
  removal,
];
const journal = (list: JournalRecord[]) => Buffer.concat([JOURNAL_MAGIC, ...list.map(encodeRecord)]);

test('records come back as written, in order, removals included', () => {
  expect(decodeJournal(journal(records))).toEqual({ records, tornBytes: 0 });
});

test('a record cut short at any byte is a torn tail: dropped, the records before it kept', () => {
  const whole = journal(records);
  const lastStart = whole.length - encodeRecord(removal).length;
  for (let cut = lastStart + 1; cut < whole.length; cut++) {
    expect(decodeJournal(whole.subarray(0, cut))).toEqual({ records: records.slice(0, 2), tornBytes: cut - lastStart });
  }
});

test('a damaged last record is dropped as torn; zeros after the records are too', () => {
  const whole = journal(records);
  whole.writeUInt8(whole.readUInt8(whole.length - 2) ^ 0xff, whole.length - 2);
  expect(decodeJournal(whole).records).toEqual(records.slice(0, 2));
  const zeros = Buffer.concat([journal(records), Buffer.alloc(4096)]);
  expect(decodeJournal(zeros)).toEqual({ records, tornBytes: 4096 });
});

test('a damaged record with records after it is corruption, not a torn tail', () => {
  const whole = journal(records);
  whole.writeUInt8(whole.readUInt8(JOURNAL_MAGIC.length + 20) ^ 0x01, JOURNAL_MAGIC.length + 20);
  expect(() => decodeJournal(whole)).toThrow(JournalCorruptError);
  expect(() => decodeJournal(whole)).toThrow(`the record at byte ${JOURNAL_MAGIC.length} fails its checksum`);
});

test('a file that is not a journal is refused; an empty one or a torn magic holds nothing', () => {
  expect(() => decodeJournal(Buffer.from('{"issued": 1}'))).toThrow('not a journal');
  expect(decodeJournal(Buffer.alloc(0))).toEqual({ records: [], tornBytes: 0 });
  expect(decodeJournal(JOURNAL_MAGIC.subarray(0, 3))).toEqual({ records: [], tornBytes: 3 });
});

test('any text and file name come back byte for byte, whatever their characters', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }),
      (text, file) => {
        const record: JournalRecord = { file, text };
        expect(decodeJournal(journal([record, removal]))).toEqual({ records: [record, removal], tornBytes: 0 });
      },
    ),
  );
});
