import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Config } from '../config/env.js';
import { localeOf, t } from '../interview/messages.js';
import { log } from '../log.js';

/** With no app id the adapter accepts unauthenticated local traffic (Agents Playground); otherwise Azure Bot Service auth. */
export function createAdapter(config: Config): CloudAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType ?? (config.MicrosoftAppTenantId ? 'SingleTenant' : 'MultiTenant'),
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  };
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options));
  adapter.onTurnError = async (context, err) => {
    log.error('turn.error', err);
    await context.sendActivity(t(localeOf(context.activity.locale), 'tryAgain')).catch(() => undefined);
  };
  return adapter;
}
