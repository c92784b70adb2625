/**
 * Port: signed, expiring tokens for links in email (HMAC in the adapter). Async because the adapter
 * reads its keys on first use (on AWS from SSM), not at cold start.
 */
export interface TokenSigner {
  sign(payload: TokenPayload): Promise<string>;
  verify(token: string, now: Date): Promise<TokenPayload | 'expired' | 'invalid'>;
}

/** Confirmation and unsubscribe links (consent). */
export interface ConsentTokenPayload {
  /** What the token may be used for. */
  readonly purpose: 'optin' | 'unsubscribe';
  readonly customerId: string;
  readonly topic: string;
  /** Token id: the proof recorded in the consent ledger. */
  readonly id: string;
  /** Unsubscribe links of campaign mail: the campaign, whose report counts the unsubscribe. */
  readonly campaignId?: string;
  /** Expiry, epoch seconds (absent: does not expire). */
  readonly exp?: number;
}

/** A satisfaction survey's score link (issue 11): one token per score, all naming the same survey. */
export interface CsatTokenPayload {
  readonly purpose: 'csat';
  readonly caseId: string;
  readonly surveyId: string;
  /** Whom the survey was sent to. */
  readonly customerId: string;
  readonly score: number;
  readonly exp: number;
}

/** The purpose tells them apart, so a token made for one use is never accepted for another. */
export type TokenPayload = ConsentTokenPayload | CsatTokenPayload;
