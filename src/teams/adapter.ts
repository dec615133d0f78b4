import {
  type Activity,
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationConstants,
  AuthenticationError,
  type ClaimsIdentity,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { assertServable, type Config } from '../config/env.js';
import { ConnectorClients } from './connectorClients.js';
import { onTurnError } from './turnError.js';

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

/** jsonwebtoken's refusals (bad signature, malformed, not yet valid). */
const TOKEN_REFUSALS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * botbuilder lets a token with a bad signature through as a plain error, which the adapter answers with 500 and
 * the library's message: the Bot Connector would retry it, and a caller learns why. A refused token is a 401.
 * The clients that turns and proactive sends use are kept from turn to turn (see ConnectorClients).
 */
class BotServiceAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly clients = new ConnectorClients();

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    let result: AuthenticateRequestResult;
    try {
      result = await super.authenticateRequest(activity, authHeader);
    } catch (err) {
      if (err instanceof Error && TOKEN_REFUSALS.has(err.name)) throw new AuthenticationError('Unauthorized.', 401);
      throw err;
    }
    const { connectorFactory } = result;
    return connectorFactory
      ? { ...result, connectorFactory: this.clients.reusing(connectorFactory, result.claimsIdentity) }
      : result;
  }

  override createConnectorFactory(identity: ClaimsIdentity): ConnectorFactory {
    return this.clients.reusing(super.createConnectorFactory(identity), identity);
  }

  override createUserTokenClient(identity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.clients.userToken(identity, () => super.createUserTokenClient(identity));
  }
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
  const adapter = new CloudAdapter(new BotServiceAuthentication(options));
  adapter.onTurnError = onTurnError;
  return adapter;
}
