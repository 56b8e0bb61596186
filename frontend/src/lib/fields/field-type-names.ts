/** The custom field types as the add-field dialog names them, in the order it lists them. */
import type { FieldType } from '$contracts/fields.ts';

export const FIELD_TYPE_NAMES: Record<FieldType, string> = {
  text: 'Text',
  long_text: 'Long text',
  number: 'Number',
  money: 'Money',
  percent: 'Percent',
  date: 'Date',
  datetime: 'Date and time',
  checkbox: 'Checkbox',
  single_select: 'Single select',
  multi_select: 'Multiple select',
  user: 'User',
  relation: 'Link to records',
  email: 'E-mail',
  phone: 'Phone',
  url: 'Web address',
};
