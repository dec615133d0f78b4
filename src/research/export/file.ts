/** One exported file: its name (no folder) and its content. */
export interface ExportFile {
  name: string;
  content: string | Buffer;
}

/** An exported file whose content is made while it is read (to a file or an HTTP response), a batch of rows at a time. */
export interface StreamedFile {
  name: string;
  chunks(): AsyncIterable<string | Buffer>;
}

/** Where a file is written to: a file on disk (the CLI), or a counter (the bench). write resolves when it may go on. */
export interface Sink {
  write(text: string): Promise<void>;
  end(): Promise<void>;
}

/** Text arrives in batches of about this many characters: few writes, little held. */
const BATCH = 64 * 1024;

/** Joins small pieces (lines) into batches. */
export async function* batched(pieces: AsyncIterable<string> | Iterable<string>): AsyncIterable<string> {
  let batch = '';
  for await (const piece of pieces) {
    batch += piece;
    if (batch.length >= BATCH) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

export function streamed(name: string, pieces: () => AsyncIterable<string> | Iterable<string>): StreamedFile {
  return { name, chunks: () => batched(pieces()) };
}

/** A file made in memory (the analysis report), served like a streamed one. */
export function fromContent(file: ExportFile): StreamedFile {
  return { name: file.name, chunks: async function* () { yield file.content; } };
}

export async function readAll(file: StreamedFile): Promise<ExportFile> {
  const chunks: (string | Buffer)[] = [];
  for await (const chunk of file.chunks()) chunks.push(chunk);
  const text = chunks.every((c): c is string => typeof c === 'string');
  return { name: file.name, content: text ? chunks.join('') : Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))) };
}
