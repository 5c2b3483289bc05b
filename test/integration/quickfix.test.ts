/**
 * Every quick fix offered for an LR Lens diagnostic, applied the way the lightbulb applies it
 * (`vscode.executeCodeActionProvider` → `workspace.applyEdit`, then its command), removes that diagnostic.
 * Each fix starts from the pristine fixture text.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate, closeAll, openFixture, ruleOf, setText, summarize, waitForDiagnostics } from './helpers';

/**
 * Fixture → rules whose quick fixes are exercised. Every one must offer at least one action (the generic
 * "ignore" counts); rules whose fix in docs/rules.md is one concrete edit (lr = 0, pct_start 0.3, swap the
 * bounds) must also offer a real fix besides ignoring.
 */
const CASES: Record<string, string[]> = {
  'warmup_restarts_nonzero.py': ['LR141'],
  'lint_cases.py': ['LR102', 'LR070', 'LR095', 'LR142'],
};
const CONCRETE_FIX = new Set(['LR141', 'LR102', 'LR095']);

/** Where a diagnostic is, to tell it apart from others of the same rule. */
const key = (d: vscode.Diagnostic): string => `${ruleOf(d)}@${d.range.start.line}`;

suite('quick fixes', () => {
  suiteSetup(activate);
  suiteTeardown(closeAll);

  for (const [file, rules] of Object.entries(CASES)) {
    for (const rule of rules) {
      test(`${file}: every quick fix for ${rule} removes it`, async () => {
        const { document: doc } = await openFixture(file);
        const original = doc.getText();
        const initial = await waitForDiagnostics(doc.uri, (d) => d.some((x) => ruleOf(x) === rule), `${rule} expected in ${file}`);
        const target = initial.find((x) => ruleOf(x) === rule)!;
        // executeCodeActionProvider does not hand back CodeAction.diagnostics, so actions of other diagnostics on
        // the same range are told apart by title: they name their own rule ("Ignore LR096 on this line").
        const otherRule = (t: string): boolean => (t.match(/LR\d{3}/g) ?? []).some((r) => r !== rule);
        const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider',
          doc.uri, target.range, vscode.CodeActionKind.QuickFix.value, 50) ?? []).filter((a) => !otherRule(a.title));
        const titles = actions.map((a) => a.title);
        assert.ok(titles.length > 0, `no quick fix for ${key(target)} (${summarize(initial)})`);
        if (CONCRETE_FIX.has(rule)) {
          assert.ok(titles.some((t) => !/ignore/i.test(t)), `no fix for ${key(target)} besides ignoring it: ${titles.join(' | ')}`);
        }
        assert.strictEqual(new Set(titles).size, titles.length, `duplicate quick-fix titles: ${titles.join(' | ')}`);
        try {
          for (const title of titles) {
            await setText(doc, original);
            await waitForDiagnostics(doc.uri, (d) => d.some((x) => key(x) === key(target)), `${rule} back after restoring the text`);
            // Actions hold ranges of the text they were computed for: ask again on the restored text.
            const fresh = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider',
              doc.uri, target.range, vscode.CodeActionKind.QuickFix.value, 50) ?? []).find((a) => a.title === title);
            assert.ok(fresh, `quick fix "${title}" disappeared after restoring the text`);
            assert.ok(fresh.edit || fresh.command, `quick fix "${title}" has neither an edit nor a command`);
            if (fresh.edit) assert.ok(await vscode.workspace.applyEdit(fresh.edit), `applyEdit of "${title}" failed`);
            if (fresh.command) await vscode.commands.executeCommand(fresh.command.command, ...(fresh.command.arguments ?? []));
            assert.notStrictEqual(doc.getText(), original, `"${title}" did not change the text`);
            await waitForDiagnostics(doc.uri, (d) => !d.some((x) => ruleOf(x) === rule && Math.abs(x.range.start.line - target.range.start.line) <= 1),
              `"${title}" should remove ${rule}`);
          }
        } finally {
          await setText(doc, original);
        }
      });
    }
  }
});
