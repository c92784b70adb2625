import { escapeHtml } from '#domain/consent/email-gate.ts';
import { DomainError } from '#domain/shared/errors.ts';
import { SCORES } from '#domain/surveys/survey.ts';
import { scoreWord } from '#domain/surveys/survey-mail.use-cases.ts';
import { page } from '../consent/pages.ts';

// The survey's pages (no scripts, no trackers), in the consent pages' frame.

/** The answer form: a labelled radio group with the link's score selected, an optional comment, one button (a POST, which mail scanners do not send). */
export function answerForm(c: { number: string; subject: string }, token: string, score: number): string {
  const radios = SCORES.map(
    (n) =>
      `<div><input type="radio" id="score-${n}" name="score" value="${n}" required${n === score ? ' checked' : ''}><label for="score-${n}">${n} - ${escapeHtml(scoreWord(n))}</label></div>`,
  ).join('');
  return `<p>Case <b>${escapeHtml(c.number)}</b>: ${escapeHtml(c.subject)}</p>
<form method="post" action="csat"><input type="hidden" name="token" value="${escapeHtml(token)}">
<fieldset><legend>How satisfied are you with the help you got?</legend>${radios}</fieldset>
<p><label for="comment">Anything you want to tell us? (optional)</label><br><textarea id="comment" name="comment" rows="5" cols="40" maxlength="2000"></textarea></p>
<button type="submit">Send my answer</button></form>
<p>Nothing is recorded until you send your answer.</p>`;
}

export function thanks(number: string, score: number): string {
  return `<p>Thank you. Your answer for case <b>${escapeHtml(number)}</b> is recorded: ${score} - ${escapeHtml(scoreWord(score))}.</p><p>Changed your mind? Use the link in the email again: your last answer counts.</p>`;
}

/** A bad link or form as a page (a person clicked it): tampered 400, expired 410, nothing to rate 404. */
export function failurePage(error: unknown) {
  if (!(error instanceof DomainError)) throw error;
  if (error.kind === 'gone') return page(410, 'Link expired', '<p>This survey link has expired. Thank you all the same.</p>');
  if (error.kind === 'validation') return page(400, 'Link not valid', `<p>${escapeHtml(error.message)} Please use a link from the email exactly as it was sent.</p>`);
  return page(404, 'Not found', '<p>There is nothing to rate for this link.</p>');
}
