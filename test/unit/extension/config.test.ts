import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analysisSettingsChanged, analyzeOptions, DEFAULT_CONFIG, effectiveSeverity, LrLensConfig, readConfig } from '../../../src/extension/config';

const MANIFEST = path.join(__dirname, '../../../../package.json');

function fromObject(values: Record<string, unknown>): LrLensConfig {
  return readConfig((key) => (Object.prototype.hasOwnProperty.call(values, key) ? values[key] : undefined));
}

describe('extension/config', () => {
  it('gives the defaults when nothing is set', () => {
    assert.deepStrictEqual(fromObject({}), DEFAULT_CONFIG);
  });

  it('maps every setting', () => {
    const c = fromObject({
      defaultHorizon: 500, assumedLr: 0.01, 'hover.enabled': false, 'codeLens.enabled': false, 'diagnostics.enabled': false,
      'panel.followCursor': false, debounceMs: 40, rules: { LR141: 'off', lr072: 'error' },
    });
    assert.strictEqual(c.defaultHorizon, 500);
    assert.strictEqual(c.assumedLr, 0.01);
    assert.strictEqual(c.hoverEnabled, false);
    assert.strictEqual(c.codeLensEnabled, false);
    assert.strictEqual(c.diagnosticsEnabled, false);
    assert.strictEqual(c.followCursor, false);
    assert.strictEqual(c.debounceMs, 40);
    assert.deepStrictEqual([...c.rules], [['LR141', 'off'], ['LR072', 'error']]);
  });

  it('falls back on junk and clamps the horizon to 10,000,000', () => {
    const c = fromObject({ defaultHorizon: 1e12, assumedLr: -1, 'hover.enabled': 'yes', debounceMs: NaN, rules: ['LR141'] });
    assert.strictEqual(c.defaultHorizon, 10_000_000);
    assert.strictEqual(c.assumedLr, DEFAULT_CONFIG.assumedLr);
    assert.strictEqual(c.hoverEnabled, true);
    assert.strictEqual(c.debounceMs, DEFAULT_CONFIG.debounceMs);
    assert.strictEqual(c.rules.size, 0);
  });

  it('keeps only well-formed rule overrides; __proto__ is just a name', () => {
    const rules = JSON.parse('{"__proto__": "off", "LR1": "off", "LR003": "loud", "LR003 ": "hint", "constructor": "error"}');
    const c = fromObject({ rules });
    assert.deepStrictEqual([...c.rules], [['LR003', 'hint']]);
  });

  it('applies overrides: off hides, a severity replaces, others stay', () => {
    const c = fromObject({ rules: { LR141: 'off', LR072: 'error' } });
    assert.strictEqual(effectiveSeverity('LR141', 'warning', c), null);
    assert.strictEqual(effectiveSeverity('lr072', 'warning', c), 'error');
    assert.strictEqual(effectiveSeverity('LR020', 'error', c), 'error');
  });

  it('turns settings into analysis options (0 = automatic horizon)', () => {
    assert.deepStrictEqual(analyzeOptions(DEFAULT_CONFIG), { steps: undefined, assumedLr: 0.1, assumedStepsPerEpoch: 100, rules: {} });
    assert.deepStrictEqual(analyzeOptions(fromObject({ defaultHorizon: 1e12, assumedLr: 3e-4, rules: { LR141: 'off' } })),
      { steps: 10_000_000, assumedLr: 3e-4, assumedStepsPerEpoch: 100, rules: { LR141: 'off' } });
    assert.strictEqual(analyzeOptions(fromObject({ assumedStepsPerEpoch: 250 })).assumedStepsPerEpoch, 250);
    assert.strictEqual(analyzeOptions(fromObject({ assumedStepsPerEpoch: 0 })).assumedStepsPerEpoch, 100, 'below 1 falls back to the default');
  });

  it('analyses again when a setting the analysis reads changes (batches per epoch too), not for a view setting', () => {
    const base = fromObject({});
    for (const changed of [{ defaultHorizon: 500 }, { assumedLr: 0.01 }, { assumedStepsPerEpoch: 250 }, { rules: { LR141: 'off' } }]) {
      assert.strictEqual(analysisSettingsChanged(base, fromObject(changed)), true, JSON.stringify(changed));
    }
    for (const same of [{}, { 'hover.enabled': false }, { debounceMs: 40 }, { 'panel.followCursor': false }, { assumedStepsPerEpoch: 100 }]) {
      assert.strictEqual(analysisSettingsChanged(base, fromObject(same)), false, JSON.stringify(same));
    }
  });

  it('mirrors contributes.configuration in package.json (keys and defaults)', () => {
    const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default: unknown }> } };
    };
    const props = manifest.contributes.configuration.properties;
    const defaults = Object.fromEntries(Object.entries(props).map(([k, v]) => [k.replace(/^lrLens\./, ''), v.default]));
    assert.deepStrictEqual(Object.keys(defaults).sort(), [
      'assumedLr', 'assumedStepsPerEpoch', 'codeLens.enabled', 'debounceMs', 'defaultHorizon', 'diagnostics.enabled', 'hover.enabled', 'panel.followCursor', 'rules',
    ]);
    // Reading the manifest's defaults gives the accessor's defaults: the two cannot drift apart.
    assert.deepStrictEqual(fromObject(defaults), DEFAULT_CONFIG);
  });
});
