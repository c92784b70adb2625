/** Port: signed, expiring tokens for confirmation and unsubscribe links (HMAC in the adapter). */
export interface TokenSigner {
  sign(payload: TokenPayload): string;
  verify(token: string, now: Date): TokenPayload | 'expired' | 'invalid';
}

export interface TokenPayload {
  /** What the token may be used for. */
  readonly purpose: 'optin' | 'unsubscribe';
  readonly customerId: string;
  readonly topic: string;
  /** Token id: the proof recorded in the consent ledger. */
  readonly id: string;
  /** Expiry, epoch seconds (absent: does not expire). */
  readonly exp?: number;
  /** The campaign whose mail carried the link (its unsubscribes are counted on its report). */
  readonly campaignId?: string;
}
