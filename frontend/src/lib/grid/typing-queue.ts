/**
 * Keys typed faster than the grid can follow them. RevoGrid applies a Tab, an arrow or the Enter
 * that saves a cell some 70 ms after the key (it waits for resizes), and an editor it opens takes
 * the keyboard focus a frame or two after the key that opened it. A key pressed in between would
 * go to the cell being left, to an editor being closed (and be lost with it), or start a second
 * editor: typing `Retail` right after a Tab gave `etail`.
 *
 * So from a key that changes what the grid does with keys (moves, opens or closes an editor) until
 * the grid has settled, the keys that follow are held, in order; then they are replayed to where
 * the focus is: text into the open editor's box (a synthetic key types nothing into an input, so
 * the text is put there as typing would), text on a cell through RevoGrid's own type-to-edit (the
 * first key opens the editor with it, the rest are appended before it renders), any other key
 * dispatched as a key, and each replayed move waited for like a typed one. A dropdown (a select
 * editor) gets its type-ahead and arrows done for it. Typing inside an open editor is never held.
 */
import type { PluginProviders } from '@revolist/revogrid';

interface HeldKey {
  key: string;
  code: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** A click on the grid while keys are held: it waits its turn, or it would act before them. */
interface HeldClick {
  click: MouseEventInit;
  target: Element;
}
type Held = HeldKey | HeldClick;
const isClick = (held: Held): held is HeldClick => 'click' in held;

/**
 * RevoGrid (4.28.1) applies a key's move RESIZE_INTERVAL + 30 = 70 ms after it. Our settle check
 * starts later than that timer, so the move (if any) has been applied by then, and timers fire in
 * the order they are due, whatever the machine's load.
 */
const GRID_MOVE_DELAY_MS = 70 + 10;
/** A bound, never reached when the grid works: an editor that never takes the focus must not hold keys for ever. */
const MAX_SETTLE_FRAMES = 120;

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock', 'NumLock', 'Dead', 'Unidentified', 'Process']);
/** Keys that leave an open editor (commit, commit and move, cancel); the rest are typing in it. */
const LEAVES_EDITOR = new Set(['Enter', 'Tab', 'Escape']);

/** Keys RevoGrid moves the focus or the range by, after its delay (not Home/End/PageUp/PageDown: those are ours). */
const isMove = (key: Held) => !isClick(key) && (key.key === 'Tab' || key.key.startsWith('Arrow'));
const isPrintable = (key: Held): key is HeldKey => !isClick(key) && key.key.length === 1 && !key.ctrlKey && !key.metaKey && !key.altKey;
/** Ctrl/Cmd + a letter (copy, paste, undo): acts at once on what is selected; a paste cannot be replayed. */
const isCommand = (event: KeyboardEvent) => (event.ctrlKey || event.metaKey) && event.key.length === 1;
const editorOf = (node: Element | null) => node?.closest('revogr-edit') ?? null;
/** A text box or list of the page's own (a menu's, a filter's) that happens to sit in the grid: its keys are its own. */
const isOtherField = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) && !editorOf(target);
/**
 * A dropdown's type-ahead, as typing at it would: the first option whose text starts with what
 * was typed (`Cu`: Customer, not Competitor) is chosen; nothing matches, nothing changes. Chosen,
 * not saved: the editor saves on Enter or Tab, as after typing at the dropdown itself.
 */
function chooseByTyping(select: HTMLSelectElement, text: string): void {
  const typed = text.toLocaleLowerCase();
  const option = [...select.options].find((o) => o.text.trim().toLocaleLowerCase().startsWith(typed));
  if (!option || option.selected) return;
  select.value = option.value;
  select.dispatchEvent(new Event('input', { bubbles: true }));
}
/** An editor's text box (the keys typed there are text), or null. */
const textBoxOf = (node: EventTarget | null): HTMLInputElement | null =>
  node instanceof HTMLInputElement && editorOf(node) && ['text', 'search', ''].includes(node.type) ? node : null;
