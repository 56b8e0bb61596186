/** The navigation's Inbox link on a page, and the count of tasks on it. */
import type { Page } from 'playwright-core';

export const inboxLink = (page: Page) => page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /^Inbox/ });

/** The count on the Inbox link (0 without a badge), read in one step: a badge gone between a check and a read was waited for 15 s. */
export const inboxCount = (page: Page) => inboxLink(page).evaluate((link) => Number(link.querySelector('.count')?.textContent ?? 0));
