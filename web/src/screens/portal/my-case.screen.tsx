import './portal.css';
import { useCallback, useRef, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { api, type components, unwrap } from '../../api/client.ts';
import { type ApiProblem, toProblem } from '../../api/problem.ts';
import { validateRequestBody } from '../../forms/validate.ts';
import type { ScreenProps } from '../../app/routes.tsx';
import { Field, Page, Pager, ProblemAlert, usePagedList, useResource } from '../../ui/index.ts';
import { authorLabel, canClose, canReply, CASE_STATUS_LABELS, replyNote } from './my-cases.ts';

// One of the person's cases (GET /me/cases/{id}) with its public comments, oldest first: the API
// never answers internal notes here, and answers 404 for a case that is not the token's customer's,
// which this screen shows as the API words it.

type MyCase = components['schemas']['MyCase'];

export function MyCaseScreen({ params }: ScreenProps) {
  const id = params['caseId'] ?? '';
  const found = useResource(async () => unwrap(await api().GET('/me/cases/{id}', { params: { path: { id } } })), [id]);
  const fetchComments = useCallback(
    async (cursor?: string) => unwrap(await api().GET('/me/cases/{id}/comments', { params: { path: { id }, query: { limit: 50, ...(cursor ? { cursor } : {}) } } })),
    [id],
  );
  const comments = usePagedList(fetchComments);
  const c = found.data;
  const refresh = () => {
    found.reload();
    comments.reload();
  };
  return (
    <Page title={c ? `Case ${c.number}` : 'Case'} actions={<Link href="/me/cases">All my cases</Link>}>
      <ProblemAlert problem={found.problem} />
      {c ? (
        <>
          <h2 class="portal-subject">{c.subject}</h2>
          <dl class="portal-facts">
            <dt>Status</dt>
            <dd>{CASE_STATUS_LABELS[c.status]}</dd>
            <dt>Opened</dt>
            <dd>{c.createdAt.slice(0, 10)}</dd>
          </dl>
          {c.description ? <p class="portal-description">{c.description}</p> : null}
          <h2>Conversation</h2>
          {comments.problem ? null : (
            <ol class="portal-conversation" aria-label="Conversation">
              {comments.items.map((comment) => (
                <li key={comment.id} class={comment.authorType === 'customer' ? 'portal-mine' : 'portal-theirs'}>
                  <p class="portal-meta">
                    <strong>{authorLabel(comment)}</strong> · {comment.createdAt.slice(0, 16).replace('T', ' ')} UTC
                  </p>
                  <p class="portal-body">{comment.body}</p>
                </li>
              ))}
            </ol>
          )}
          <Pager list={comments} label="Show later comments" />
          {canReply(c) ? <ReplyForm c={c} onAdded={refresh} /> : <p>This case is closed. To follow up, open a new case.</p>}
          {canClose(c) ? <CloseCase c={c} onClosed={refresh} /> : null}
        </>
      ) : found.loading ? (
        <p role="status">Loading…</p>
      ) : null}
    </Page>
  );
}

function ReplyForm({ c, onAdded }: { c: MyCase; onAdded: () => void }) {
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(crypto.randomUUID());
  const note = replyNote(c);

  async function submit(event: Event) {
    event.preventDefault();
    setProblem(null);
    const comment = { body: body.trim() };
    const invalid = validateRequestBody('addMyComment', comment);
    setErrors(invalid);
    if (Object.keys(invalid).length > 0) return;
    setBusy(true);
    try {
      await unwrap(await api().POST('/me/cases/{id}/comments', { params: { path: { id: c.id } }, body: comment, headers: { 'Idempotency-Key': key.current } }));
      key.current = crypto.randomUUID();
      setBody('');
      onAdded();
    } catch (error) {
      const found = toProblem(error);
      setProblem(found);
      setErrors(Object.fromEntries((found.errors ?? []).map((e) => [e.path, e.message])));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="portal-form" onSubmit={submit} noValidate>
      <Field label="Your reply" name="body" error={errors['body']} {...(note ? { hint: note } : {})}>
        <textarea
          rows={4}
          value={body}
          onInput={(e) => {
            key.current = crypto.randomUUID();
            setBody(e.currentTarget.value);
          }}
        />
      </Field>
      <ProblemAlert problem={problem} />
      <button type="submit" disabled={busy}>
        Send reply
      </button>
    </form>
  );
}

function CloseCase({ c, onClosed }: { c: MyCase; onClosed: () => void }) {
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  async function close() {
    setProblem(null);
    setBusy(true);
    try {
      await unwrap(await api().POST('/me/cases/{id}/close', { params: { path: { id: c.id } } }));
      onClosed();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="portal-close">
      <p>Support marked this case solved. If nothing is left to do, close it; to reopen it, reply instead.</p>
      <ProblemAlert problem={problem} />
      <button type="button" onClick={close} disabled={busy}>
        Close this case
      </button>
    </div>
  );
}
