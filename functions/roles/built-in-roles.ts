/**
 * The five roles every tenant has. Their ids (contracts/role-ids.ts) are the Cognito groups
 * (USER_GROUPS), so a user created outside the app (the demo administrator, a CLI) still has a
 * role from their token.
 */
import { ACTIONS, type Action, type InstanceScope, type ProcessAccessMap, type Role, type Scope, type TypeAccess } from '../contracts/roles.ts';
import { RECORD_TYPE_NAMES } from '../contracts/record-types.ts';
import { BUILT_IN_ROLE_IDS } from '../contracts/role-ids.ts';
import { PROCESS_NAMES } from '../contracts/processes.ts';

const every = (actions: readonly Action[], scope: Scope, readOnlyFields: string[] = []): TypeAccess => ({ actions: [...actions], scope, readOnlyFields });
const allTypes = (access: TypeAccess) => Object.fromEntries(RECORD_TYPE_NAMES.map((name) => [name, access]));

const WORK: Action[] = ['create', 'read', 'update'];

/** Every process alike: whether the role starts them, and which instances it sees (on records it sees). */
const allProcesses = (start: boolean, see: InstanceScope): ProcessAccessMap => Object.fromEntries(PROCESS_NAMES.map((name) => [name, { start, see }]));

export const BUILT_IN_ROLES: readonly Role[] = [
  { id: 'administrator', name: 'Administrator', builtIn: true, administer: true, types: allTypes(every(ACTIONS, 'all')), processes: allProcesses(true, 'all') },
  {
    // Runs the sales teams: everything their teams own, and the product catalogue to read.
    id: 'sales-manager',
    name: 'Sales manager',
    builtIn: true,
    administer: false,
    types: {
      ...allTypes(every(ACTIONS, 'team')),
      product: every(['read', 'export'], 'all'),
    },
    // Watches the sales of their teams: started by, or offered to, one of them.
    processes: allProcesses(true, 'team'),
  },
  {
    // Works their own leads, deals and activities; companies and contacts are shared with the team.
    // Probability is the manager's forecast call, not the representative's.
    id: 'sales-representative',
    name: 'Sales representative',
    builtIn: true,
    administer: false,
    types: {
      company: every(WORK, 'team'),
      contact: every(WORK, 'team'),
      lead: every(WORK, 'own'),
      deal: every(WORK, 'own', ['probability']),
      product: every(['read'], 'all'),
      activity: every([...WORK, 'delete'], 'own'),
    },
    // Sells: starts processes on their records and follows every one on a record they see.
    processes: allProcesses(true, 'all'),
  },
  {
    // Serves customers: reads who they are, records what was done.
    id: 'service-agent',
    name: 'Service agent',
    builtIn: true,
    administer: false,
    types: {
      company: every(['read'], 'all'),
      contact: every(['read', 'update'], 'all', ['emails']),
      product: every(['read'], 'all'),
      activity: every([...WORK, 'delete'], 'team'),
    },
    // Does the steps offered to them or their teams, and sees those instances; starts none.
    processes: allProcesses(false, 'own'),
  },
  {
    // Brings leads in (imports, campaigns) and reads the market, but does not touch deals.
    id: 'marketing',
    name: 'Marketing',
    builtIn: true,
    administer: false,
    types: {
      company: every(['read', 'export'], 'all'),
      contact: every(['read', 'export', 'import'], 'all'),
      lead: every([...ACTIONS], 'all'),
      product: every(['read'], 'all'),
    },
    processes: {},
  },
];

// A built-in role for every id (the Cognito groups), in its order.
if (BUILT_IN_ROLES.map((role) => role.id).join() !== BUILT_IN_ROLE_IDS.join()) throw new Error('BUILT_IN_ROLES and BUILT_IN_ROLE_IDS differ');

const byId = new Map(BUILT_IN_ROLES.map((role) => [role.id, role]));
export const builtInRole = (id: string): Role | undefined => byId.get(id);

/** The role a token's groups give: the first group that is a built-in role. */
export const roleOfGroups = (groups: readonly string[]): Role | undefined => groups.map(builtInRole).find(Boolean);
