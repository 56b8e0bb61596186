/**
 * A built-in field's label, the one the grid's header, the record card, filters and a CSV
 * export's header all show (custom fields have their own): the words of its key, and for a
 * relation what it holds: `companyIds` → `Companies`, `dealId` → `Deal`, `expectedClose` →
 * `Expected close`. An import matches a header cell by this label, by the key (`Company Ids`,
 * what exports wrote before, still reads), or by the singular.
 */
const LABELS: Record<string, string> = {
  id: 'Id',
  version: 'Version',
  createdAt: 'Created',
  createdBy: 'Created by',
  updatedAt: 'Updated',
  updatedBy: 'Updated by',
  owner: 'Owner',
  // Not a relation: an `Id` that is a value of its own.
  taxId: 'Tax ID',
  sku: 'SKU',
};

export function fieldLabel(key: string): string {
  if (LABELS[key]) return LABELS[key];
  const plural = key.endsWith('Ids');
  const base = key.replace(/Ids?$/, '');
  const words = base.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  const label = words.charAt(0).toUpperCase() + words.slice(1);
  return plural ? (label.endsWith('y') ? `${label.slice(0, -1)}ies` : `${label}s`) : label;
}
