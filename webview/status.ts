/** The status line under the chart: scheduler, horizon and its source, x unit, assumed values, notes; and the no-curve message. */
import type { PanelView, WebviewState } from '../src/protocol/protocol';

function el(id: string): HTMLElement {
  const e = document.getElementById(id);
  if (!e) throw new Error(`panel markup lacks #${id}`);
  return e;
}

/** Plain-text summary of a view (also the canvas' accessible name). */
export function summaryText(view: PanelView, state: WebviewState): string {
  const parts = [view.compare ? `${view.schedulers.length} schedulers compared` : view.title];
  if (view.horizon) {
    const source = view.horizon.override !== null ? 'set in this panel' : view.horizon.source;
    parts.push(`horizon ${view.horizon.steps.toLocaleString('en-US')} ${view.stepLabel}s${source ? ` (${source})` : ''}`);
    if (state.xUnit === 'epoch' && view.stepsPerEpoch) parts.push(`${view.stepsPerEpoch} steps per epoch${view.stepsPerEpochAssumed ? ' (assumed)' : ''}`);
  }
  const groups = new Set(view.series.filter((s) => s.axis === 'lr').map((s) => `${s.schedulerId}/${s.group}`)).size;
  if (!view.compare && groups > 1) parts.push(`${groups} param groups`);
  if (view.markers.length) parts.push(`${view.markers.length} marker${view.markers.length === 1 ? '' : 's'}`);
  // The curve rests on assumed values: say which, up front (the notes below say why).
  if (view.assumed.length) parts.push(view.assumed.length > 2 ? `${view.assumed.slice(0, 2).join(', ')}, +${view.assumed.length - 2} assumed` : view.assumed.join(', '));
  if (state.yScale === 'log' && view.series.some((s) => s.axis === 'lr' && s.ys.some((y) => y !== null && y <= 0))) {
    parts.push('values ≤ 0 hidden on the log scale');
  }
  return parts.join(' · ');
}

export function renderStatus(view: PanelView, state: WebviewState): void {
  const summary = summaryText(view, state);
  el('summary').textContent = summary;
  const notes = el('notes');
  notes.replaceChildren(...view.notes.slice(0, 20).map((n) => {
    const li = document.createElement('li');
    li.textContent = n;
    return li;
  }));
  const message = el('message');
  message.hidden = !view.message;
  message.textContent = view.message ?? '';
  message.classList.toggle('overlay', !!view.message && view.series.length > 0);
  el('chart').setAttribute('aria-label', view.message && !view.series.length
    ? `No curve: ${view.message}`
    : `Learning-rate chart: ${summary}. Keys: plus and minus zoom, arrows pan, 0 resets.`);
}
