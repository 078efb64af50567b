// provider.mjs runs the OpenID Certified provider oidc-provider (pinned in
// package.json) on a free loopback port for tokengate's Go interop tests, and
// prints "ISSUER http://127.0.0.1:PORT" on stdout once it accepts requests.
//
// What it offers (names are shared with interop/*_test.go):
//   - JWT access tokens per resource indicator, typ at+jwt, aud a string:
//       https://rs256.interop.test   RS256, 1 h
//       https://es256.interop.test   ES256, 1 h
//       https://hs256.interop.test   HS256 with the secret from
//                                    INTEROP_HS256_SECRET (base64url), kid hs256-rs
//       https://short.interop.test   RS256, 2 s
//       https://jwe.interop.test     RS256, then encrypted (jwt.encrypt:
//                                    RSA-OAEP-256, A256GCM, kid jwe-1) to the
//                                    public half of testdata/jwe-api-key.pem
//                                    (a nested JWT: cty at+jwt, iss and aud
//                                    copied into the JWE header)
//     each with org_id "org_interop" (extraTokenClaims).
//   - client cc-client: client_credentials (client_secret_basic).
//   - clients code-client (RS256 ID tokens) and code-client-hs (HS256 ID
//     tokens, keyed by its client secret): authorization code + PKCE, with an
//     interaction that signs user-interop in and approves at once, so the
//     whole flow is plain HTTP redirects.
//   - POST /test/rotate: new RS256 and ES256 keys sign from now on; the old
//     ones stay in the JWKS. POST /test/rotate?drop=1 publishes only the new
//     keys. Test-only: it exists because this server only ever listens on
//     loopback for a test run.
//   - DPoP (oidc-provider's dPoP feature, on by default): a token request
//     with a DPoP proof gets a token bound to the proof's key (cnf.jkt,
//     token_type DPoP); https://dpop.interop.test is an RS256 resource for
//     those tests.
//   - POST /test/dpop-proof: a DPoP proof signed with npm jose by a key held
//     here (one per alg: ES256 and EdDSA), good or broken as the JSON body
//     asks (see dpopProof); answers {proof, jwk, jkt}, jkt computed by jose.
//     Test-only, like /test/rotate.
//
// It exits when its standard input closes, so a test binary that dies does
// not leave it running.
//
// Usage: node provider.mjs   (from interop/, after npm ci)

import { createServer } from 'node:http';
import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as jose from 'jose';
import Provider, { errors } from 'oidc-provider';

const ORG_ID = 'org_interop';
const ACCOUNT = 'user-interop';
const REDIRECT_URI = 'https://client.interop.test/cb';

const RESOURCES = {
  'https://rs256.interop.test': { alg: 'RS256', ttl: 3600 },
  'https://es256.interop.test': { alg: 'ES256', ttl: 3600 },
  'https://hs256.interop.test': { alg: 'HS256', ttl: 3600 },
  'https://short.interop.test': { alg: 'RS256', ttl: 2 },
  'https://dpop.interop.test': { alg: 'RS256', ttl: 3600 },
  'https://jwe.interop.test': { alg: 'RS256', ttl: 3600, encrypt: true },
};

// The encrypting resource's public key: the Go tests hold the private
// half (test material only).
const jweKey = createPublicKey(readFileSync(new URL('./testdata/jwe-api-key.pem', import.meta.url)));

const CLIENTS = [
  {
    client_id: 'cc-client',
    client_secret: 'cc-client-secret-7c1d0f5e9a2b4c68',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  },
  {
    client_id: 'code-client',
    client_secret: 'code-client-secret-3e8a61b0d47f25c9',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: [REDIRECT_URI],
  },
  {
    // HS256 ID tokens are keyed by the client secret: 43 bytes, more than
    // the 32 tokengate requires for HS256.
    client_id: 'code-client-hs',
    client_secret: 'code-client-hs-secret-5b2f9d0c8e1a4736b9d2e',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: [REDIRECT_URI],
    id_token_signed_response_alg: 'HS256',
  },
];

let hsSecret;
if (process.env.INTEROP_HS256_SECRET) {
  hsSecret = Buffer.from(process.env.INTEROP_HS256_SECRET, 'base64url');
} else {
  hsSecret = randomBytes(32);
  console.log(`HS256_SECRET ${hsSecret.toString('base64url')}`);
}
if (hsSecret.length < 32) {
  console.error('INTEROP_HS256_SECRET must decode to at least 32 bytes');
  process.exit(2);
}

// Signing keys, newest first: oidc-provider signs with the first key that
// fits an algorithm, and every key listed is published in the JWKS.
let generation = 0;
let signingKeys = [];

async function newKeys() {
  generation += 1;
  const out = [];
  for (const alg of ['RS256', 'ES256']) {
    const { privateKey } = await jose.generateKeyPair(alg, { extractable: true });
    const jwk = await jose.exportJWK(privateKey);
    out.push({ ...jwk, kid: `${alg.toLowerCase()}-g${generation}`, alg, use: 'sig' });
  }
  return out;
}

const currentKid = (alg) => signingKeys.find((k) => k.alg === alg).kid;

function resourceServerInfo(indicator) {
  const r = RESOURCES[indicator];
  if (!r) throw new errors.InvalidTarget();
  const sign = r.alg === 'HS256'
    ? { alg: 'HS256', key: hsSecret, kid: 'hs256-rs' }
    : { alg: r.alg, kid: currentKid(r.alg) };
  return {
    scope: 'read:things write:things',
    audience: indicator,
    accessTokenTTL: r.ttl,
    accessTokenFormat: 'jwt',
    jwt: r.encrypt
      ? { sign, encrypt: { alg: 'RSA-OAEP-256', enc: 'A256GCM', key: jweKey, kid: 'jwe-1' } }
      : { sign },
  };
}

