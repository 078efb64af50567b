// gen-vectors.mjs writes verifier/testdata/jose-vectors.json: compact JWS
// tokens signed by an independent JOSE implementation (the npm package jose,
// pinned in package.json), valid ones and systematically broken ones, each
// with the outcome tokengate's verifier must report. verifier/corpus_test.go
// replays them with a fixed clock; it never needs Node.
//
// Keys are fixed: the private JWKs live in testdata/corpus-keys.json (test
// material only) and are generated once when that file is missing, so a
// regeneration changes only the randomized signatures (PS*, ES*).
//
// Usage: node gen-vectors.mjs            (from interop/, after npm ci)

import { readFile, writeFile } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as jose from 'jose';

const here = dirname(fileURLToPath(import.meta.url));
const keysFile = join(here, 'testdata', 'corpus-keys.json');
const outFile = join(here, '..', 'verifier', 'testdata', 'jose-vectors.json');

// The fixed clock of the corpus: 2026-01-01T00:00:00Z.
const NOW = 1767225600;
const ISSUER = 'https://issuer.interop.test/';
const AUDIENCE = 'https://api.interop.test';

// Every algorithm tokengate supports, with the key each needs.
const ALGS = [
  'RS256', 'RS384', 'RS512',
  'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512',
  'EdDSA',
  'HS256', 'HS384', 'HS512',
];
// The verifier's allow list for the corpus: all of the above plus the
// RFC 9864 name of EdDSA.
const ALLOWED = [...ALGS, 'Ed25519'];

const isHMAC = (alg) => alg.startsWith('HS');
const family = (alg) => (isHMAC(alg) ? 'HS' : alg.startsWith('ES') ? 'ES' : alg === 'EdDSA' ? 'OKP' : 'RSA');

// A signature algorithm of the same family that the key is NOT bound to:
// "wrong alg header" tokens claim it with the kid of the key.
const SIBLING = {
  RS256: 'RS384', RS384: 'RS512', RS512: 'RS256',
  PS256: 'PS384', PS384: 'PS512', PS512: 'PS256',
  ES256: 'ES384', ES384: 'ES512', ES512: 'ES256',
  EdDSA: 'ES256', // OKP has no second algorithm (Ed25519 names the same one)
  HS256: 'HS384', HS384: 'HS512', HS512: 'HS256',
};

const enc = new TextEncoder();
const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
const b64uJSON = (obj) => b64u(enc.encode(JSON.stringify(obj)));
// Filler "signatures" that are the same on every run.
const fixedBytes = (n) => createHash('shake256', { outputLength: n }).update('tokengate corpus').digest();

async function generateKeys() {
  const out = { note: 'Test-only private keys of the jose corpus. Never use them elsewhere.', keys: {} };
  for (const alg of ALGS) {
    for (const role of ['main', 'other']) {
      let jwk;
      if (isHMAC(alg)) {
        // A random secret of the hash size. tokengate refuses secrets that
        // look like JSON or PEM text; random bytes starting with '{"' or
        // '-----' are astronomically unlikely but cheap to rule out.
        let k;
        do {
          k = randomBytes(Number(alg.slice(2)) / 8);
        } while (k[0] === 0x7b || k[0] === 0x2d || k[0] === 0x20);
        jwk = { kty: 'oct', k: b64u(k) };
      } else {
        const { privateKey } = await jose.generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
        jwk = await jose.exportJWK(privateKey);
      }
      out.keys[`${alg}/${role}`] = jwk;
    }
  }
  return out;
}

async function loadKeys() {
  try {
    return JSON.parse(await readFile(keysFile, 'utf8'));
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
    const keys = await generateKeys();
    await writeFile(keysFile, JSON.stringify(keys, null, 2) + '\n');
    console.error(`generated ${keysFile}`);
    return keys;
  }
}

const kidOf = (alg) => `${alg.toLowerCase()}-1`;

function publicJWK(alg, priv) {
  const { kty, crv, n, e, x, y } = priv;
  const pub = { kty, kid: kidOf(alg), alg, use: 'sig' };
  for (const [k, v] of Object.entries({ crv, n, e, x, y })) if (v !== undefined) pub[k] = v;
  return pub;
}

