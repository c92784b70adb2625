import './portal.css';
import { useRef, useState } from 'preact/hooks';
import { useLocation } from 'wouter-preact';
import { api, unwrap } from '../../api/client.ts';
import { type ApiProblem, toProblem } from '../../api/problem.ts';
import { validateRequestBody } from '../../forms/validate.ts';
import { Field, Page, ProblemAlert } from '../../ui/index.ts';

// Open a case (POST /me/cases): the API files it on channel web, queue general, priority normal.
// One Idempotency-Key per filled-in form, so a retry after a lost answer opens one case, not two.

export function OpenCaseScreen() {
  const [, navigate] = useLocation();
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(crypto.randomUUID());

  async function submit(event: Event) {
    event.preventDefault();
    setProblem(null);
    const body = { subject: subject.trim(), ...(description.trim() ? { description: description.trim() } : {}) };
    const invalid = validateRequestBody('openMyCase', body);
    setErrors(invalid);
    if (Object.keys(invalid).length > 0) return;
    setBusy(true);
    try {
      const opened = await unwrap(await api().POST('/me/cases', { body, headers: { 'Idempotency-Key': key.current } }));
      navigate(`/me/cases/${encodeURIComponent(opened.id)}`);
    } catch (error) {
      const found = toProblem(error);
      setProblem(found);
      setErrors(Object.fromEntries((found.errors ?? []).map((e) => [e.path, e.message])));
      setBusy(false);
    }
  }

  const edited = (set: (value: string) => void) => (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => {
    key.current = crypto.randomUUID();
    set(e.currentTarget.value);
  };

  return (
    <Page title="Open a case">
      <form class="portal-form" onSubmit={submit} noValidate>
        <Field label="Subject" name="subject" error={errors['subject']} value={subject} onInput={edited(setSubject)} maxLength={200} />
        <Field label="What happened?" name="description" error={errors['description']} hint="Optional. Do not include passwords or card numbers.">
          <textarea rows={6} value={description} onInput={edited(setDescription)} />
        </Field>
        <ProblemAlert problem={problem} />
        <button type="submit" disabled={busy}>
          Open case
        </button>
      </form>
    </Page>
  );
}
