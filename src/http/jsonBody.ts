import { createGunzip } from 'node:zlib';
import getRawBody from 'raw-body';
import type { Next, Request, RequestHandler, Response } from 'restify';

/** Teams activities are a few KB; an Adaptive Card submit with long answers stays far below this. */
export const MAX_ACTIVITY_BYTES = 256 * 1024;

/** Answers and closes the connection, so that an upload still on its way is not read on. */
function refuse(res: Response, next: Next, status: number, error: string): void {
  res.setHeader('Connection', 'close');
  res.send(status, { error });
  res.once('finish', () => res.socket?.destroy());
  next(false);
}

/**
 * The body of a bot activity, before any authentication: JSON only (415 otherwise, so no multipart files reach a
 * temp folder), at most `maxBytes` (413), counted after inflating gzip so that a small compressed body cannot
 * grow without bound, and valid JSON (400). Nothing else is parsed anywhere.
 */
export function jsonBody(maxBytes = MAX_ACTIVITY_BYTES): RequestHandler {
  // Restify wants a callback-style handler to be able to end the chain (next(false)).
  return (req: Request, res: Response, next: Next) => void read(req, res, next, maxBytes);
}

async function read(req: Request, res: Response, next: Next, maxBytes: number): Promise<void> {
  if (req.contentType() !== 'application/json') return refuse(res, next, 415, 'Only application/json is accepted.');
  const encoding = (req.header('content-encoding') || 'identity').toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip')
    return refuse(res, next, 415, 'Only identity or gzip content encoding is accepted.');
  const gunzip = encoding === 'gzip' ? createGunzip() : null;
  let text: string;
  try {
    text = await getRawBody(gunzip ? req.pipe(gunzip) : req, {
      limit: maxBytes,
      // A declared length over the limit is refused before a byte is read.
      length: gunzip ? undefined : req.header('content-length') || undefined,
      encoding: 'utf8',
    });
  } catch (err) {
    gunzip?.destroy();
    const status = (err as { status?: number }).status;
    return status === 413
      ? refuse(res, next, 413, `The body is larger than ${maxBytes} bytes.`)
      : refuse(res, next, 400, 'The body could not be read.');
  }
  try {
    req.body = JSON.parse(text) as unknown;
  } catch {
    return refuse(res, next, 400, 'The body is not valid JSON.');
  }
  next();
}
