import { CONSENT_ROUTES } from '#infra/routes.ts';
import { httpApp } from '../shared/http-app.ts';
import type { ConsentApp } from './consent.http.ts';
import { getConsentsHandler, postConsentHandler } from './customer-consents.handler.ts';
import { getMyConsentsHandler, putMyConsentsHandler } from './me-consents.handler.ts';
import { confirmOptInHandler, optInPageHandler } from './optin.handler.ts';
import { sendEmailHandler } from './send-email.handler.ts';
import { deleteSuppressionHandler, listSuppressionsHandler } from './suppressions.handler.ts';
import { getTopicsHandler, putTopicsHandler } from './topics.handler.ts';
import { preferencesPageHandler, unsubscribeHandler, unsubscribePageHandler } from './unsubscribe.handler.ts';

export function consentHandler(app: ConsentApp) {
  return httpApp(
    CONSENT_ROUTES,
    {
      'GET /topics': getTopicsHandler,
      'PUT /topics': putTopicsHandler,
      'GET /customers/{id}/consents': getConsentsHandler,
      'POST /customers/{id}/consents': postConsentHandler,
      'GET /optin/confirm': optInPageHandler,
      'POST /optin/confirm': confirmOptInHandler,
      'GET /unsubscribe': unsubscribePageHandler,
      'POST /unsubscribe': unsubscribeHandler,
      'GET /preferences': preferencesPageHandler,
      'GET /suppressions': listSuppressionsHandler,
      'DELETE /suppressions/{email}': deleteSuppressionHandler,
      'GET /me/consents': getMyConsentsHandler,
      'PUT /me/consents': putMyConsentsHandler,
      'POST /customers/{id}/emails': sendEmailHandler,
    },
    app,
  );
}
