// The README's first example, with its printed result checked.
import assert from 'node:assert/strict';
import { AuthVerifier } from '@remem/auth-core';
import { startLocalIdp } from '@remem/auth-testing';

const idp = await startLocalIdp({ algorithms: ['RS256', 'ES256'] });
const verifier = new AuthVerifier({ idps: [idp.idpConfig()] });

const token = await idp.mintToken({ claims: { sub: 'alice', scope: 'notes:read' } });
const user = await verifier.verifyToken(token);
assert.equal(user.subject, 'alice');
assert.deepEqual(user.scopes, ['notes:read']);

await idp.close();
console.log('testing example passed');
