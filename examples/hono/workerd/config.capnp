# Serves the Workers variant with workerd on 127.0.0.1:8787. Build it first with
# `pnpm build:worker`, then run `pnpm start:worker`.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .exampleWorker),
    # The worker may fetch JWK Sets from the public internet and from a local IdP on loopback.
    (name = "outbound", network = (allow = ["public", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "main")],
);

const exampleWorker :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "../dist/worker.mjs")],
  compatibilityDate = "2025-09-01",
  globalOutbound = "outbound",
  bindings = [
    # The same REMEM_AUTH_* variables as on Node. Replace this development token.
    (name = "REMEM_AUTH_STATIC_TOKENS", text = "dev-static-token"),
  ],
);
