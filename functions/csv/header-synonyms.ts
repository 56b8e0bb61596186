/**
 * Column headers people's files use for our fields, beyond the field's own key and label: what
 * exports of other CRMs, address books and spreadsheets call them. The one table of them: a
 * header cell is matched here after the type's own labels (csv/columns.ts), so a custom field
 * labelled "Title" wins over `position`. Compared without case, spaces and punctuation.
 *
 * `*` lists headers for any type having that field; a type's own entries come first.
 */
import type { RecordType } from '../records/keys.ts';

type Synonyms = Record<string, readonly string[]>;

const ANY: Synonyms = {
  name: ['Full name', 'Display name'],
  emails: ['E-mail', 'E-mail address', 'Email address', 'Email addresses', 'Mail', 'Work email', 'Business email'],
  phones: ['Phone', 'Phone number', 'Telephone', 'Tel', 'Mobile', 'Mobile phone', 'Mobile number', 'Cell', 'Cell phone', 'Work phone', 'Business phone', 'Direct dial'],
  tags: ['Labels', 'Label', 'Keywords', 'Categories'],
};

const BY_TYPE: Partial<Record<RecordType, Synonyms>> = {
  COMPANY: {
    name: ['Company', 'Company name', 'Account', 'Account name', 'Organization', 'Organisation', 'Organization name', 'Business name'],
    domain: ['Website', 'Web site', 'Web', 'URL', 'Homepage', 'Home page', 'Web address', 'Company domain'],
    size: ['Employees', 'Number of employees', 'No. of employees', 'Employee count', 'Headcount', 'Company size', 'Staff'],
    taxId: ['VAT', 'VAT number', 'VAT ID', 'Tax number', 'EIN'],
    industry: ['Sector', 'Branch', 'Vertical'],
  },
  CONTACT: {
    name: ['Contact', 'Contact name', 'Person'],
    position: ['Title', 'Job title', 'Job', 'Role', 'Function', 'Job position'],
    companyIds: ['Company', 'Company name', 'Companies', 'Account', 'Account name', 'Organization', 'Organisation', 'Employer'],
  },
  LEAD: {
    name: ['Contact', 'Contact name', 'Lead name', 'Person'],
    companyName: ['Company', 'Organization', 'Organisation', 'Account', 'Account name'],
    position: ['Title', 'Job title', 'Job', 'Role'],
    email: ['E-mail', 'E-mail address', 'Email address', 'Mail', 'Work email'],
    phone: ['Phone', 'Phone number', 'Telephone', 'Tel', 'Mobile', 'Mobile phone', 'Cell'],
    source: ['Lead source', 'Origin', 'Channel'],
  },
  DEAL: {
    name: ['Deal', 'Deal name', 'Opportunity', 'Opportunity name', 'Title'],
    amount: ['Value', 'Deal value', 'Deal amount'],
    expectedClose: ['Close date', 'Expected close date', 'Closing date'],
    companyId: ['Company', 'Company name', 'Account', 'Account name', 'Organization', 'Organisation'],
    contactIds: ['Contact', 'Contacts', 'Contact name'],
  },
  PRODUCT: {
    name: ['Product', 'Product name', 'Item', 'Item name'],
    sku: ['SKU', 'Article number', 'Item number', 'Product code', 'Code'],
    price: ['Unit price', 'List price'],
  },
  ACTIVITY: {
    name: ['Subject', 'Title', 'Task', 'Activity'],
    kind: ['Type', 'Activity type'],
    dueAt: ['Due', 'Due date', 'Due at', 'Date'],
    assignee: ['Assigned to', 'Responsible', 'Assignee'],
    companyId: ['Company', 'Company name', 'Account'],
    contactId: ['Contact', 'Contact name'],
    dealId: ['Deal', 'Deal name', 'Opportunity'],
    leadId: ['Lead', 'Lead name'],
  },
};

/**
 * A person's first and last names in columns of their own. For a type with no fields for them,
 * they are joined into the name (`Ada` + `Lovelace`: `Ada Lovelace`); a type that has both
 * (custom fields labelled so) matches them by its labels first.
 */
export const NAME_PARTS = {
  first: ['First name', 'First', 'Given name', 'Forename', 'Firstname'],
  last: ['Last name', 'Last', 'Surname', 'Family name', 'Lastname'],
} as const;

/** The headers naming a field of a type, its own entries first. */
export function synonymsOf(type: RecordType, field: string): readonly string[] {
  return [...(BY_TYPE[type]?.[field] ?? []), ...(ANY[field] ?? [])];
}
