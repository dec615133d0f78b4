/** An analysis that cannot be run as asked: the message says what does not fit, in terms a researcher can act on. */
export class AnalysisError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalysisError';
  }
}

/** A .DAT or .STA file that does not follow the PQMethod format: names the file's line and column (both from 1). */
export class DatError extends AnalysisError {
  constructor(
    readonly line: number,
    readonly column: number | null,
    problem: string,
    readonly file?: string,
  ) {
    super(`${file ? `${file}, ` : ''}line ${line}${column !== null ? `, column ${column}` : ''}: ${problem}`);
    this.name = 'DatError';
  }
}
