import { describe, expect, it } from 'vitest';
import type { Role } from '$contracts/roles.ts';
import { administers, can, lockFields, readOnlyFields, whyReadOnly } from './permissions.ts';
import { navItemsFor } from '../shell/nav.ts';

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

  it('says why a field cannot be changed: a read-only field, or a type without update', () => {
    expect(whyReadOnly({ role: rep }, 'deal', 'name')).toBeUndefined();
    expect(whyReadOnly({ role: rep }, 'deal', 'probability')).toBe('Sales representative may read this field but not change it');
    expect(whyReadOnly({ role: { ...rep, types: { deal: { actions: ['read'], scope: 'own', readOnlyFields: [] } } } }, 'deal', 'name')).toBe('Sales representative may not change deal records');
    const fields = lockFields({ role: rep }, 'deal', [
      { key: 'name', editable: true },
      { key: 'probability', editable: true },
      { key: 'id', editable: false },
    ]);
    expect(fields.map((f) => [f.key, f.editable, f.readOnlyReason])).toEqual([
      ['name', true, undefined],
      ['probability', false, 'Sales representative may read this field but not change it'],
      ['id', false, undefined],
    ]);
  });

  it('shows the Admin section to any role that administers, a custom one too', () => {
    expect(navItemsFor(administers({ role: { ...rep, id: 'custom', builtIn: false, administer: true } })).map((i) => i.label)).toContain('Admin');
    expect(navItemsFor(administers({ role: rep })).map((i) => i.label)).not.toContain('Admin');
  });
});