// signKey imports a private JWK for signing with alg (which may differ from
// the alg the key is published for: RSA keys sign any RS*/PS*, secrets any HS*).
async function signKey(jwk, alg) {
  const { alg: _drop, ...bare } = jwk;
  return jose.importJWK(bare, alg);
}

async function sign(header, payload, key) {
  return new jose.CompactSign(enc.encode(JSON.stringify(payload))).setProtectedHeader(header).sign(key);
}

function claims(overrides = {}) {
  const c = {
    iss: ISSUER,
    sub: 'user|interop',
    aud: AUDIENCE,
    iat: NOW - 60,
    nbf: NOW - 60,
    exp: NOW + 3600,
    scope: 'read:things write:things',
    org_id: 'org_interop',
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete c[k];
    else c[k] = v;
  }
  return c;
}

// Flip one bit in the middle of the signature and re-encode canonically, so
// the token stays well-formed and only the signature check can catch it.
function flipSignature(token) {
  const [h, p, s] = token.split('.');
  const sig = Buffer.from(s, 'base64url');
  sig[sig.length >> 1] ^= 0x01;
  return `${h}.${p}.${b64u(sig)}`;
}

// Replace the payload with other claims, keeping header and signature.
function swapPayload(token, payload) {
  const [h, , s] = token.split('.');
  return `${h}.${b64uJSON(payload)}.${s}`;
}

// Replace the header, keeping payload and signature.
function swapHeader(token, header) {
  const [, p, s] = token.split('.');
  return `${b64uJSON(header)}.${p}.${s}`;
}

async function vectorsFor(alg, keys) {
  const kid = kidOf(alg);
  const keyset = isHMAC(alg) ? 'secret' : 'public';
  const main = await signKey(keys[`${alg}/main`], alg);
  const other = await signKey(keys[`${alg}/other`], alg);
  const hdr = { alg, kid, typ: 'JWT' };
  const v = [];
  const add = (name, token, expected, extra = {}) => v.push({ name: `${alg}/${name}`, alg, keyset, token, expected, ...extra });

  const valid = await sign(hdr, claims(), main);
  add('valid', valid, 'ok');
  add('valid_at_jwt_aud_array', await sign({ alg, kid, typ: 'at+jwt' }, claims({ aud: ['https://other.interop.test', AUDIENCE] }), main), 'ok');
  add('valid_no_kid', await sign({ alg }, claims({ nbf: undefined }), main), 'ok');
  add('altered_payload', swapPayload(valid, claims({ sub: 'user|attacker' })), 'ErrSignature');
  add('altered_signature', flipSignature(valid), 'ErrSignature');
  add('wrong_key', await sign(hdr, claims(), other), 'ErrSignature');

  // The header names another algorithm of the family with the kid of this
  // key. Where jose can really sign that way (RSA keys for any RS*/PS*, a
  // secret for any HS*) the signature is valid, so only the binding of the
  // key to one algorithm stops it; for EC and OKP the header is swapped.
  const sib = SIBLING[alg];
  if (family(alg) === 'RSA' || family(alg) === 'HS') {
    add(`wrong_alg_header_${sib}`, await sign({ alg: sib, kid, typ: 'JWT' }, claims(), await signKey(keys[`${alg}/main`], sib)), 'ErrKeyNotFound');
  } else {
    add(`wrong_alg_header_${sib}`, swapHeader(valid, { alg: sib, kid, typ: 'JWT' }), 'ErrKeyNotFound');
  }
  if (family(alg) === 'RSA') {
    // PKCS#1 v1.5 versus PSS on one RSA key (SECURITY.md M3).
    const twin = alg.startsWith('RS') ? 'PS' + alg.slice(2) : 'RS' + alg.slice(2);
    add(`wrong_alg_header_${twin}`, await sign({ alg: twin, kid, typ: 'JWT' }, claims(), await signKey(keys[`${alg}/main`], twin)), 'ErrKeyNotFound');
  }
  add('alg_not_allowed', valid, 'ErrAlgorithm', { algorithms: ALLOWED.filter((a) => a !== alg) });
  add('kid_unknown', await sign({ alg, kid: `${kid}-unknown`, typ: 'JWT' }, claims(), main), 'ErrKeyNotFound');
  add('expired', await sign(hdr, claims({ iat: NOW - 7200, nbf: NOW - 7200, exp: NOW - 1 }), main), 'ErrExpired');
  add('expired_at_now', await sign(hdr, claims({ exp: NOW }), main), 'ErrExpired');
  add('expired_and_bad_signature', flipSignature(await sign(hdr, claims({ exp: NOW - 1 }), main)), 'ErrSignature');
  add('missing_exp', await sign(hdr, claims({ exp: undefined }), main), 'ErrExpired');
  add('not_yet_valid', await sign(hdr, claims({ nbf: NOW + 60 }), main), 'ErrNotYetValid');
  add('issued_in_future', await sign(hdr, claims({ iat: NOW + 3600, nbf: undefined }), main), 'ErrNotYetValid');
  add('wrong_iss', await sign(hdr, claims({ iss: 'https://evil.interop.test/' }), main), 'ErrIssuer');
  add('iss_case_changed', await sign(hdr, claims({ iss: ISSUER.toUpperCase() }), main), 'ErrIssuer');
  add('wrong_aud', await sign(hdr, claims({ aud: 'https://other.interop.test' }), main), 'ErrAudience');
  add('wrong_aud_array', await sign(hdr, claims({ aud: ['https://a.interop.test', 'https://b.interop.test'] }), main), 'ErrAudience');
  return v;
}

