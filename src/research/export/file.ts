/** One exported file: its name (no folder) and its content. */
export interface ExportFile {
  name: string;
  content: string | Buffer;
}
