import { AuthVerifier, loadAuthConfig } from '@remem/auth-core';
import { buildApp } from './app.js';

// The configuration comes from the REMEM_AUTH_* variables, as in every service of the fleet.
const verifier = new AuthVerifier(loadAuthConfig());
await verifier.warmUp();

const app = await buildApp(verifier, { logger: true });
await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 3000) });
