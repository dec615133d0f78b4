import type { Posted } from './cardAutopilot.js';

/** POSTs one activity to a bot's /api/messages; resolves once the bot answered, with the status and the body. */
export async function postActivity(baseUrl: string, activity: unknown): Promise<Posted> {
  const res = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  return { status: res.status, body: await res.text() };
}
