import {
  AuthenticationConstants,
  ConnectorFactory,
  type ClaimsIdentity,
  type ConnectorClient,
} from 'botframework-connector';
import { LRUCache } from 'lru-cache';

/** Chats of one tenant share a few service URLs (one per region); local mode takes any, so the cache is bounded. */
const MAX_CLIENTS = 64;

/**
 * Bot Connector clients kept from turn to turn. botbuilder builds a ConnectorClient (credentials, an HTTP pipeline
 * of a dozen policies, proxy settings read from the environment) for every turn and every proactive send; one
 * client per app id, service URL and audience does the same work. A client that could not be built is not kept.
 */
export class ConnectorClients {
  private readonly clients = new LRUCache<string, Promise<ConnectorClient>>({ max: MAX_CLIENTS });

  /** The factory botbuilder asked for, answering from the kept clients. */
  reusing(factory: ConnectorFactory, identity: ClaimsIdentity): ConnectorFactory {
    // The app id the factory builds for: the token's audience, else its app id claim (as botbuilder chooses it).
    const appId =
      identity.getClaimValue(AuthenticationConstants.AudienceClaim) ??
      identity.getClaimValue(AuthenticationConstants.AppIdClaim) ??
      '';
    return new ReusingFactory(factory, appId, this.clients);
  }
}

class ReusingFactory extends ConnectorFactory {
  constructor(
    private readonly factory: ConnectorFactory,
    private readonly appId: string,
    private readonly clients: LRUCache<string, Promise<ConnectorClient>>,
  ) {
    super();
  }

  override create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const key = JSON.stringify([this.appId, serviceUrl, audience ?? null]);
    let client = this.clients.get(key);
    if (!client) {
      client = this.factory.create(serviceUrl, audience);
      this.clients.set(key, client);
      const built = client;
      built.catch(() => {
        if (this.clients.get(key) === built) this.clients.delete(key);
      });
    }
    return client;
  }
}
