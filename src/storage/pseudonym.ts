import { createHmac } from 'node:crypto';

/**
 * A participant's pseudonym: an HMAC of the tenant and the user's stable Teams/AAD id. Without the secret it
 * cannot be recomputed from a list of colleagues' ids.
 */
export function pseudonymOf(secret: Buffer, tenantId: string, userId: string): string {
  return createHmac('sha256', secret).update(`${tenantId}\u0000${userId}`).digest('hex');
}
