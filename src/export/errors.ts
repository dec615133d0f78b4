/** A problem with what is asked or stored that the researcher can fix; the CLI prints the message as is. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}
