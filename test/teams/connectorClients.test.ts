import { expect, test } from '@jest/globals';
import {
  AuthenticationConstants,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  MicrosoftAppCredentials,
} from 'botframework-connector';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { ConnectorClients } from '../../src/teams/connectorClients.js';

/** Builds real (unused) clients and counts them; fails while `failing` is set. */
class CountingFactory extends ConnectorFactory {
  built: string[] = [];
  failing = false;

  override async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    this.built.push(`${serviceUrl} ${audience ?? ''}`);
    if (this.failing) throw new Error('Invalid appId.');
    return new ConnectorClient(MicrosoftAppCredentials.Empty, { baseUri: serviceUrl });
  }
}

const identity = (appId: string) =>
  new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: appId }], true);

test('one client per app, service URL and audience, kept across the factories of later turns', async () => {
  const clients = new ConnectorClients();
  const inner = new CountingFactory();
  const first = await clients.reusing(inner, identity('app')).create('https://smba.example/emea/', 'scope');
  const again = await clients.reusing(inner, identity('app')).create('https://smba.example/emea/', 'scope');
  expect(again).toBe(first);
  expect(inner.built).toEqual(['https://smba.example/emea/ scope']);

  const otherUrl = await clients.reusing(inner, identity('app')).create('https://smba.example/amer/', 'scope');
  const otherAudience = await clients.reusing(inner, identity('app')).create('https://smba.example/emea/');
  const otherApp = await clients.reusing(inner, identity('other')).create('https://smba.example/emea/', 'scope');
  expect(new Set([first, otherUrl, otherAudience, otherApp]).size).toBe(4);
  expect(inner.built).toHaveLength(4);
});

test('a client that could not be built is not kept: the next turn tries again', async () => {
  const clients = new ConnectorClients();
  const inner = new CountingFactory();
  inner.failing = true;
  await expect(clients.reusing(inner, identity('app')).create('https://smba.example/emea/')).rejects.toThrow(
    'Invalid appId.',
  );
  inner.failing = false;
  const client = await clients.reusing(inner, identity('app')).create('https://smba.example/emea/');
  expect(client).toBeInstanceOf(ConnectorClient);
  expect(inner.built).toHaveLength(2);
});

test('one user token client per app id; one that could not be built is built again next time', async () => {
  const clients = new ConnectorClients();
  const authentication = new ConfigurationBotFrameworkAuthentication({});
  let built = 0;
  let failing = true;
  const build = async () => {
    built++;
    if (failing) throw new Error('Invalid appId.');
    return authentication.createUserTokenClient(identity('app'));
  };
  await expect(clients.userToken(identity('app'), build)).rejects.toThrow('Invalid appId.');
  failing = false;
  const first = await clients.userToken(identity('app'), build);
  expect(await clients.userToken(identity('app'), build)).toBe(first);
  expect(await clients.userToken(identity('other'), build)).not.toBe(first);
  expect(built).toBe(3);
});
