import './agent.css';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { api, unwrap, type components } from '../../api/client.ts';
import { type ApiProblem, toProblem } from '../../api/problem.ts';
import type { ScreenProps } from '../../app/routes.tsx';
import { validateRequestBody } from '../../forms/validate.ts';
import { Field, Page, Pager, ProblemAlert, StaleEditNotice, usePagedList, useResource } from '../../ui/index.ts';
import { assignBody, casePatch, commentCaption, PRIORITIES, type Priority, problemFieldErrors, STATUS_WORDS, statusChoices, type CaseStatus } from './case-page.ts';
import { utcTime } from './customer-360.ts';
import { SlaBadge } from './sla-badge.tsx';
import { MILESTONE_WORDS } from './sla-clock.ts';
import { useNow } from './use-now.ts';

type Case = components['schemas']['Case'];
type Comment = components['schemas']['Comment'];
type SearchHit = components['schemas']['SearchHit'];

/** One case: its SLA, conversation (public and internal), a reply form, status, priority, queue, assignment and suggested articles. */
export function CaseScreen({ params }: ScreenProps) {
  const id = params.caseId ?? '';
  const loaded = useResource(async () => {
    const result = await api().GET('/cases/{id}', { params: { path: { id } } });
    const kase = await unwrap(result);
    // The ETag is "<version>" (README "HTTP API"); read it where CORS exposes it, else build it.
    return { kase, etag: result.response.headers.get('etag') ?? `"${kase.version}"` };
  }, [id]);
  const comments = usePagedList<Comment>(useCallback(async (cursor?: string) => unwrap(await api().GET('/cases/{id}/comments', { params: { path: { id }, query: { limit: 50, ...(cursor ? { cursor } : {}) } } })), [id]));
  const suggestions = useResource(async () => (await unwrap(await api().GET('/cases/{id}/suggestions', { params: { path: { id }, query: { limit: 5 } } }))).items, [id]);

  const kase = loaded.data?.kase;
  return (
    <Page title={kase ? `${kase.number}: ${kase.subject}` : 'Case'}>
      <ProblemAlert problem={loaded.problem} />
      {!kase ? (
        loaded.loading ? <p role="status">Loading…</p> : null
      ) : (
        <div class="case-layout">
          <div class="case-main">
            <CaseSummary kase={kase} />
            <section aria-labelledby="conversation-title">
              <h2 id="conversation-title">Conversation</h2>
              {kase.description ? <p class="case-description">{kase.description}</p> : null}
              <ol class="conversation">
                {comments.items.map((c) => (
                  <li key={c.id} class={`comment comment-${c.visibility}`}>
                    <p class="comment-caption">
                      <strong>{commentCaption(c)}</strong> · <time dateTime={c.createdAt}>{utcTime(c.createdAt)}</time>
                    </p>
                    <p class="comment-body">{c.body}</p>
                  </li>
                ))}
              </ol>
              <Pager list={comments} label="Older comments" />
              {kase.status === 'closed' ? <p>This case is closed: it takes no more comments.</p> : <CommentForm caseId={id} suggestions={suggestions.data ?? []} onAdded={() => { comments.reload(); loaded.reload(); }} />}
            </section>
          </div>
          <div class="case-side">
            <CaseSettings kase={kase} etag={loaded.data!.etag} onSaved={loaded.reload} />
            <AssignForm kase={kase} onAssigned={loaded.reload} />
            <section aria-labelledby="suggested-title">
              <h2 id="suggested-title">Suggested articles</h2>
              <ProblemAlert problem={suggestions.problem} />
              {suggestions.data?.length ? (
                <ul class="suggestions">
                  {suggestions.data.map((hit) => (
                    <li key={hit.id}>
                      <a href={hit.url} target="_blank" rel="noopener noreferrer">
                        {hit.title}
                      </a>
                      <p class="snippet">{stripMarks(hit.snippet.body)}</p>
                    </li>
                  ))}
                </ul>
              ) : suggestions.loading ? (
                <p role="status">Loading…</p>
              ) : suggestions.data ? (
                <p>No published article matches this case.</p>
              ) : null}
            </section>
          </div>
        </div>
      )}
    </Page>
  );
}

/** Search snippets mark hits with tags; the console shows the words, not markup. */
const stripMarks = (html: string) => html.replace(/<[^>]*>/g, '');

