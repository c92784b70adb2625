/** One outgoing email. `kind` decides which gate applies (marketing needs consent; issue 5). */
export interface EmailMessage {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly kind: 'service' | 'marketing';
  readonly headers?: Readonly<Record<string, string>>;
}

/** Port: the one way the system sends email. */
export interface EmailSender {
  send(message: EmailMessage): Promise<{ messageId: string }>;
}
