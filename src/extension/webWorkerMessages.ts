/**
 * The messages between the host and the browser's analysis worker besides the runner's (analysisRunner.ts):
 * the worker has no `vscode.workspace.fs`, so it asks the host for each grammar file it loads. Host-neutral.
 */

/** The worker asks the host for a grammar file; the host answers with its bytes or why not. */
export interface GrammarRequest { type: 'grammar'; request: number; file: string }
export interface GrammarAnswer { type: 'grammar'; request: number; bytes?: Uint8Array; error?: string }

export function isGrammarMessage(msg: unknown): msg is GrammarRequest | GrammarAnswer {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'grammar';
}

