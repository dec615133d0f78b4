import { ActivityTypes, type Activity, type CloudAdapter, type TurnContext } from 'botbuilder';
import type { Request, Response } from 'restify';
import { inTurn, log, noteTurn } from '../log.js';
import { checkActivity } from './activitySchema.js';

const KNOWN_TYPES = new Set<string>(Object.values(ActivityTypes));

/**
 * POST /api/messages: every activity is checked against the activity schema before botbuilder or the bot sees it.
 * A malformed one gets a generic 400 (before authentication, so it says nothing about why); the rest goes to the
 * adapter, which authenticates it and runs the bot. Each request is one logged turn with its correlation id.
 * `shed` drops the messages of a participant who floods the bot and was told so, at the least cost.
 */
export function activityRoute(
  adapter: CloudAdapter,
  logic: (context: TurnContext) => Promise<void>,
  shed: (activity: Partial<Activity>) => boolean = () => false,
): (req: Request, res: Response) => Promise<void> {
  // restify tells async handlers from callback ones by their kind: this one must be an async function.
  return async (req, res) =>
    inTurn(async () => {
      const verdict = checkActivity(req.body);
      if (!verdict.ok) {
        noteTurn({ outcome: 'malformed', problem: verdict.problem, status: 400 });
        res.send(400, { error: 'Bad request' });
        return;
      }
      const activity = req.body as Partial<Activity>;
      // The type is the sender's text: only the names of the Bot Framework's types are logged.
      noteTurn({ type: KNOWN_TYPES.has(activity.type ?? '') ? activity.type! : 'other' });
      if (activity.type === 'message' && shed(activity)) {
        // A flood already told to slow down: dropped before botbuilder builds a turn for it (see FloodLimiter.shed).
        noteTurn({ outcome: 'limited', status: 200 });
        res.send(200);
        return;
      }
      try {
        await adapter.process(req, res, logic);
      } catch (err) {
        log.error('turn.edge', err);
        if (!res.headersSent) res.send(503, { error: 'Try again' });
      }
      noteTurn({ status: res.statusCode, ...(res.statusCode === 401 ? { outcome: 'unauthorized' } : {}) });
    });
}