// Cases that are about no single algorithm: alg none, key confusion, the
// RFC 9864 name of EdDSA.
async function globalVectors(keys) {
  const v = [];
  const add = (name, alg, keyset, token, expected) => v.push({ name, alg, keyset, token, expected });
  const body = b64uJSON(claims());

  // tokengate refuses an empty signature part while splitting, before the
  // header is read: that is ErrMalformed. With a signature present, the
  // header's "none" is refused as an unsupported algorithm.
  add('none/alg_none', 'none', 'public', `${b64uJSON({ alg: 'none', typ: 'JWT' })}.${body}.`, 'ErrMalformed');
  add('none/alg_none_with_kid', 'none', 'public', `${b64uJSON({ alg: 'none', kid: kidOf('RS256') })}.${body}.`, 'ErrMalformed');
  add('none/alg_None', 'None', 'public', `${b64uJSON({ alg: 'None' })}.${body}.`, 'ErrMalformed');
  add('none/alg_None_with_signature', 'None', 'public', `${b64uJSON({ alg: 'None', kid: kidOf('RS256') })}.${body}.${b64u(fixedBytes(256))}`, 'ErrAlgorithm');
  add('none/alg_none_with_signature', 'none', 'secret', `${b64uJSON({ alg: 'none', kid: kidOf('HS256') })}.${body}.${b64u(fixedBytes(32))}`, 'ErrAlgorithm');

  // HS256 with the RSA public key as the HMAC secret (CVE-2015-9235 class):
  // jose signs it happily; tokengate never turns a public key into a secret.
  const rsaPub = await jose.importJWK(publicJWK('RS256', keys['RS256/main']), 'RS256', { extractable: true });
  const pem = await jose.exportSPKI(rsaPub);
  const pub = publicJWK('RS256', keys['RS256/main']);
  for (const [name, secret] of [
    ['spki_pem', enc.encode(pem)],
    ['spki_pem_no_newline', enc.encode(pem.trimEnd())],
    ['jwk_json', enc.encode(JSON.stringify(pub))],
    ['modulus', Buffer.from(pub.n, 'base64url')],
  ]) {
    add(`key_confusion/hs256_with_rs256_${name}`, 'HS256', 'public', await sign({ alg: 'HS256', kid: kidOf('RS256'), typ: 'JWT' }, claims(), secret), 'ErrKeyNotFound');
  }
  add('key_confusion/hs256_with_rs256_pem_no_kid', 'HS256', 'public', await sign({ alg: 'HS256', typ: 'JWT' }, claims(), enc.encode(pem)), 'ErrKeyNotFound');

  // HS256 tokens checked against the public key set (and the other way
  // round) find no key: the families never mix.
  const hs = await signKey(keys['HS256/main'], 'HS256');
  add('key_confusion/hs256_against_public_set', 'HS256', 'public', await sign({ alg: 'HS256', kid: kidOf('HS256') }, claims(), hs), 'ErrKeyNotFound');
  const rs = await signKey(keys['RS256/main'], 'RS256');
  add('key_confusion/rs256_against_secret_set', 'RS256', 'secret', await sign({ alg: 'RS256', kid: kidOf('RS256') }, claims(), rs), 'ErrKeyNotFound');

  // RFC 9864 "Ed25519" is the fully specified name of EdDSA with Ed25519:
  // the EdDSA-bound key accepts it.
  const ed = await signKey(keys['EdDSA/main'], 'Ed25519');
  add('EdDSA/alg_ed25519_name', 'Ed25519', 'public', await sign({ alg: 'Ed25519', kid: kidOf('EdDSA'), typ: 'JWT' }, claims(), ed), 'ok');
  return v;
}

