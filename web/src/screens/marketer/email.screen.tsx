import { useState } from 'preact/hooks';
import { api, type components, unwrap } from '../../api/client.ts';
import { type ApiProblem, toProblem } from '../../api/problem.ts';
import { validateRequestBody } from '../../forms/validate.ts';
import { Field, Page, ProblemAlert, useResource } from '../../ui/index.ts';
import { outcomeMessage } from './campaign-funnel.ts';
import '../backoffice.css';

const EMPTY = { customerId: '', topic: '', subject: '', text: '' };

/**
 * A one-to-one marketing email (POST /customers/{id}/emails) through the consent gate. The gate's
 * answer is shown as the API gives it: sent with its message id, or blocked with the gate's reason.
 */
export function EmailScreen() {
  const topics = useResource(() => api().GET('/topics').then(unwrap), []);
  const [form, setForm] = useState(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [outcome, setOutcome] = useState<components['schemas']['EmailOutcome'] | null>(null);
  const [sending, setSending] = useState(false);

  async function send(event: Event) {
    event.preventDefault();
    setProblem(null);
    setOutcome(null);
    const body = { topic: form.topic, subject: form.subject, text: form.text };
    const found = validateRequestBody('sendEmail', body);
    if (form.customerId.trim() === '') found.customerId = 'Required.';
    setErrors(found);
    if (Object.keys(found).length) return;
    setSending(true);
    try {
      setOutcome(await unwrap(await api().POST('/customers/{id}/emails', { params: { path: { id: form.customerId.trim() } }, body })));
    } catch (e) {
      const p = toProblem(e);
      setProblem(p);
      if (p.errors) setErrors(Object.fromEntries(p.errors.map((issue) => [issue.path, issue.message])));
    } finally {
      setSending(false);
    }
  }

  const set = (change: Partial<typeof EMPTY>) => setForm((f) => ({ ...f, ...change }));
  const message = outcome ? outcomeMessage(outcome) : null;
  return (
    <Page title="Send an email">
      <ProblemAlert problem={topics.problem} />
      <form onSubmit={send} noValidate>
        <div class="editor-grid">
          <Field label="Customer id" name="customerId" value={form.customerId} error={errors.customerId} onInput={(e) => set({ customerId: e.currentTarget.value })} />
          <Field label="Topic" name="topic" error={errors.topic}>
            <select value={form.topic} onChange={(e) => set({ topic: e.currentTarget.value })}>
              <option value="">Choose a topic</option>
              {(topics.data ?? []).map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} ({t.purpose})
                </option>
              ))}
            </select>
          </Field>
        </div>
        <Field label="Subject" name="subject" hint="Placeholders: {{firstName}}, {{lastName}}, {{email}}." value={form.subject} error={errors.subject} onInput={(e) => set({ subject: e.currentTarget.value })} />
        <Field label="Text" name="text" error={errors.text}>
          <textarea rows={6} value={form.text} onInput={(e) => set({ text: e.currentTarget.value })} />
        </Field>
        <ProblemAlert problem={problem} />
        {message ? (
          message.sent ? (
            <p role="status" class="outcome-sent">
              {message.text}
            </p>
          ) : (
            <div class="problem" role="alert">
              <p class="problem-title">Blocked by the consent gate</p>
              <p>{message.text}</p>
            </div>
          )
        ) : null}
        <div class="actions">
          <button type="submit" disabled={sending}>
            {sending ? 'Sending…' : 'Send'}
          </button>
        </div>
      </form>
    </Page>
  );
}
