import {
  AuthenticationConstants,
  ConnectorFactory,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';
import { LRUCache } from 'lru-cache';

/** Chats of one tenant share a few service URLs (one per region); local mode takes any, so the caches are bounded. */
const MAX_CLIENTS = 64;

/** Promises kept by key; one that rejects is dropped, so that the next call builds again. */
class Kept<T extends object> {
  private readonly promises = new LRUCache<string, Promise<T>>({ max: MAX_CLIENTS });

  get(key: string, build: () => Promise<T>): Promise<T> {
    const kept = this.promises.get(key);
    if (kept) return kept;
    const built = build();
    this.promises.set(key, built);
    built.catch(() => {
      if (this.promises.get(key) === built) this.promises.delete(key);
    });
    return built;
  }
}

/** The app id botbuilder builds clients for: the token's audience, else its app id claim. */
function appIdOf(identity: ClaimsIdentity): string {
  return (
    identity.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    identity.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ''
  );
}

/**
 * Bot Connector clients kept from turn to turn. botbuilder builds a ConnectorClient and a UserTokenClient (each with
 * credentials and an HTTP pipeline of a dozen policies, proxy settings read from the environment) for every turn,
 * and a ConnectorClient for every proactive send; one of each per app id (and service URL and audience) does the
 * same work. A client that could not be built is not kept.
 */
export class ConnectorClients {
  private readonly connectors = new Kept<ConnectorClient>();
  private readonly userTokens = new Kept<UserTokenClient>();

  /** The factory botbuilder asked for, answering from the kept clients. */
  reusing(factory: ConnectorFactory, identity: ClaimsIdentity): ConnectorFactory {
    return new ReusingFactory(factory, appIdOf(identity), this.connectors);
  }

  /** The user token client of this identity's app: botbuilder's OAuth calls (Wijzer makes none; every turn has one). */
  userToken(identity: ClaimsIdentity, build: () => Promise<UserTokenClient>): Promise<UserTokenClient> {
    return this.userTokens.get(appIdOf(identity), build);
  }
}

class ReusingFactory extends ConnectorFactory {
  constructor(
    private readonly factory: ConnectorFactory,
    private readonly appId: string,
    private readonly clients: Kept<ConnectorClient>,
  ) {
    super();
  }

  override create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const key = JSON.stringify([this.appId, serviceUrl, audience ?? null]);
    return this.clients.get(key, () => this.factory.create(serviceUrl, audience));
  }
}
