import type { SpawnSyncOptions } from 'node:child_process';

/** A publishable workspace package. */
export interface WorkspacePackage {
  name: string;
  version: string;
  /** Folder name under packages/. */
  folder: string;
  /** Absolute path of the package folder. */
  dir: string;
  manifest: Record<string, unknown>;
}

export function publicPackages(root: string): WorkspacePackage[];
export function runOrThrow(command: string, args: string[], options?: SpawnSyncOptions): string;
export function pnpmCommand(root: string): string[];
export function runPnpm(root: string, args: string[], options?: SpawnSyncOptions): string;
export function buildWorkspace(root: string): void;
export function packPackage(pkg: WorkspacePackage, destination: string, root?: string): string;
