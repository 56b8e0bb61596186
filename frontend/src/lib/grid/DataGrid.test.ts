import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
import DataGrid from './DataGrid.svelte';
import type { CommitResult, GridColumn } from './grid-column.ts';

type Row = { id: string; name: string; city: string };
const columns: GridColumn<Row>[] = [
  { key: 'name', label: 'Name', editable: true },
  { key: 'city', label: 'City', editable: true },
];

let target: HTMLElement;
let grid: ReturnType<typeof mount> | undefined;

afterEach(() => {
  if (grid) unmount(grid);
  grid = undefined;
  target?.remove();
});

function render(commit: (row: Row, column: GridColumn<Row>, text: string) => Promise<CommitResult>) {
  target = document.body.appendChild(document.createElement('div'));
  const rows: Row[] = [
    { id: 'a', name: 'Acme', city: 'Oslo' },
    { id: 'b', name: 'Globex', city: 'Lima' },
  ];
  const commits: string[] = [];
  grid = mount(DataGrid<Row>, {
    target,
    props: {
      label: 'Things',
      columns,
      rows,
      commit: async (row, column, text) => {
        commits.push(`${row.id}.${column.key}=${text}`);
        return commit(row, column, text);
      },
    },
  });
  flushSync();
  return { commits };
}

const cell = (row: number, col: number) => target.querySelector<HTMLElement>(`[data-row="${row}"][data-col="${col}"]`)!;
const editor = () => target.querySelector<HTMLInputElement>('input.cell-editor');
const focused = () => document.activeElement;

async function press(key: string, element: Element = document.activeElement!, init: KeyboardEventInit = {}) {
  element.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
  flushSync();
  // Commits are async: let them settle and the DOM catch up.
  for (let i = 0; i < 5; i++) await tick();
}

function type(text: string) {
  const input = editor()!;
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

describe('DataGrid', () => {
  it('is an ARIA grid with one tab stop', () => {
    render(async () => ({ status: 'saved' }));
    const table = target.querySelector('[role="grid"]')!;
    expect(table.getAttribute('aria-label')).toBe('Things');
    expect(table.getAttribute('aria-rowcount')).toBe('3');
    expect(table.getAttribute('aria-colcount')).toBe('2');
    expect(target.querySelectorAll('[role="gridcell"][tabindex="0"]')).toHaveLength(1);
    expect(cell(0, 0).tabIndex).toBe(0);
  });

  it('moves focus with the arrow keys', async () => {
    render(async () => ({ status: 'saved' }));
    cell(0, 0).focus();
    await press('ArrowDown');
    expect(focused()).toBe(cell(1, 0));
    await press('ArrowRight');
    expect(focused()).toBe(cell(1, 1));
    expect(cell(1, 1).tabIndex).toBe(0);
    expect(cell(0, 0).tabIndex).toBe(-1);
  });

  it('edits with Enter, commits the typed text with Enter and returns focus to the cell', async () => {
    const { commits } = render(async () => ({ status: 'saved' }));
    cell(0, 1).focus();
    await press('Enter');
    expect(editor()?.value).toBe('Oslo');
    type('Bergen');
    await press('Enter');
    expect(commits).toEqual(['a.city=Bergen']);
    expect(editor()).toBeNull();
    expect(focused()).toBe(cell(0, 1));
  });

  it('cancels with Escape without committing', async () => {
    const { commits } = render(async () => ({ status: 'saved' }));
    cell(1, 0).focus();
    await press('F2');
    type('Changed');
    await press('Escape');
    expect(commits).toEqual([]);
    expect(editor()).toBeNull();
    expect(cell(1, 0).textContent).toContain('Globex');
    expect(focused()).toBe(cell(1, 0));
  });

  it('starts editing by typing, replacing the value', async () => {
    render(async () => ({ status: 'saved' }));
    cell(0, 0).focus();
    await press('Z');
    expect(editor()?.value).toBe('Z');
  });

  it('keeps the input and shows the reason when a commit is refused', async () => {
    render(async () => ({ status: 'error', message: 'City must be a real place.' }));
    cell(0, 1).focus();
    await press('Enter');
    type('Atlantis');
    await press('Enter');
    expect(editor()?.value).toBe('Atlantis');
    const td = cell(0, 1);
    expect(td.getAttribute('aria-invalid')).toBe('true');
    const notice = document.getElementById(td.getAttribute('aria-describedby')!);
    expect(notice?.textContent).toContain('City must be a real place.');
  });

  it('commits and moves to the next cell with Tab', async () => {
    const { commits } = render(async () => ({ status: 'saved' }));
    cell(0, 0).focus();
    await press('Enter');
    type('Acme Inc');
    await press('Tab');
    expect(commits).toEqual(['a.name=Acme Inc']);
    expect(focused()).toBe(cell(0, 1));
  });

  it('shows a conflict on the cell after leaving edit', async () => {
    render(async () => ({ status: 'conflict', message: 'Someone else changed this.' }));
    cell(1, 1).focus();
    await press('Enter');
    type('Quito');
    await press('Enter');
    expect(editor()).toBeNull();
    expect(cell(1, 1).textContent).toContain('Someone else changed this.');
  });

  it('keeps what is typed while a save is under way and starts the next edit with it', async () => {
    let finishSave!: () => void;
    const { commits } = render(() => new Promise((resolve) => (finishSave = () => resolve({ status: 'saved' }))));
    cell(0, 0).focus();
    await press('Enter');
    type('Acme Inc');
    await press('Tab');
    await press('B', editor()!);
    await press('e', editor()!);
    expect(commits).toEqual(['a.name=Acme Inc']);

    finishSave();
    for (let i = 0; i < 5; i++) await tick();
    flushSync();

    expect(focused()).toBe(editor());
    expect(editor()?.getAttribute('aria-label')).toBe('City, row 1');
    expect(editor()?.value).toBe('Be');
  });

  it('saves when focus leaves a changed cell, and just closes an unchanged one', async () => {
    const { commits } = render(async () => ({ status: 'saved' }));
    cell(0, 0).focus();
    await press('Enter');
    editor()!.blur();
    await tick();
    expect(editor()).toBeNull();
    expect(commits).toEqual([]);

    cell(1, 1).focus();
    await press('Enter');
    type('Cusco');
    editor()!.blur();
    for (let i = 0; i < 5; i++) await tick();
    expect(commits).toEqual(['b.city=Cusco']);
    expect(editor()).toBeNull();
  });

  it('keeps working from the keyboard after a refused edit was left by a click elsewhere', async () => {
    render(async () => ({ status: 'error', message: 'No.' }));
    cell(0, 1).focus();
    await press('Enter');
    type('Atlantis');
    cell(1, 0).focus();
    for (let i = 0; i < 5; i++) await tick();
    expect(cell(0, 1).getAttribute('aria-invalid')).toBe('true');

    await press('ArrowRight');
    expect(focused()).toBe(cell(1, 1));
    await press('Enter');
    expect(editor()?.getAttribute('aria-label')).toBe('City, row 2');
    expect(cell(0, 1).getAttribute('aria-invalid')).toBeNull();
  });
});
