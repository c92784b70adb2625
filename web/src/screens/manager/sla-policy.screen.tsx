import { useEffect, useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client.ts';
import { type ApiProblem, toProblem } from '../../api/problem.ts';
import { useSession } from '../../auth/session.ts';
import { validateRequestBody } from '../../forms/validate.ts';
import { Field, Page, ProblemAlert, StaleEditNotice, useResource } from '../../ui/index.ts';
import { bodyOf, DAY_NAMES, DAYS, fieldErrors, formOf, PRIORITIES, type SlaPolicyBody, type SlaPolicyForm } from './sla-policy-form.ts';
import '../backoffice.css';

interface Loaded {
  policy: SlaPolicyBody & { version: number; createdAt: string };
  etag: string | null;
}

/**
 * The SLA policy editor (GET/PUT /sla-policy): business hours per day, holidays, targets per
 * priority. Saves over the version read (If-Match); a save another admin beat is a 412 that offers
 * to reload. Only admins save (the API's rule); managers read it here.
 */
export function SlaPolicyScreen() {
  const session = useSession();
  const mayEdit = session?.role === 'admin';
  const loaded = useResource<Loaded>(async () => {
    const result = await api().GET('/sla-policy');
    const policy = await unwrap(result);
    return { policy, etag: result.response.headers.get('etag') };
  }, []);
  const [form, setForm] = useState<SlaPolicyForm | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [stale, setStale] = useState(false);
  const [saved, setSaved] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (loaded.data) setForm(formOf(loaded.data.policy));
  }, [loaded.data]);

  const reload = () => {
    setStale(false);
    setProblem(null);
    setErrors({});
    setSaved(null);
    loaded.reload();
  };

  async function save(event: Event) {
    event.preventDefault();
    if (!form || !loaded.data) return;
    setProblem(null);
    setSaved(null);
    const { body, errors: parseErrors } = bodyOf(form);
    const found = { ...fieldErrors(validateRequestBody('putSlaPolicy', body)), ...parseErrors };
    setErrors(found);
    if (Object.keys(found).length) return;
    setSaving(true);
    try {
      const policy = await unwrap(await api().PUT('/sla-policy', { body, params: { header: loaded.data.etag ? { 'If-Match': loaded.data.etag } : {} } }));
      setSaved(policy.version);
      loaded.reload();
    } catch (error) {
      const p = toProblem(error);
      if (p.status === 412) setStale(true);
      else {
        setProblem(p);
        if (p.errors) setErrors(fieldErrors(p.errors));
      }
    } finally {
      setSaving(false);
    }
  }

  const set = (change: (f: SlaPolicyForm) => SlaPolicyForm) => setForm((f) => (f ? change(f) : f));
  return (
    <Page title="SLA policy">
      <ProblemAlert problem={loaded.problem} />
      {loaded.data ? (
        <p>
          Version {loaded.data.policy.version}
          {loaded.data.policy.version > 0 ? `, saved ${new Date(loaded.data.policy.createdAt).toLocaleString()}` : ' (the default, until an administrator saves one)'}. A new
          version applies to cases opened after it.
        </p>
      ) : null}
      {!mayEdit ? <p class="note">Only administrators change the policy; you can read it here.</p> : null}
      {form ? (
        <form onSubmit={save} noValidate>
          <fieldset disabled={!mayEdit}>
            <legend>Calendar</legend>
            <div class="editor-grid">
              <Field label="Time zone (IANA, e.g. Europe/Berlin)" name="timezone" value={form.timezone} error={errors.timezone} onInput={(e) => set((f) => ({ ...f, timezone: e.currentTarget.value }))} />
              <Field
                label="Warn at (% of the time used)"
                name="warnAtPercent"
                inputMode="numeric"
                value={form.warnAtPercent}
                error={errors.warnAtPercent}
                onInput={(e) => set((f) => ({ ...f, warnAtPercent: e.currentTarget.value }))}
              />
            </div>
          </fieldset>
          <fieldset disabled={!mayEdit}>
            <legend>Business hours</legend>
            <p class="field-hint">Shifts such as 09:00-17:00, several separated by commas; empty means closed.</p>
            <div class="editor-grid">
              {DAYS.map((day) => (
                <Field
                  key={day}
                  label={DAY_NAMES[day]}
                  name={`businessHours.${day}`}
                  value={form.hours[day]}
                  error={errors[`businessHours.${day}`]}
                  onInput={(e) => {
                    const value = e.currentTarget.value;
                    set((f) => ({ ...f, hours: { ...f.hours, [day]: value } }));
                  }}
                />
              ))}
            </div>
            <Field label="Holidays (one day per line, YYYY-MM-DD)" name="holidays" error={errors.holidays}>
              <textarea rows={3} value={form.holidays} onInput={(e) => set((f) => ({ ...f, holidays: e.currentTarget.value }))} />
            </Field>
          </fieldset>
          <fieldset disabled={!mayEdit}>
            <legend>Targets per priority (minutes)</legend>
            {PRIORITIES.map((priority) => (
              <fieldset key={priority}>
                <legend>{priority}</legend>
                <div class="editor-grid">
                  <Field
                    label={`First response (${priority})`}
                    name={`targets.${priority}.firstResponseMinutes`}
                    inputMode="numeric"
                    value={form.targets[priority].firstResponseMinutes}
                    error={errors[`targets.${priority}.firstResponseMinutes`]}
                    onInput={(e) => {
                      const value = e.currentTarget.value;
                      set((f) => ({ ...f, targets: { ...f.targets, [priority]: { ...f.targets[priority], firstResponseMinutes: value } } }));
                    }}
                  />
                  <Field
                    label={`Resolution (${priority})`}
                    name={`targets.${priority}.resolutionMinutes`}
                    inputMode="numeric"
                    value={form.targets[priority].resolutionMinutes}
                    error={errors[`targets.${priority}.resolutionMinutes`]}
                    onInput={(e) => {
                      const value = e.currentTarget.value;
                      set((f) => ({ ...f, targets: { ...f.targets, [priority]: { ...f.targets[priority], resolutionMinutes: value } } }));
                    }}
                  />
                  <Field label={`Clock (${priority})`} name={`targets.${priority}.calendar`}>
                    <select
                      value={form.targets[priority].calendar}
                      onChange={(e) => {
                        const value = e.currentTarget.value as 'business' | '24x7';
                        set((f) => ({ ...f, targets: { ...f.targets, [priority]: { ...f.targets[priority], calendar: value } } }));
                      }}
                    >
                      <option value="business">Business hours</option>
                      <option value="24x7">24x7</option>
                    </select>
                  </Field>
                </div>
              </fieldset>
            ))}
          </fieldset>
          {stale ? <StaleEditNotice onReload={reload} /> : null}
          <ProblemAlert problem={problem} />
          {errors.form ? <p class="field-error">{errors.form}</p> : null}
          {saved !== null ? <p role="status">Saved as version {saved}.</p> : null}
          {mayEdit ? (
            <div class="actions">
              <button type="submit" disabled={saving}>
                {saving ? 'Saving…' : 'Save policy'}
              </button>
            </div>
          ) : null}
        </form>
      ) : null}
    </Page>
  );
}
