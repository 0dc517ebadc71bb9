import { base64url } from 'jose';

type NodeCrypto = typeof import('node:crypto');

interface NodeBuffer {
  from(
    text: string,
    encoding: 'base64url' | 'latin1',
  ): Uint8Array & { toString(encoding: 'utf8'): string };
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
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes base64url text, with Node's native decoder where there is one. */
export function decodeBase64url(text: string): Uint8Array {
  return buffer === undefined ? base64url.decode(text) : buffer.from(text, 'base64url');
}

/**
 * Decodes base64url text to a string of UTF-8.
 *
 * @throws {TypeError} when the bytes are not valid UTF-8.
 */
export function decodeBase64urlText(text: string): string {
  if (buffer === undefined) return strictUtf8.decode(base64url.decode(text));
  const bytes = buffer.from(text, 'base64url');
  const decoded = bytes.toString('utf8');
  // Buffer turns invalid UTF-8 into U+FFFD without an error, so a replacement character sends
  // the bytes through the strict decoder, which throws on invalid input.
  return decoded.includes('\uFFFD') ? strictUtf8.decode(bytes) : decoded;
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
