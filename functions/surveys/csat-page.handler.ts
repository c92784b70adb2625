import { ValidationError } from '#domain/shared/errors.ts';
import { CsatForm } from '#domain/surveys/csat.schema.ts';
import { page } from '../consent/pages.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { formFields } from '../shared/request.ts';
import { answerForm, failurePage, thanks } from './csat-pages.ts';
import { type CsatApp, CsatPageQuery } from './csat.http.ts';

// Pages, not JSON: a person clicked a link in the survey email. GET only shows the form, because
// mail scanners follow every link in a message; the form's POST records the answer.

/** GET /csat?token=&score= (public): the form with that score selected. */
export const csatPageHandler: RouteHandler<CsatApp> = async (request, app) => {
  try {
    const query = CsatPageQuery.safeParse({ ...request.query });
    if (!query.success) throw new ValidationError('This survey link is not valid.');
    const { token, score } = query.data;
    const shown = await app.csat.page(token, score === undefined ? undefined : Number(score));
    return page(200, 'How did we do?', answerForm(shown, token, shown.score));
  } catch (error) {
    return failurePage(error);
  }
};

/** POST /csat (public, form body token, score, comment?): records the answer; the last one counts. */
export const submitCsatHandler: RouteHandler<CsatApp> = async (request, app) => {
  try {
    const fields = formFields(request);
    const given = Object.fromEntries((['token', 'score', 'comment'] as const).flatMap((name) => (fields.has(name) ? [[name, fields.get(name)]] : [])));
    const form = CsatForm.safeParse(given);
    if (!form.success) throw new ValidationError(fields.get('token') ? 'Please choose a score from 1 to 5 (and keep the comment under 2,000 characters).' : 'This survey link is not valid.');
    const { number, score } = await app.csat.answer(form.data, { correlationId: request.correlationId });
    return page(200, 'Thank you', thanks(number, score));
  } catch (error) {
    return failurePage(error);
  }
};
