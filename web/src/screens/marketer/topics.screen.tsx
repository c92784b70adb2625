import { useState } from 'preact/hooks';
import { api, type components, unwrap } from '../../api/client.ts';
import { type ApiProblem, toProblem } from '../../api/problem.ts';
import { useSession } from '../../auth/session.ts';
import { validateRequestBody } from '../../forms/validate.ts';
import { Field, Page, ProblemAlert, useResource } from '../../ui/index.ts';
import '../backoffice.css';

type Topic = components['schemas']['Topic'];
const EMPTY = { id: '', name: '', description: '', purpose: 'marketing' as Topic['purpose'] };

/**
 * Subscription topics (GET /topics, any signed-in user). Creating one replaces the list
 * (PUT /topics with the topics read plus the new one), which only admins may.
 */
export function TopicsScreen() {
  const session = useSession();
  const mayCreate = session?.role === 'admin';
  const topics = useResource(() => api().GET('/topics').then(unwrap), []);
  const [draft, setDraft] = useState(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  async function create(event: Event) {
    event.preventDefault();
    if (!topics.data) return;
    setProblem(null);
    setCreated(null);
    const topic = { id: draft.id.trim(), name: draft.name.trim(), description: draft.description, purpose: draft.purpose };
    const body = [...topics.data, topic];
    // The list's own schema checks the new topic (its index is the last); errors name its fields.
    const prefix = `${body.length - 1}.`;
    const found = Object.fromEntries(Object.entries(validateRequestBody('putTopics', body)).map(([path, message]) => [path.startsWith(prefix) ? path.slice(prefix.length) : path, message]));
    if (topics.data.some((t) => t.id === topic.id)) found.id = 'A topic with this id exists.';
    setErrors(found);
    if (Object.keys(found).length) return;
    try {
      await unwrap(await api().PUT('/topics', { body }));
      setCreated(topic.name);
      setDraft(EMPTY);
      topics.reload();
    } catch (e) {
      setProblem(toProblem(e));
    }
  }

  return (
    <Page title="Topics">
      <ProblemAlert problem={topics.problem} />
      {topics.data ? (
        topics.data.length ? (
          <table class="data-table">
            <caption class="visually-hidden">Subscription topics</caption>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Name</th>
                <th scope="col">Purpose</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {topics.data.map((t) => (
                <tr key={t.id}>
                  <td>
                    <code>{t.id}</code>
                  </td>
                  <td>{t.name}</td>
                  <td>{t.purpose}</td>
                  <td>{t.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>No topics yet.</p>
        )
      ) : null}
      {mayCreate ? (
        <form onSubmit={create} noValidate>
          <h2>New topic</h2>
          <div class="editor-grid">
            <Field label="Id" name="id" hint="Lowercase letters, digits, - and _; kept forever." value={draft.id} error={errors.id} onInput={(e) => setDraft({ ...draft, id: e.currentTarget.value })} />
            <Field label="Name" name="name" value={draft.name} error={errors.name} onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />
            <Field label="Purpose" name="purpose" error={errors.purpose}>
              <select value={draft.purpose} onChange={(e) => setDraft({ ...draft, purpose: e.currentTarget.value as Topic['purpose'] })}>
                <option value="marketing">Marketing</option>
                <option value="service">Service</option>
              </select>
            </Field>
          </div>
          <Field label="Description" name="description" error={errors.description}>
            <textarea rows={2} value={draft.description} onInput={(e) => setDraft({ ...draft, description: e.currentTarget.value })} />
          </Field>
          <ProblemAlert problem={problem} />
          {created ? <p role="status">Created the topic {created}.</p> : null}
          <div class="actions">
            <button type="submit">Create topic</button>
          </div>
        </form>
      ) : (
        <p class="note">Only administrators create topics.</p>
      )}
    </Page>
  );
}
