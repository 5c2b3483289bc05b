/**
 * The live settings snapshot: re-read when `lrLens.*` changes, so every setting takes effect
 * without a reload.
 */
import * as vscode from 'vscode';
import { CONFIG_SECTION } from './ids';
import { LrLensConfig, readConfig } from './config';

export interface ConfigChange {
  previous: LrLensConfig;
  current: LrLensConfig;
}

export class ConfigStore implements vscode.Disposable {
  private snapshot: LrLensConfig = ConfigStore.read();
  private readonly emitter = new vscode.EventEmitter<ConfigChange>();
  private readonly listener: vscode.Disposable;

  /** Fires after the snapshot changed. */
  readonly onDidChange = this.emitter.event;

  constructor() {
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(CONFIG_SECTION)) return;
      const previous = this.snapshot;
      this.snapshot = ConfigStore.read();
      this.emitter.fire({ previous, current: this.snapshot });
    });
  }

  get current(): LrLensConfig {
    return this.snapshot;
  }

  private static read(): LrLensConfig {
    const section = vscode.workspace.getConfiguration(CONFIG_SECTION);
    return readConfig((key) => section.get(key));
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}
