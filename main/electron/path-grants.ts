import path from 'node:path';
import { FlowGifError } from '../../shared/errors.js';
import type { ExportFormat, RequestChannel, RequestPayload, ResponseValue } from '../../shared/ipc/contract.js';

/**
 * What a granted path may be used for. A picture the user opened may not be overwritten, a GIF
 * path may not become a PNG-frames folder, and so on: each way in grants one use.
 */
export type GrantUse = 'image' | 'project-open' | 'project-save' | `export-${ExportFormat}`;

/** The channels whose payload names a file or folder on disk. */
const pathChannels: ReadonlySet<RequestChannel> = new Set<RequestChannel>(['image:open', 'export:start', 'project:save', 'project:open', 'shell:show-in-folder']);

/**
 * Files are touched only where the user chose (issue 7 §3). The renderer shows web content, so
 * the shell does not take its word for a path: it remembers what its own dialogs returned, what
 * the user dropped or picked in the page's file input (reported by the preload, never by the
 * page), and what the engine itself answered (the default export folder, recent projects, the
 * projects it saved or opened and the pictures inside them). A request naming any other path is
 * refused before it reaches the engine. Bundled samples travel by name and need no grant.
 *
 * Pure: no Electron, no file system, so the rules are tested in plain Node.
 */
export class PathGrants {
  readonly #grants = new Map<string, Set<GrantUse>>();
  #defaultFolder: string | undefined;
  readonly #replaceConfirmed = new Set<string>();
  /** Files on the engine's export history, with their format: only these are copied or dragged out. */
  readonly #exported = new Map<string, ExportFormat>();

  grant(file: string, use: GrantUse): void {
    const key = normalized(file);
    if (key === undefined) return;
    const uses = this.#grants.get(key) ?? new Set<GrantUse>();
    uses.add(use);
    this.#grants.set(key, uses);
  }

