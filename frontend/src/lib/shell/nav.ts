/**
 * The app's sections. A section that is not built yet is listed but disabled, so the shell
 * already has its final shape; building one means a route and `ready: true` here.
 */
export interface NavItem {
  href: string;
  label: string;
  ready: boolean;
  /** Shown only to administrators (the API refuses everyone else anyway). */
  administrators?: boolean;
}

export const NAV_ITEMS: NavItem[] = [
  { href: '/companies', label: 'Companies', ready: true },
  { href: '/contacts', label: 'Contacts', ready: true },
  { href: '/leads', label: 'Leads', ready: true },
  { href: '/deals', label: 'Deals', ready: true },
  { href: '/products', label: 'Products', ready: true },
  { href: '/activities', label: 'Activities', ready: true },
  { href: '/admin', label: 'Admin', ready: true, administrators: true },
];

/** The sections a user with these groups (from their token) is shown. */
export const navItemsFor = (groups: readonly string[]): NavItem[] => NAV_ITEMS.filter((item) => !item.administrators || groups.includes('administrator'));

export function isCurrent(item: NavItem, pathname: string): boolean {
  return pathname === item.href || pathname.startsWith(`${item.href}/`);
}
