/** Injection token of the verifier and checked options that the guard uses. */
export const REMEM_AUTH_SETTINGS = Symbol('RememAuthSettings');