  allows(file: string, use: GrantUse): boolean {
    const key = normalized(file);
    return key !== undefined && (this.#grants.get(key)?.has(use) ?? false);
  }

  /** The format of a file this app exported (as the engine's history last listed it), else undefined. */
  exportedFormat(file: string): ExportFormat | undefined {
    const key = normalized(file);
    return key === undefined ? undefined : this.#exported.get(key);
  }

  /**
   * The save dialog asked about replacing this path itself (showOverwriteConfirmation), so the
   * export that follows carries that consent and the app does not ask a second time. Once only.
   */
  confirmReplacing(file: string): void {
    const key = normalized(file);
    if (key !== undefined) this.#replaceConfirmed.add(key);
  }

  /** The request as the engine should see it: with the dialog's consent to replace, if given. */
  withConsent<C extends RequestChannel>(channel: C, payload: RequestPayload<C>): RequestPayload<C> {
    if (channel !== 'export:start') return payload;
    const request = payload as RequestPayload<'export:start'>;
    // normalized() resolves the path, which drops a PNG folder's trailing separator.
    const key = normalized(request.outputPath);
    if (request.replace === true || key === undefined || !this.#replaceConfirmed.delete(key)) return payload;
    return { ...request, replace: true } as RequestPayload<C>;
  }

  /** The app's own export folder, as the engine reports it in app:info. */
  setDefaultFolder(folder: string): void {
    this.#defaultFolder = normalized(folder);
  }

  /** True when `channel` names a path and the default folder, one of the grants, is not known yet. */
  needsDefaultFolder(channel: RequestChannel): boolean {
    return this.#defaultFolder === undefined && pathChannels.has(channel);
  }

  /** Throws the FlowGifError the user reads when `payload` names a path nobody chose. */
  check<C extends RequestChannel>(channel: C, payload: RequestPayload<C>): void {
    const refusal = this.#refusal(channel, payload as RequestPayload<RequestChannel>);
    if (refusal !== undefined) throw refusal;
  }

  /** Remembers the paths an answer hands out: from the shell's dialogs and from the engine. */
  learn<C extends RequestChannel>(channel: C, payload: RequestPayload<C>, value: ResponseValue<C>): void {
    const request = { channel, payload, value } as Answered;
    switch (request.channel) {
      case 'app:info':
        this.setDefaultFolder(request.value.defaultExportFolder);
        for (const project of request.value.recentProjects) this.grant(project, 'project-open');
        return;
      case 'dialog:open-image':
        if (request.value.path !== undefined) this.grant(request.value.path, 'image');
        return;
      case 'dialog:open-project':
        if (request.value.path !== undefined) this.grant(request.value.path, 'project-open');
        return;
      case 'dialog:save-path': {
        const { format } = request.payload;
        if (request.value.path !== undefined) this.grant(request.value.path, format === 'project' ? 'project-save' : `export-${format}`);
        return;
      }
      case 'image:open':
        // The engine's own answer: the picture it read (the path asked for, or a bundled sample's).
        if (request.value.path !== undefined) this.grant(request.value.path, 'image');
        return;
      case 'project:open':
        this.grant(request.payload.path, 'project-open');
        // The picture and model paths come from the project file the user chose, read by the engine.
        if (request.value.image.path !== undefined) this.grant(request.value.image.path, 'image');
        return;
      case 'export:history':
        // The engine's own record of what it wrote: the list as it is now replaces the last one.
        this.#exported.clear();
        for (const entry of request.value.entries) {
          const key = normalized(entry.outputPath);
          if (key === undefined) continue;
          // Only what is there now: a granted export is no licence to write there again.
          if (!entry.missing) this.#exported.set(key, entry.format);
        }
        return;
      case 'project:save':
        // Now on the recent list: it may be reopened, and saved again where the user put it.
        this.grant(request.value.path, 'project-open');
        this.grant(request.value.path, 'project-save');
        return;
      default:
        return;
    }
  }

  #refusal(channel: RequestChannel, payload: RequestPayload<RequestChannel>): FlowGifError | undefined {
    const request = { channel, payload } as Requested;
    switch (request.channel) {
      case 'image:open': {
        const { source } = request.payload;
        if (source.kind !== 'path' || this.allows(source.path, 'image')) return undefined;
        return new FlowGifError('INVALID_ARGUMENT', `FlowGIF only opens pictures you chose, and ${source.path} was not one of them.`, {
          file: source.path,
          hint: 'Pick the picture with Open…, drop it on the window, or start from a bundled sample.',
        });
      }
      case 'project:open': {
        const file = request.payload.path;
        if (this.allows(file, 'project-open')) return undefined;
        return new FlowGifError('INVALID_ARGUMENT', `FlowGIF only opens projects you chose, and ${file} was not one of them.`, {
          file,
          hint: 'Pick the project with Browse…, or from the Recent list.',
        });
      }
      case 'export:start': {
        const { outputPath, format } = request.payload;
        if (this.allows(outputPath, `export-${format}`) || this.#inDefaultFolder(outputPath)) return undefined;
        const what = format === 'png' ? 'folder' : 'file';
        return new FlowGifError('OUTPUT_UNWRITABLE', `FlowGIF only writes where you chose, and you did not choose ${outputPath}.`, {
          file: outputPath,
          hint: `Pick the ${what} with Choose…, or export into ${this.#defaultFolder ?? 'the default folder'}.`,
        });
      }
      case 'project:save': {
        const file = request.payload.path;
        if (this.allows(file, 'project-save') || this.#inDefaultFolder(file)) return undefined;
        return new FlowGifError('OUTPUT_UNWRITABLE', `FlowGIF only writes where you chose, and you did not choose ${file}.`, {
          file,
          hint: 'Pick the file with Save…',
        });
      }
      case 'shell:show-in-folder': {
        const file = request.payload.path;
        if (this.#known(file) || this.#inDefaultFolder(file)) return undefined;
        return new FlowGifError('INVALID_ARGUMENT', `FlowGIF only shows files it wrote or you chose, and ${file} is not one of them.`, { file });
      }
      case 'export:copy':
      case 'export:drag': {
        const file = request.payload.path;
        if (this.exportedFormat(file) !== undefined) return undefined;
        return new FlowGifError('INVALID_ARGUMENT', `FlowGIF only copies or drags out files it exported, and ${file} is not one of them.`, {
          file,
          hint: 'Pick the file from the export history.',
        });
      }
      default:
        return undefined;
    }
  }

  /** Granted for any use, on the export history, or a frame inside a granted PNG-frames folder. */
  #known(file: string): boolean {
    const key = normalized(file);
    if (key === undefined) return false;
    if (this.#grants.has(key) || this.#exported.has(key)) return true;
    return this.#grants.get(path.dirname(key))?.has('export-png') ?? false;
  }

  /** A file (or PNG-frames folder) directly in the app's own export folder, not the folder itself. */
  #inDefaultFolder(file: string): boolean {
    const key = normalized(file);
    return key !== undefined && this.#defaultFolder !== undefined && key !== this.#defaultFolder && path.dirname(key) === this.#defaultFolder;
  }
}

/**
 * One spelling per path: resolved and normalised (`a/./b/../c/` is `a/c`, a PNG folder's trailing
 * slash goes). Relative paths match nothing: the engine refuses them, and the shell's working
 * folder means nothing to the user.
 */
function normalized(file: string): string | undefined {
  if (file === '' || file.includes('\0') || !path.isAbsolute(file)) return undefined;
  return path.resolve(path.normalize(file));
}

/** A request narrowed by its channel, so each case sees its own payload type. */
type Requested = { readonly [C in RequestChannel]: { readonly channel: C; readonly payload: RequestPayload<C> } }[RequestChannel];
type Answered = { readonly [C in RequestChannel]: { readonly channel: C; readonly payload: RequestPayload<C>; readonly value: ResponseValue<C> } }[RequestChannel];
