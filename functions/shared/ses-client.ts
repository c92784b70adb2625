import { SESv2Client, type SESv2ClientConfig } from '@aws-sdk/client-sesv2';
import { boundedClientConfig, type ClientLimits } from './bounded-client.ts';

/**
 * Every SES call is bounded, as every DynamoDB call is (table-client.ts): a marketing email sent
 * inside a request must not wait for a silent endpoint until Lambda's timeout. SES answers a
 * SendEmail in well under a second; three attempts of at most 1 s to connect and 3 s to answer end
 * inside the functions' timeout, and the caller gets a 503 with Retry-After (or, for mail caused
 * by an event, the delivery is retried).
 */
export const SES_CLIENT_LIMITS: ClientLimits = { connectionTimeoutMs: 1_000, requestTimeoutMs: 3_000, maxAttempts: 3 };

/** One SES client per process (module scope of each composition root). */
export function createSesClient(config: SESv2ClientConfig = {}): SESv2Client {
  return new SESv2Client({ ...boundedClientConfig(SES_CLIENT_LIMITS), ...config });
}
