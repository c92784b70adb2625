import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '#infra/topology.ts';
import type { EmailSettings } from './stack-settings.ts';

export interface CrmAuthProps {
  /**
   * The stack's SES identity: Cognito sends its mail (invitations, verification and recovery
   * codes) from it and through its configuration set, instead of Cognito's own mailer with its
   * 50 emails a day and its no-reply@verificationemail.com sender.
   */
  readonly email?: { readonly settings: EmailSettings; readonly configurationSetName: string };
}

/** The claim functions/shared/auth.ts reads for customer (self-service) tokens. */
export const CUSTOMER_ID_ATTRIBUTE = 'customerId';
/** The claim functions/shared/auth.ts reads for partner tokens: the partner account the user works for. */
export const PARTNER_ACCOUNT_ATTRIBUTE = 'accountId';

/**
 * Who may call the API. Staff and customers sign in to one user pool; the topology's roles are
 * Cognito groups (claim `cognito:groups`), a customer's profile id is `custom:customerId`, a partner user's account `custom:accountId`.
 * Handlers authorise by role; API Gateway only verifies the token.
 */
/** What an app client may read: the person's email and names, and the claims the API authorizes on. */
export function appClientReadAttributes(): cognito.ClientAttributes {
  return new cognito.ClientAttributes()
    .withStandardAttributes({ email: true, emailVerified: true, givenName: true, familyName: true })
    .withCustomAttributes(CUSTOMER_ID_ATTRIBUTE, PARTNER_ACCOUNT_ATTRIBUTE);
}

export class CrmAuth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly appClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: CrmAuthProps = {}) {
    super(scope, id);
    const mail = props.email;
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      ...(mail
        ? {
            email: cognito.UserPoolEmail.withSES({
              fromEmail: mail.settings.fromAddress,
              ...(mail.settings.domain ? { sesVerifiedDomain: mail.settings.domain } : {}),
              configurationSetName: mail.configurationSetName,
              // The identity is in the stack's own region.
              sesRegion: Stack.of(this).region,
            }),
          }
        : {}),
      // Accounts are created by staff (admins invite staff, customer accounts follow a profile).
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A changed email only replaces the sign-in address once verified (no takeover by typo).
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        // Mutable so that merging two customer profiles can re-point a login (admin API only:
        // the app client below cannot write it, so a user can never change their own claim).
        [CUSTOMER_ID_ATTRIBUTE]: new cognito.StringAttribute({ mutable: true }),
        // Set by an admin when inviting a partner user (group `partner`); like customerId, the app client cannot write it.
        [PARTNER_ACCOUNT_ATTRIBUTE]: new cognito.StringAttribute({ mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // The pool guards personal data: every user enrols an authenticator app. TOTP only: SMS
      // would add an IAM role and per-message cost.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Lite covers JWTs, groups, custom attributes and TOTP; it has no monthly fee and the lowest
      // per-MAU price. Move to Essentials/Plus only for a feature that needs it.
      featurePlan: cognito.FeaturePlan.LITE,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason: 'The Plus feature plan (threat protection) is billed per monthly active user at several times the Lite price; MFA is required for every user instead. Opt in per deployment if the risk profile needs it.',
    });

    ROLES.forEach((role, precedence) => {
      new cognito.UserPoolGroup(this, `Group-${role}`, {
        userPool: this.userPool,
        groupName: role,
        description: `CRM role ${role}`,
        // Lower wins when a user is in several groups; ROLES lists the most privileged first.
        precedence,
      });
    });

    // One public client for the frontends (browser and mobile apps hold no secret). Callers send
    // the ID token: it carries `aud` = this client id, `cognito:groups` and `custom:customerId`.
    this.appClient = this.userPool.addClient('FrontendClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: appClientReadAttributes(),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({
        email: true,
        givenName: true,
        familyName: true,
      }),
    });
  }
}
