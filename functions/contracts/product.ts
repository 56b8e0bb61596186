import { z } from 'zod';
import { ListResponse, recordOf } from './record.ts';
import { defineRecordType } from './record-type.ts';
import { NonNegativeMoney } from './money.ts';
import { LongText, Name } from './text.ts';
import { Tags } from './values.ts';

/** An entry of the price list. */
export const ProductFields = z.strictObject({
  name: Name(200),
  sku: Name(64).nullable().optional(),
  price: NonNegativeMoney.nullable().optional(),
  description: LongText(10_000).nullable().optional(),
  active: z.boolean().optional(),
  tags: Tags.nullable().optional(),
});
export type ProductFields = z.infer<typeof ProductFields>;

export const productType = defineRecordType({
  name: 'product',
  plural: 'products',
  key: 'PRODUCT',
  fields: ProductFields,
  search: [
    { field: 'name', kind: 'name' },
    { field: 'sku', kind: 'text' },
  ],
  duplicates: [['sku']],
  relations: [],
});

export const Product = recordOf(ProductFields);
export type Product = z.infer<typeof Product>;
export const ProductList = ListResponse(Product);
