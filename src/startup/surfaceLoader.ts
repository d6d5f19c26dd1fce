// Loads the surfaces' bundle (dist/surfaces.js, from src/startup/surfaces.ts) on first use. Activation
// registers stand-ins under every contributed command id and for the chat view; the first of them
// used loads the bundle once, which registers the real commands, and the stand-in hands over.
import { createRequire } from 'node:module';
import * as vscode from 'vscode';
import type * as SurfacesModule from './surfaces';
import type { CoreServices, Surfaces } from './surfaces';

export class SurfaceLoader implements vscode.Disposable {
  private surfaces: Surfaces | undefined;
  private standIns: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly core: CoreServices,
  ) {}

  get loaded(): Surfaces | undefined {
    return this.surfaces;
  }

  /**
   * A stand-in under each id: run from the palette, a menu, a key or another extension, it loads
   * the surfaces, whose registration replaces it, then runs the real command with the same arguments.
   */
  registerCommands(ids: readonly string[]): void {
    for (const id of ids) {
      const standIn = vscode.commands.registerCommand(id, (...args: unknown[]) => {
        this.load(`command ${id}`);
        return vscode.commands.executeCommand(id, ...args);
      });
      this.standIns.push(standIn);
    }
  }

  /** The surfaces, loaded now if they are not yet; `reason` is logged with the time it took. */
  load(reason: string): Surfaces {
    if (this.surfaces) return this.surfaces;
    const started = performance.now();
    // Node's require, not esbuild's: the bundle sits beside this one (dist/ or out/src/) and stays a file of its own.
    const module = createRequire(__filename)('./surfaces') as typeof SurfacesModule;
    // The real registrations take the same ids: the stand-ins go first.
    for (const standIn of this.standIns.splice(0)) standIn.dispose();
    this.surfaces = module.loadSurfaces(this.context, this.core);
    this.core.log.info(`Loaded the surfaces in ${(performance.now() - started).toFixed(1)} ms (${reason})`);
    return this.surfaces;
  }

  dispose(): void {
    for (const standIn of this.standIns.splice(0)) standIn.dispose();
    this.surfaces?.dispose();
  }
}
