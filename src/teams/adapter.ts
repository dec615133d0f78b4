import { CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import { assertServable, type Config } from '../config/env.js';
import { localeOf, t } from '../interview/messages.js';
import { log } from '../log.js';

/**
 * The public cloud's settings, spelled out, with only the place of the channel's signing keys changed: botbuilder
 * takes all of them as given as soon as one is set. For the offline authentication test (BOT_OPENID_METADATA_URL).
 */
function testKeySource(metadataUrl: string): ConfigurationBotFrameworkAuthenticationOptions {
  return {
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}

/**
 * Azure Bot Service authentication; with WIJZER_LOCAL=1 (and then no app id) the adapter accepts unauthenticated
 * local traffic (Agents Playground). Anything else without credentials does not start.
 */
export function createAdapter(config: Config): CloudAdapter {
  assertServable(config);
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType ?? (config.MicrosoftAppTenantId ? 'SingleTenant' : 'MultiTenant'),
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
    ...(config.BOT_OPENID_METADATA_URL ? testKeySource(config.BOT_OPENID_METADATA_URL) : {}),
  };
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options));
  adapter.onTurnError = async (context, err) => {
    log.error('turn.error', err);
    await context.sendActivity(t(localeOf(context.activity.locale), 'tryAgain')).catch(() => undefined);
  };
  return adapter;
}
