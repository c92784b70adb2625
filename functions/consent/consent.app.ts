import { CONSENT_ROUTES } from '#infra/route-lists/consent.route-list.ts';
import { httpApp } from '../shared/http-app.ts';
import { lazyRoutes } from '../shared/lazy.ts';
import type { ConsentApp } from './consent.http.ts';

// By area, each loaded by its first request (functions/shared/lazy.ts): topics, a customer's
// consents (staff), the signed-in customer's own, the public link pages, suppressions, and
// marketing email.

export function consentHandler(app: ConsentApp) {
  return httpApp(
    CONSENT_ROUTES,
    {
      ...lazyRoutes(['GET /topics', 'PUT /topics'], async () => {
        const { getTopicsHandler, putTopicsHandler } = await import('./topics.handler.ts');
        return { 'GET /topics': getTopicsHandler, 'PUT /topics': putTopicsHandler };
      }),
      ...lazyRoutes(['GET /customers/{id}/consents', 'POST /customers/{id}/consents'], async () => {
        const { getConsentsHandler, postConsentHandler } = await import('./customer-consents.handler.ts');
        return { 'GET /customers/{id}/consents': getConsentsHandler, 'POST /customers/{id}/consents': postConsentHandler };
      }),
      ...lazyRoutes(['GET /me/consents', 'PUT /me/consents'], async () => {
        const { getMyConsentsHandler, putMyConsentsHandler } = await import('./me-consents.handler.ts');
        return { 'GET /me/consents': getMyConsentsHandler, 'PUT /me/consents': putMyConsentsHandler };
      }),
      ...lazyRoutes(['GET /optin/confirm', 'POST /optin/confirm', 'GET /unsubscribe', 'POST /unsubscribe', 'GET /preferences'], async () => {
        const [optIn, unsubscribe] = await Promise.all([import('./optin.handler.ts'), import('./unsubscribe.handler.ts')]);
        return {
          'GET /optin/confirm': optIn.optInPageHandler,
          'POST /optin/confirm': optIn.confirmOptInHandler,
          'GET /unsubscribe': unsubscribe.unsubscribePageHandler,
          'POST /unsubscribe': unsubscribe.unsubscribeHandler,
          'GET /preferences': unsubscribe.preferencesPageHandler,
        };
      }),
      ...lazyRoutes(['GET /suppressions', 'DELETE /suppressions/{email}'], async () => {
        const { deleteSuppressionHandler, listSuppressionsHandler } = await import('./suppressions.handler.ts');
        return { 'GET /suppressions': listSuppressionsHandler, 'DELETE /suppressions/{email}': deleteSuppressionHandler };
      }),
      ...lazyRoutes(['POST /customers/{id}/emails'], async () => ({ 'POST /customers/{id}/emails': (await import('./send-email.handler.ts')).sendEmailHandler })),
    },
    app,
  );
}
