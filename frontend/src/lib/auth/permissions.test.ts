import { describe, expect, it } from 'vitest';
import type { Role } from '$contracts/roles.ts';
import { administers, can, readOnlyFields } from './permissions.ts';

const rep: Role = {
  id: 'sales-representative',
  name: 'Sales representative',
  builtIn: true,
  administer: false,
  types: { deal: { actions: ['create', 'read', 'update'], scope: 'own', readOnlyFields: ['probability'] } },
};

describe('permissions', () => {
  it('reads what a role allows per record type', () => {
    expect(can({ role: rep }, 'update', 'deal')).toBe(true);
    expect(can({ role: rep }, 'delete', 'deal')).toBe(false);
    expect(can({ role: rep }, 'read', 'company')).toBe(false);
    expect([...readOnlyFields({ role: rep }, 'deal')]).toEqual(['probability']);
    expect(administers({ role: rep })).toBe(false);
  });

  it('allows nothing without a role or before /api/me has answered', () => {
    expect(can({ role: null }, 'read', 'deal')).toBe(false);
    expect(can(undefined, 'read', 'deal')).toBe(false);
    expect(readOnlyFields(undefined, 'deal').size).toBe(0);
  });
});
