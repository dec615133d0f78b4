/**
 * The bot's only logger. It takes short event names and counts, never an activity, a name or an id:
 * a log line must not identify a participant.
 */
export const log = {
  info(event: string, fields: Record<string, string | number | boolean> = {}): void {
    if (process.env.WIJZER_QUIET) return;
    console.log(JSON.stringify({ at: new Date().toISOString(), level: 'info', event, ...fields }));
  },
  error(event: string, err: unknown): void {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    console.error(JSON.stringify({ at: new Date().toISOString(), level: 'error', event, message }));
  },
};