// Fixed cookie keys: a rotation swaps the Provider instance, and sessions
// signed by the previous one must stay readable.
const cookieKeys = [randomBytes(32).toString('base64url')];

function buildProvider(issuer) {
  const provider = new Provider(issuer, {
    clients: CLIENTS,
    jwks: { keys: signingKeys },
    cookies: { keys: cookieKeys },
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'ES256', 'HS256'],
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, _client, oneOf) => oneOf,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, indicator) => resourceServerInfo(indicator),
      },
    },
    // Functions, not numbers: a numeric AccessToken TTL would override the
    // per-resource lifetime (the 2 s resource).
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 3600,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600,
      AuthorizationCode: () => 60,
      IdToken: () => 3600,
      Interaction: () => 600,
      Session: () => 3600,
      Grant: () => 3600,
    },
    extraTokenClaims: async () => ({ org_id: ORG_ID }),
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub }),
    }),
    pkce: { required: () => true },
    clockTolerance: 0,
  });
  return provider;
}

// The interaction: sign ACCOUNT in and grant what the client asked for, in
// one step, so the Go test only follows redirects.
async function approve(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  const { params, session, prompt } = details;
  const accountId = session?.accountId ?? ACCOUNT;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();
  const result = { consent: { grantId } };
  if (!session?.accountId) result.login = { accountId };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

// DPoP keys of the test client, made with jose: "client" signs the proofs,
// "other" is the key of a thief (a proof whose jwk is not the signer's).
const dpopKeys = new Map();

async function dpopKey(alg, name) {
  const id = `${alg}/${name}`;
  if (!dpopKeys.has(id)) {
    const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true });
    dpopKeys.set(id, {
      privateKey,
      publicJwk: await jose.exportJWK(publicKey),
      privateJwk: await jose.exportJWK(privateKey),
    });
  }
  return dpopKeys.get(id);
}

// dpopProof signs a proof as o asks:
//   alg ("ES256" or "EdDSA"), htm, htu, accessToken (ath is its hash),
//   nonce, iatOffset (seconds), jti; omit (claims to leave out); header
//   (members merged over typ/alg/jwk); privateJwk (put the private key in
//   jwk); signWith "other" (sign with another key than jwk's); none (an
//   unsecured JWT, alg none); hs256 (MAC with o.secret under HS256).
async function dpopProof(o) {
  const alg = o.alg ?? 'ES256';
  const k = await dpopKey(alg, 'client');
  const claims = {
    htm: o.htm,
    htu: o.htu,
    iat: Math.floor(Date.now() / 1000) + (o.iatOffset ?? 0),
    jti: o.jti ?? randomBytes(16).toString('base64url'),
  };
  if (o.accessToken) claims.ath = createHash('sha256').update(o.accessToken).digest('base64url');
  if (o.nonce) claims.nonce = o.nonce;
  for (const name of o.omit ?? []) delete claims[name];
  const jwk = o.privateJwk ? k.privateJwk : k.publicJwk;
  const header = { typ: 'dpop+jwt', alg, jwk, ...(o.header ?? {}) };
  let proof;
  if (o.none) {
    proof = new jose.UnsecuredJWT(claims).encode();
  } else if (o.hs256) {
    proof = await new jose.SignJWT(claims).setProtectedHeader({ ...header, alg: 'HS256' })
      .sign(Buffer.from(o.secret, 'utf8'));
  } else {
    const signer = o.signWith === 'other' ? (await dpopKey(alg, 'other')).privateKey : k.privateKey;
    proof = await new jose.SignJWT(claims).setProtectedHeader(header).sign(signer);
  }
  return { proof, jwk: k.publicJwk, jkt: await jose.calculateJwkThumbprint(k.publicJwk, 'sha256') };
}

async function readJSON(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 64 << 10) throw new Error('body too large');
  }
  return JSON.parse(body);
}

function sendJSON(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

let provider;
let callback;

async function rotate(issuer, drop) {
  const fresh = await newKeys();
  signingKeys = drop ? fresh : [...fresh, ...signingKeys];
  provider = buildProvider(issuer);
  callback = provider.callback();
  return {
    signing: { RS256: currentKid('RS256'), ES256: currentKid('ES256') },
    published: signingKeys.map((k) => k.kid),
  };
}

async function main() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/test/rotate') {
      if (req.method !== 'POST') return sendJSON(res, 405, { error: 'POST only' });
      rotate(issuer, url.searchParams.get('drop') === '1')
        .then((body) => sendJSON(res, 200, body))
        .catch((err) => sendJSON(res, 500, { error: String(err) }));
      return;
    }
    if (url.pathname === '/test/dpop-proof') {
      if (req.method !== 'POST') return sendJSON(res, 405, { error: 'POST only' });
      readJSON(req)
        .then(dpopProof)
        .then((body) => sendJSON(res, 200, body))
        .catch((err) => sendJSON(res, 500, { error: String(err) }));
      return;
    }
    if (url.pathname.startsWith('/interaction/')) {
      approve(provider, req, res).catch((err) => sendJSON(res, 400, { error: String(err) }));
      return;
    }
    callback(req, res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  signingKeys = await newKeys();
  provider = buildProvider(issuer);
  callback = provider.callback();
  console.log(`ISSUER ${issuer}`);

  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}

await main();
