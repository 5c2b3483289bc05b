/**
 * The toolbar: native controls only (select, input, buttons), so every one is reachable
 * with Tab and announced by screen readers; toggles expose their state with aria-pressed.
 */
import type { PanelView, WebviewState } from '../src/protocol/protocol';

export interface ToolbarActions {
  select(id: string): void;
  setHorizon(steps: number | null): void;
  toggleLog(): void;
  toggleEpochs(): void;
  toggleMomentum(): void;
  toggleCompare(): void;
  togglePin(): void;
  resetZoom(): void;
  png(): void;
  csv(): void;
  reveal(id: string): void;
}

/** Largest horizon the input passes on; the host clamps (with a note) anything above its cap. */
const MAX_INPUT = 1e15;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`panel markup lacks #${id}`);
  return el as T;
}

/** Parses the horizon input: empty → null (automatic); junk → undefined (ignored). */
export function parseHorizon(text: string): number | null | undefined {
  const t = text.trim();
  if (!t) return null;
  const n = Number(t);
  if (!Number.isFinite(n) || n < 1) return undefined;
  return Math.min(MAX_INPUT, Math.floor(n));
}

export class Toolbar {
  private readonly scheduler = byId<HTMLSelectElement>('scheduler');
  private readonly horizon = byId<HTMLInputElement>('horizon');
  private readonly logY = byId<HTMLButtonElement>('logY');
  private readonly epochs = byId<HTMLButtonElement>('epochs');
  private readonly momentum = byId<HTMLButtonElement>('momentum');
  private readonly compare = byId<HTMLButtonElement>('compare');
  private readonly pin = byId<HTMLButtonElement>('pin');
  private readonly png = byId<HTMLButtonElement>('png');
  private readonly csv = byId<HTMLButtonElement>('csv');
  private readonly reveal = byId<HTMLButtonElement>('reveal');

  constructor(actions: ToolbarActions) {
    this.scheduler.addEventListener('change', () => this.scheduler.value && actions.select(this.scheduler.value));
    this.horizon.addEventListener('change', () => {
      const steps = parseHorizon(this.horizon.value);
      if (steps === undefined) {
        this.horizon.setAttribute('aria-invalid', 'true');
        return;
      }
      this.horizon.removeAttribute('aria-invalid');
      actions.setHorizon(steps);
    });
    this.logY.addEventListener('click', () => actions.toggleLog());
    this.epochs.addEventListener('click', () => actions.toggleEpochs());
    this.momentum.addEventListener('click', () => actions.toggleMomentum());
    this.compare.addEventListener('click', () => actions.toggleCompare());
    this.pin.addEventListener('click', () => actions.togglePin());
    byId<HTMLButtonElement>('resetZoom').addEventListener('click', () => actions.resetZoom());
    this.png.addEventListener('click', () => actions.png());
    this.csv.addEventListener('click', () => actions.csv());
    this.reveal.addEventListener('click', () => this.scheduler.value && actions.reveal(this.scheduler.value));
  }

  /** Reflects the state and the view in the controls. */
  showState(state: WebviewState, view: PanelView | null): void {
    const choices = view?.schedulers ?? [];
    const options = choices.map((c) => {
      const o = document.createElement('option');
      o.value = c.id;
      o.textContent = c.label;
      return o;
    });
    if (!options.length) {
      const o = document.createElement('option');
      o.value = '';
      o.textContent = 'No scheduler';
      options.push(o);
    }
    this.scheduler.replaceChildren(...options);
    this.scheduler.value = view?.selectedId ?? '';
    this.scheduler.disabled = choices.length === 0;
    this.reveal.disabled = !view?.selectedId;

    if (document.activeElement !== this.horizon) {
      this.horizon.value = state.horizonOverride !== null ? String(state.horizonOverride) : '';
      this.horizon.placeholder = view?.horizon ? `auto (${view.horizon.steps.toLocaleString('en-US')})` : 'auto';
    }
    const hasCurve = !!view?.series.length;
    pressed(this.logY, state.yScale === 'log');
    pressed(this.epochs, state.xUnit === 'epoch');
    this.epochs.disabled = !view?.stepsPerEpoch;
    this.epochs.title = view?.stepsPerEpoch
      ? `Show the x axis in epochs (${view.stepsPerEpoch} steps per epoch${view.stepsPerEpochAssumed ? ', assumed' : ''})`
      : 'Epochs need a known steps_per_epoch';
    pressed(this.momentum, state.showMomentum);
    this.momentum.hidden = !view?.momentumLabel;
    this.momentum.textContent = view?.momentumLabel === 'beta1' ? 'Beta1' : 'Momentum';
    pressed(this.compare, !!view?.compare);
    this.compare.disabled = choices.length < 2 && !view?.compare;
    pressed(this.pin, !!view?.pinned);
    this.pin.textContent = view?.pinned ? 'Pinned' : 'Pin';
    this.png.disabled = !hasCurve;
    this.csv.disabled = !hasCurve;
  }
}

function pressed(button: HTMLButtonElement, on: boolean): void {
  button.setAttribute('aria-pressed', String(on));
}
