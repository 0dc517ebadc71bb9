// The guard and the filter write to the platform's response object: an Express `Response` (a
// Node `ServerResponse`) or a Fastify `FastifyReply`. Only Fastify's reply has `code()`.

interface ExpressResponse {
  setHeader(name: string, value: string): unknown;
  status(code: number): ExpressResponse;
  send(body: Buffer): unknown;
}

interface FastifyReply {
  header(name: string, value: string): unknown;
  code(code: number): FastifyReply;
  send(body: Buffer): unknown;
}

/** Sets `headers` on the response, except `content-type`, which the body's writer sets. */
export function setResponseHeaders(response: object, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (name !== 'content-type') setHeader(response, name, value);
  }
}

/** Sends a rendered error with its exact headers and body bytes. */
export function sendRendered(
  response: object,
  rendered: { status: number; headers: Record<string, string>; body: string },
): void {
  // A Buffer keeps the core's `content-type` exactly; both platforms add a charset to a string.
  const body = Buffer.from(rendered.body);
  for (const [name, value] of Object.entries(rendered.headers)) {
    setHeader(response, name, value);
  }
  if (isFastifyReply(response)) {
    response.code(rendered.status).send(body);
  } else {
    (response as ExpressResponse).status(rendered.status).send(body);
  }
}

function setHeader(response: object, name: string, value: string): void {
  if (isFastifyReply(response)) {
    response.header(name, value);
  } else {
    // Node's own setter: Express's `res.set()` would append a charset to `content-type`.
    (response as ExpressResponse).setHeader(name, value);
  }
}

function isFastifyReply(response: object): response is FastifyReply {
  return typeof (response as Partial<FastifyReply>).code === 'function';
}
