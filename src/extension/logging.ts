/** The extension's log: one `LogOutputChannel`, every line redacted of the API key and anything key-like. */
import * as vscode from 'vscode';
import { redactText } from '../core/config/secrets';
import type { LogLevel } from '../host/protocol';

export class ExtensionLog implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private secrets: string[] = [];

  constructor(name: string) {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  /** Adds values to mask (the API key); keys replaced during the session stay masked too. */
  addSecrets(values: readonly (string | null | undefined)[]): void {
    const added = values.filter((value): value is string => typeof value === 'string' && value.length >= 6);
    this.secrets = [...new Set([...this.secrets, ...added])].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    return redactText(text, this.secrets);
  }

  write(level: LogLevel, message: string): void {
    const line = this.redact(message);
    switch (level) {
      case 'trace':
        this.channel.trace(line);
        return;
      case 'debug':
        this.channel.debug(line);
        return;
      case 'info':
        this.channel.info(line);
        return;
      case 'warn':
        this.channel.warn(line);
        return;
      case 'error':
        this.channel.error(line);
    }
  }

  info(message: string): void {
    this.write('info', message);
  }

  warn(message: string): void {
    this.write('warn', message);
  }

  error(message: string): void {
    this.write('error', message);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
