import { describe, expect, it } from 'vitest';
import { validateRequestBody } from '../../web/src/forms/validate.ts';

// The console's forms check bodies with the API's own request schemas (generated from the OpenAPI
// document at build time): what the API would refuse, the form names field by field.

describe('validateRequestBody', () => {
  it('accepts a body the API accepts, by operationId and by "METHOD /path"', () => {
    const body = { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' };
    expect(validateRequestBody('createCustomer', body)).toEqual({});
    expect(validateRequestBody('POST /customers', body)).toEqual({});
  });

  it('names every wrong field with a message a person can act on', () => {
    const errors = validateRequestBody('createCustomer', { email: 'not-an-email', firstName: '', lastName: 'x'.repeat(101), phone: '12' });
    expect(errors).toEqual({
      email: 'Not a valid email.',
      firstName: 'Required.',
      lastName: 'At most 100 characters.',
      phone: 'Not in the expected format.',
    });
  });

  it('reports a missing required field and a field the request does not accept', () => {
    expect(validateRequestBody('createCustomer', { firstName: 'Ada', nickname: 'A' })).toEqual({ email: 'Required.', nickname: 'Not a field this request accepts.' });
  });

  it('refuses an operation without a JSON body schema instead of passing everything', () => {
    expect(() => validateRequestBody('GET /customers', {})).toThrow(/No JSON request body schema/);
  });
});
