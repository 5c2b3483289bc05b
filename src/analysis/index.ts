/**
 * The language layer's entry point: source text in, schedulers with curves and
 * diagnostics out. Used by the VS Code adapters, the CLI and the tests.
 */
export * from './types';
export { analyze, argToJson, DEFAULT_ASSUMED_LR, DEFAULT_MAX_STEPS } from './analyze';
export { WorkspaceCache, type WorkspaceHost, type WorkspaceOptions } from './workspace';
export { setGrammarLoader, type GrammarLoader } from '../frontends/parser';
