// Entry point for workerd. The host calls `GET /suite` for the in-worker suite, and `/api/me`
// over HTTP, whose verifier the middleware builds from the bindings.
import { loadAuthConfig } from '@remem/auth-core';
import { getUser, type RememAuthVariables, rememAuth } from '@remem/auth-hono';
import { Hono } from 'hono';
import type { Fixture } from './fixture.js';
import { runSuite } from './suite.js';

// A type alias, not an interface, so that it is assignable to loadAuthConfig's record parameter.
type Bindings = {
  FIXTURE: string;
  REMEM_AUTH_STATIC_TOKENS: string;
  REMEM_AUTH_IDPS_JSON: string;
};

const app = new Hono<{ Bindings: Bindings; Variables: RememAuthVariables }>();

app.get('/suite', async (c) =>
  c.json(await runSuite(JSON.parse(c.env.FIXTURE) as Fixture, 'workerd')),
);
app.use('/api/*', rememAuth<{ Bindings: Bindings }>({ config: (c) => loadAuthConfig(c.env) }));
app.get('/api/me', (c) => c.json({ subject: getUser(c)?.subject }));

export default app;
