import './portal.css';
import { useState } from 'preact/hooks';
import { api, type components, unwrap } from '../../api/client.ts';
import { type ApiProblem, toProblem } from '../../api/problem.ts';
import { validateRequestBody } from '../../forms/validate.ts';
import { Field, Page, ProblemAlert, StaleEditNotice, useResource } from '../../ui/index.ts';
import { PROFILE_FIELDS, PROFILE_LABELS, type ProfileField, profilePatch, profileValues } from './profile.ts';

// The person's own profile (GET /me) and the fields PATCH /me lets them change. The email address
// is shown, not edited: it changes through support, who can verify the new address.

type Me = components['schemas']['Me'];
interface Versioned {
  me: Me;
  etag: string | null;
}

const HINTS: Partial<Record<ProfileField, string>> = {
  phone: 'International format, such as +4915112345678.',
  locale: 'A language tag, such as en-GB.',
  timezone: 'Such as Europe/Berlin.',
};

const AUTOCOMPLETE: Record<ProfileField, string> = { firstName: 'given-name', lastName: 'family-name', phone: 'tel', locale: 'language', timezone: 'off' };

async function loadMe(): Promise<Versioned> {
  const result = await api().GET('/me');
  return { me: await unwrap(result), etag: result.response.headers.get('etag') };
}

export function ProfileScreen() {
  const profile = useResource(loadMe, []);
  return (
    <Page title="My profile">
      <ProblemAlert problem={profile.problem} />
      {profile.data ? (
        <ProfileForm key={profile.data.me.version} loaded={profile.data} reload={profile.reload} />
      ) : profile.loading ? (
        <p role="status">Loading…</p>
      ) : null}
    </Page>
  );
}

function ProfileForm({ loaded, reload }: { loaded: Versioned; reload: () => void }) {
  const [current, setCurrent] = useState(loaded);
  const [values, setValues] = useState(() => profileValues(loaded.me));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(event: Event) {
    event.preventDefault();
    setSaved(null);
    setProblem(null);
    const patch = profilePatch(current.me, values);
    const invalid = validateRequestBody('patchMe', patch);
    setErrors(invalid);
    if (Object.keys(invalid).length > 0) return;
    if (Object.keys(patch).length === 0) {
      setSaved('Nothing to save: the profile is unchanged.');
      return;
    }
    setBusy(true);
    try {
      const result = await api().PATCH('/me', { body: patch, headers: current.etag ? { 'If-Match': current.etag } : {} });
      const me = await unwrap(result);
      setCurrent({ me, etag: result.response.headers.get('etag') });
      setValues(profileValues(me));
      setSaved('Your profile is saved.');
    } catch (error) {
      const found = toProblem(error);
      setProblem(found);
      setErrors(Object.fromEntries((found.errors ?? []).map((e) => [e.path, e.message])));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="portal-form" onSubmit={save} noValidate>
      <dl class="portal-facts">
        <dt>Email</dt>
        <dd>{current.me.email}</dd>
        <dt>Customer since</dt>
        <dd>{current.me.createdAt.slice(0, 10)}</dd>
      </dl>
      <p class="field-hint">To change your email address, open a case: support verifies the new address first.</p>
      {PROFILE_FIELDS.map((field) => (
        <Field
          key={field}
          label={PROFILE_LABELS[field]}
          name={field}
          error={errors[field]}
          {...(HINTS[field] ? { hint: HINTS[field] } : {})}
          type={field === 'phone' ? 'tel' : 'text'}
          autocomplete={AUTOCOMPLETE[field]}
          value={values[field]}
          onInput={(e) => setValues({ ...values, [field]: e.currentTarget.value })}
        />
      ))}
      {problem?.status === 412 ? <StaleEditNotice onReload={reload} /> : <ProblemAlert problem={problem} />}
      <button type="submit" disabled={busy}>
        Save profile
      </button>
      <p role="status" class="portal-status">
        {saved}
      </p>
    </form>
  );
}
