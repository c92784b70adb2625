import { useCallback, useState } from 'preact/hooks';
import { useLocation } from 'wouter-preact';
import { api, unwrap } from '../../api/client.ts';
import { type ApiProblem, toProblem } from '../../api/problem.ts';
import { validateRequestBody } from '../../forms/validate.ts';
import { Field, Page, Pager, ProblemAlert, usePagedList, useResource } from '../../ui/index.ts';
import { campaignBody, type CampaignForm, EMPTY_CAMPAIGN, TRIGGER_EVENTS } from './campaign-form.ts';
import '../backoffice.css';

/** Which form field shows an error the schema or the API names (`template.subject` -> subject). */
const FIELD_OF: Record<string, keyof CampaignForm> = {
  name: 'name',
  topic: 'topic',
  'audience.segmentId': 'segmentId',
  audience: 'segmentId',
  'template.subject': 'subject',
  'template.text': 'text',
  'schedule.at': 'at',
  schedule: 'at',
  'trigger.event': 'event',
};
const formErrors = (list: readonly { path: string; message: string }[]) => {
  const result: Record<string, string> = {};
  for (const { path, message } of list) result[FIELD_OF[path] ?? 'form'] ??= message;
  return result;
};

/** A new campaign (POST /campaigns): a draft to schedule or activate on its own page. */
export function CampaignNewScreen() {
  const [, navigate] = useLocation();
  const [form, setForm] = useState<CampaignForm>(EMPTY_CAMPAIGN);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const topics = useResource(() => api().GET('/topics').then(unwrap), []);
  const fetchSegments = useCallback((cursor?: string) => api().GET('/segments', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }).then(unwrap), []);
  const segments = usePagedList(fetchSegments);
  const marketing = (topics.data ?? []).filter((t) => t.purpose === 'marketing');

  async function create(event: Event) {
    event.preventDefault();
    setProblem(null);
    const body = campaignBody(form);
    const found = formErrors(Object.entries(validateRequestBody('createCampaign', body)).map(([path, message]) => ({ path, message })));
    setErrors(found);
    if (Object.keys(found).length) return;
    try {
      const campaign = await unwrap(await api().POST('/campaigns', { body }));
      navigate(`/marketer/campaigns/${encodeURIComponent(campaign.id)}`);
    } catch (e) {
      const p = toProblem(e);
      setProblem(p);
      if (p.errors) setErrors(formErrors(p.errors));
    }
  }

  const set = (change: Partial<CampaignForm>) => setForm((f) => ({ ...f, ...change }));
  return (
    <Page title="New campaign">
      <ProblemAlert problem={topics.problem} />
      <form onSubmit={create} noValidate>
        <div class="editor-grid">
          <Field label="Name" name="name" value={form.name} error={errors.name} onInput={(e) => set({ name: e.currentTarget.value })} />
          <Field label="Topic" name="topic" error={errors.topic}>
            <select value={form.topic} onChange={(e) => set({ topic: e.currentTarget.value })}>
              <option value="">Choose a marketing topic</option>
              {marketing.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Audience (segment)" name="segmentId" error={errors.segmentId}>
            <select value={form.segmentId} onChange={(e) => set({ segmentId: e.currentTarget.value })}>
              <option value="">Choose a segment</option>
              {segments.items.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <Pager list={segments} label="Load more segments" />
        <Field label="Subject" name="subject" hint="Placeholders: {{firstName|there}}, {{lastName}}, {{email}}, {{attributes.<name>}}." value={form.subject} error={errors.subject} onInput={(e) => set({ subject: e.currentTarget.value })} />
        <Field label="Text" name="text" error={errors.text}>
          <textarea rows={6} value={form.text} onInput={(e) => set({ text: e.currentTarget.value })} />
        </Field>
        <fieldset>
          <legend>Sending</legend>
          <Field label="Kind" name="kind">
            <select value={form.kind} onChange={(e) => set({ kind: e.currentTarget.value as CampaignForm['kind'] })}>
              <option value="scheduled">Scheduled: once, at a time</option>
              <option value="triggered">Triggered: on an event, while active</option>
            </select>
          </Field>
          {form.kind === 'scheduled' ? (
            <Field label="Send at (your local time; empty: choose when scheduling)" name="at" type="datetime-local" value={form.at} error={errors.at} onInput={(e) => set({ at: e.currentTarget.value })} />
          ) : (
            <Field label="Event" name="event" error={errors.event}>
              <select value={form.event} onChange={(e) => set({ event: e.currentTarget.value as CampaignForm['event'] })}>
                {TRIGGER_EVENTS.map((ev) => (
                  <option key={ev} value={ev}>
                    {ev}
                  </option>
                ))}
              </select>
            </Field>
          )}
        </fieldset>
        {errors.form ? <p class="field-error">{errors.form}</p> : null}
        <ProblemAlert problem={problem} />
        <div class="actions">
          <button type="submit">Create campaign</button>
        </div>
      </form>
    </Page>
  );
}
