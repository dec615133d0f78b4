/** One exported file: its name (no folder), its content, and its media type when served over HTTP. */
export interface ExportFile {
  name: string;
  content: string | Buffer;
  /** e.g. "text/csv; charset=utf-8"; the download route falls back to application/octet-stream. */
  contentType?: string;
}

/** An exported file whose content is made while it is read (to a file or an HTTP response), a batch of rows at a time. */
export interface StreamedFile {
  name: string;
  contentType?: string;
  chunks(): AsyncIterable<string | Buffer>;
}

/** A batch is handed on once it holds about this many bytes (or characters): few writes, little held. */
export const BATCH_BYTES = 64 * 1024;

/** Where a file is written to: a file on disk (the CLI), or a counter (the bench). */
export interface Sink {
  /** Resolves once the sink is done with the chunk (written, or copied): the writer may then fill it again. */
  write(chunk: string | Uint8Array): Promise<void>;
  end(): Promise<void>;
}

/** Joins small pieces (lines) into batches (of about as many characters as a batch of bytes). */
export async function* batched(pieces: AsyncIterable<string> | Iterable<string>): AsyncIterable<string> {
  let batch = '';
  for await (const piece of pieces) {
    batch += piece;
    if (batch.length >= BATCH_BYTES) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

export function streamed(
  name: string,
  pieces: () => AsyncIterable<string> | Iterable<string>,
  contentType?: string,
): StreamedFile {
  return { name, contentType, chunks: () => batched(pieces()) };
}

/** A file made in memory (the analysis report), served like a streamed one. */
export function fromContent(file: ExportFile): StreamedFile {
  return {
    name: file.name,
    contentType: file.contentType,
    chunks: async function* () {
      yield file.content;
    },
  };
}

export async function readAll(file: StreamedFile): Promise<ExportFile> {
  const chunks: (string | Buffer)[] = [];
  for await (const chunk of file.chunks()) chunks.push(chunk);
  const text = chunks.every((c): c is string => typeof c === 'string');
  const content = text
    ? chunks.join('')
    : Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
  return file.contentType ? { name: file.name, content, contentType: file.contentType } : { name: file.name, content };
}
