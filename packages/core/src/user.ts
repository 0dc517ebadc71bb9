import type { JwtClaims } from './config.js';

/** The way a request was authenticated. */
export type AuthMethod = 'jwt' | 'static' | 'none';

/** The fields of an {@link AuthenticatedUser}. */
export interface AuthenticatedUserInit {
  subject: string;
  email?: string | null;
  name?: string | null;
  authMethod: AuthMethod;
  idpName?: string | null;
  /** The verified payload; it is frozen in place, not copied. */
  claims?: JwtClaims;
  scopes?: readonly string[];
  token?: string;
}

/**
 * The caller of a request, after verification.
 *
 * The raw token is kept in a private field: `user.token` reads it, but it never appears in
 * `JSON.stringify(user)`, `console.log(user)`, `util.inspect(user)` or any error message.
 *
 * @example
 * ```ts
 * const user = await verifier.verifyToken(token);
 * if (user.hasScopes('notes:read')) console.log(user.subject, user.authMethod);
 * ```
 */
export class AuthenticatedUser {
  /** The `sub` claim; for a static token, its configured subject. */
  readonly subject: string;
  /** `email`, else `preferred_username`, else `upn`. */
  readonly email: string | null;
  /** The `name` claim. */
  readonly name: string | null;
  readonly authMethod: AuthMethod;
  /** The IdP that issued the token (`azure`, `google` or a configured name). */
  readonly idpName: string | null;
  /** The full verified payload; empty for static and anonymous users. */
  readonly claims: Readonly<JwtClaims>;
  /** Scopes from `scope`, `scp` and `roles`, without duplicates, in order of appearance. */
  readonly scopes: readonly string[];
  readonly #token: string;

  constructor(init: AuthenticatedUserInit) {
    this.subject = init.subject;
    this.email = init.email ?? null;
    this.name = init.name ?? null;
    this.authMethod = init.authMethod;
    this.idpName = init.idpName ?? null;
    // The verifier passes a payload it parsed itself, so freezing it needs no copy.
    this.claims = Object.freeze(init.claims ?? {});
    this.scopes = Object.freeze([...(init.scopes ?? scopesFromClaims(this.claims))]);
    this.#token = init.token ?? '';
  }

  /** The raw token the request carried; empty for an anonymous user. */
  get token(): string {
    return this.#token;
  }

  /** Tells whether the user has every one of `scopes`. */
  hasScopes(...scopes: readonly string[]): boolean {
    return scopes.every((scope) => this.scopes.includes(scope));
  }

  /** Tells whether the user has at least one of `scopes`. */
  hasAnyScope(...scopes: readonly string[]): boolean {
    return scopes.some((scope) => this.scopes.includes(scope));
  }

  /** Returns the scopes of `required` that the user lacks. */
  missingScopes(required: readonly string[]): string[] {
    return required.filter((scope) => !this.scopes.includes(scope));
  }

  /** Shows every field except the token in `util.inspect` and `console.log`, getters included. */
  [Symbol.for('nodejs.util.inspect.custom')](
    depth: number,
    options: object,
    inspect: (value: unknown, options: object) => string,
  ): string {
    return `AuthenticatedUser ${inspect(this.toJSON(), { ...options, depth })}`;
  }

  /** Returns every field except the token, for `JSON.stringify`. */
  toJSON(): Omit<AuthenticatedUserInit, 'token'> {
    return {
      subject: this.subject,
      email: this.email,
      name: this.name,
      authMethod: this.authMethod,
      idpName: this.idpName,
      claims: this.claims,
      scopes: this.scopes,
    };
  }
}

/**
 * Collects scopes from `scope` (a space-separated string, RFC 8693 and RFC 9068), Entra's `scp`
 * (a space-separated string, or a list) and `roles` (a list of app roles).
 */
export function scopesFromClaims(claims: JwtClaims): string[] {
  const scopes = new Set<string>();
  for (const claim of ['scope', 'scp', 'roles']) {
    const value = claims[claim];
    const items = typeof value === 'string' ? value.split(' ') : Array.isArray(value) ? value : [];
    for (const item of items) {
      if (typeof item === 'string' && item !== '') scopes.add(item);
    }
  }
  return [...scopes];
}

/** Picks the user's e-mail from `email`, `preferred_username` or `upn`, in that order. */
export function emailFromClaims(claims: JwtClaims): string | null {
  for (const claim of ['email', 'preferred_username', 'upn']) {
    const value = claims[claim];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}
