import { describe, expect, it } from 'vitest';
import { EMPTY_PARTNER_FORM, checkPartnerForm, fieldMessage, formFieldFor, toCreateInput } from './partner-form';

const now = () => new Date('2026-03-03T12:00:00Z');

describe('partner form', () => {
  it('turns empty limits and expiry into unlimited / never', () => {
    expect(toCreateInput({ ...EMPTY_PARTNER_FORM, name: 'A' })).toEqual({
      name: 'A',
      permissions: ['messages:write'],
      max_tokens_per_month: null,
      expires_at: null,
    });
  });

  it('accepts a valid form with the shared schema', () => {
    const result = checkPartnerForm(
      { ...EMPTY_PARTNER_FORM, name: 'A', maxTokensPerMonth: '5,000', requestsPerMinute: '', expiresAt: '2027-01-31T23:59' },
      now,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        name: 'A',
        permissions: ['messages:write'],
        max_tokens_per_month: 5000,
        expires_at: '2027-01-31T23:59:00.000Z',
      },
    });
  });

  it('collects every field error at once', () => {
    const result = checkPartnerForm(
      { ...EMPTY_PARTNER_FORM, permissions: [], maxTokensPerMonth: '0', requestsPerMinute: '0', expiresAt: '2026-03-03T11:59' },
      now,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        name: 'Must not be empty',
        permissions: 'Must hold at least one scope',
        maxTokensPerMonth: 'Enter a whole number from 1 to 1,000,000,000,000, or leave it empty for no limit',
        requestsPerMinute: 'Enter a whole number from 1 to 100,000, or leave it empty for the server default',
        expiresAt: 'Must be in the future',
      },
    });
  });

  it('maps API field names, indexed or nested, to form fields', () => {
    expect(formFieldFor('permissions[0]')).toBe('permissions');
    expect(formFieldFor('partner.expires_at')).toBe('expiresAt');
    expect(formFieldFor('max_tokens_per_month')).toBe('maxTokensPerMonth');
    expect(formFieldFor('colour')).toBeNull();
    expect(formFieldFor(undefined)).toBeNull();
    expect(fieldMessage('partner.name', 'name: must not be empty')).toBe('Must not be empty');
    expect(fieldMessage('name', 'too long')).toBe('Too long');
  });
});
