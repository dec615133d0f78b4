import type { Activity } from 'botbuilder';
import type { Config } from '../config/env.js';
import { tenantOf } from './turnInput.js';

/** Who the bot serves at all, decided before any participant or researcher state is read. */
export interface Admission {
  /** The tenants served; null serves every tenant (no list in local mode, or ALLOWED_TENANT_IDS=*). */
  tenants: ReadonlySet<string> | null;
  /** With credentials: Teams only, the tenant as Teams names the conversation's, signed-in Entra users only. */
  teamsOnly: boolean;
}

export function admissionOf(config: Pick<Config, 'localMode' | 'ALLOWED_TENANT_IDS'>): Admission {
  const list = config.ALLOWED_TENANT_IDS;
  return { tenants: !list.length || list.includes('*') ? null : new Set(list), teamsOnly: !config.localMode };
}

/** admit: serve it; ignore: no answer at all; anonymous: from Teams but with no Entra user, so no state. */
export type Verdict = 'admit' | 'ignore' | 'anonymous';

export function verdictOf(activity: Partial<Activity>, admission: Admission): Verdict {
  let tenant = tenantOf(activity);
  if (admission.teamsOnly) {
    if (activity.channelId !== 'msteams') return 'ignore';
    // Teams puts the tenant on the conversation; a different one in channelData is not from Teams.
    tenant = activity.conversation?.tenantId ?? '';
    const claimed = (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    if (!tenant || (claimed !== undefined && claimed !== tenant)) return 'ignore';
  }
  if (admission.tenants && !admission.tenants.has(tenant)) return 'ignore';
  if (admission.teamsOnly && !activity.from?.aadObjectId) return 'anonymous';
  return 'admit';
}
