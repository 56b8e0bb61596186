/**
 * The app's sections. A section that is not built yet is listed but disabled, so the shell
 * already has its final shape; building one means a route and `ready: true` here.
 */
export interface NavItem {
  href: string;
  label: string;
  ready: boolean;
  /** Shown only to roles that administer (the API refuses everyone else anyway). */
  administrators?: boolean;
  /** Shown only to users who can have tasks (lib/tasks), with the count of those waiting for them. */
  tasks?: boolean;
}

export const NAV_ITEMS: NavItem[] = [
  { href: '/inbox', label: 'Inbox', ready: true, tasks: true },
  { href: '/companies', label: 'Companies', ready: true },
  { href: '/contacts', label: 'Contacts', ready: true },
  { href: '/leads', label: 'Leads', ready: true },
  { href: '/deals', label: 'Deals', ready: true },
  { href: '/products', label: 'Products', ready: true },
  { href: '/activities', label: 'Activities', ready: true },
  { href: '/processes', label: 'Processes', ready: true },
  { href: '/analytics', label: 'Analytics', ready: true },
  { href: '/admin', label: 'Admin', ready: true, administrators: true },
];

/**
 * The sections a user is shown. `administers` comes from their role (`GET /api/me`), not their
 * token's groups: a custom role may administer too, and the token names built-in groups only.
 * `hasTasks`: their role gives them a source of tasks (lib/tasks/task-sources.ts).
 */
export const navItemsFor = (administers: boolean, hasTasks = false): NavItem[] => NAV_ITEMS.filter((item) => (!item.administrators || administers) && (!item.tasks || hasTasks));

export function isCurrent(item: NavItem, pathname: string): boolean {
  return pathname === item.href || pathname.startsWith(`${item.href}/`);
}
