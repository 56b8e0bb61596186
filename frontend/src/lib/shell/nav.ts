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
  { href: '/contacts', label: 'Contacts', ready: true },
  { href: '/leads', label: 'Leads', ready: true },
  { href: '/deals', label: 'Deals', ready: true },
  { href: '/products', label: 'Products', ready: true },
  { href: '/activities', label: 'Activities', ready: true },
];

export function isCurrent(item: NavItem, pathname: string): boolean {
  return pathname === item.href || pathname.startsWith(`${item.href}/`);
}
