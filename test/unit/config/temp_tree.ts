import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Real temporary directories with real files, removed by `cleanup()`. */
export class TempTrees {
  private readonly roots: string[] = [];

  /** Creates a directory holding `files` (relative path → content) and returns its path. */
  create(files: Record<string, string> = {}): string {
    const root = mkdtempSync(join(tmpdir(), 'gym-config-'));
    this.roots.push(root);
    for (const [relative, content] of Object.entries(files)) {
      const path = join(root, relative);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
    return root;
  }

  cleanup(): void {
    for (const root of this.roots.splice(0)) rmSync(root, { recursive: true, force: true });
  }
}
