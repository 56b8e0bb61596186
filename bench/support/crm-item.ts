/** A CRM-like item (~0.3 KB) for the storage benches: keys, two GSI key pairs, a handful of fields. */
export const crmItem = (pk: string, sk: string, i: number) => ({
  pk,
  sk,
  gsi1pk: `owner#${i % 17}`,
  gsi1sk: `2026-11-27T${String(i % 24).padStart(2, '0')}#${sk}`,
  gsi2pk: `stage#${i % 5}`,
  gsi2sk: sk,
  name: `Counterparty ${i}`,
  email: `person${i}@example.com`,
  phone: `+4930${String(1_000_000 + i)}`,
  version: 1,
  amount: i * 13.5,
  tags: ['lead', i % 2 ? 'vip' : 'standard'],
});
