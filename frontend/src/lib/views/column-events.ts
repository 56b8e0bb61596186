/**
 * Column changes made in the grid itself, with the mouse: a resize (RevoGrid's
 * `aftercolumnresize`) and a drag in the header (`columndragend`). Both bubble out of the grid
 * element, so they are heard without reaching into the grid component; each becomes a new
 * ViewState.
 */
import type { ViewState } from './apply-view.ts';
import { withDragged, withWidth } from './column-state.ts';

/** A RevoGrid column as RecordGrid builds it: its field rides along. */
interface GridColumnLike {
  size?: number;
  field?: { key: string };
}

/** Listens on `target` until the returned function is called. */
export function listenColumnChanges(target: EventTarget, columns: () => readonly string[], state: () => ViewState, onstate: (state: ViewState) => void): () => void {
  const resized = (event: Event) => {
    const detail = (event as CustomEvent<Record<number, GridColumnLike>>).detail ?? {};
    let next = state();
    for (const column of Object.values(detail)) {
      if (column.field && column.size) next = withWidth(columns(), next, column.field.key, column.size);
    }
    if (next !== state()) onstate(next);
  };
  const dragged = (event: Event) => {
    const detail = (event as CustomEvent<{ type: string; columns: GridColumnLike[] }>).detail;
    const keys = (detail?.columns ?? []).flatMap((column) => (column.field ? [column.field.key] : []));
    if (keys.length) onstate(withDragged(columns(), state(), detail.type, keys));
  };
  target.addEventListener('aftercolumnresize', resized);
  target.addEventListener('columndragend', dragged);
  return () => {
    target.removeEventListener('aftercolumnresize', resized);
    target.removeEventListener('columndragend', dragged);
  };
}