/** How long a dropdown's type-ahead goes on from a key to the next (Chromium's is 1 s). */
const TYPE_AHEAD_MS = 1000;
const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class TypingQueue {
  #held: Held[] = [];
  #running = false;
  /** Resolves when the replay under way (`#running`) is over. */
  #runEnded: Promise<void> = Promise.resolve();
  /**
   * Shift+arrows gone to RevoGrid and not yet applied for certain, and when the last one went:
   * RevoGrid applies them after its delay, one every two frames (its key changes queue up).
   */
  #rangeMoves = 0;
  #rangeMovedAt = -Infinity;
  /** Resolves once those are applied (see #settleRange); undefined when none is pending. */
  #rangeSettled: Promise<void> | undefined;
  #selection: PluginProviders['selection'] | undefined;
  /**
   * What was typed at a dropdown by replay, and when: a key typed there soon after goes on with it
   * (`C` replayed, then `u` typed is `Cu`), as the dropdown's own type-ahead would have.
   */
  #typeAhead: { select: HTMLSelectElement; text: string; at: number } | undefined;
  /**
   * The text selected in an editor's box when the first key typed there was held: the keys act
   * on it when replayed, as they would have at once. Meanwhile the editor may have moved the
   * caret (it puts it at the end once it has rendered), and a held Delete then deleted nothing.
   */
  #selectionAt: { input: HTMLInputElement; start: number; end: number; direction: 'forward' | 'backward' | 'none' } | undefined;

  constructor(private readonly grid: () => HTMLRevoGridElement | undefined) {}

  /** RevoGrid has a focused cell, which keys from the page itself act on (as last seen: the first call asks). */
  get gridFocused(): boolean {
    if (!this.#selection) void this.#providers();
    return !!this.#selection?.focused;
  }

  async #providers(): Promise<PluginProviders | undefined> {
    const providers = await this.grid()?.getProviders();
    this.#selection = providers?.selection;
    return providers;
  }

  /** Keys are being held until the grid settles. */
  get busy(): boolean {
    return this.#running;
  }

  /**
   * Resolves once the keys pressed so far have acted: the range extended, the held keys
   * replayed. A paste cannot be held (its text comes with its event, not with the key), so it
   * waits here before it reads where it goes: Shift+Down then Ctrl+V pasted into the first cell
   * only, as the range had not grown yet.
   */
  async settled(): Promise<void> {
    while (this.#rangeSettled || this.#running) await (this.#rangeSettled ?? this.#runEnded);
  }

  /**
   * Every trusted keydown aimed at the grid, before anyone else sees it (window, capture phase).
   * Returns true when the key was held (and kept from everyone else).
   */
  take(event: KeyboardEvent): boolean {
    if (MODIFIERS.has(event.key) || isCommand(event) || event.isComposing || isOtherField(event.target)) return false;
    if (this.#running) {
      this.#hold(event);
      return true;
    }
    // Shift+arrows extend the range and leave the focus where it is: they go at once, so that a
    // Ctrl+C after them (which cannot be held) is not overtaken by their replay.
    if (event.shiftKey && event.key.startsWith('Arrow')) {
      this.#rangeMoves++;
      this.#rangeMovedAt = performance.now();
      this.#rangeSettled ??= this.#settleRange();
      return false;
    }
    // But RevoGrid extends the range after its delay too, a Shift+arrow every two frames: a
    // Delete (or typing) right after would act on the range as it was, so it waits until the
    // range has moved. On a busy page frames come late: a fixed time after the last Shift+arrow
    // let a Delete after Shift+Down held down clear only part of the range.
    if (this.#rangeSettled) {
      this.#hold(event);
      void this.#run();
      return true;
    }
    if (this.#goesOnTyping(event)) return true;
    const inEditor = editorOf(event.target as Element | null) !== null;
    if (!inEditor || LEAVES_EDITOR.has(event.key)) void this.#run();
    return false;
  }

  /** A key typed at a dropdown right after replayed type-ahead: added to it (true), not typed afresh. */
  #goesOnTyping(event: KeyboardEvent): boolean {
    const typing = this.#typeAhead;
    if (!typing || event.target !== typing.select || !isPrintable(event) || performance.now() - typing.at > TYPE_AHEAD_MS) return false;
    event.preventDefault();
    this.#chooseByTyping(typing.select, typing.text + event.key);
    return true;
  }

  #chooseByTyping(select: HTMLSelectElement, text: string) {
    this.#typeAhead = { select, text, at: performance.now() };
    chooseByTyping(select, text);
  }

  /** Keeps a key from everyone else, to replay it in its turn. */
  #hold(event: KeyboardEvent) {
    event.preventDefault();
    event.stopImmediatePropagation();
    const input = textBoxOf(event.target);
    if (input && !this.#selectionAt && input.selectionStart !== null && input.selectionEnd !== null) {
      this.#selectionAt = { input, start: input.selectionStart, end: input.selectionEnd, direction: input.selectionDirection ?? 'none' };
    }
    const { key, code, shiftKey, ctrlKey, metaKey, altKey } = event;
    this.#held.push({ key, code, shiftKey, ctrlKey, metaKey, altKey });
  }

  /** The focused editor's box, with the selection its first held key was typed at (once). */
  #boxToEdit(): HTMLInputElement | null {
    const input = this.#focusedInput();
    const at = this.#selectionAt;
    if (input && at?.input === input) {
      input.setSelectionRange(at.start, at.end, at.direction);
      this.#selectionAt = undefined;
    }
    return input;
  }

  /** Every trusted mousedown in the grid: held (true) while keys are, to act after them. */
  takeClick(event: MouseEvent): boolean {
    if (!this.#running || !(event.target instanceof Element)) return false;
    event.preventDefault();
    event.stopImmediatePropagation();
    const { clientX, clientY, screenX, screenY, button, buttons, shiftKey, ctrlKey, metaKey, altKey, detail } = event;
    this.#held.push({ click: { clientX, clientY, screenX, screenY, button, buttons, shiftKey, ctrlKey, metaKey, altKey, detail }, target: event.target });
    return true;
  }

  /**
   * Until RevoGrid has applied every Shift+arrow sent to it: the grid's delay after the last one,
   * then two frames each (RevoGrid applies them one after another, two frames apart), again
   * while more come.
   */
  async #settleRange() {
    let waited = 0;
    while (waited < this.#rangeMoves) {
      const delay = this.#rangeMovedAt + GRID_MOVE_DELAY_MS - performance.now();
      if (delay > 0) {
        await sleep(delay);
        continue;
      }
      const moves = this.#rangeMoves - waited;
      for (let frame = 0; frame < 2 * moves + 1; frame++) await nextFrame();
      waited += moves;
    }
    this.#rangeMoves = 0;
    this.#rangeSettled = undefined;
  }

  /** Waits until the grid has settled, then replays what was held meanwhile, each in turn. */
  async #run() {
    this.#running = true;
    let ended!: () => void;
    this.#runEnded = new Promise((resolve) => (ended = resolve));
    try {
      await this.#rangeSettled;
      await this.#settle();
      while (this.#held.length) {
        const next = this.#held[0];
        if (isClick(next)) {
          // Its button went up while it waited (RevoGrid ends a range drag on that): both go now.
          this.#held.shift();
          const init = { ...next.click, bubbles: true, cancelable: true, composed: true };
          next.target.dispatchEvent(new MouseEvent('mousedown', init));
          next.target.dispatchEvent(new MouseEvent('mouseup', { ...init, buttons: 0 }));
        } else if (isPrintable(next)) {
          let text = '';
          while (this.#held.length && isPrintable(this.#held[0])) text += (this.#held.shift() as HeldKey).key;
          if (this.#typeText(text)) continue;
        } else if (isMove(next) && !(await this.#editing())) {
          // Moves in a row (an arrow held down) go to RevoGrid together: it applies them in
          // order, one every two frames once their delay is over, so they are waited for at once.
          let moves = 0;
          while (this.#held.length && isMove(this.#held[0])) {
            this.#dispatch(this.#held.shift() as HeldKey);
            moves++;
          }
          await this.#settle(2 * moves + 1);
          continue;
        } else {
          this.#held.shift();
          if (this.#editInput(next as HeldKey)) continue;
          this.#dispatch(next as HeldKey);
        }
        await this.#settle();
      }
    } finally {
      this.#running = false;
      this.#selectionAt = undefined;
      ended();
    }
  }

  /**
   * Settled: RevoGrid's pending move has been applied and rendered, and either no editor is open
   * (nor a closed one still on the page) or the open one has the keyboard focus.
   */
  async #settle(minFrames = 2) {
    await sleep(GRID_MOVE_DELAY_MS);
    for (let frame = 1; frame <= minFrames + MAX_SETTLE_FRAMES; frame++) {
      await nextFrame();
      const grid = this.grid();
      if (!grid) return;
      const edit = (await this.#providers())?.selection.edit;
      const shown = grid.querySelector('revogr-edit');
      const focusedEditor = editorOf(document.activeElement);
      if (frame >= minFrames && (edit ? focusedEditor !== null && focusedEditor === shown : shown === null)) return;
    }
  }

  /** An editor is open, or one is still on the page. */
  async #editing(): Promise<boolean> {
    const grid = this.grid();
    return !!grid && (!!(await this.#providers())?.selection.edit || grid.querySelector('revogr-edit') !== null);
  }

  /** Text into the focused editor's box (or its dropdown's type-ahead); false when no editor box has the focus. */
  #typeText(text: string): boolean {
    const select = this.#focusedSelect();
    if (select) {
      this.#chooseByTyping(select, text);
      return true;
    }
    const input = this.#boxToEdit();
    if (!input) {
      // On a cell: RevoGrid's type-to-edit. The first key opens the editor with it; the next
      // ones are added to the editor's text before it renders.
      for (const key of text) this.#dispatch({ key, code: '', shiftKey: false, ctrlKey: false, metaKey: false, altKey: false });
      return false;
    }
    input.setRangeText(text, input.selectionStart ?? input.value.length, input.selectionEnd ?? input.value.length, 'end');
    input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
    return true;
  }

  /** Backspace and Delete in the focused editor's box, arrows in its dropdown: a synthetic key would do neither. */
  #editInput(key: HeldKey): boolean {
    const select = this.#focusedSelect();
    if (select && (key.key === 'ArrowDown' || key.key === 'ArrowUp') && !key.ctrlKey && !key.metaKey && !key.altKey && !key.shiftKey) {
      select.selectedIndex = Math.max(0, Math.min(select.options.length - 1, select.selectedIndex + (key.key === 'ArrowDown' ? 1 : -1)));
      select.dispatchEvent(new Event('input', { bubbles: true }));
      return true;
    }
    const input = this.#boxToEdit();
    if (!input || (key.key !== 'Backspace' && key.key !== 'Delete') || key.ctrlKey || key.metaKey || key.altKey) return false;
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? start;
    if (start === end) {
      const from = key.key === 'Backspace' ? Math.max(0, start - 1) : start;
      input.setRangeText('', from, key.key === 'Backspace' ? start : Math.min(input.value.length, start + 1), 'end');
    } else {
      input.setRangeText('', start, end, 'end');
    }
    input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: key.key === 'Backspace' ? 'deleteContentBackward' : 'deleteContentForward' }));
    return true;
  }

  #focusedSelect(): HTMLSelectElement | null {
    const active = document.activeElement;
    return active instanceof HTMLSelectElement && editorOf(active) ? active : null;
  }

  #focusedInput(): HTMLInputElement | null {
    return textBoxOf(document.activeElement);
  }

  /** A key as the grid would have had it: at the focused element if it is in the grid, else at the grid. */
  #dispatch(key: HeldKey) {
    const grid = this.grid();
    const active = document.activeElement;
    const target = active && grid?.contains(active) ? active : grid;
    target?.dispatchEvent(new KeyboardEvent('keydown', { ...key, bubbles: true, cancelable: true, composed: true }));
  }
}
