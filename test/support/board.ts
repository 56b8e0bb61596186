/** Reading and driving the deals board in browser tests: columns by stage label, deal cards, a mouse drag. */
import type { Locator, Page } from 'playwright-core';

/** The column of a stage, by its label. */
export const column = (page: Page, label: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: label, exact: true }) });
export const dealCard = (page: Page, name: string) => page.locator('li.deal').filter({ hasText: name });
/** The names of the deals in a column, sorted. */
export const namesIn = async (page: Page, label: string) => (await column(page, label).locator('li.deal .name').allTextContents()).sort();

/** Drags with the mouse as a person does: press on the card, move in steps, release over the column. */
export async function drag(page: Page, card: Locator, target: Locator) {
  await target.scrollIntoViewIfNeeded();
  await card.scrollIntoViewIfNeeded();
  const from = (await card.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + from.width / 3, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + 60, { steps: 12 });
  await page.mouse.up();
}
