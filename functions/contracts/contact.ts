import { z } from 'zod';
import { ListResponse, recordOf } from './record.ts';
import { defineRecordType } from './record-type.ts';
import { Email, Phone, RecordId, Tags } from './values.ts';
import { Name, Text } from './text.ts';

/** A person at one or more companies. */
export const ContactFields = z.strictObject({
  name: Name(200),
  position: Text(200).nullable().optional(),
  emails: z.array(Email).max(20).nullable().optional(),
  phones: z.array(Phone).max(20).nullable().optional(),
  companyIds: z.array(RecordId).max(50).nullable().optional(),
  tags: Tags.nullable().optional(),
});
export type ContactFields = z.infer<typeof ContactFields>;

export const contactType = defineRecordType({
  name: 'contact',
  plural: 'contacts',
  key: 'CONTACT',
  fields: ContactFields,
  search: [
    { field: 'name', kind: 'name' },
    { field: 'emails', kind: 'email' },
    { field: 'phones', kind: 'phone' },
  ],
  duplicates: [['emails'], ['phones']],
  relations: [{ path: 'companyIds', target: 'COMPANY' }],
});

export const Contact = recordOf(ContactFields);
export type Contact = z.infer<typeof Contact>;
export const ContactList = ListResponse(Contact);
