/** One exported file: its name (no folder), its content, and its media type when served over HTTP. */
export interface ExportFile {
  name: string;
  content: string | Buffer;
  /** e.g. "text/csv; charset=utf-8"; the download route falls back to application/octet-stream. */
  contentType?: string;
}
