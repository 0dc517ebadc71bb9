// The Cloudflare Workers variant. Workers have no process.env, so the middleware builds the
// verifier from the bindings on the first request, and reuses it while the isolate lives.
import { configFromBindings, createApp } from './app.js';

export default createApp(configFromBindings);