function CaseSummary({ kase }: { kase: Case }) {
  const now = useNow();
  return (
    <section aria-labelledby="sla-title" class="case-summary">
      <h2 id="sla-title">Service level</h2>
      <p>
        <SlaBadge kase={kase} now={now} />
      </p>
      <dl class="facts">
        <dt>Status</dt>
        <dd>{STATUS_WORDS[kase.status]}</dd>
        <dt>Priority</dt>
        <dd>{kase.priority}</dd>
        <dt>Queue</dt>
        <dd>{kase.queue}</dd>
        <dt>Assignee</dt>
        <dd>{kase.assigneeId ?? 'Unassigned'}</dd>
        <dt>Customer</dt>
        <dd>
          <Link href={`/customers/${kase.customerId}`}>Open the customer</Link>
        </dd>
        <dt>First response due</dt>
        <dd>
          <time dateTime={kase.sla.firstResponseDueAt}>{utcTime(kase.sla.firstResponseDueAt)}</time>
          {kase.firstRespondedAt ? ` (answered ${utcTime(kase.firstRespondedAt)})` : ''}
        </dd>
        <dt>Resolution due</dt>
        <dd>
          <time dateTime={kase.sla.resolutionDueAt}>{utcTime(kase.sla.resolutionDueAt)}</time>
          {kase.sla.pausedSince ? ' (paused)' : ''}
        </dd>
        <dt>Escalation level</dt>
        <dd>{kase.escalationLevel}</dd>
      </dl>
      {kase.sla.breaches.length > 0 ? (
        <ul class="breaches" aria-label="SLA breaches">
          {kase.sla.breaches.map((b) => (
            <li key={`${b.milestone}-${b.at}`}>
              <strong>Breached</strong>: {MILESTONE_WORDS[b.milestone]} was due {utcTime(b.dueAt)}, recorded {utcTime(b.at)}
              {b.escalated ? ', escalated' : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function CommentForm({ caseId, suggestions, onAdded }: { caseId: string; suggestions: SearchHit[]; onAdded: () => void }) {
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<'internal' | 'public'>('internal');
  const [articleIds, setArticleIds] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [sending, setSending] = useState(false);
  const [done, setDone] = useState('');
  // One key per draft: a retry after a lost answer creates the comment once (Idempotency-Key).
  const [draftKey, setDraftKey] = useState(() => crypto.randomUUID());

  async function submit(event: Event) {
    event.preventDefault();
    const request = { body, visibility, ...(articleIds.length > 0 ? { articleIds } : {}) };
    const found = validateRequestBody('addComment', request);
    setErrors(found);
    setProblem(null);
    setDone('');
    if (Object.keys(found).length > 0) return;
    setSending(true);
    try {
      await unwrap(await api().POST('/cases/{id}/comments', { params: { path: { id: caseId } }, headers: { 'Idempotency-Key': draftKey }, body: request }));
      setBody('');
      setArticleIds([]);
      setDraftKey(crypto.randomUUID());
      setDone(visibility === 'public' ? 'Reply sent to the customer.' : 'Internal note added.');
      onAdded();
    } catch (error) {
      const p = toProblem(error);
      setProblem(p);
      setErrors(problemFieldErrors(p));
    } finally {
      setSending(false);
    }
  }

  // The API names the article it refuses (`articleIds.<i>`, 422 article-not-published).
  const articleError = Object.entries(errors).find(([field]) => field.startsWith('articleIds'))?.[1];
  return (
    <form class="comment-form" onSubmit={submit} aria-labelledby="add-comment-title" noValidate>
      <h3 id="add-comment-title">Add a comment</h3>
      <Field label="Comment" name="body" error={errors.body}>
        <textarea rows={4} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
      </Field>
      <fieldset>
        <legend>Who sees it</legend>
        <label class="choice">
          <input type="radio" name="visibility" value="internal" checked={visibility === 'internal'} onChange={() => setVisibility('internal')} /> Internal note (staff only)
        </label>
        <label class="choice">
          <input type="radio" name="visibility" value="public" checked={visibility === 'public'} onChange={() => setVisibility('public')} /> Public reply (the customer sees it)
        </label>
      </fieldset>
      {suggestions.length > 0 ? (
        <fieldset>
          <legend>Link articles</legend>
          {suggestions.map((hit) => (
            <label class="choice" key={hit.id}>
              <input
                type="checkbox"
                checked={articleIds.includes(hit.id)}
                onChange={(e) => setArticleIds((ids) => (e.currentTarget.checked ? [...ids, hit.id] : ids.filter((x) => x !== hit.id)))}
              />{' '}
              {hit.title}
            </label>
          ))}
          {articleError ? <p class="field-error">{articleError}</p> : null}
        </fieldset>
      ) : null}
      <ProblemAlert problem={problem} />
      <button type="submit" disabled={sending}>
        {visibility === 'public' ? 'Send reply' : 'Add note'}
      </button>
      <p role="status">{done}</p>
    </form>
  );
}

function CaseSettings({ kase, etag, onSaved }: { kase: Case; etag: string; onSaved: () => void }) {
  const [status, setStatus] = useState<CaseStatus>(kase.status);
  const [priority, setPriority] = useState<Priority>(kase.priority);
  const [queue, setQueue] = useState(kase.queue);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [stale, setStale] = useState(false);
  const [done, setDone] = useState('');
  // A reloaded case (after a save, a comment or a stale edit) resets the form to what it holds; the
  // stale notice stays until the newer version is here, so an edit never starts from the old one.
  useEffect(() => {
    setStatus(kase.status);
    setPriority(kase.priority);
    setQueue(kase.queue);
    setStale(false);
  }, [kase.version, kase.status, kase.priority, kase.queue]);

  async function submit(event: Event) {
    event.preventDefault();
    setProblem(null);
    setStale(false);
    setDone('');
    const patch = casePatch(kase, { status, priority, queue });
    if (!patch) {
      setDone('Nothing changed.');
      return;
    }
    const found = validateRequestBody('patchCase', patch);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      await unwrap(await api().PATCH('/cases/{id}', { params: { path: { id: kase.id }, header: { 'If-Match': etag } }, body: patch }));
      setDone('Saved.');
      onSaved();
    } catch (error) {
      const p = toProblem(error);
      if (p.status === 412) setStale(true);
      else {
        setProblem(p);
        setErrors(problemFieldErrors(p));
      }
    }
  }

  return (
    <form class="case-settings" onSubmit={submit} aria-labelledby="settings-title" noValidate>
      <h2 id="settings-title">Status and priority</h2>
      <Field label="Status" name="status" error={errors.status}>
        <select value={status} onChange={(e) => setStatus(e.currentTarget.value as CaseStatus)} disabled={kase.status === 'closed'}>
          {statusChoices(kase.status).map((s) => (
            <option key={s} value={s}>
              {STATUS_WORDS[s]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Priority" name="priority" error={errors.priority}>
        <select value={priority} onChange={(e) => setPriority(e.currentTarget.value as Priority)} disabled={kase.status === 'closed'}>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Queue" name="case-queue" error={errors.queue} value={queue} onInput={(e) => setQueue(e.currentTarget.value)} disabled={kase.status === 'closed'} autoComplete="off" />
      {stale ? (
        <StaleEditNotice onReload={onSaved} />
      ) : null}
      <ProblemAlert problem={problem} />
      <button type="submit" disabled={kase.status === 'closed'}>
        Save
      </button>
      <p role="status">{done}</p>
    </form>
  );
}

function AssignForm({ kase, onAssigned }: { kase: Case; onAssigned: () => void }) {
  const [assignee, setAssignee] = useState(kase.assigneeId ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState('');
  useEffect(() => setAssignee(kase.assigneeId ?? ''), [kase.assigneeId]);

  async function assign(choice: Parameters<typeof assignBody>[0]) {
    setProblem(null);
    setDone('');
    const body = assignBody(choice);
    const found = validateRequestBody('assignCase', body);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      const updated = await unwrap(await api().POST('/cases/{id}/assign', { params: { path: { id: kase.id } }, body }));
      setDone(updated.assigneeId ? `Assigned to ${updated.assigneeId}.` : 'Unassigned.');
      onAssigned();
    } catch (error) {
      const p = toProblem(error);
      setProblem(p);
      setErrors(problemFieldErrors(p));
    }
  }

  return (
    <form
      class="assign-form"
      aria-labelledby="assign-title"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void assign({ mode: 'agent', assigneeId: assignee });
      }}
    >
      <h2 id="assign-title">Assignment</h2>
      <Field label="Assignee" name="assigneeId" hint="An agent id or email address" error={errors.assigneeId} value={assignee} onInput={(e) => setAssignee(e.currentTarget.value)} autoComplete="off" />
      <ProblemAlert problem={problem} />
      <div class="button-row">
        <button type="submit">Assign</button>
        <button type="button" onClick={() => void assign({ mode: 'auto' })}>
          Auto-assign
        </button>
        <button type="button" onClick={() => void assign({ mode: 'unassign' })} disabled={kase.assigneeId === null}>
          Unassign
        </button>
      </div>
      <p role="status">{done}</p>
    </form>
  );
}
