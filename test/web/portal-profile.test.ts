import { describe, expect, it } from 'vitest';
import { profilePatch, profileValues } from '../../web/src/screens/portal/profile.ts';

const ME = {
  id: 'cus_1',
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: null,
  phone: '+4915112345678',
  locale: 'en-GB',
  timezone: null,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  version: 3,
};

describe('the profile form', () => {
  it('shows unset fields as empty and leaves out what PATCH /me cannot change', () => {
    expect(profileValues(ME)).toEqual({ firstName: 'Ada', lastName: '', phone: '+4915112345678', locale: 'en-GB', timezone: '' });
  });

  it('sends only the changed fields, trimmed, and an emptied field as null', () => {
    const values = { ...profileValues(ME), firstName: ' Ada ', lastName: ' Lovelace ', phone: '', timezone: 'Europe/London' };
    expect(profilePatch(ME, values)).toEqual({ lastName: 'Lovelace', phone: null, timezone: 'Europe/London' });
  });

  it('sends nothing when nothing changed', () => {
    expect(profilePatch(ME, profileValues(ME))).toEqual({});
    expect(profilePatch(ME, { ...profileValues(ME), lastName: '   ' })).toEqual({});
  });
});
