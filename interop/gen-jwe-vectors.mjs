// gen-jwe-vectors.mjs writes verifier/testdata/jose-jwe-vectors.json:
// encrypted access tokens (a compact JWE of a compact JWS) made by the npm
// package jose (pinned in package.json), valid ones for every key-management
// alg and enc tokengate offers and systematically broken ones, each with the
// verifier.Reason label tokengate must report. verifier/jwe_corpus_test.go
// replays them with a fixed clock; it never needs Node.
//
// The keys are generated on each run and written into the vectors file as
// PKCS#8 / SPKI PEM (test material only).
//
// Usage: node gen-jwe-vectors.mjs        (from interop/, after npm ci)

import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import * as jose from 'jose';

const here = dirname(fileURLToPath(import.meta.url));
const outFile = join(here, '..', 'verifier', 'testdata', 'jose-jwe-vectors.json');

const NOW = 1767225600; // 2026-01-01T00:00:00Z, as the JWS corpus
const ISSUER = 'https://issuer.interop.test/';
const AUDIENCE = 'https://api.interop.test';

const pem = (k, type) => k.export({ type, format: 'pem' });
const sig = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const x25519 = generateKeyPairSync('x25519');
const secret32 = randomBytes(32);
const secret16 = randomBytes(16);

const claims = (over = {}) => ({
  iss: ISSUER, sub: 'user-1', aud: AUDIENCE, iat: NOW - 60, exp: NOW + 3600, scope: 'read:things', ...over,
});
const signed = (over) => new jose.SignJWT(claims(over))
  .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'sig-1' })
  .sign(sig.privateKey);

const seal = (plaintext, alg, enc, key, header = {}) => new jose.CompactEncrypt(new TextEncoder().encode(plaintext))
  .setProtectedHeader({ alg, enc, cty: 'JWT', ...header })
  .encrypt(key);

// keyFor names the key of the vectors file that decrypts alg.
const KEYS = {
  'RSA-OAEP-256': ['rsa', rsa.publicKey], 'RSA-OAEP-384': ['rsa', rsa.publicKey], 'RSA-OAEP-512': ['rsa', rsa.publicKey],
  'ECDH-ES': ['ec', ec.publicKey], 'ECDH-ES+A128KW': ['ec', ec.publicKey], 'ECDH-ES+A256KW': ['x25519', x25519.publicKey],
  dir: ['secret32', secret32], A128KW: ['secret16', secret16],
};

const vectors = [];
const add = (name, token, alg, enc, want, kid = '') => vectors.push({
  name, token, alg, enc, key: KEYS[alg]?.[0] ?? 'rsa', kid, want,
});

const inner = await signed();
for (const [alg, enc] of [
  ['RSA-OAEP-256', 'A256GCM'], ['RSA-OAEP-384', 'A256GCM'], ['RSA-OAEP-512', 'A128GCM'],
  ['RSA-OAEP-256', 'A128CBC-HS256'], ['RSA-OAEP-256', 'A256CBC-HS512'],
  ['ECDH-ES', 'A256GCM'], ['ECDH-ES+A128KW', 'A192GCM'], ['ECDH-ES+A256KW', 'A256GCM'],
  ['dir', 'A256GCM'], ['A128KW', 'A128CBC-HS256'],
]) {
  add(`valid ${alg} ${enc}`, await seal(inner, alg, enc, KEYS[alg][1]), alg, enc, 'ok');
}
add('valid cty at+jwt, iss and aud in the header (oidc-provider shape)',
  await seal(inner, 'RSA-OAEP-256', 'A256GCM', rsa.publicKey, { cty: 'at+jwt', iss: ISSUER, aud: AUDIENCE, kid: 'enc-1' }),
  'RSA-OAEP-256', 'A256GCM', 'ok', 'enc-1');

const good = await seal(inner, 'RSA-OAEP-256', 'A256GCM', rsa.publicKey);
const flip = (tok, i) => {
  const p = tok.split('.');
  const b = Buffer.from(p[i], 'base64url');
  b[b.length >> 1] ^= 1;
  p[i] = b.toString('base64url');
  return p.join('.');
};
for (const [i, part] of [[1, 'encrypted key'], [2, 'IV'], [3, 'ciphertext'], [4, 'tag']]) {
  add(`tampered ${part}`, flip(good, i), 'RSA-OAEP-256', 'A256GCM', 'decrypt');
}
{
  const p = good.split('.');
  p[0] = Buffer.from(JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', x: 1 })).toString('base64url');
  add('tampered protected header (AAD)', p.join('.'), 'RSA-OAEP-256', 'A256GCM', 'decrypt');
  const q = good.split('.');
  q[1] = q[1].slice(0, -8);
  add('truncated encrypted key', q.join('.'), 'RSA-OAEP-256', 'A256GCM', 'malformed');
}
add('zip (compressed content)', await seal(inner, 'RSA-OAEP-256', 'A256GCM', rsa.publicKey, { zip: 'DEF' }), 'RSA-OAEP-256', 'A256GCM', 'malformed');
add('no cty', await new jose.CompactEncrypt(new TextEncoder().encode(inner)).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM' }).encrypt(rsa.publicKey), 'RSA-OAEP-256', 'A256GCM', 'malformed');
add('encrypt-only (JSON claims, no signature)', await seal(JSON.stringify(claims()), 'RSA-OAEP-256', 'A256GCM', rsa.publicKey), 'RSA-OAEP-256', 'A256GCM', 'malformed');
add('inner token expired', await seal(await signed({ exp: NOW - 10 }), 'RSA-OAEP-256', 'A256GCM', rsa.publicKey), 'RSA-OAEP-256', 'A256GCM', 'expired');
add('inner token of another audience', await seal(await signed({ aud: 'https://other.interop.test' }), 'RSA-OAEP-256', 'A256GCM', rsa.publicKey), 'RSA-OAEP-256', 'A256GCM', 'bad_audience');
add('PBES2', await seal(inner, 'PBES2-HS256+A128KW', 'A256GCM', randomBytes(32)), 'RSA-OAEP-256', 'A256GCM', 'algorithm');
add('RSA-OAEP with SHA-1 (not offered)', await seal(inner, 'RSA-OAEP', 'A256GCM', rsa.publicKey), 'RSA-OAEP-256', 'A256GCM', 'algorithm');
{
  const enc = await new jose.FlattenedEncrypt(new TextEncoder().encode(inner))
    .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' }).encrypt(rsa.publicKey);
  add('flattened JSON serialization', JSON.stringify(enc), 'RSA-OAEP-256', 'A256GCM', 'malformed');
}

const out = {
  note: 'Encrypted tokens made by the npm package jose; regenerate with interop/gen-jwe-vectors.mjs. Test-only keys.',
  generator: 'jose',
  now: NOW,
  issuer: ISSUER,
  audience: AUDIENCE,
  signing_key: pem(sig.publicKey, 'spki'),
  keys: {
    rsa: pem(rsa.privateKey, 'pkcs8'),
    ec: pem(ec.privateKey, 'pkcs8'),
    x25519: pem(x25519.privateKey, 'pkcs8'),
    secret32: secret32.toString('base64url'),
    secret16: secret16.toString('base64url'),
  },
  vectors,
};
await writeFile(outFile, `${JSON.stringify(out, null, 2)}\n`);
console.log(`wrote ${vectors.length} vectors to ${outFile}`);
