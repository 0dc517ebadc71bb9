// Scenario 1: verifications per second, this library against its peers and the bare signature
// check, for RS256 and ES256 at concurrency 1 and 64.
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { AuthVerifier, silentLogger } from '@remem/auth-core';
import { startLocalIdp } from '@remem/auth-testing';
import { JwtVerifier } from 'aws-jwt-verify';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import jwt from 'jsonwebtoken';
import jwksClient from 'jwks-rsa';
import { median, throughput, tokenFactory } from './measure.mjs';

function floorCheck(idp) {
  const jwk = idp.jwks().keys[0];
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const options = jwk.kty === 'EC' ? { key, dsaEncoding: 'ieee-p1363' } : key;
  return async (token) => {
    const dot = token.lastIndexOf('.');
    const ok = cryptoVerify(
      'sha256',
      Buffer.from(token.slice(0, dot)),
      options,
      Buffer.from(token.slice(dot + 1), 'base64url'),
    );
    if (!ok) throw new Error('bare signature check failed');
  };
}

async function contenders(idp, alg) {
  const verifier = () =>
    new AuthVerifier({ idps: [idp.idpConfig({ algorithms: [alg] })], logger: silentLogger });
  const jwks = createRemoteJWKSet(new URL(idp.jwksUri));
  const aws = JwtVerifier.create({
    issuer: idp.issuer,
    audience: idp.audience,
    jwksUri: idp.jwksUri,
  });
  aws.cacheJwks(idp.jwks());
  const client = jwksClient({ jwksUri: idp.jwksUri, cache: true });
  return {
    floor: () => floorCheck(idp),
    ours: () => {
      const instance = verifier();
      return (token) => instance.verifyToken(token);
    },
    jose: () => (token) =>
      jwtVerify(token, jwks, { issuer: idp.issuer, audience: idp.audience, algorithms: [alg] }),
    'aws-jwt-verify': () => (token) => aws.verify(token),
    'jsonwebtoken + jwks-rsa': () => async (token) => {
      const { header } = jwt.decode(token, { complete: true });
      const key = await client.getSigningKey(header.kid);
      jwt.verify(token, key.getPublicKey(), {
        algorithms: [alg],
        issuer: idp.issuer,
        audience: idp.audience,
      });
    },
  };
}

/** Measures every contender; returns rows of { alg, concurrency, name, opsPerSecond }. */
export async function runVerify({ tokens: count, runs }) {
  const rows = [];
  for (const alg of ['RS256', 'ES256']) {
    const idp = await startLocalIdp({ algorithms: [alg] });
    try {
      const mint = tokenFactory(idp, idp.keys[0]);
      const fresh = Array.from({ length: count }, () => mint());
      const repeated = fresh[0];
      const all = await contenders(idp, alg);

      for (const concurrency of [1, 64]) {
        const cases = [
          ['bare signature check (floor)', all.floor, false],
          ['remem-auth, fresh token', all.ours, false],
          ['remem-auth, repeated token', all.ours, true],
          ['jose.jwtVerify + remote JWKS', all.jose, false],
          ['aws-jwt-verify', all['aws-jwt-verify'], false],
          ['jsonwebtoken + jwks-rsa', all['jsonwebtoken + jwks-rsa'], false],
        ];
        // Runs go round the contenders, in reverse order every other run, so that a slow spell
        // of the machine or a position in the order favours no contender.
        const samples = cases.map(() => []);
        for (let run = 0; run < runs; run += 1) {
          const order = [...cases.keys()];
          if (run % 2 === 1) order.reverse();
          for (const index of order) {
            const [, build, useRepeated] = cases[index];
            const operation = build();
            await operation(fresh[fresh.length - 1]); // loads keys outside the timed part
            const pick = useRepeated ? () => repeated : (position) => fresh[position];
            samples[index].push(
              await throughput((position) => operation(pick(position)), count, concurrency),
            );
          }
        }
        for (const [index, [name]] of cases.entries()) {
          rows.push({ alg, concurrency, name, opsPerSecond: median(samples[index]) });
        }
      }
    } finally {
      await idp.close();
    }
  }
  return rows;
}
