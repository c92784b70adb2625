/** One outgoing email. `kind` decides which gate applies (marketing needs consent; issue 5). */
export interface EmailMessage {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly kind: 'service' | 'marketing';
  readonly headers?: Readonly<Record<string, string>>;
  /** Message tags beside `kind` (SES EmailTags; feedback events carry them back, e.g. `campaign`). */
  readonly tags?: Readonly<Record<string, string>>;
  /** One logical email however often a retry sends it: recorded once under this key. */
  readonly deliveryKey?: string;
}

/** Port: the one way the system sends email. */
export interface EmailSender {
  send(message: EmailMessage): Promise<{ messageId: string }>;
}

/** C0 and C1 controls, DEL and the Unicode line and paragraph separators: nothing a header may hold. */
const CONTROLS = '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029';
export const CONTROL_CHARACTER = new RegExp(`[${CONTROLS}]`);
/** Text with none of them: one header line (what API input that becomes a header must match). */
export const ONE_LINE = new RegExp(`^[^${CONTROLS}]*$`);
const CONTROL_RUN = new RegExp(`[ \\t]*[${CONTROLS}][\\s${CONTROLS}]*`, 'g');

/**
 * A value fit for one header line: each run of control characters (with the blanks around it)
 * becomes one space, so stored text with CR/LF can neither fold nor add a header (Bcc:, a MIME part).
 */
export function headerSafe(value: string): string {
  return value.replace(CONTROL_RUN, ' ').trim();
}