async function main() {
  const { keys } = await loadKeys();
  const jwks = { keys: ALGS.filter((a) => !isHMAC(a)).map((a) => publicJWK(a, keys[`${a}/main`])) };
  const secrets = ALGS.filter(isHMAC).map((a) => ({ kid: kidOf(a), alg: a, k: keys[`${a}/main`].k }));
  const vectors = [];
  for (const alg of ALGS) vectors.push(...(await vectorsFor(alg, keys)));
  vectors.push(...(await globalVectors(keys)));

  // Self-check with jose itself: jose accepts every "ok" vector and rejects
  // every other one under the same rules (exp required, iat not in the
  // future), so the expected outcomes are not tokengate's opinion alone.
  await crossCheck(vectors, jwks, secrets);

  const doc = {
    description: 'Cross-implementation JWS test vectors for tokengate, signed with the npm package jose. Generated by interop/gen-vectors.mjs; do not edit by hand.',
    generator: `jose ${await joseVersion()}`,
    now: NOW,
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ALLOWED,
    jwks,
    secrets,
    vectors,
  };
  await writeFile(outFile, JSON.stringify(doc, null, 2) + '\n');
  const counts = {};
  for (const vec of vectors) {
    const group = vec.name.split('/')[0];
    counts[group] = (counts[group] ?? 0) + 1;
  }
  console.log(`wrote ${vectors.length} vectors to ${outFile}`);
  console.log(JSON.stringify(counts));
}

async function crossCheck(vectors, jwks, secrets) {
  const pubSet = jose.createLocalJWKSet(jwks);
  for (const vec of vectors) {
    const header = jose.decodeProtectedHeader(vec.token);
    let key = pubSet;
    let algorithms = vec.algorithms ?? ALLOWED.filter((a) => !isHMAC(a));
    if (vec.keyset === 'secret') {
      const s = secrets.find((x) => (header.kid ? x.kid === header.kid : x.alg === header.alg));
      key = s ? Buffer.from(s.k, 'base64url') : new Uint8Array(32);
      algorithms = vec.algorithms ?? (s ? [s.alg] : []);
    } else if (header.alg === 'Ed25519') {
      // jose's JWKS lookup matches keys by alg and does not map EdDSA to
      // Ed25519; import the OKP key for that name.
      const { alg: _drop, ...bare } = jwks.keys.find((k) => k.alg === 'EdDSA');
      key = await jose.importJWK(bare, 'Ed25519');
    }
    const opts = {
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: new Date(NOW * 1000),
      algorithms,
      requiredClaims: ['exp'],
      maxTokenAge: '1d',
    };
    let err = null;
    try {
      await jose.jwtVerify(vec.token, key, opts);
    } catch (e) {
      err = e;
    }
    if ((vec.expected === 'ok') !== (err === null)) {
      throw new Error(`jose disagrees on ${vec.name}: expected ${vec.expected}, jose said ${err ? err.code : 'ok'}`);
    }
  }
}

async function joseVersion() {
  const pkg = JSON.parse(await readFile(join(here, 'node_modules', 'jose', 'package.json'), 'utf8'));
  return pkg.version;
}

await main();
