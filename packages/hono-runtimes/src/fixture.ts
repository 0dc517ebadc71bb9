/**
 * What the Node host hands to the suite in each runtime: where the keys are, and tokens that the
 * local IdP minted for each case. The runtimes verify the tokens but never sign one.
 */
export interface Fixture {
  /** `REMEM_AUTH_IDPS_JSON` for the local IdP, whose JWK Set is served on 127.0.0.1. */
  idpsJson: string;
  staticToken: string;
  tokens: {
    /** A JWT with subject `runtime-user` and scope `notes:read`. */
    valid: string;
    /** A JWT that expired an hour ago. */
    expired: string;
    /** A JWT with scope `notes:write` only. */
    writeOnly: string;
  };
}

/** The counts that every runtime prints as one JSON line. */
export interface SuiteResult {
  runtime: string;
  passed: number;
  failed: number;
  failures: { name: string; message: string }[];
}
