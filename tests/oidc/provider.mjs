// A real OpenID Connect provider for the single sign-on tests (tests/register/test_sso.py).
//
// npm's oidc-provider (certified by the OpenID Foundation) with its development login form:
// any password is accepted for the static accounts below. Only ever for tests, on 127.0.0.1.
//
//   PORT=9021 RP_ORIGIN=http://127.0.0.1:8021 node tests/oidc/provider.mjs
//
// Prints "ready <issuer>" on stdout once it listens. Two clients: "samverkan" (the register;
// PKCE required) and "annan-app" (another application: its ID tokens carry another audience).
import { generateKeyPairSync } from 'node:crypto';

import Provider from 'oidc-provider';

const port = Number(process.env.PORT || 9021);
const rpOrigin = process.env.RP_ORIGIN || 'http://127.0.0.1:8021';
const issuer = `http://127.0.0.1:${port}`;

const ACCOUNTS = {
  anna: {
    sub: 'anna-0001',
    email: 'anna.andersson@taby.se',
    email_verified: true,
    name: 'Anna Andersson',
    given_name: 'Anna',
    family_name: 'Andersson',
    groups: ['grp-taby-editors', 'grp-alla-anstallda'],
  },
};

// A fresh signing key for every run: the relying party finds it through the JWKS endpoint.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: `test-${Date.now()}`, use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'samverkan',
      client_secret: 'samverkan-hemlighet',
      redirect_uris: [`${rpOrigin}/oidc/callback/`],
      post_logout_redirect_uris: [`${rpOrigin}/logga-in/`],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
    {
      client_id: 'annan-app',
      client_secret: 'annan-hemlighet',
      redirect_uris: ['http://127.0.0.1:9/annan-app/callback'],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  jwks: { keys: [signingKey] },
  pkce: { methods: ['S256'], required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  async findAccount(ctx, id) {
    const account = ACCOUNTS[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { ...account }; } };
  },
  // The register is this provider's own first-party application: no consent page.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile groups');
    await grant.save();
    return grant;
  },
});

// Silence the "don't use in production" notices on stderr; the test reads stdout only.
provider.on('server_error', (ctx, err) => { console.error('server_error', err); });

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});

function stop() { server.close(() => process.exit(0)); setTimeout(() => process.exit(0), 1000).unref(); }
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
