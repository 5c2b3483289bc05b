// DOM helpers for VS Code 1.100's workbench (Monaco editor, quick input, webview iframes), used by e2e.mjs.
// Monaco renders visible lines as recycled, absolutely positioned `.view-line` divs (not in line order) and
// writes spaces as U+00A0: lines are found by their text, words by a DOM Range over the text node.

/** On-screen centre and size of `word` inside the first visible line containing `lineContains`, or null. */
export function wordBox(page, lineContains, word) {
  return page.evaluate(([lineContains, word]) => {
    const norm = (s) => s.replace(/\u00a0/g, ' ');
    const line = [...document.querySelectorAll('.monaco-editor .view-lines .view-line')]
      .find((l) => norm(l.textContent).includes(lineContains));
    if (!line) return null;
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    const lineText = norm(line.textContent);
    const at = lineText.indexOf(word, lineText.indexOf(lineContains));
    let offset = 0;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const len = n.textContent.length;
      if (at >= offset && at + word.length <= offset + len) {
        const r = document.createRange();
        r.setStart(n, at - offset); r.setEnd(n, at - offset + word.length);
        const b = r.getBoundingClientRect();
        return { x: b.x + b.width / 2, y: b.y + b.height / 2, w: b.width, h: b.height };
      }
      offset += len;
    }
    return null;
  }, [lineContains, word]);
}

/** Text of all visible editor lines (NBSP normalised), top to bottom. */
export function visibleLines(page) {
  return page.evaluate(() => [...document.querySelectorAll('.monaco-editor .view-lines .view-line')]
    .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top)).map((l) => l.textContent.replace(/\u00a0/g, ' ')));
}

/**
 * Runs a command from the palette (F1) by its title. The palette can close again as soon as it opens when a webview
 * takes the focus back (seen once in the web host, right after its panel was rebuilt by a tab switch: the input was
 * shown, then `fill` waited 30 s for it); it is opened again then, three times at most.
 */
export async function runCommand(page, title) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 10_000 });
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

/** The inner frame (our HTML) of the first ready webview: iframe.webview.ready → #active-frame (both same-origin). */
export async function webviewFrame(page, timeout) {
  const outer = page.locator('iframe.webview.ready').first();
  await outer.waitFor({ state: 'attached', timeout });
  const outerFrame = await (await outer.elementHandle()).contentFrame();
  const inner = outerFrame.locator('#active-frame');
  await inner.waitFor({ state: 'attached', timeout });
  return (await inner.elementHandle()).contentFrame();
}

/**
 * Installs window.__lrSig(canvas) into the webview frame (it survives until the webview reloads): a cheap
 * signature of what the canvas shows (painted pixel count + a hash over a 2-pixel grid), so "the plot changed"
 * or "the same plot" is a pixel fact, not an element fact. It is an assertion only: waits are on draws
 * ({@link waitForDraw}), never on pixels.
 */
export function installCanvasHelpers(frame) {
  return frame.evaluate(() => {
    window.__lrSig = (c) => {
      const { width: w, height: h } = c;
      if (!w || !h) return { w, h, painted: 0, hash: 0 };
      const d = c.getContext('2d').getImageData(0, 0, w, h).data;
      let painted = 0, hash = 0;
      for (let y = 0; y < h; y += 2) {
        for (let x = 0; x < w; x += 2) {
          const i = (y * w + x) * 4;
          if (d[i + 3] === 0) continue;
          painted++;
          hash = (Math.imul(hash, 31) + d[i] + d[i + 1] * 3 + d[i + 2] * 7 + x * 11 + y * 13) | 0;
        }
      }
      return { w, h, painted, hash };
    };
  });
}

/** The signature of the chart canvas now (see installCanvasHelpers). */
export function canvasSig(frame) {
  return frame.evaluate(() => window.__lrSig(document.querySelector('canvas#chart')));
}

/**
 * The webview's own report of its last completed draw, as webview/main.ts writes it on the canvas:
 * `draw` (draws are numbered from 1), `viewSeq` (the host's view drawn; 0 before the first view), `drawnAt`
 * (the webview's Date.now()) and `idle` (no detail request pending: nothing more will be drawn until the host sends something).
 */
export function lastDraw(frame) {
  return frame.evaluate(() => {
    const d = document.querySelector('canvas#chart').dataset;
    return { draw: Number(d.draw ?? 0), viewSeq: Number(d.viewSeq ?? 0), drawnAt: Number(d.drawnAt ?? 0), idle: d.idle === 'true' };
  });
}

/**
 * Resolves with the report of the first draw (see lastDraw) numbered above `after`, of a view newer than
 * `afterView` and, with `idle`, with no detail pending. Waits in the page on the canvas's attribute changes
 * (a MutationObserver): no polling. Rejects after `timeout` ms with the last report seen.
 */
export function waitForDraw(frame, { after = 0, afterView = 0, idle = false }, timeout) {
  return frame.evaluate(({ after, afterView, idle, timeout }) => new Promise((resolve, reject) => {
    const canvas = document.querySelector('canvas#chart');
    const read = () => {
      const d = canvas.dataset;
      return { draw: Number(d.draw ?? 0), viewSeq: Number(d.viewSeq ?? 0), drawnAt: Number(d.drawnAt ?? 0), idle: d.idle === 'true' };
    };
    const observer = new MutationObserver(() => check());
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`no draw numbered above ${after} of a view above ${afterView}${idle ? ' with nothing pending' : ''} within ${timeout} ms (last draw: ${JSON.stringify(read())})`));
    }, timeout);
    function check() {
      const r = read();
      if (r.draw > after && r.viewSeq > afterView && (!idle || r.idle)) {
        observer.disconnect();
        clearTimeout(timer);
        resolve(r);
      }
    }
    observer.observe(canvas, { attributes: true, attributeFilter: ['data-draw', 'data-idle'] });
    check();
  }), { after, afterView, idle, timeout });
}
