/**
 * The app's sections. A section that is not built yet is listed but disabled, so the shell
 * already has its final shape; building one means a route and `ready: true` here.
 */
export interface NavItem {
  href: string;
  label: string;
  ready: boolean;
}

export const NAV_ITEMS: NavItem[] = [
  { href: '/companies', label: 'Companies', ready: true },
  { href: '/contacts', label: 'Contacts', ready: false },
  { href: '/deals', label: 'Deals', ready: false },
  { href: '/tasks', label: 'Tasks', ready: false },
];

export function isCurrent(item: NavItem, pathname: string): boolean {
  return pathname === item.href || pathname.startsWith(`${item.href}/`);
}
