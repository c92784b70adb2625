import type { components } from '../../../../clients/typescript/ecrm-api.ts';

// The profile form: the fields PATCH /me lets a person change, as text inputs, and the merge patch
// that sends only what changed (an emptied field becomes null, which clears it).

type Me = components['schemas']['Me'];
type MePatch = components['schemas']['MePatch'];

export const PROFILE_FIELDS = ['firstName', 'lastName', 'phone', 'locale', 'timezone'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];
export type ProfileValues = Record<ProfileField, string>;

export const PROFILE_LABELS: Record<ProfileField, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  phone: 'Phone',
  locale: 'Language (locale)',
  timezone: 'Time zone',
};

/** What the form shows for each field (null as empty). */
export function profileValues(me: Me): ProfileValues {
  return Object.fromEntries(PROFILE_FIELDS.map((f) => [f, me[f] ?? ''])) as ProfileValues;
}

/** The JSON merge patch from the profile to the form's values: changed fields only, trimmed, empty as null. */
export function profilePatch(me: Me, values: ProfileValues): MePatch {
  const patch: MePatch = {};
  for (const field of PROFILE_FIELDS) {
    const typed = values[field].trim();
    const wanted = typed === '' ? null : typed;
    if (wanted !== (me[field] ?? null)) patch[field] = wanted;
  }
  return patch;
}
