import { base64url } from 'jose';

type NodeCrypto = typeof import('node:crypto');

interface NodeBuffer {
  from(text: string, encoding: 'base64url' | 'latin1'): Uint8Array;
}

interface ProcessLike {
  getBuiltinModule?: (name: string) => unknown;
}

/**
 * Node's crypto module where the runtime offers `process.getBuiltinModule` (Node 20.16+, Bun,
 * Deno), else `undefined`. It is looked up at run time, so bundlers for Workers see no import
 * and WebCrypto is used there.
 */
export const nodeCrypto: NodeCrypto | undefined = (() => {
  const processLike = (globalThis as { process?: ProcessLike }).process;
  try {
    return processLike?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
  } catch {
    return undefined;
  }
})();

const buffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;
const encoder = new TextEncoder();

/** Decodes base64url text, with Node's native decoder where there is one. */
export function decodeBase64url(text: string): Uint8Array {
  return buffer === undefined ? base64url.decode(text) : buffer.from(text, 'base64url');
}

/** Encodes ASCII text (a JWS signing input) as bytes. */
export function asciiBytes(text: string): Uint8Array {
  return buffer === undefined ? encoder.encode(text) : buffer.from(text, 'latin1');
}

/** Returns the SHA-256 digest of a string's UTF-8 bytes. */
export async function sha256(text: string): Promise<Uint8Array> {
  if (nodeCrypto !== undefined) return nodeCrypto.createHash('sha256').update(text).digest();
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}
